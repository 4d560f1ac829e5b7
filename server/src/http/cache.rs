//! The in-process cache of ready answers: the catalogue's JSON (dealer home, series list,
//! series detail, comparison) and the page shells, each kept as its bytes with brotli and gzip
//! copies made once and a strong `ETag`, under the dealer's catalogue version. The versions
//! (`catalogue_versions`, bumped in the same transaction as every catalogue write) are read
//! with one small query every `POLL` by each instance, and at once by the instance that wrote:
//! a change made through any instance is served by every instance within `POLL` plus a query.
//! Beside the answers, each dealer's series summaries are kept the same way, for the searches.

use std::collections::HashMap;
use std::future::Future;
use std::io::Write as _;
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use shared::catalog::SeriesSummary;

use super::Error;
use crate::db::Db;

/// How often each instance reads the versions: a change made elsewhere is served within this
/// and one query.
pub const POLL: Duration = Duration::from_millis(250);

/// Memory the ready answers may take, counting all three copies of each.
const CAPACITY_BYTES: u64 = 64 * 1024 * 1024;

/// The dealers whose series summaries are kept at once.
const SUMMARY_LISTS: u64 = 1_000;

/// An answer nobody asked for in this long is dropped; a stale version's answers go with it.
const IDLE: Duration = Duration::from_secs(10 * 60);

/// Brotli's best: each answer is compressed once per catalogue version.
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW: u32 = 22;

/// What an answer is, within its dealer and version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Answer {
    /// `GET /api/v1/dealers/{dealer}`.
    Home,
    /// `GET .../series?{query}`: the raw query, already checked.
    Series(String),
    /// `GET .../series/{series}`.
    Detail(String),
    /// `GET .../compare?trims=...`: the ids in the order asked.
    Compare(Vec<String>),
    /// `GET .../offers?{query}`: the raw query, already checked.
    Offers(String),
    /// A page shell: its path and query, and the origin its share image is on.
    Shell { path: String, origin: String },
}

/// An answer is kept per catalogue version and per day in Beijing: dated prices and offers
/// begin and end with the day, and a comparison's legend names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    dealer: String,
    version: i64,
    day: shared::date::Date,
    answer: Answer,
}

/// A body ready to send in any of the encodings clients ask for.
#[derive(Debug)]
pub struct Ready {
    status: StatusCode,
    content_type: &'static str,
    /// JSON is `no-cache` with an `ETag` (a repeat visit revalidates and gets 304); shells are
    /// `no-store`, as every shell is.
    revalidate: bool,
    identity: Bytes,
    brotli: Bytes,
    gzip: Bytes,
    /// The identity body's digest; each encoding's `ETag` adds its own suffix.
    digest: String,
}

/// The content codings we hold, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Ready {
    /// A JSON answer (200), compressed off the async workers.
    pub async fn json(value: &impl serde::Serialize) -> Result<Self, Error> {
        let body = serde_json::to_vec(value).map_err(|e| Error::Internal(e.into()))?;
        Self::new(StatusCode::OK, "application/json", true, body).await
    }

    /// A page shell with its status.
    pub async fn html(status: StatusCode, body: String) -> Result<Self, Error> {
        Self::new(status, "text/html; charset=utf-8", false, body.into_bytes()).await
    }

    async fn new(
        status: StatusCode,
        content_type: &'static str,
        revalidate: bool,
        body: Vec<u8>,
    ) -> Result<Self, Error> {
        tokio::task::spawn_blocking(move || {
            let mut brotli = Vec::new();
            {
                let mut writer =
                    brotli::CompressorWriter::new(&mut brotli, 4096, BROTLI_QUALITY, BROTLI_WINDOW);
                writer.write_all(&body)?;
            }
            let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gzip.write_all(&body)?;
            let gzip = gzip.finish()?;
            let digest = Sha256::digest(&body);
            let digest: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
            Ok::<_, std::io::Error>(Self {
                status,
                content_type,
                revalidate,
                identity: body.into(),
                brotli: brotli.into(),
                gzip: gzip.into(),
                digest,
            })
        })
        .await
        .map_err(|e| Error::Internal(e.into()))?
        .map_err(|e| Error::Internal(e.into()))
    }

    fn size(&self) -> u64 {
        (self.identity.len() + self.brotli.len() + self.gzip.len() + 256) as u64
    }

    /// The strong validator of one encoding: a different coding is a different representation.
    fn etag(&self, coding: Coding) -> HeaderValue {
        let suffix = match coding {
            Coding::Brotli => "-br",
            Coding::Gzip => "-gz",
            Coding::Identity => "",
        };
        HeaderValue::from_str(&format!("\"{}{suffix}\"", self.digest))
            .unwrap_or_else(|_| HeaderValue::from_static("\"\""))
    }

    /// The answer to a request with these headers: the encoding it accepts best, or 304 when
    /// its `If-None-Match` names what it would get.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let coding = choose(request);
        let (body, encoding) = match coding {
            Coding::Brotli => (&self.brotli, Some("br")),
            Coding::Gzip => (&self.gzip, Some("gzip")),
            Coding::Identity => (&self.identity, None),
        };
        let mut headers = HeaderMap::new();
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if self.revalidate {
            let etag = self.etag(coding);
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            let fresh = request
                .get_all(header::IF_NONE_MATCH)
                .iter()
                .any(|v| names(v, &etag));
            headers.insert(header::ETAG, etag);
            if fresh && self.status == StatusCode::OK {
                return (StatusCode::NOT_MODIFIED, headers).into_response();
            }
        } else {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        if let Some(encoding) = encoding {
            // The compression layer leaves a body that already has an encoding as it is.
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        (self.status, headers, body.clone()).into_response()
    }
}

