//! Where photos' files live, behind one interface over the `object_store` crate: a local
//! directory (the embedded default, beside the SQLite database or `CHELINK_MEDIA_DIR`) or an
//! S3-compatible bucket (`CHELINK_S3_*`: AWS, MinIO, Aliyun OSS, Tencent COS ...), which every
//! instance behind a load balancer shares. Files are named by their content hash, so a name is
//! written once and never changes: writing it again writes the same bytes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use axum::body::Bytes;
use futures_util::StreamExt;
use object_store::path::Path as Key;
use object_store::ObjectStore;

/// Where the store keeps files, as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaConfig {
    /// A local directory (created when missing).
    Local(PathBuf),
    /// An S3-compatible bucket.
    S3(S3Config),
}

/// An S3-compatible bucket: `CHELINK_S3_BUCKET`, `CHELINK_S3_ENDPOINT` (unset: AWS itself),
/// `CHELINK_S3_REGION` (`us-east-1`), `CHELINK_S3_ACCESS_KEY_ID` and
/// `CHELINK_S3_SECRET_ACCESS_KEY`.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Config {
    pub bucket: String,
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl std::fmt::Debug for S3Config {
    // The secret stays out of logs and test output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

impl MediaConfig {
    /// From the environment (`lookup` gives set, non-blank values): a bucket when
    /// `CHELINK_S3_BUCKET` is set, else `CHELINK_MEDIA_DIR`, else a `media` directory beside
    /// the SQLite database of `database_url` (`chelink.db` → `chelink-media/`; PostgreSQL:
    /// `media/` in the working directory).
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        database_url: &str,
    ) -> anyhow::Result<Self> {
        if let Some(bucket) = lookup("CHELINK_S3_BUCKET") {
            let endpoint = lookup("CHELINK_S3_ENDPOINT");
            if let Some(endpoint) = &endpoint {
                anyhow::ensure!(
                    endpoint.starts_with("http://") || endpoint.starts_with("https://"),
                    "CHELINK_S3_ENDPOINT must be an http(s) URL, got {endpoint:?}"
                );
            }
            let access_key_id = lookup("CHELINK_S3_ACCESS_KEY_ID");
            let secret_access_key = lookup("CHELINK_S3_SECRET_ACCESS_KEY");
            anyhow::ensure!(
                access_key_id.is_some() == secret_access_key.is_some(),
                "CHELINK_S3_ACCESS_KEY_ID and CHELINK_S3_SECRET_ACCESS_KEY go together"
            );
            return Ok(Self::S3(S3Config {
                bucket: bucket.trim().to_string(),
                endpoint: endpoint.map(|e| e.trim().trim_end_matches('/').to_string()),
                region: lookup("CHELINK_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
                access_key_id,
                secret_access_key,
            }));
        }
        if let Some(dir) = lookup("CHELINK_MEDIA_DIR") {
            return Ok(Self::Local(PathBuf::from(dir)));
        }
        Ok(Self::Local(beside_database(database_url)))
    }
}

/// `sqlite://data/chelink.db?mode=rwc` → `data/chelink-media`; anything else → `media`.
fn beside_database(database_url: &str) -> PathBuf {
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|file| !file.is_empty() && !file.contains(":memory:"));
    match file {
        Some(file) => {
            let path = Path::new(file);
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "chelink".into());
            path.with_file_name(format!("{stem}-media"))
        }
        None => PathBuf::from("media"),
    }
}

/// The store: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct MediaStore {
    store: Arc<dyn ObjectStore>,
    /// What it is, for the start-up log (`directory /var/lib/chelink-media`).
    describe: String,
}

impl std::fmt::Debug for MediaStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe)
    }
}

/// Files sit under this prefix, so a bucket shared with other things stays tidy.
const PREFIX: &str = "photos";

