//! The typed API client: one async fn per endpoint of `/api/v1`, each decoding into the
//! `shared` wire types; a 4xx body becomes [`Error::Api`] with the server's Chinese message
//! (a full slot's 409 [`Error::SlotFull`], with the free slots it offers).

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use shared::booking::{
    Booking, BookingRequest, EnquiryReceipt, EnquiryRequest, Me, Reschedule, Slot, SlotFull,
    SlotList, TestDriveOffer,
};
use shared::catalog::{DealerHome, SeriesDetail, SeriesList};
use shared::compare::Comparison;
use shared::profile::ConsultantCard;
use shared::quote::{DealerTerms, Quote, QuoteRequest};
use shared::select::{Answers, Recommendation};
use shared::service::{BookService, ServiceBooking, ServiceReschedule, ServiceStores};
use shared::{ApiError, ErrorBody};

/// Why a call failed: the network (offline, server down) or an answer from the API.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    Network(String),
    Api(ApiError),
    /// `409 slot_full`: someone took the last seat; the nearest free slots of that store.
    SlotFull(SlotFull),
}

impl Error {
    /// The API said the dealer, series or trim does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Api(e) if e.code == "not_found")
    }

    /// What to tell the user, in Chinese.
    pub fn message(&self) -> String {
        match self {
            Self::Network(_) => "网络不太好，请检查网络后重试".into(),
            Self::Api(e) | Self::SlotFull(SlotFull { error: e, .. }) => e.message.clone(),
        }
    }
}

/// `encodeURIComponent`, for path segments and query values (Chinese search text).
pub fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

/// `?a=1&b=x` from pairs (empty when there are none), values encoded.
pub fn query_string<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(k.as_ref());
        out.push('=');
        out.push_str(&encode(v.as_ref()));
    }
    out
}

fn base(dealer: &str) -> String {
    format!("/api/v1/dealers/{}", encode(dealer))
}

fn network(e: impl std::fmt::Display) -> Error {
    Error::Network(e.to_string())
}

async fn decode<T: DeserializeOwned>(sent: Result<Response, gloo_net::Error>) -> Result<T, Error> {
    let response = sent.map_err(network)?;
    if response.ok() {
        let text = response.text().await.map_err(network)?;
        // A 204 has no body: it reads as JSON `null`, which is `()`.
        let text = if text.is_empty() { "null" } else { &text };
        return serde_json::from_str(text).map_err(network);
    }
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(Error::Api(body.error)),
        Err(_) if status == 404 => Err(Error::Api(ApiError {
            code: "not_found".into(),
            message: "页面不存在".into(),
            field: None,
        })),
        Err(_) => Err(Error::Network(format!("HTTP {status}"))),
    }
}

/// A 409 body: [`SlotFull`] when the code is `slot_full`, else a plain [`ErrorBody`].
#[derive(serde::Deserialize)]
struct Conflict {
    error: ApiError,
    #[serde(default)]
    free_slots: Vec<Slot>,
}

