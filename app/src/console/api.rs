//! The console's typed client: one async fn per endpoint of `/api/v1/console` (and the
//! dealer catalogue it picks test-drive cars from), each decoding into the `shared` wire
//! types; a 4xx body becomes [`Error::Api`] with the server's Chinese message.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::attribution::{LinkStats, ShareTree};
use shared::booking::BookingStatus;
use shared::catalog::SeriesList;
use shared::catalog_edit::{BrandChoice, SeriesForm, SeriesTrims, SpecEdits, TrimForm, TrimSheet};
use shared::console::{
    BookingUpdate, CatalogSeries, LeadDetail, LeadStatus, LeadSummary, LostDecision, NewStore,
    Note, PasswordChange, Reassign, SeriesOnSale, SignIn, StaffBooking, StaffMe, StaffRef,
    StatusChange, StoreSaved, StoreSetup, StoreView, Today,
};
use shared::link::{Link, NewLink};
use shared::offer::{DealerPrice, OfferDesk, OfferDraft, PriceBook, StaffOffer, TrimPrice};
use shared::photo::{DealerPhoto, GalleryOrder, PhotoKind, SeriesPhotos};
use shared::profile::Profile;
use shared::settings::{DealerSettings, QuoteSettings, StoreProfile};
use shared::spec_import::SpecImport;
use shared::staff::{
    AuditEntry, Invitation, NewStaff, SetPassword, SignInLink, StaffAdded, StaffChange, StaffMember,
};
use shared::wechat::{SaveWeChat, WeChatSettings};
use shared::{ApiError, ErrorBody};

const BASE: &str = "/api/v1/console";

/// Why a call failed: the network (offline, server down) or an answer from the API.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    Network(String),
    Api(ApiError),
}

impl Error {
    /// No session (never signed in, signed out elsewhere, or the password changed).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Api(e) if e.code == "unauthorized")
    }

    /// What to tell the user, in Chinese.
    pub fn message(&self) -> String {
        match self {
            Self::Network(_) => "网络不太好，请检查网络后重试".into(),
            Self::Api(e) => e.message.clone(),
        }
    }

    /// The input the error is about, when the server named one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Api(e) => e.field.as_deref(),
            Self::Network(_) => None,
        }
    }
}

/// What the leads list is filtered by; empty fields are left out of the query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeadFilter {
    pub status: Option<LeadStatus>,
    pub consultant: Option<i64>,
    pub origin: Option<String>,
    /// `YYYY-MM-DD`, as a date input gives it.
    pub from: String,
    pub to: String,
    pub q: String,
}

impl LeadFilter {
    /// The query string for `GET /leads`, `""` when nothing is filtered.
    pub fn query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(status) = self.status {
            pairs.push(("status", status.as_str().into()));
        }
        if let Some(id) = self.consultant {
            pairs.push(("consultant", id.to_string()));
        }
        if let Some(origin) = self.origin.as_deref().filter(|o| !o.is_empty()) {
            pairs.push(("origin", origin.into()));
        }
        for (key, value) in [("from", &self.from), ("to", &self.to), ("q", &self.q)] {
            let value = value.trim();
            if !value.is_empty() {
                pairs.push((key, value.into()));
            }
        }
        crate::api::query_string(&pairs)
    }
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
        Err(_) => {
            let (code, message) = match status {
                401 => ("unauthorized", "请先登录"),
                404 => ("not_found", "页面不存在"),
                _ => return Err(Error::Network(format!("HTTP {status}"))),
            };
            Err(Error::Api(ApiError {
                code: code.into(),
                message: message.into(),
                field: None,
            }))
        }
    }
}

async fn send<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, Error> {
    decode(request.send().await).await
}

async fn send_json<B: Serialize, T: DeserializeOwned>(
    request: RequestBuilder,
    body: &B,
) -> Result<T, Error> {
    decode(request.json(body).map_err(network)?.send().await).await
}

fn lead_url(id: i64, tail: &str) -> String {
    format!("{BASE}/leads/{id}{tail}")
}

/// `POST /session`: sign in; `401 bad_credentials`, `429 locked` say why not.
pub async fn sign_in(form: &SignIn) -> Result<StaffMe, Error> {
    send_json(Request::post(&format!("{BASE}/session")), form).await
}

/// `DELETE /session` (204).
pub async fn sign_out() -> Result<(), Error> {
    send(Request::delete(&format!("{BASE}/session"))).await
}

