//! The typed API client: one async fn per endpoint of `/api/v1`, each decoding into the
//! `shared` wire types; a 4xx body becomes [`Error::Api`] with the server's Chinese message.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use shared::catalog::{DealerHome, SeriesDetail, SeriesList};
use shared::compare::Comparison;
use shared::quote::{DealerTerms, Quote, QuoteRequest};
use shared::select::{Answers, Recommendation};
use shared::{ApiError, ErrorBody};

/// Why a call failed: the network (offline, server down) or an answer from the API.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    Network(String),
    Api(ApiError),
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
            Self::Api(e) => e.message.clone(),
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

async fn decode<T: DeserializeOwned>(sent: Result<Response, gloo_net::Error>) -> Result<T, Error> {
    let response = sent.map_err(|e| Error::Network(e.to_string()))?;
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|e| Error::Network(e.to_string()));
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

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, Error> {
    decode(Request::get(url).send().await).await
}

async fn post<B: serde::Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, Error> {
    let request = Request::post(url)
        .json(body)
        .map_err(|e| Error::Network(e.to_string()))?;
    decode(request.send().await).await
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

/// `GET /dealers/{dealer}/compare?trims=a,b`: the grouped comparison.
pub async fn compare(dealer: &str, trims: &[String]) -> Result<Comparison, Error> {
    let url = format!(
        "{}/compare{}",
        base(dealer),
        query_string(&[("trims", trims.join(","))])
    );
    get(&url).await
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
