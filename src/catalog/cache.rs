//! The cached catalog that `akspol catalog update` writes and `check` reads.
//!
//! Two files in the cache directory: `catalog.json` (the catalog file format,
//! usable with `--catalog` too) and `catalog.meta.json` (the validators of
//! each source's last answer, for a conditional request). The update command
//! writes both together (both land or neither does); a failed update never
//! touches them. Both are read without waiting and only as regular files: a
//! FIFO planted under either name is refused at once, never waited on.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Catalog, CatalogSource};
use crate::base::product::Product;
use crate::input::{self, InputError};

pub const CATALOG_FILE: &str = "catalog.json";
pub const META_FILE: &str = "catalog.meta.json";
/// The environment variable naming the cache directory.
pub const CACHE_DIR_ENV: &str = "AKSPOL_CACHE_DIR";

/// `--cache-dir`, else `AKSPOL_CACHE_DIR`, else the user cache directory + `akspol/`.
pub fn cache_dir(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = flag {
        return Some(dir.to_path_buf());
    }
    match std::env::var_os(CACHE_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::cache_dir().map(|d| d.join("akspol")),
    }
}

/// What the last successful update learned from its sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CacheMeta {
    /// The AksHci line's GitHub releases (the first page's answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github: Option<SourceMeta>,
    /// Azure Local's update manifest, when fetched from a URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_local: Option<SourceMeta>,
    /// The `generated` day of the embedded catalog the sources were merged
    /// over: a newer akspol merges again instead of trusting a 304.
    pub embedded_generated: String,
    pub updated: String,
    /// [`digest`] of the `catalog.json` written with this metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_digest: Option<String>,
}

/// One source's last answer: where it came from, its validators, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceMeta {
    pub url: String,
    /// Sent back as `If-None-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// Sent back as `If-Modified-Since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// The day of the update that got this answer.
    pub updated: String,
}

/// Reads a file of the cache, or one a user names for the update, up to
/// `max` bytes: opened without waiting (an open of a FIFO waits for a writer
/// for ever) and read only if it is a regular file.
pub fn read_regular(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    let file = open_without_waiting(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::other("it is a directory"));
    }
    if !meta.is_file() {
        return Err(std::io::Error::other(
            "it is not a regular file (a FIFO, a device or a socket): not read",
        ));
    }
    if meta.len() > max {
        return Err(std::io::Error::other(format!(
            "it is larger than {max} bytes"
        )));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(std::io::Error::other(format!(
            "it is larger than {max} bytes"
        )));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    use rustix::fs::{Mode, OFlags};
    // O_NONBLOCK changes nothing for a regular file; on a FIFO it keeps
    // open() from waiting for a writer.
    rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map(std::fs::File::from)
    .map_err(std::io::Error::from)
}

#[cfg(not(unix))]
fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// The cached catalog, if there is one. A file that exists but does not read
/// or validate is an error (the caller warns and falls back).
pub fn load(dir: &Path) -> Result<Option<Catalog>, InputError> {
    let path = dir.join(CATALOG_FILE);
    let origin = path.display().to_string();
    // Absent is no cache; anything there but a regular file is a broken one
    // (once silently ignored: a directory, a device, a dangling link).
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(InputError::Read { origin, source }),
        Ok(_) => {}
    }
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_file() => {}
        Ok(meta) => {
            let what = if meta.is_dir() {
                "a directory"
            } else {
                "not a regular file"
            };
            return Err(InputError::file(
                &origin,
                format!("{what}, not a catalog file"),
            ));
        }
        Err(_) => {
            let target = std::fs::read_link(&path)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            return Err(InputError::file(
                &origin,
                format!("a symbolic link to {target}, which does not exist"),
            ));
        }
    }
    let limit = super::validate::file_limit();
    let bytes = read_regular(&path, limit.bytes).map_err(|e| {
        let message = if e.to_string().starts_with("it is larger than") {
            format!(
                "larger than the {}-byte limit for a catalog file (a fixed limit)",
                limit.bytes
            )
        } else {
            e.to_string()
        };
        InputError::file(&origin, message)
    })?;
    let text = input::decode(&origin, bytes)?;
    Catalog::from_text(&origin, &text, CatalogSource::Cache(origin.clone())).map(Some)
}

/// The bytes `catalog.meta.json` may have: a URL, an ETag and two dates.
pub const MAX_META_BYTES: u64 = 64 * 1024;

/// The metadata of the last update; `None` when absent, unreadable, larger
/// than [`MAX_META_BYTES`] (a sparse 3 GB file was read whole), or not about
/// the `catalog.json` beside it (see [`CacheMeta::catalog_digest`]).
pub fn load_meta(dir: &Path) -> Option<CacheMeta> {
    let bytes = read_regular(&dir.join(META_FILE), MAX_META_BYTES).ok()?;
    let meta: CacheMeta = serde_json::from_slice(&bytes).ok()?;
    let catalog =
        read_regular(&dir.join(CATALOG_FILE), super::validate::file_limit().bytes).ok()?;
    (meta.catalog_digest.as_deref() == Some(digest(&catalog).as_str())).then_some(meta)
}