/// `GET /me`: who is signed in; `401 unauthorized` when nobody is.
pub async fn me() -> Result<StaffMe, Error> {
    send(Request::get(&format!("{BASE}/me"))).await
}

/// `PUT /password` (204): every session of the staff member ends, this one too.
pub async fn change_password(change: &PasswordChange) -> Result<(), Error> {
    send_json(Request::put(&format!("{BASE}/password")), change).await
}

/// `GET /today`: my tasks and today's bookings.
pub async fn today() -> Result<Today, Error> {
    send(Request::get(&format!("{BASE}/today"))).await
}

/// `GET /leads?…`: the leads I may see, filtered.
pub async fn leads(filter: &LeadFilter) -> Result<Vec<LeadSummary>, Error> {
    send(Request::get(&format!("{BASE}/leads{}", filter.query()))).await
}

/// `GET /leads/{id}`: one lead with its timeline and bookings.
pub async fn lead(id: i64) -> Result<LeadDetail, Error> {
    send(Request::get(&lead_url(id, ""))).await
}

/// `POST /leads/{id}/notes`: a follow-up note.
pub async fn add_note(id: i64, note: &Note) -> Result<LeadDetail, Error> {
    send_json(Request::post(&lead_url(id, "/notes")), note).await
}

/// `POST /leads/{id}/calls`: the staff member is calling the customer now.
pub async fn record_call(id: i64) -> Result<LeadDetail, Error> {
    send_json(
        Request::post(&lead_url(id, "/calls")),
        &serde_json::json!({}),
    )
    .await
}

/// `PUT /leads/{id}/status`: a consultant's 战败 becomes a claim for a manager.
pub async fn change_status(id: i64, change: &StatusChange) -> Result<LeadDetail, Error> {
    send_json(Request::put(&lead_url(id, "/status")), change).await
}

/// `PUT /leads/{id}/consultant` (managers).
pub async fn reassign(id: i64, consultant_id: i64) -> Result<LeadDetail, Error> {
    let body = Reassign { consultant_id };
    send_json(Request::put(&lead_url(id, "/consultant")), &body).await
}

/// `PUT /leads/{id}/lost-claim` (managers): approve or send back a consultant's 战败.
pub async fn decide_lost(id: i64, approve: bool) -> Result<LeadDetail, Error> {
    let body = LostDecision { approve };
    send_json(Request::put(&lead_url(id, "/lost-claim")), &body).await
}

/// `PUT /bookings/{code}/status`: confirm, arrive, complete, no-show or cancel.
pub async fn move_booking(code: &str, status: BookingStatus) -> Result<StaffBooking, Error> {
    let url = format!("{BASE}/bookings/{}/status", crate::api::encode(code));
    send_json(Request::put(&url), &BookingUpdate { status }).await
}

/// `GET /consultants`: the dealer's active consultants (managers).
pub async fn consultants() -> Result<Vec<StaffRef>, Error> {
    send(Request::get(&format!("{BASE}/consultants"))).await
}

/// `GET /staff`: every staff member of the dealer (managers).
pub async fn staff_list() -> Result<Vec<StaffMember>, Error> {
    send(Request::get(&format!("{BASE}/staff"))).await
}

/// `GET /hand-over` (admins): the staff with what each holds, departed first.
pub async fn hand_over_board() -> Result<shared::hand_over::HandOverBoard, Error> {
    send(Request::get(&format!("{BASE}/hand-over"))).await
}

/// `POST /staff/{from}/hand-over` (admins): hands `from` over to `to`; what moved.
pub async fn hand_over(from: i64, to: i64) -> Result<shared::hand_over::HandedOver, Error> {
    let url = format!("{BASE}/staff/{from}/hand-over");
    send_json(Request::post(&url), &shared::hand_over::HandOver { to }).await
}

/// `GET /settings` (admins): 门店资料 and 报价设置 as saved.
pub async fn settings() -> Result<DealerSettings, Error> {
    send(Request::get(&format!("{BASE}/settings"))).await
}

/// `PUT /settings/profile` (admins): 门店资料.
pub async fn save_store_profile(profile: &StoreProfile) -> Result<DealerSettings, Error> {
    send_json(Request::put(&format!("{BASE}/settings/profile")), profile).await
}

/// `PUT /settings/quote` (admins): 报价设置.
pub async fn save_quote_settings(quote: &QuoteSettings) -> Result<DealerSettings, Error> {
    send_json(Request::put(&format!("{BASE}/settings/quote")), quote).await
}

