//! `akspol catalog show`, `catalog update` and `catalog path`. The update is
//! the only caller of the network code (`catalog::fetch`); it merges what it
//! fetched over the embedded catalog and writes the cache.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;

use super::args::{CatalogArgs, CatalogFormat, UpdateArgs};
use super::exit::{Failure, EXIT_OK};
use super::load::load_catalog;
use super::output::{print, stdout_width, write_file, write_output, TEMP_SUFFIX};
use crate::base::product::Product;
use crate::base::sanitize::clean;
use crate::catalog::cache::{self, CacheMeta};
use crate::catalog::fetch;
use crate::catalog::merge::{merge, MergeSummary};
use crate::catalog::Catalog;

pub fn show(args: &CatalogArgs, format: CatalogFormat, product: Product) -> Result<u8, Failure> {
    let catalog = load_catalog(args)?;
    print(|out| match format {
        CatalogFormat::Json => crate::base::json::write_pretty(&catalog.to_file(), out),
        CatalogFormat::Table => {
            crate::catalog::show::render(&catalog, product, stdout_width(), out)
        }
    })
}

/// `akspol catalog update`: under the cache's lock, fetch, merge over the
/// embedded catalog, validate, and write `catalog.json` then its metadata.
pub fn update(args: &UpdateArgs) -> Result<u8, Failure> {
    let today = args.as_of.unwrap_or_else(crate::base::dates::today_utc);
    let dir = cache::cache_dir(args.cache_dir.as_deref()).ok_or_else(no_cache_dir)?;
    let timeout = Duration::from_secs(args.timeout);
    // One update at a time per cache: its catalog and metadata come from the
    // same answer, and its leftovers are cleaned up under the lock.
    let _lock = lock_cache(&dir, timeout)?;
    let embedded = Catalog::embedded()?;
    let cached = cache::load(&dir);
    if let Err(error) = &cached {
        eprintln!("warning: replacing the cached catalog, which is not valid ({error})");
    }
    let meta = cache::load_meta(&dir).filter(|m| {
        matches!(cached, Ok(Some(_)))
            && m.url == args.url
            && m.embedded_generated == embedded.generated.to_string()
    });
    let token = std::env::var(fetch::TOKEN_ENV)
        .ok()
        .filter(|t| !t.trim().is_empty());
    let options = fetch::FetchOptions {
        url: &args.url,
        connect_timeout: Duration::from_secs(args.connect_timeout),
        timeout,
        max_bytes: args.max_response_bytes,
        token: token.as_deref().map(str::trim),
        if_none_match: meta.as_ref().and_then(|m| m.etag.as_deref()),
    };
    let path = dir.join(cache::CATALOG_FILE);
    let shown_url = Url::parse(&args.url)
        .map(|u| fetch::shown(&u))
        .unwrap_or_else(|_| clean(&args.url).into_owned());
    match fetch::fetch(&options).map_err(|e| Failure::Update(e.to_string()))? {
        fetch::Fetched::NotModified => write_output(None, |out| {
            writeln!(
                out,
                "the releases at {shown_url} have not changed since the last update; kept {}",
                path.display()
            )
        })?,
        fetch::Fetched::Releases { releases, .. } if releases.is_empty() => {
            // What was learned before stays: an empty list is no news.
            return Err(Failure::Update(format!(
                "catalog update failed: the releases list at {shown_url} is empty; kept {} as it was",
                path.display()
            )));
        }
        fetch::Fetched::Releases {
            releases,
            etag,
            pages,
        } => {
            let (mut merged, summary) = merge(&embedded, &releases, today);
            merged.about = Some(format!(
                "The embedded catalog of akspol {} (generated {}) merged on {today} with {} GitHub releases from {shown_url} by `akspol catalog update`. Release dates are estimates unless dateBasis is 'published'.",
                env!("CARGO_PKG_VERSION"),
                embedded.generated,
                summary.fetched
            ));
            // What is cached must read back as a valid catalog.
            let bytes = cache::encode_catalog(&merged);
            let text = String::from_utf8_lossy(&bytes);
            if let Err(error) =
                Catalog::from_text("the merged catalog", &text, merged.source.clone())
            {
                return Err(Failure::Update(format!(
                    "catalog update failed: the releases from {shown_url} do not make a valid catalog ({}); kept {} as it was",
                    error.to_string().lines().next().unwrap_or_default(),
                    path.display()
                )));
            }
            let meta = CacheMeta {
                url: args.url.clone(),
                etag,
                embedded_generated: embedded.generated.to_string(),
                updated: today.to_string(),
                catalog_digest: Some(cache::digest(&bytes)),
            };
            store(&dir, &bytes, &meta).map_err(|source| Failure::Output {
                path: path.display().to_string(),
                source,
            })?;
            write_output(None, |out| {
                report(out, &summary, pages, &shown_url, &merged, &path)
            })?;
        }
    }
    Ok(EXIT_OK)
}