/// As [`decode`], but a `409 slot_full` keeps the free slots it offers. Kept apart so the
/// pages that never book do not carry the slot parsing.
async fn decode_booking<T: DeserializeOwned>(
    sent: Result<Response, gloo_net::Error>,
) -> Result<T, Error> {
    let response = sent.map_err(network)?;
    if response.status() != 409 {
        return decode(Ok(response)).await;
    }
    let Conflict { error, free_slots } = response.json().await.map_err(network)?;
    Err(if error.code == "slot_full" {
        Error::SlotFull(SlotFull { error, free_slots })
    } else {
        Error::Api(error)
    })
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, Error> {
    decode(Request::get(url).send().await).await
}

async fn post<B: serde::Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, Error> {
    let request = Request::post(url).json(body).map_err(network)?;
    decode(request.send().await).await
}

/// `POST /dealers/{dealer}/links`: the visitor's own link to one of the dealer's pages (the
/// same one again for the same page and channel).
pub async fn share_link(
    dealer: &str,
    request: &shared::attribution::NewVisitorLink,
) -> Result<shared::link::Link, Error> {
    post(&format!("{}/links", base(dealer)), request).await
}

/// `GET /dealers/{dealer}`: name, colour, stores and featured series.
pub async fn dealer_home(dealer: &str) -> Result<DealerHome, Error> {
    get(&base(dealer)).await
}

/// `GET /dealers/{dealer}/terms`: the dealer's 车船税 amounts and loan rate, for prices on
/// the road (the calculator, the model page, the comparison).
pub async fn terms(dealer: &str) -> Result<DealerTerms, Error> {
    get(&format!("{}/terms", base(dealer))).await
}

/// `GET /dealers/{dealer}/series`: the whole catalogue, filtered in the browser.
pub async fn series_list(dealer: &str) -> Result<SeriesList, Error> {
    get(&format!("{}/series", base(dealer))).await
}

/// `GET /dealers/{dealer}/series/{series}`: the model page.
pub async fn series_detail(dealer: &str, series: &str) -> Result<SeriesDetail, Error> {
    get(&format!("{}/series/{}", base(dealer), encode(series))).await
}

/// `GET /dealers/{dealer}/compare?trims=a,b`: the grouped comparison (the URL the shell
/// preloads, `shared::page::compare_request`).
pub async fn compare(dealer: &str, trims: &[String]) -> Result<Comparison, Error> {
    get(&shared::page::compare_request(dealer, trims)).await
}

/// `GET /dealers/{dealer}/offers`: the offers that hold today, filtered in the browser.
pub async fn offers(dealer: &str) -> Result<shared::offer::OfferList, Error> {
    get(&format!("{}/offers", base(dealer))).await
}

/// `GET /dealers/{dealer}/activities`: the activities to come.
pub async fn activities(dealer: &str) -> Result<shared::activity::ActivityList, Error> {
    get(&format!("{}/activities", base(dealer))).await
}

/// `GET /dealers/{dealer}/activities/{id}`: one activity and its seats left.
pub async fn activity(dealer: &str, id: &str) -> Result<shared::activity::ActivityPage, Error> {
    get(&format!("{}/activities/{}", base(dealer), encode(id))).await
}

/// `POST /dealers/{dealer}/activities/{id}/signups`: sign up (201), safe to retry with `key`.
pub async fn sign_up(
    dealer: &str,
    id: i64,
    request: &shared::activity::SignupRequest,
    key: &str,
) -> Result<shared::activity::SignupDone, Error> {
    let sent = Request::post(&format!("{}/activities/{id}/signups", base(dealer)))
        .header("Idempotency-Key", key)
        .json(request)
        .map_err(network)?
        .send()
        .await;
    decode(sent).await
}

/// `GET /dealers/{dealer}/hot-searches`: what buyers searched most this week.
pub async fn hot_searches(dealer: &str) -> Result<shared::search::HotSearches, Error> {
    get(&format!("{}/hot-searches", base(dealer))).await
}

/// `POST /dealers/{dealer}/searches`: a search the buyer made, for 热门搜索.
pub async fn record_search(dealer: &str, search: &shared::search::SearchMade) -> Result<(), Error> {
    post(&format!("{}/searches", base(dealer)), search).await
}

/// `POST /dealers/{dealer}/quote`: the same quote the calculator computes locally.
pub async fn quote(dealer: &str, request: &QuoteRequest) -> Result<Quote, Error> {
    post(&format!("{}/quote", base(dealer)), request).await
}

/// `POST /dealers/{dealer}/recommendations`: ranked trims for the answers.
pub async fn recommendations(
    dealer: &str,
    answers: &Answers,
) -> Result<Vec<Recommendation>, Error> {
    post(&format!("{}/recommendations", base(dealer)), answers).await
}

/// `GET /dealers/{dealer}/test-drive`: the stores that lend test drives, of which series.
pub async fn test_drive(dealer: &str) -> Result<TestDriveOffer, Error> {
    get(&format!("{}/test-drive", base(dealer))).await
}

/// `GET /dealers/{dealer}/stores/{store}/slots?series=`: the store's slots for that series in
/// the next 14 days, full ones included.
pub async fn slots(dealer: &str, store_id: i64, series: &str) -> Result<SlotList, Error> {
    let url = format!(
        "{}/stores/{store_id}/slots{}",
        base(dealer),
        query_string(&[("series", series)])
    );
    get(&url).await
}

/// A fresh `Idempotency-Key`: one per submission, sent again when that submission is retried.
pub fn idempotency_key() -> String {
    let part = || (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    format!("{:014x}{:014x}", part(), part())
}

/// `POST /dealers/{dealer}/bookings`: book a test drive (201 [`Booking`]).
pub async fn book(dealer: &str, request: &BookingRequest, key: &str) -> Result<Booking, Error> {
    let sent = Request::post(&format!("{}/bookings", base(dealer)))
        .header("Idempotency-Key", key)
        .json(request)
        .map_err(network)?
        .send()
        .await;
    decode_booking(sent).await
}

/// `GET /dealers/{dealer}/bookings/{code}`: the confirmation page.
pub async fn booking(dealer: &str, code: &str) -> Result<Booking, Error> {
    get(&format!("{}/bookings/{}", base(dealer), encode(code))).await
}

/// The booking as a calendar event (`text/calendar`), for a download link.
pub fn calendar_url(dealer: &str, code: &str) -> String {
    format!("{}/bookings/{}/calendar.ics", base(dealer), encode(code))
}

/// `POST /dealers/{dealer}/enquiries`: 询底价; who will call back, and when.
pub async fn enquire(dealer: &str, request: &EnquiryRequest) -> Result<EnquiryReceipt, Error> {
    post(&format!("{}/enquiries", base(dealer)), request).await
}

/// `GET /dealers/{dealer}/me`: what the dealer keeps about this visitor (their cookie).
pub async fn me(dealer: &str) -> Result<Me, Error> {
    get(&format!("{}/me", base(dealer))).await
}

/// `PUT /dealers/{dealer}/me/bookings/{code}`: move my booking to another slot of its store.
pub async fn reschedule(dealer: &str, code: &str, slot_id: i64) -> Result<Booking, Error> {
    let sent = Request::put(&format!("{}/me/bookings/{}", base(dealer), encode(code)))
        .json(&Reschedule { slot_id })
        .map_err(network)?
        .send()
        .await;
    decode_booking(sent).await
}

/// `DELETE /dealers/{dealer}/me/bookings/{code}`: cancel my booking; it comes back cancelled.
pub async fn cancel_booking(dealer: &str, code: &str) -> Result<Booking, Error> {
    let url = format!("{}/me/bookings/{}", base(dealer), encode(code));
    decode(Request::delete(&url).send().await).await
}

/// `POST /dealers/{dealer}/me/phone-code`: send a one-time code to a phone by SMS.
pub async fn send_phone_code(
    dealer: &str,
    request: &shared::proof::PhoneCodeRequest,
) -> Result<shared::proof::PhoneCodeSent, Error> {
    post(&format!("{}/me/phone-code", base(dealer)), request).await
}

/// `POST /dealers/{dealer}/me/phone-proof`: prove the phone with the code; my new `/me`.
pub async fn prove_phone(
    dealer: &str,
    request: &shared::proof::PhoneProofRequest,
) -> Result<Me, Error> {
    post(&format!("{}/me/phone-proof", base(dealer)), request).await
}

/// `DELETE /dealers/{dealer}/me` (204): erase my data at this dealer and forget this phone.
pub async fn delete_me(dealer: &str) -> Result<(), Error> {
    decode(
        Request::delete(&format!("{}/me", base(dealer)))
            .send()
            .await,
    )
    .await
}

/// `DELETE /dealers/{dealer}/owner/wechat` (204): no more WeChat reminders.
pub async fn stop_wechat_reminders(dealer: &str) -> Result<(), Error> {
    decode(
        Request::delete(&format!("{}/owner/wechat", base(dealer)))
            .send()
            .await,
    )
    .await
}

/// `GET /dealers/{dealer}/consultants/{handle}`: a consultant's card, for their showcase.
pub async fn consultant(dealer: &str, handle: &str) -> Result<ConsultantCard, Error> {
    get(&format!("{}/consultants/{}", base(dealer), encode(handle))).await
}

/// `GET /dealers/{dealer}/my-consultant`: the card of the consultant whose link brought the
/// visitor, or `None` (204).
pub async fn my_consultant(dealer: &str) -> Result<Option<ConsultantCard>, Error> {
    get(&format!("{}/my-consultant", base(dealer))).await
}

/// `GET /dealers/{dealer}/owner`: the cars bound to this phone's owner cookie.
pub async fn owner_home(dealer: &str) -> Result<shared::owner::OwnerHome, Error> {
    get(&format!("{}/owner", base(dealer))).await
}

/// `POST /dealers/{dealer}/owner/bind`: bind the car of a delivery's code to this phone.
pub async fn bind_car(dealer: &str, code: &str) -> Result<shared::owner::OwnerHome, Error> {
    let body = shared::owner::Bind { code: code.into() };
    post(&format!("{}/owner/bind", base(dealer)), &body).await
}

/// `POST /dealers/{dealer}/owner/cars/{id}/readings`: my odometer now.
pub async fn add_reading(
    dealer: &str,
    car: i64,
    km: i64,
) -> Result<shared::owner::OwnerCar, Error> {
    let body = shared::owner::NewReading { km };
    post(
        &format!("{}/owner/cars/{car}/readings", base(dealer)),
        &body,
    )
    .await
}

/// `GET /dealers/{dealer}/owner/points`: my ledger, total and tier, and the dealer's rules.
pub async fn owner_points(dealer: &str) -> Result<shared::loyalty::OwnerPoints, Error> {
    get(&format!("{}/owner/points", base(dealer))).await
}

/// `POST /dealers/{dealer}/owner/referral-link`: my referral link to the dealer's home page.
pub async fn referral_link(dealer: &str) -> Result<shared::loyalty::ReferralLink, Error> {
    let body = shared::loyalty::NewReferralLink::default();
    post(&format!("{}/owner/referral-link", base(dealer)), &body).await
}

/// `GET /dealers/{dealer}/surveys`: my completed test drives and services to rate.
pub async fn surveys(dealer: &str) -> Result<shared::survey::SurveyVisits, Error> {
    get(&format!("{}/surveys", base(dealer))).await
}

/// `POST /dealers/{dealer}/surveys`: my answer for one visit; the points it earned.
pub async fn answer_survey(
    dealer: &str,
    answer: &shared::survey::SurveyAnswer,
) -> Result<shared::survey::SurveyThanks, Error> {
    post(&format!("{}/surveys", base(dealer)), answer).await
}

/// `GET /dealers/{dealer}/service/stores`: the stores that take service bookings.
pub async fn service_stores(dealer: &str) -> Result<ServiceStores, Error> {
    get(&format!("{}/service/stores", base(dealer))).await
}

/// `GET /dealers/{dealer}/service/stores/{id}/slots`: a store's service slots, two weeks.
pub async fn service_slots(dealer: &str, store: i64) -> Result<SlotList, Error> {
    get(&format!("{}/service/stores/{store}/slots", base(dealer))).await
}

/// `POST /dealers/{dealer}/owner/cars/{id}/service`: book a service visit for my car.
pub async fn book_service(
    dealer: &str,
    car: i64,
    request: &BookService,
) -> Result<ServiceBooking, Error> {
    let sent = Request::post(&format!("{}/owner/cars/{car}/service", base(dealer)))
        .json(request)
        .map_err(network)?
        .send()
        .await;
    decode_booking(sent).await
}

/// `PUT /dealers/{dealer}/owner/service/{code}`: move my service visit to another slot.
pub async fn reschedule_service(
    dealer: &str,
    code: &str,
    slot_id: i64,
) -> Result<ServiceBooking, Error> {
    let sent = Request::put(&format!("{}/owner/service/{}", base(dealer), encode(code)))
        .json(&ServiceReschedule { slot_id })
        .map_err(network)?
        .send()
        .await;
    decode_booking(sent).await
}

/// `DELETE /dealers/{dealer}/owner/service/{code}`: cancel my service visit.
pub async fn cancel_service(dealer: &str, code: &str) -> Result<ServiceBooking, Error> {
    let url = format!("{}/owner/service/{}", base(dealer), encode(code));
    decode(Request::delete(&url).send().await).await
}