/// `PUT /settings/logo` (admins): the picked PNG or JPEG file as the body.
pub async fn upload_logo(file: web_sys::File) -> Result<DealerSettings, Error> {
    let request = Request::put(&format!("{BASE}/settings/logo"))
        .header("Content-Type", &file.type_())
        .body(file)
        .map_err(network)?;
    decode(request.send().await).await
}

/// `GET /catalog/photos/series/{series}`: a series' photos at this dealer and its trims.
pub async fn series_photos(series: &str) -> Result<SeriesPhotos, Error> {
    send(Request::get(&format!(
        "{BASE}/catalog/photos/series/{}",
        crate::api::encode(series)
    )))
    .await
}

/// `POST /catalog/photos/series/{series}` (201): a cover or gallery photo, as a form.
pub async fn upload_series_photo(
    series: &str,
    kind: PhotoKind,
    file: web_sys::File,
) -> Result<DealerPhoto, Error> {
    let form = web_sys::FormData::new().map_err(|_| network("FormData"))?;
    form.append_with_str("kind", kind.key())
        .and_then(|()| form.append_with_blob("file", &file))
        .map_err(|_| network("FormData"))?;
    let url = format!(
        "{BASE}/catalog/photos/series/{}",
        crate::api::encode(series)
    );
    // No Content-Type: the browser writes the form's boundary itself.
    let request = Request::post(&url).body(form).map_err(network)?;
    decode(request.send().await).await
}

/// `POST /catalog/photos/trims/{trim}` (201): a trim in a colour, as a form.
pub async fn upload_trim_colour(
    trim: &str,
    colour: &str,
    file: web_sys::File,
) -> Result<DealerPhoto, Error> {
    let form = web_sys::FormData::new().map_err(|_| network("FormData"))?;
    form.append_with_str("colour", colour)
        .and_then(|()| form.append_with_blob("file", &file))
        .map_err(|_| network("FormData"))?;
    let url = format!("{BASE}/catalog/photos/trims/{}", crate::api::encode(trim));
    let request = Request::post(&url).body(form).map_err(network)?;
    decode(request.send().await).await
}

/// `PUT /catalog/photos/series/{series}/gallery`: the gallery in a new order.
pub async fn order_gallery(series: &str, order: &GalleryOrder) -> Result<SeriesPhotos, Error> {
    let url = format!(
        "{BASE}/catalog/photos/series/{}/gallery",
        crate::api::encode(series)
    );
    send_json(Request::put(&url), order).await
}

/// `DELETE /catalog/photos/{id}` (204).
pub async fn delete_photo(id: i64) -> Result<(), Error> {
    send(Request::delete(&format!("{BASE}/catalog/photos/{id}"))).await
}

/// `POST /staff` (201): a new staff member and their one-time sign-in link.
pub async fn add_staff(new: &NewStaff) -> Result<StaffAdded, Error> {
    send_json(Request::post(&format!("{BASE}/staff")), new).await
}

/// `PUT /staff/{id}`: a colleague's role and stores.
pub async fn change_staff(id: i64, change: &StaffChange) -> Result<StaffMember, Error> {
    send_json(Request::put(&format!("{BASE}/staff/{id}")), change).await
}

/// `POST /staff/{id}/sign-in-link` (201): a password reset, as a new one-time link.
pub async fn reset_staff(id: i64) -> Result<SignInLink, Error> {
    send(Request::post(&format!("{BASE}/staff/{id}/sign-in-link"))).await
}

/// `POST /staff/{id}/disable`: sessions end, sign-in refused.
pub async fn disable_staff(id: i64) -> Result<StaffMember, Error> {
    send(Request::post(&format!("{BASE}/staff/{id}/disable"))).await
}

/// `GET /staff/audit`: every change to staff, newest first (admins).
pub async fn staff_audit() -> Result<Vec<AuditEntry>, Error> {
    send(Request::get(&format!("{BASE}/staff/audit"))).await
}

fn sign_in_link_url(token: &str) -> String {
    format!("{BASE}/sign-in-links/{}", crate::api::encode(token))
}

/// `GET /sign-in-links/{token}`: whom a one-time link is for; `410 link_gone` once it is over.
pub async fn invitation(token: &str) -> Result<Invitation, Error> {
    send(Request::get(&sign_in_link_url(token))).await
}

/// `POST /sign-in-links/{token}`: set my password through the link, and be signed in.
pub async fn redeem(token: &str, form: &SetPassword) -> Result<StaffMe, Error> {
    send_json(Request::post(&sign_in_link_url(token)), form).await
}