/// Whether an `If-None-Match` value names `etag` (weak comparison, as RFC 9110 asks).
fn names(value: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(value) = value.to_str() else {
        return false;
    };
    let ours = etag.as_bytes();
    value
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag).as_bytes() == ours)
}

/// The coding the request accepts with the highest weight; brotli before gzip on a tie, and
/// identity unless it is refused.
fn choose(request: &HeaderMap) -> Coding {
    let mut best = (0.0_f32, Coding::Identity);
    let mut identity_refused = false;
    for value in request.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let coding = match name.as_str() {
                "br" => Coding::Brotli,
                "gzip" | "x-gzip" => Coding::Gzip,
                "identity" => {
                    identity_refused = q <= 0.0;
                    continue;
                }
                _ => continue,
            };
            let better = q > best.0 || (q == best.0 && q > 0.0 && rank(coding) < rank(best.1));
            if q > 0.0 && better {
                best = (q, coding);
            }
        }
    }
    if best.1 == Coding::Identity && identity_refused {
        return Coding::Gzip;
    }
    best.1
}

fn rank(coding: Coding) -> u8 {
    match coding {
        Coding::Brotli => 0,
        Coding::Gzip => 1,
        Coding::Identity => 2,
    }
}

#[derive(Debug)]
struct Inner {
    db: Db,
    /// Dealer slug → its catalogue version, as last read.
    versions: RwLock<Arc<HashMap<String, i64>>>,
    ready: moka::future::Cache<Key, Arc<Ready>>,
    /// A dealer's series on sale, as the catalogue lists them (`Answer::Home` stands for all).
    summaries: moka::future::Cache<Key, Arc<Vec<SeriesSummary>>>,
}

/// The ready answers of this instance and the versions they were made under; cloned into
/// every handler, polling while any clone lives.
#[derive(Clone, Debug)]
pub struct Catalogue(Arc<Inner>);

impl Catalogue {
    /// Reads the versions once and starts polling them every `POLL`.
    pub async fn start(db: Db) -> sqlx::Result<Self> {
        let versions = read_versions(&db).await?;
        let catalogue = Self(Arc::new(Inner {
            db,
            versions: RwLock::new(Arc::new(versions)),
            ready: moka::future::Cache::builder()
                .max_capacity(CAPACITY_BYTES)
                .weigher(|_, ready: &Arc<Ready>| u32::try_from(ready.size()).unwrap_or(u32::MAX))
                .time_to_idle(IDLE)
                .build(),
            summaries: moka::future::Cache::builder()
                .max_capacity(SUMMARY_LISTS)
                .time_to_idle(IDLE)
                .build(),
        }));
        tokio::spawn(poll(Arc::downgrade(&catalogue.0)));
        Ok(catalogue)
    }

    /// Reads the versions now: the instance that wrote calls it after its commit, so its next
    /// answer is the new one.
    pub async fn refresh(&self) -> sqlx::Result<()> {
        let versions = read_versions(&self.0.db).await?;
        let mut current = self.0.versions.write().unwrap_or_else(|e| e.into_inner());
        if **current != versions {
            *current = Arc::new(versions);
        }
        Ok(())
    }

    fn version(&self, dealer: &str) -> Option<i64> {
        let versions = self.0.versions.read().unwrap_or_else(|e| e.into_inner());
        versions.get(dealer).copied()
    }

    /// The ready answer for `dealer`'s `answer`, built by `build` when this version has none
    /// yet (once, however many requests wait for it), as a response to `request`. A dealer
    /// the versions do not know yet (or at all) is answered by `build` without keeping it.
    pub async fn serve<F>(
        &self,
        dealer: &str,
        answer: Answer,
        request: &HeaderMap,
        build: F,
    ) -> Response
    where
        F: Future<Output = Result<Ready, Error>> + Send,
    {
        let Some(version) = self.version(dealer) else {
            return match build.await {
                Ok(ready) => ready.respond(request),
                Err(e) => e.into_response(),
            };
        };
        let key = Key {
            dealer: dealer.to_string(),
            version,
            day: crate::clock::Clock::now().today(),
            answer,
        };
        match self
            .0
            .ready
            .try_get_with(key, async move { build.await.map(Arc::new) })
            .await
        {
            Ok(ready) => ready.respond(request),
            // The builder's own error when it was alone; waiters share it by reference.
            Err(e) => match Arc::try_unwrap(e) {
                Ok(e) => e.into_response(),
                Err(e) => (e.status(), axum::Json(e.body())).into_response(),
            },
        }
    }
}