/// A digest of `catalog.json`'s bytes (FNV-1a, 64 bits, hex): the metadata
/// names the catalog it was written with, so an ETag is never trusted for
/// another catalog (two updates at once, a catalog edited by hand).
pub fn digest(bytes: &[u8]) -> String {
    crate::base::fnv1a_hex(bytes.iter().copied())
}

/// The bytes of the cached `catalog.json`: the catalog file format, pretty.
pub fn encode_catalog(catalog: &Catalog) -> Vec<u8> {
    encode(&catalog.to_file())
}

/// The bytes of `catalog.meta.json`.
pub fn encode_meta(meta: &CacheMeta) -> Vec<u8> {
    encode(meta)
}

fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Serializing plain data into memory cannot fail.
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Chooses between the embedded and the cached catalog: the cached one when
/// it is valid and generated no earlier than the embedded one. A corrupt cache
/// is reported through `warn` and ignored.
pub fn prefer_cached(
    embedded: Catalog,
    dir: Option<&Path>,
    warn: &mut dyn FnMut(String),
) -> Catalog {
    let Some(dir) = dir else {
        return embedded;
    };
    match load(dir) {
        Ok(Some(cached)) if cached.generated >= embedded.generated => {
            with_azure_local(cached, &embedded)
        }
        Ok(_) => embedded,
        Err(error) => {
            warn(format!(
                "ignoring the cached catalog, which is not valid ({error}); using the embedded catalog; run `akspol catalog update` to replace it"
            ));
            embedded
        }
    }
}