/// `GET /stores`: each store with its test-drive setup (managers).
pub async fn stores() -> Result<Vec<StoreView>, Error> {
    send(Request::get(&format!("{BASE}/stores"))).await
}

/// `PUT /stores/{id}`: the saved setup and the bookings it strands.
pub async fn save_store(id: i64, setup: &StoreSetup) -> Result<StoreSaved, Error> {
    send_json(Request::put(&format!("{BASE}/stores/{id}")), setup).await
}

/// `GET /links`: my share links with what they brought.
pub async fn links() -> Result<Vec<Link>, Error> {
    send(Request::get(&format!("{BASE}/links"))).await
}

/// `POST /links`: a new share link (201).
pub async fn make_link(new: &NewLink) -> Result<Link, Error> {
    send_json(Request::post(&format!("{BASE}/links")), new).await
}

/// `POST /stores` (admins): a new store, with no hours or slots yet.
pub async fn add_store(new: &NewStore) -> Result<StoreView, Error> {
    send_json(Request::post(&format!("{BASE}/stores")), new).await
}

/// `GET /catalog/series` (managers): the platform's series, with what the dealer sells.
pub async fn catalog() -> Result<Vec<CatalogSeries>, Error> {
    send(Request::get(&format!("{BASE}/catalog/series"))).await
}

/// `PUT /catalog/series/{id}` (managers): on sale or not, featured or not.
pub async fn put_on_sale(id: &str, change: &SeriesOnSale) -> Result<CatalogSeries, Error> {
    send_json(Request::put(&format!("{BASE}/catalog/series/{id}")), change).await
}

/// `GET /prices` (managers): every trim on sale with its price and days, and the change log.
pub async fn prices() -> Result<PriceBook, Error> {
    send(Request::get(&format!("{BASE}/prices"))).await
}

/// `PUT /prices/{trim}` (managers): the dealer's price of a trim and the days it holds.
pub async fn set_price(trim: &str, price: &DealerPrice) -> Result<TrimPrice, Error> {
    send_json(Request::put(&format!("{BASE}/prices/{trim}")), price).await
}

/// `GET /offers` (managers): every offer, and the series, trims and stores one may name.
pub async fn offers() -> Result<OfferDesk, Error> {
    send(Request::get(&format!("{BASE}/offers"))).await
}

/// `POST /offers` or `PUT /offers/{id}` (managers): a new offer, or one changed.
pub async fn save_offer(id: Option<i64>, draft: &OfferDraft) -> Result<StaffOffer, Error> {
    match id {
        None => send_json(Request::post(&format!("{BASE}/offers")), draft).await,
        Some(id) => send_json(Request::put(&format!("{BASE}/offers/{id}")), draft).await,
    }
}

/// `DELETE /offers/{id}` (managers).
pub async fn remove_offer(id: i64) -> Result<(), Error> {
    send(Request::delete(&format!("{BASE}/offers/{id}"))).await
}

/// `GET /activities`: every activity, and the series and stores one may name.
pub async fn activities() -> Result<shared::activity::ActivityDesk, Error> {
    send(Request::get(&format!("{BASE}/activities"))).await
}

/// `POST /activities` or `PUT /activities/{id}` (managers): a new activity, or one changed.
pub async fn save_activity(
    id: Option<i64>,
    draft: &shared::activity::ActivityDraft,
) -> Result<shared::activity::Activity, Error> {
    match id {
        None => send_json(Request::post(&format!("{BASE}/activities")), draft).await,
        Some(id) => send_json(Request::put(&format!("{BASE}/activities/{id}")), draft).await,
    }
}

/// `POST /activities/{id}/cancel` (managers).
pub async fn cancel_activity(id: i64) -> Result<shared::activity::Activity, Error> {
    send(Request::post(&format!("{BASE}/activities/{id}/cancel"))).await
}

/// `GET /activities/{id}/signups`: who signed up, phones as the viewer may see them.
pub async fn activity_signups(id: i64) -> Result<shared::activity::SignupList, Error> {
    send(Request::get(&format!("{BASE}/activities/{id}/signups"))).await
}

/// `GET /catalog/brands` (managers): the brands an own series may be under.
pub async fn brands() -> Result<Vec<BrandChoice>, Error> {
    send(Request::get(&format!("{BASE}/catalog/brands"))).await
}