impl Catalogue {
    /// The series `dealer` sells today, as its catalogue lists them, read by `build` once per
    /// version and day.
    pub async fn summaries<F>(
        &self,
        dealer: &str,
        build: F,
    ) -> Result<Arc<Vec<SeriesSummary>>, Error>
    where
        F: Future<Output = Result<Vec<SeriesSummary>, Error>> + Send,
    {
        let Some(version) = self.version(dealer) else {
            return build.await.map(Arc::new);
        };
        let key = Key {
            dealer: dealer.to_string(),
            version,
            day: crate::clock::Clock::now().today(),
            answer: Answer::Home,
        };
        self.0
            .summaries
            .try_get_with(key, async move { build.await.map(Arc::new) })
            .await
            .map_err(|e| match Arc::try_unwrap(e) {
                Ok(e) => e,
                Err(e) => Error::Internal(anyhow::anyhow!("{e}")),
            })
    }
}

async fn poll(catalogue: Weak<Inner>) {
    let mut tick = tokio::time::interval(POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tick.tick().await;
        let Some(inner) = catalogue.upgrade() else {
            return;
        };
        if let Err(e) = Catalogue(inner).refresh().await {
            tracing::warn!(error = %e, "cannot read the catalogue versions");
        }
    }
}

/// Every dealer's slug and catalogue version, in one small query.
async fn read_versions(db: &Db) -> sqlx::Result<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT d.slug, COALESCE(v.version, 0) FROM dealers d \
         LEFT JOIN catalogue_versions v ON v.dealer_id = d.id",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, value.parse().unwrap());
        headers
    }

    #[test]
    fn the_best_accepted_coding_is_chosen() {
        for (accept, coding) in [
            ("br, gzip", Coding::Brotli),
            ("gzip, deflate, br, zstd", Coding::Brotli),
            ("gzip", Coding::Gzip),
            ("gzip;q=1, br;q=0.5", Coding::Gzip),
            ("br;q=0, gzip", Coding::Gzip),
            ("deflate", Coding::Identity),
            ("*;q=0, identity;q=0, gzip;q=0.1", Coding::Gzip),
            ("", Coding::Identity),
        ] {
            assert_eq!(choose(&accepting(accept)), coding, "{accept}");
        }
        assert_eq!(choose(&HeaderMap::new()), Coding::Identity);
    }

    #[test]
    fn if_none_match_names_an_etag_strongly_or_weakly_or_by_star() {
        let etag = HeaderValue::from_static("\"abc-br\"");
        for (value, hit) in [
            ("\"abc-br\"", true),
            ("W/\"abc-br\"", true),
            ("\"x\", \"abc-br\"", true),
            ("*", true),
            ("\"abc\"", false),
            ("\"abc-gz\"", false),
        ] {
            assert_eq!(
                names(&HeaderValue::from_static(value), &etag),
                hit,
                "{value}"
            );
        }
    }

    #[tokio::test]
    async fn a_ready_body_answers_each_encoding_and_304_for_its_own_etag() {
        let ready = Ready::json(&serde_json::json!({"name": "秦PLUS".repeat(100)}))
            .await
            .unwrap();
        let brotli = ready.respond(&accepting("gzip, br"));
        assert_eq!(brotli.status(), StatusCode::OK);
        assert_eq!(brotli.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(brotli.headers()[header::CACHE_CONTROL], "no-cache");
        let etag = brotli.headers()[header::ETAG].clone();
        assert!(etag.to_str().unwrap().ends_with("-br\""));
        let mut again = accepting("gzip, br");
        again.insert(header::IF_NONE_MATCH, etag.clone());
        assert_eq!(ready.respond(&again).status(), StatusCode::NOT_MODIFIED);
        // The same tag from a client that now takes only gzip names another representation.
        let mut gzip_only = accepting("gzip");
        gzip_only.insert(header::IF_NONE_MATCH, etag);
        let gzip = ready.respond(&gzip_only);
        assert_eq!(gzip.status(), StatusCode::OK);
        assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
        let mut decoded = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(&ready.gzip[..]),
            &mut decoded,
        )
        .unwrap();
        assert_eq!(decoded.as_bytes(), &ready.identity[..]);
        let mut unbrotli = Vec::new();
        brotli::BrotliDecompress(&mut &ready.brotli[..], &mut unbrotli).unwrap();
        assert_eq!(unbrotli, ready.identity);
        assert!(ready.brotli.len() < ready.identity.len() / 5);
        let plain = ready.respond(&HeaderMap::new());
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    }
}
