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
use super::output::{print, write_file, write_output};
use crate::base::sanitize::clean;
use crate::catalog::cache::{self, CacheMeta};
use crate::catalog::fetch;
use crate::catalog::merge::{merge, MergeSummary};
use crate::catalog::Catalog;

pub fn show(args: &CatalogArgs, format: CatalogFormat) -> Result<u8, Failure> {
    let catalog = load_catalog(args)?;
    print(|out| match format {
        CatalogFormat::Json => crate::base::json::write_pretty(&catalog.to_file(), out),
        CatalogFormat::Table => crate::catalog::show::render(&catalog, out),
    })
}

/// `akspol catalog update`.
pub fn update(args: &UpdateArgs) -> Result<u8, Failure> {
    let today = args.as_of.unwrap_or_else(crate::base::dates::today_utc);
    let dir = cache::cache_dir(args.cache_dir.as_deref()).ok_or_else(no_cache_dir)?;
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
        connect_timeout: Duration::from_secs(args.connect_timeout.max(1)),
        timeout: Duration::from_secs(args.timeout.max(1)),
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
            let meta = CacheMeta {
                url: args.url.clone(),
                etag,
                embedded_generated: embedded.generated.to_string(),
                updated: today.to_string(),
            };
            let written = store(&dir, &merged, &meta).map_err(|source| Failure::Output {
                path: path.display().to_string(),
                source,
            })?;
            write_output(None, |out| {
                report(out, &summary, pages, &shown_url, &merged, &written)
            })?;
        }
    }
    Ok(EXIT_OK)
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
    if !summary.kept_out.is_empty() {
        const SHOWN: usize = 10;
        let mut listed: Vec<String> = summary
            .kept_out
            .iter()
            .take(SHOWN)
            .map(|k| format!("{} ({})", k.tag, k.reason))
            .collect();
        if summary.kept_out.len() > SHOWN {
            listed.push(format!("and {} more", summary.kept_out.len() - SHOWN));
        }
        writeln!(
            out,
            "kept out {}: {}",
            plural(summary.kept_out.len(), "release", "releases"),
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

/// Writes the catalog, then its metadata, each atomically.
fn store(dir: &Path, catalog: &Catalog, meta: &CacheMeta) -> io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(cache::CATALOG_FILE);
    write_file(&path, |out| out.write_all(&cache::encode_catalog(catalog)))?;
    write_file(&dir.join(cache::META_FILE), |out| {
        out.write_all(&cache::encode_meta(meta))
    })?;
    Ok(path)
}