/// `GET /catalog/series/{id}` (managers): a series, its form and its trims.
pub async fn catalog_series(id: &str) -> Result<SeriesTrims, Error> {
    send(Request::get(&format!(
        "{BASE}/catalog/series/{}",
        crate::api::encode(id)
    )))
    .await
}

/// `POST /catalog/series` (managers): a new own series, on sale at once.
pub async fn add_series(form: &SeriesForm) -> Result<SeriesTrims, Error> {
    send_json(Request::post(&format!("{BASE}/catalog/series")), form).await
}

/// `PUT /catalog/series/{id}/details` (managers): an own series' details.
pub async fn save_series(id: &str, form: &SeriesForm) -> Result<SeriesTrims, Error> {
    let url = format!("{BASE}/catalog/series/{}/details", crate::api::encode(id));
    send_json(Request::put(&url), form).await
}

/// `POST /catalog/series/{id}/trims` (managers): a new own trim, on sale at once.
pub async fn add_trim(series: &str, form: &TrimForm) -> Result<TrimSheet, Error> {
    let url = format!("{BASE}/catalog/series/{}/trims", crate::api::encode(series));
    send_json(Request::post(&url), form).await
}

/// `GET /catalog/trims/{id}` (managers): a trim, its specs and the layout.
pub async fn catalog_trim(id: &str) -> Result<TrimSheet, Error> {
    send(Request::get(&format!(
        "{BASE}/catalog/trims/{}",
        crate::api::encode(id)
    )))
    .await
}

/// `PUT /catalog/trims/{id}` (managers): an own trim's details.
pub async fn save_trim(id: &str, form: &TrimForm) -> Result<TrimSheet, Error> {
    let url = format!("{BASE}/catalog/trims/{}", crate::api::encode(id));
    send_json(Request::put(&url), form).await
}

/// `PUT /catalog/trims/{id}/specs` (managers): the changed spec values as typed.
pub async fn save_specs(id: &str, edits: &SpecEdits) -> Result<TrimSheet, Error> {
    let url = format!("{BASE}/catalog/trims/{}/specs", crate::api::encode(id));
    send_json(Request::put(&url), edits).await
}

/// `POST /catalog/imports` (managers): a spec sheet for a series, as a form; its preview.
pub async fn upload_sheet(series: &str, file: web_sys::File) -> Result<SpecImport, Error> {
    let form = web_sys::FormData::new().map_err(|e| Error::Network(format!("{e:?}")))?;
    form.append_with_str("series", series)
        .and_then(|_| form.append_with_blob_and_filename("file", &file, &file.name()))
        .map_err(|e| Error::Network(format!("{e:?}")))?;
    let request = Request::post(&format!("{BASE}/catalog/imports"))
        .body(form)
        .map_err(network)?;
    decode(request.send().await).await
}

/// `GET /catalog/imports` (managers): the dealer's imports, newest first.
pub async fn imports() -> Result<Vec<SpecImport>, Error> {
    send(Request::get(&format!("{BASE}/catalog/imports"))).await
}

/// `POST /catalog/imports/{id}/confirm` or `/undo` (managers).
pub async fn import_step(id: i64, step: &str) -> Result<SpecImport, Error> {
    send(Request::post(&format!(
        "{BASE}/catalog/imports/{id}/{step}"
    )))
    .await
}

/// `GET /wechat` (admins): the official account's settings, without the secret.
pub async fn wechat() -> Result<WeChatSettings, Error> {
    send(Request::get(&format!("{BASE}/wechat"))).await
}

/// `PUT /wechat` (admins): an empty secret keeps the stored one.
pub async fn save_wechat(form: &SaveWeChat) -> Result<WeChatSettings, Error> {
    send_json(Request::put(&format!("{BASE}/wechat")), form).await
}

/// `GET /links/stats`: what each of my links brought, forwards included, by channel and day.
pub async fn link_stats() -> Result<Vec<LinkStats>, Error> {
    send(Request::get(&format!("{BASE}/links/stats"))).await
}

/// `GET /leads/{id}/share-tree`: who forwarded to whom around a lead.
pub async fn share_tree(id: i64) -> Result<ShareTree, Error> {
    send(Request::get(&lead_url(id, "/share-tree"))).await
}

/// `GET /profile`: my card's details (empty where not filled in).
pub async fn profile() -> Result<Profile, Error> {
    send(Request::get(&format!("{BASE}/profile"))).await
}

/// `PUT /profile`: saves my card; a 422 names the field it is about.
pub async fn save_profile(profile: &Profile) -> Result<Profile, Error> {
    send_json(Request::put(&format!("{BASE}/profile")), profile).await
}