/// The name of the lock file in the cache directory.
const LOCK_FILE: &str = "update.lock";

/// Creates the cache directory if needed and takes its update lock (waiting
/// up to `timeout` for another update to finish), then removes what updates
/// killed before they finished left behind: their temporary files.
fn lock_cache(dir: &Path, timeout: Duration) -> Result<std::fs::File, Failure> {
    let failed = |why: String| Failure::Update(format!("catalog update failed: {why}"));
    if dir.exists() && !dir.is_dir() {
        return Err(failed(format!(
            "the cache directory {} exists but is not a directory (choose another with --cache-dir or {})",
            clean(&dir.display().to_string()),
            cache::CACHE_DIR_ENV
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        failed(format!(
            "cannot create the cache directory {} ({e})",
            clean(&dir.display().to_string())
        ))
    })?;
    let path = dir.join(LOCK_FILE);
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| failed(format!("cannot open the lock {} ({e})", path.display())))?;
    let started = std::time::Instant::now();
    loop {
        match lock.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < timeout => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(failed(format!(
                    "another catalog update has held {} for more than --timeout {}s; try again when it has finished",
                    path.display(),
                    timeout.as_secs()
                )))
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(failed(format!("cannot lock {} ({e})", path.display())))
            }
        }
    }
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = [cache::CATALOG_FILE, cache::META_FILE]
            .iter()
            .any(|file| name.starts_with(&format!(".{file}.")));
        if ours && (name.ends_with(TEMP_SUFFIX) || name.ends_with(".tmp")) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(lock)
}

fn no_cache_dir() -> Failure {
    Failure::Usage(format!(
        "no cache directory: this system has no user cache directory; pass --cache-dir DIR or set {}",
        cache::CACHE_DIR_ENV
    ))
}

/// The `catalog path` command: where the cached catalog is (or would be).
pub fn path(cache_dir: Option<&Path>) -> Result<u8, Failure> {
    let dir: PathBuf = cache::cache_dir(cache_dir).ok_or_else(no_cache_dir)?;
    write_output(None, |out| {
        writeln!(out, "{}", dir.join(cache::CATALOG_FILE).display())
    })?;
    Ok(EXIT_OK)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn report(
    out: &mut dyn Write,
    summary: &MergeSummary,
    pages: usize,
    url: &str,
    merged: &Catalog,
    written: &Path,
) -> std::io::Result<()> {
    writeln!(
        out,
        "fetched {} ({}) from {url}",
        plural(summary.fetched, "release", "releases"),
        plural(pages, "page", "pages")
    )?;
    writeln!(
        out,
        "matched {}: {} now published, {} filled, {} filled",
        plural(summary.matched, "catalog release", "catalog releases"),
        plural(summary.dates_published, "date", "dates"),
        plural(summary.builds_filled, "build number", "build numbers"),
        plural(
            summary.kubernetes_filled,
            "Kubernetes list",
            "Kubernetes lists"
        )
    )?;
    if !summary.added.is_empty() {
        writeln!(
            out,
            "added {}: {}",
            plural(summary.added.len(), "release", "releases"),
            summary.added.join(", ")
        )?;
    }
    for (what, one, many, list) in [
        ("kept out", "release", "releases", &summary.kept_out),
        (
            "set aside",
            "publication date",
            "publication dates",
            &summary.dates_set_aside,
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        const SHOWN: usize = 10;
        let mut listed: Vec<String> = list
            .iter()
            .take(SHOWN)
            .map(|k| format!("{} ({})", k.tag, k.reason))
            .collect();
        if list.len() > SHOWN {
            listed.push(format!("and {} more", list.len() - SHOWN));
        }
        writeln!(
            out,
            "{what} {}: {}",
            plural(list.len(), one, many),
            listed.join(", ")
        )?;
    }
    writeln!(
        out,
        "wrote {}: {}, generated {}",
        written.display(),
        plural(merged.releases.len(), "release", "releases"),
        merged.generated
    )
}

/// Writes the catalog, then its metadata (which names the catalog by its
/// digest), each atomically.
fn store(dir: &Path, catalog: &[u8], meta: &CacheMeta) -> io::Result<()> {
    write_file(&dir.join(cache::CATALOG_FILE), |out| out.write_all(catalog))?;
    write_file(&dir.join(cache::META_FILE), |out| {
        out.write_all(&cache::encode_meta(meta))
    })
}