/// A cache written by an akspol that knew no Azure Local releases keeps the
/// embedded ones: nothing such a cache leaves out removes embedded facts.
/// Node OS lifecycles are always the embedded ones.
fn with_azure_local(mut cached: Catalog, embedded: &Catalog) -> Catalog {
    if cached.local_releases.is_empty() {
        cached.local_releases = embedded.local_releases.clone();
        cached
            .known_through
            .retain(|k| k.product != Product::AksArc);
        cached
            .known_through
            .extend(embedded.known_through(Product::AksArc).cloned());
        cached.known_through.sort_by_key(|k| k.product);
    }
    // `catalog update` fetches no node OS facts: a cache's are a copy of
    // the embedded ones of the akspol that wrote it, as new or older.
    cached.node_os = embedded.node_os.clone();
    for platform in &embedded.platforms {
        if cached.platform(platform.os, &platform.version).is_none() {
            cached.platforms.push(platform.clone());
        }
    }
    cached
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &Path, catalog: &Catalog, meta: &CacheMeta) -> PathBuf {
        let path = dir.join(CATALOG_FILE);
        let bytes = encode_catalog(catalog);
        let meta = CacheMeta {
            catalog_digest: Some(digest(&bytes)),
            ..meta.clone()
        };
        std::fs::write(&path, bytes).unwrap();
        std::fs::write(dir.join(META_FILE), encode_meta(&meta)).unwrap();
        path
    }

    #[test]
    fn corrupt_or_older_caches_fall_back_to_embedded() {
        let dir = tempfile::tempdir().unwrap();
        let embedded = Catalog::embedded().unwrap();
        let mut warnings = Vec::new();
        let mut warn = |w: String| warnings.push(w);

        // No cache.
        let chosen = prefer_cached(embedded.clone(), Some(dir.path()), &mut warn);
        assert_eq!(chosen.source, CatalogSource::Embedded);

        // Corrupt cache.
        std::fs::write(dir.path().join(CATALOG_FILE), "{ not json").unwrap();
        let chosen = prefer_cached(embedded.clone(), Some(dir.path()), &mut warn);
        assert_eq!(chosen.source, CatalogSource::Embedded);

        // An older cache.
        let mut older = embedded.clone();
        older.generated = crate::base::dates::add_days(embedded.generated, -1);
        let meta = CacheMeta {
            github: Some(SourceMeta {
                url: "http://x".into(),
                etag: None,
                last_modified: None,
                updated: older.generated.to_string(),
            }),
            azure_local: None,
            embedded_generated: embedded.generated.to_string(),
            updated: older.generated.to_string(),
            catalog_digest: None,
        };
        store(dir.path(), &older, &meta);
        let chosen = prefer_cached(embedded.clone(), Some(dir.path()), &mut warn);
        assert_eq!(chosen.source, CatalogSource::Embedded);
        assert_eq!(
            load_meta(dir.path()).and_then(|m| m.github).map(|g| g.url),
            Some("http://x".to_string())
        );

        // A newer one.
        let mut newer = embedded.clone();
        newer.generated = crate::base::dates::add_days(embedded.generated, 1);
        let path = store(dir.path(), &newer, &meta);
        let chosen = prefer_cached(embedded.clone(), Some(dir.path()), &mut warn);
        assert_eq!(
            chosen.source,
            CatalogSource::Cache(path.display().to_string())
        );
        assert_eq!(chosen.generated, newer.generated);

        // A newer cache without the Azure Local line (an older akspol's) keeps the embedded one.
        let mut old_format = newer.clone();
        old_format.local_releases.clear();
        // An older akspol's node OS lines, fewer than today's.
        old_format.node_os.truncate(1);
        old_format
            .platforms
            .retain(|p| p.os != crate::inventory::HostOs::AzureLocal);
        old_format
            .known_through
            .retain(|k| k.product != Product::AksArc);
        store(dir.path(), &old_format, &meta);
        let chosen = prefer_cached(embedded.clone(), Some(dir.path()), &mut warn);
        assert_eq!(chosen.local_releases, embedded.local_releases);
        assert_eq!(chosen.node_os, embedded.node_os);
        assert_eq!(
            chosen.known_through(Product::AksArc),
            embedded.known_through(Product::AksArc)
        );
        assert!(chosen
            .platform(crate::inventory::HostOs::AzureLocal, "24H2")
            .is_some());

        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("catalog.json"), "{warnings:?}");
    }

    /// Issue 12, item 5: metadata written with one catalog is not trusted for
    /// another (two updates at once, an edited cache).
    #[test]
    fn metadata_names_its_catalog() {
        let dir = tempfile::tempdir().unwrap();
        let embedded = Catalog::embedded().unwrap();
        let meta = CacheMeta {
            github: Some(SourceMeta {
                url: "http://x".into(),
                etag: Some("\"e\"".into()),
                last_modified: None,
                updated: embedded.generated.to_string(),
            }),
            azure_local: None,
            embedded_generated: embedded.generated.to_string(),
            updated: embedded.generated.to_string(),
            catalog_digest: None,
        };
        store(dir.path(), &embedded, &meta);
        assert!(load_meta(dir.path()).is_some());
        let mut other = embedded.clone();
        other.about = Some("written by another update".into());
        std::fs::write(dir.path().join(CATALOG_FILE), encode_catalog(&other)).unwrap();
        assert_eq!(load_meta(dir.path()), None);
        // A huge metadata file is not read.
        let big = format!("{{\"url\": \"{}\"}}", "x".repeat(MAX_META_BYTES as usize));
        std::fs::write(dir.path().join(META_FILE), big).unwrap();
        assert_eq!(load_meta(dir.path()), None);
    }

    /// Issue 12, item 16: a `catalog.json` that is a directory, a device or
    /// a dangling link was silently ignored.
    #[cfg(unix)]
    #[test]
    fn a_cache_that_is_not_a_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CATALOG_FILE);
        std::fs::create_dir(&path).unwrap();
        let error = load(dir.path()).unwrap_err().to_string();
        assert!(
            error.ends_with("catalog.json: a directory, not a catalog file"),
            "{error}"
        );
        std::fs::remove_dir(&path).unwrap();
        std::os::unix::fs::symlink("/dev/null", &path).unwrap();
        let error = load(dir.path()).unwrap_err().to_string();
        assert!(error.contains("not a regular file"), "{error}");
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink("gone.json", &path).unwrap();
        let error = load(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("a symbolic link to gone.json, which does not exist"),
            "{error}"
        );
    }

    /// Issue 22, item 6: a FIFO under a cache name was opened for reading,
    /// which waits for a writer for ever. Now it is refused at once.
    #[cfg(unix)]
    #[test]
    fn a_fifo_in_the_cache_is_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let embedded = Catalog::embedded().unwrap();
        std::fs::write(dir.path().join(CATALOG_FILE), encode_catalog(&embedded)).unwrap();
        for name in [CATALOG_FILE, META_FILE] {
            let path = dir.path().join(name);
            let _ = std::fs::remove_file(&path);
            let made = std::process::Command::new("mkfifo").arg(&path).status();
            if !made.is_ok_and(|s| s.success()) {
                return; // no mkfifo on this system
            }
            let (done, finished) = std::sync::mpsc::channel();
            let cache = dir.path().to_path_buf();
            std::thread::spawn(move || {
                let loaded = load(&cache).map(|c| c.is_some()).map_err(|e| e.to_string());
                let _ = done.send((loaded, load_meta(&cache)));
            });
            let (loaded, meta) = finished
                .recv_timeout(std::time::Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("reading the cache waited on the FIFO {name}"));
            assert_eq!(meta, None);
            if name == CATALOG_FILE {
                let error = loaded.unwrap_err();
                assert!(error.contains("not a regular file"), "{error}");
            }
            std::fs::remove_file(&path).unwrap();
            std::fs::write(dir.path().join(CATALOG_FILE), encode_catalog(&embedded)).unwrap();
        }
        let error = read_regular(dir.path(), 10).unwrap_err().to_string();
        assert_eq!(error, "it is a directory");
        let error = read_regular(&dir.path().join(CATALOG_FILE), 10)
            .unwrap_err()
            .to_string();
        assert_eq!(error, "it is larger than 10 bytes");
    }
}