/// `GET /api/v1/dealers/{dealer}/series`: the dealer's catalogue, for test-drive cars.
pub async fn series(dealer: &str) -> Result<SeriesList, Error> {
    let url = format!("/api/v1/dealers/{}/series", crate::api::encode(dealer));
    send(Request::get(&url)).await
}

/// `GET /leads/{id}/delivery`: the trims and service advisors the delivery form offers.
pub async fn delivery_form(lead: i64) -> Result<shared::owner::DeliveryForm, Error> {
    send(Request::get(&lead_url(lead, "/delivery"))).await
}

/// `POST /leads/{id}/delivery`: the car handed over; its binding code and QR.
pub async fn deliver(
    lead: i64,
    form: &shared::owner::Deliver,
) -> Result<shared::owner::Delivered, Error> {
    send_json(Request::post(&lead_url(lead, "/delivery")), form).await
}

/// `GET /cars?q=`: owners' cars, searched by plate, VIN tail or phone tail.
pub async fn cars(q: &str) -> Result<Vec<shared::owner::CarSummary>, Error> {
    let query = crate::api::query_string(&[("q", q.trim())]);
    send(Request::get(&format!("{BASE}/cars{query}"))).await
}

/// `GET /cars/{id}`: a car with its bindings and readings.
pub async fn car(id: i64) -> Result<shared::owner::CarDetail, Error> {
    send(Request::get(&format!("{BASE}/cars/{id}"))).await
}

/// `PUT /cars/{id}/inspection`: staff's marks; the next inspection they give.
pub async fn mark_inspection(
    id: i64,
    marks: &shared::owner::InspectionMarks,
) -> Result<shared::inspection::InspectionDue, Error> {
    send_json(Request::put(&format!("{BASE}/cars/{id}/inspection")), marks).await
}

/// `POST /cars/{id}/binding`: a new binding code, ending the car's binding.
pub async fn new_binding(id: i64) -> Result<shared::owner::BindingCode, Error> {
    send(Request::post(&format!("{BASE}/cars/{id}/binding"))).await
}

/// `GET /reminders`: the open reminders of the viewer's cars.
pub async fn reminder_tasks() -> Result<Vec<shared::reminder::ReminderTask>, Error> {
    send(Request::get(&format!("{BASE}/reminders"))).await
}

/// `POST /reminders/{id}/done` (204): the advisor followed it up.
pub async fn follow_up_reminder(id: i64) -> Result<(), Error> {
    send(Request::post(&format!("{BASE}/reminders/{id}/done"))).await
}

/// `GET /loyalty` (admins): the dealer's milestone points and what points are worth.
pub async fn loyalty() -> Result<shared::loyalty::LoyaltySettings, Error> {
    send(Request::get(&format!("{BASE}/loyalty"))).await
}

/// `PUT /loyalty` (admins): a 422 names the field out of range.
pub async fn save_loyalty(
    settings: &shared::loyalty::LoyaltySettings,
) -> Result<shared::loyalty::LoyaltySettings, Error> {
    send_json(Request::put(&format!("{BASE}/loyalty")), settings).await
}

/// `GET /referrals` (managers and admins): every owner's referrals and withheld reasons.
pub async fn referrals() -> Result<Vec<shared::loyalty::OwnerReferrals>, Error> {
    send(Request::get(&format!("{BASE}/referrals"))).await
}

/// `PUT /surveys/{id}/follow-up` (managers and admins): the low score was followed up.
pub async fn follow_up(id: i64) -> Result<(), Error> {
    send(Request::put(&format!("{BASE}/surveys/{id}/follow-up"))).await
}

/// `GET /console/service`: the service visits of my stores and cars, today and coming.
pub async fn service_desk() -> Result<Vec<shared::service::StaffService>, Error> {
    send(Request::get(&format!("{BASE}/service"))).await
}

/// `PUT /console/service/{code}/status`: completed (with the km read) or no-show.
pub async fn record_service(
    code: &str,
    update: &shared::service::ServiceUpdate,
) -> Result<shared::service::StaffService, Error> {
    send_json(
        Request::put(&format!(
            "{BASE}/service/{}/status",
            crate::api::encode(code)
        )),
        update,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_filter_asks_for_everything() {
        assert_eq!(LeadFilter::default().query(), "");
        let blank = LeadFilter {
            origin: Some(String::new()),
            q: "  ".into(),
            ..LeadFilter::default()
        };
        assert_eq!(blank.query(), "");
    }
}