impl MediaStore {
    /// Opens the configured store (a local directory is created when missing).
    pub fn open(config: &MediaConfig) -> anyhow::Result<Self> {
        match config {
            MediaConfig::Local(dir) => Self::local(dir),
            MediaConfig::S3(s3) => {
                let mut builder = object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region);
                if let (Some(id), Some(secret)) = (&s3.access_key_id, &s3.secret_access_key) {
                    builder = builder
                        .with_access_key_id(id)
                        .with_secret_access_key(secret);
                }
                if let Some(endpoint) = &s3.endpoint {
                    // MinIO, OSS, COS and test servers: the bucket in the path, plain HTTP
                    // allowed when the endpoint says so.
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"))
                        .with_virtual_hosted_style_request(false);
                }
                let store = builder.build().context("configuring the S3 media store")?;
                Ok(Self {
                    store: Arc::new(store),
                    describe: format!(
                        "bucket {} at {}",
                        s3.bucket,
                        s3.endpoint.as_deref().unwrap_or("AWS S3")
                    ),
                })
            }
        }
    }

    /// A local directory, created when missing.
    pub fn local(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the media directory {}", dir.display()))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .with_context(|| format!("opening the media directory {}", dir.display()))?;
        Ok(Self {
            store: Arc::new(store),
            describe: format!("directory {}", dir.display()),
        })
    }

    /// A store in memory, gone when the process ends: the state's placeholder until the
    /// configured store is set (`AppState::with_media`).
    pub fn memory() -> Self {
        Self {
            store: Arc::new(object_store::memory::InMemory::new()),
            describe: "memory (not kept)".into(),
        }
    }

    /// Writes a file (atomically on a local disk, one PUT on S3).
    pub async fn put(&self, name: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.store
            .put(&key(name), bytes.into())
            .await
            .with_context(|| format!("writing {name} to the media store ({self:?})"))?;
        Ok(())
    }

    /// A file's bytes, or `None` when there is no such file.
    pub async fn get(&self, name: &str) -> anyhow::Result<Option<Bytes>> {
        match self.store.get(&key(name)).await {
            Ok(found) => Ok(Some(found.bytes().await.with_context(|| {
                format!("reading {name} from the media store ({self:?})")
            })?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(anyhow::Error::new(e).context(format!("reading {name} from ({self:?})"))),
        }
    }

    /// The names of every file held, sorted (tests count them; an operator's audit).
    pub async fn names(&self) -> anyhow::Result<Vec<String>> {
        Ok(self
            .listed()
            .await?
            .into_iter()
            .map(|(name, _)| name)
            .collect())
    }

    /// Every file held with when it was written (Unix ms), sorted by name.
    pub async fn listed(&self) -> anyhow::Result<Vec<(String, i64)>> {
        let prefix = Key::from(PREFIX);
        let mut listing = self.store.list(Some(&prefix));
        let mut files = Vec::new();
        while let Some(meta) = listing.next().await {
            let meta = meta.with_context(|| format!("listing the media store ({self:?})"))?;
            if let Some(name) = meta.location.filename() {
                files.push((name.to_string(), meta.last_modified.timestamp_millis()));
            }
        }
        files.sort();
        Ok(files)
    }

    /// Deletes a file; one already gone is no error (another instance collected it).
    pub async fn delete(&self, name: &str) -> anyhow::Result<()> {
        match self.store.delete(&key(name)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => {
                Err(anyhow::Error::new(e).context(format!("deleting {name} from ({self:?})")))
            }
        }
    }
}

fn key(name: &str) -> Key {
    Key::from(format!("{PREFIX}/{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)], database: &str) -> anyhow::Result<MediaConfig> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        MediaConfig::from_lookup(
            |key| vars.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()),
            database,
        )
    }

    #[test]
    fn photos_live_beside_the_database_unless_told_otherwise() {
        let local = |vars: &[(&str, &str)], db: &str| match config(vars, db).unwrap() {
            MediaConfig::Local(dir) => dir,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            local(&[], "sqlite://chelink.db?mode=rwc"),
            PathBuf::from("chelink-media")
        );
        assert_eq!(
            local(&[], "sqlite:///var/lib/chelink/main.db"),
            PathBuf::from("/var/lib/chelink/main-media")
        );
        assert_eq!(local(&[], "postgres://u@h/db"), PathBuf::from("media"));
        assert_eq!(
            local(&[("CHELINK_MEDIA_DIR", "/srv/photos")], "sqlite://x.db"),
            PathBuf::from("/srv/photos")
        );
        let MediaConfig::S3(s3) = config(
            &[
                ("CHELINK_S3_BUCKET", "cars"),
                ("CHELINK_S3_ENDPOINT", "http://127.0.0.1:9000/"),
                ("CHELINK_S3_ACCESS_KEY_ID", "id"),
                ("CHELINK_S3_SECRET_ACCESS_KEY", "secret"),
            ],
            "postgres://u@h/db",
        )
        .unwrap() else {
            panic!("a bucket")
        };
        assert_eq!(s3.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(s3.region, "us-east-1");
        assert!(!format!("{s3:?}").contains("secret"));
        assert!(config(
            &[
                ("CHELINK_S3_BUCKET", "b"),
                ("CHELINK_S3_ENDPOINT", "minio:9000")
            ],
            ""
        )
        .is_err());
        assert!(config(
            &[
                ("CHELINK_S3_BUCKET", "b"),
                ("CHELINK_S3_ACCESS_KEY_ID", "id")
            ],
            ""
        )
        .is_err());
    }

    #[tokio::test]
    async fn a_local_directory_keeps_what_is_put_and_says_what_is_missing() {
        let dir = std::env::temp_dir().join(format!("chelink-media-unit-{}", std::process::id()));
        let store = MediaStore::local(&dir).unwrap();
        assert_eq!(store.get("nope-360.webp").await.unwrap(), None);
        store.put("ab-360.webp", b"RIFF".to_vec()).await.unwrap();
        assert_eq!(
            store.get("ab-360.webp").await.unwrap().as_deref(),
            Some(&b"RIFF"[..])
        );
        assert_eq!(store.names().await.unwrap(), vec!["ab-360.webp"]);
        assert!(dir.join("photos/ab-360.webp").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
