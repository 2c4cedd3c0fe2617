//! `akspol catalog show`, `catalog update` and `catalog path`. The update is
//! the only caller of the network code (`catalog::fetch`): it reads both
//! sources at once (the AksHci line's GitHub releases, Azure Local's update
//! manifest), merges what each brought, and writes the cache. Beside it,
//! `catalog/cache_files.rs` (the cache's lock, and its two files written as
//! a pair) and `catalog/summary.rs` (what the update prints).

mod cache_files;
mod summary;

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;

use super::args::{CatalogArgs, CatalogFormat, UpdateArgs};
use super::exit::{Failure, EXIT_FINDINGS, EXIT_OK};
use super::load::load_catalog;
use super::output::{print, stdout_width, write_output};
use crate::base::dates::Day;
use crate::base::product::Product;
use crate::base::sanitize::clean;
use crate::catalog::cache::{self, CacheMeta, SourceMeta};
use crate::catalog::fetch::{self, FetchOptions, Validators};
use crate::catalog::manifest::{self, Manifest, ManifestSummary};
use crate::catalog::merge::{self, merge, FetchedRelease, MergeSummary};
use crate::catalog::Catalog;
use cache_files::{lock_cache, store};
use summary::{manifest_unchanged, releases_unchanged, report, report_manifest, wrote};

pub fn show(args: &CatalogArgs, format: CatalogFormat, product: Product) -> Result<u8, Failure> {
    let catalog = load_catalog(args)?;
    print(|out| match format {
        CatalogFormat::Json => crate::base::json::write_pretty(&catalog.to_file(), out),
        CatalogFormat::Table => {
            crate::catalog::show::render(&catalog, product, stdout_width(), out)
        }
    })
}

/// What one source brought.
enum Outcome<T> {
    /// Not asked (`--product` names the other line).
    Skipped,
    /// `304 Not Modified`: the cache's facts of the line stand.
    NotModified,
    Fresh(T),
    /// Why, in one sentence.
    Failed(String),
}

impl<T> Outcome<T> {
    fn from_thread(joined: Option<std::thread::Result<Result<Outcome<T>, String>>>) -> Self {
        match joined {
            None => Outcome::Skipped,
            Some(Ok(Ok(outcome))) => outcome,
            Some(Ok(Err(why))) => Outcome::Failed(why),
            Some(Err(_)) => {
                Outcome::Failed("reading the source stopped on an internal error".into())
            }
        }
    }

    fn failure(&self) -> Option<&str> {
        match self {
            Outcome::Failed(why) => Some(why),
            _ => None,
        }
    }

    fn answered(&self) -> bool {
        matches!(self, Outcome::NotModified | Outcome::Fresh(_))
    }
}

/// The AksHci line's GitHub releases, as fetched.
struct Releases {
    releases: Vec<FetchedRelease>,
    validators: Validators,
    pages: usize,
}

/// Azure Local's update manifest, as fetched or read.
struct LocalManifest {
    manifest: Manifest,
    /// `None` for a file (no validators to keep).
    validators: Option<Validators>,
    /// The URL, or the file as named.
    origin: String,
    /// What every build added cites.
    source: String,
}

/// `akspol catalog update`: under the cache's lock, read both sources at
/// once (each within `--timeout`), merge what each brought, and write
/// `catalog.json` and its metadata together.
///
/// A line whose source has nothing new (304) or fails keeps the facts the
/// cache has for it, when `check` would use that cache. Exit status: 0 when
/// every source asked answered; 1 when one failed and the other answered (its
/// facts are written, the failure named on standard error); 2 when nothing
/// was written (every source failed, the merge is not a valid catalog, the
/// cache cannot be written), the cache then as it was.
pub fn update(args: &UpdateArgs) -> Result<u8, Failure> {
    let today = args.as_of.unwrap_or_else(crate::base::dates::today_utc);
    refuse_a_left_out_source(args)?;
    let dir = cache::cache_dir(args.cache_dir.as_deref()).ok_or_else(no_cache_dir)?;
    let timeout = Duration::from_secs(args.timeout);
    // One update at a time per cache: its catalog and metadata come from the
    // same answers, and its leftovers are cleaned up under the lock.
    let _lock = lock_cache(&dir, timeout)?;
    let before = Before::read(&dir)?;
    let path = dir.join(cache::CATALOG_FILE);
    let standing = before.standing().is_some();
    let (github, local) = read_sources(args, timeout, before.trusted(), &path, today);
    let failures: Vec<&str> = [github.failure(), local.failure()]
        .into_iter()
        .flatten()
        .collect();
    if !github.answered() && !local.answered() {
        return Err(Failure::Update(format!(
            "catalog update failed: {}",
            failures.join("; and ")
        )));
    }
    let shown_url = shown(&args.url);
    let fresh = matches!(github, Outcome::Fresh(_)) || matches!(local, Outcome::Fresh(_));
    if !fresh {
        let kept = path.display().to_string();
        write_output(None, |out| {
            if matches!(github, Outcome::NotModified) {
                releases_unchanged(out, &shown_url, &kept)?;
            }
            if matches!(local, Outcome::NotModified) {
                manifest_unchanged(out, &shown(&args.azure_local_url), &kept)?;
            }
            Ok(())
        })?;
        return Ok(partial(&github, &local, standing));
    }

    let mut merged = merge_lines(&before, &github, &local, today);
    merged.catalog.about = Some(about(
        &before.embedded,
        today,
        (&github, &local),
        &shown_url,
        standing,
    ));
    let bytes = encode_valid(&merged.catalog, &path)?;
    let new_meta = meta_after(args, &before, (&github, &local), today, &bytes);
    store(&dir, &bytes, &cache::encode_meta(&new_meta))?;
    write_output(None, |out| {
        match (&github, &merged.github) {
            (Outcome::Fresh(_), Some((summary, pages))) => {
                report(out, summary, *pages, &shown_url)?
            }
            (Outcome::NotModified, _) => releases_unchanged(out, &shown_url, "their facts")?,
            _ => {}
        }
        match (&local, &merged.local) {
            (Outcome::Fresh(read), Some(summary)) => report_manifest(out, summary, &read.origin)?,
            (Outcome::NotModified, _) => {
                manifest_unchanged(out, &shown(&args.azure_local_url), "its facts")?
            }
            _ => {}
        }
        wrote(out, &merged.catalog, &path)
    })?;
    Ok(partial(&github, &local, standing))
}

/// Refuses a source named for a line that `--product` leaves out, which
/// would be ignored.
fn refuse_a_left_out_source(args: &UpdateArgs) -> Result<(), Failure> {
    let left_out = match args.product {
        Some(Product::AksHybrid) if args.azure_local_file.is_some() => Some("--azure-local-file"),
        Some(Product::AksHybrid) if args.azure_local_url != manifest::MANIFEST_URL => {
            Some("--azure-local-url")
        }
        Some(Product::AksArc) if args.url != crate::catalog::RELEASES_URL => Some("--url"),
        _ => None,
    };
    if let (Some(flag), Some(product)) = (left_out, args.product) {
        return Err(Failure::Usage(format!(
            "{flag} names a source of the line that --product {product} leaves out: drop one of them"
        )));
    }
    Ok(())
}

/// What the cache held when the update took its lock, and the embedded
/// catalog it is merged over.
struct Before {
    embedded: Catalog,
    cached: Option<Catalog>,
    meta: Option<CacheMeta>,
}

impl Before {
    fn read(dir: &Path) -> Result<Self, Failure> {
        let embedded = Catalog::embedded()?;
        let cached = match cache::load(dir) {
            Ok(cached) => cached,
            Err(error) => {
                eprintln!("warning: replacing the cached catalog, which is not valid ({error})");
                None
            }
        };
        let meta = cache::load_meta(dir);
        Ok(Self {
            embedded,
            cached,
            meta,
        })
    }

    fn same_embedded(&self, meta: &CacheMeta) -> bool {
        meta.embedded_generated == self.embedded.generated.to_string()
    }

    /// The cache's facts of a line can stand for it when `check` would use
    /// the cache and it was not merged over another embedded catalog.
    fn standing(&self) -> Option<&Catalog> {
        self.cached.as_ref().filter(|c| {
            c.generated >= self.embedded.generated
                && self.meta.as_ref().is_none_or(|m| self.same_embedded(m))
        })
    }

    /// The metadata whose validators are sent: only where a 304 can keep
    /// the cache's facts.
    fn trusted(&self) -> Option<&CacheMeta> {
        self.meta
            .as_ref()
            .filter(|m| self.standing().is_some() && self.same_embedded(m))
    }
}

/// Reads both sources at once, each on its own thread (a line `--product`
/// leaves out is skipped), sending the `trusted` metadata's validators.
fn read_sources(
    args: &UpdateArgs,
    timeout: Duration,
    trusted: Option<&CacheMeta>,
    path: &Path,
    today: Day,
) -> (Outcome<Releases>, Outcome<LocalManifest>) {
    let validators = |source: Option<&SourceMeta>, url: &str| {
        source
            .filter(|s| s.url == url)
            .map(|s| Validators {
                etag: s.etag.clone(),
                last_modified: s.last_modified.clone(),
            })
            .unwrap_or_default()
    };
    let token = std::env::var(fetch::TOKEN_ENV)
        .ok()
        .filter(|t| !t.trim().is_empty());
    let github_options = FetchOptions {
        url: &args.url,
        connect_timeout: Duration::from_secs(args.connect_timeout),
        timeout,
        max_bytes: args.max_response_bytes,
        token: token.as_deref().map(str::trim),
        validators: validators(trusted.and_then(|m| m.github.as_ref()), &args.url),
    };
    let manifest_options = FetchOptions {
        url: &args.azure_local_url,
        token: None,
        validators: validators(
            trusted.and_then(|m| m.azure_local.as_ref()),
            &args.azure_local_url,
        ),
        ..github_options.clone()
    };
    let wanted = |line: Product| args.product.is_none_or(|p| p == line);
    std::thread::scope(|scope| {
        let github = wanted(Product::AksHybrid)
            .then(|| scope.spawn(|| fetch_releases(&github_options, path)));
        let local = wanted(Product::AksArc)
            .then(|| scope.spawn(|| read_manifest(args, &manifest_options, today)));
        (
            Outcome::from_thread(github.map(|h| h.join())),
            Outcome::from_thread(local.map(|h| h.join())),
        )
    })
}

/// The catalog an update writes, and what each source brought to it.
struct Merged {
    catalog: Catalog,
    /// The releases' merge, and how many pages they came in.
    github: Option<(MergeSummary, usize)>,
    local: Option<ManifestSummary>,
}

/// Merges what the sources brought over the embedded catalog, dated `today`.
fn merge_lines(
    before: &Before,
    github: &Outcome<Releases>,
    local: &Outcome<LocalManifest>,
    today: Day,
) -> Merged {
    let embedded = &before.embedded;
    let standing = before.standing();
    // The AksHci line: fetched releases over the embedded catalog (they are
    // the whole list), else the cache's facts.
    let mut merged = embedded.clone();
    let mut github_summary = None;
    match github {
        Outcome::Fresh(fetched) => {
            let (catalog, summary) = merge(embedded, &fetched.releases, today);
            merged = catalog;
            github_summary = Some((summary, fetched.pages));
        }
        _ => {
            if let Some(standing) = standing {
                merge::take_line(&mut merged, standing, Product::AksHybrid);
            }
        }
    }
    // The Azure Local line: the manifest lists the builds applicable now, not
    // every build there was, so what earlier updates learned stays.
    if let Some(standing) = standing {
        merge::take_line(&mut merged, standing, Product::AksArc);
    }
    let mut local_summary = None;
    if let Outcome::Fresh(read) = local {
        let (catalog, summary) = manifest::merge(&merged, &read.manifest, &read.source, today);
        merged = catalog;
        local_summary = Some(summary);
    }
    merged.generated = today;
    Merged {
        catalog: merged,
        github: github_summary,
        local: local_summary,
    }
}

/// The merged catalog's bytes as cached, once they read back as a valid
/// catalog (else nothing is written and the cache at `path` stays).
fn encode_valid(merged: &Catalog, path: &Path) -> Result<Vec<u8>, Failure> {
    let bytes = cache::encode_catalog(merged);
    let text = String::from_utf8_lossy(&bytes);
    if let Err(error) = Catalog::from_text("the merged catalog", &text, merged.source.clone()) {
        return Err(Failure::Update(format!(
            "catalog update failed: what the sources brought does not make a valid catalog ({}); kept {} as it was",
            error.to_string().lines().next().unwrap_or_default(),
            path.display()
        )));
    }
    Ok(bytes)
}

/// The cache's metadata after an update wrote `bytes`: a fresh source's
/// validators; else the old ones, while the cache's facts of its line stand.
fn meta_after(
    args: &UpdateArgs,
    before: &Before,
    (github, local): (&Outcome<Releases>, &Outcome<LocalManifest>),
    today: Day,
    bytes: &[u8],
) -> CacheMeta {
    let meta = before.meta.as_ref();
    let kept = |source: Option<&SourceMeta>| {
        before
            .standing()
            .and_then(|_| source.cloned())
            .filter(|_| before.trusted().is_some())
    };
    CacheMeta {
        github: match github {
            Outcome::Fresh(fetched) => Some(SourceMeta {
                url: args.url.clone(),
                etag: fetched.validators.etag.clone(),
                last_modified: fetched.validators.last_modified.clone(),
                updated: today.to_string(),
            }),
            _ => kept(meta.and_then(|m| m.github.as_ref())),
        },
        azure_local: match local {
            Outcome::Fresh(read) => read.validators.as_ref().map(|v| SourceMeta {
                url: args.azure_local_url.clone(),
                etag: v.etag.clone(),
                last_modified: v.last_modified.clone(),
                updated: today.to_string(),
            }),
            _ => kept(meta.and_then(|m| m.azure_local.as_ref())),
        },
        embedded_generated: before.embedded.generated.to_string(),
        updated: today.to_string(),
        catalog_digest: Some(cache::digest(bytes)),
    }
}

/// The exit status of an update that answered, after naming on standard
/// error the source that failed, if one did.
fn partial<A, B>(github: &Outcome<A>, local: &Outcome<B>, standing: bool) -> u8 {
    let kept = if standing {
        "its facts are those the cache had"
    } else {
        "its facts are the embedded catalog's"
    };
    let mut code = EXIT_OK;
    for (line, failure) in [
        ("the AksHci line (GitHub releases)", github.failure()),
        ("the Azure Local line (update manifest)", local.failure()),
    ] {
        if let Some(why) = failure {
            eprintln!("error: catalog update failed for {line}: {why}; {kept} (exit 1: the other line's source answered)");
            code = EXIT_FINDINGS;
        }
    }
    code
}

/// A URL as messages show it (without credentials).
fn shown(url: &str) -> String {
    Url::parse(url)
        .map(|u| fetch::shown(&u))
        .unwrap_or_else(|_| clean(url).into_owned())
}

/// The AksHci line's releases: fetched, or why not.
fn fetch_releases(options: &FetchOptions, path: &Path) -> Result<Outcome<Releases>, String> {
    let strip = |e: fetch::UpdateError| e.0;
    match fetch::fetch(options).map_err(strip)? {
        fetch::Fetched::NotModified => Ok(Outcome::NotModified),
        // What was learned before stays: an empty list is no news.
        fetch::Fetched::Releases { releases, .. } if releases.is_empty() => Err(format!(
            "the releases list at {} is empty; kept {} as it was",
            shown(options.url),
            path.display()
        )),
        fetch::Fetched::Releases {
            releases,
            validators,
            pages,
        } => Ok(Outcome::Fresh(Releases {
            releases,
            validators,
            pages,
        })),
    }
}

/// Azure Local's update manifest, from `--azure-local-file` or fetched from
/// `--azure-local-url`, read; or why not.
fn read_manifest(
    args: &UpdateArgs,
    options: &FetchOptions,
    today: Day,
) -> Result<Outcome<LocalManifest>, String> {
    let (bytes, validators, origin, source) = match &args.azure_local_file {
        Some(file) => {
            let origin = clean(&file.display().to_string()).into_owned();
            let bytes = cache::read_regular(file, args.max_response_bytes).map_err(|e| {
                let why = if e.to_string().starts_with("it is larger than") {
                    format!("{e} (--max-response-bytes)")
                } else {
                    e.to_string()
                };
                format!("cannot read Azure Local's update manifest {origin}: {why}")
            })?;
            let name = file
                .file_name()
                .map(|n| clean(&n.to_string_lossy()).into_owned())
                .unwrap_or_else(|| origin.clone());
            let source = format!(
                "Azure Local's update manifest ({}), saved as {name}, read on {today}",
                manifest::MANIFEST_URL
            );
            (bytes, None, origin, source)
        }
        None => {
            let origin = shown(options.url);
            match fetch::fetch_manifest(options).map_err(|e| e.0)? {
                fetch::FetchedManifest::NotModified => return Ok(Outcome::NotModified),
                fetch::FetchedManifest::Document { body, validators } => {
                    let source = format!("Azure Local's update manifest {origin}, read on {today}");
                    (body, Some(validators), origin, source)
                }
            }
        }
    };
    let manifest = manifest::parse(&bytes).map_err(|e| match (&args.azure_local_file, e.at) {
        (Some(_), Some((line, column))) => format!(
            "{origin}:{line}:{column}: Azure Local's update manifest {}",
            e.why
        ),
        (Some(_), None) => format!("{origin}: Azure Local's update manifest {}", e.why),
        (None, Some((line, column))) => format!(
            "Azure Local's update manifest from {origin} {} (line {line}, column {column})",
            e.why
        ),
        (None, None) => format!("Azure Local's update manifest from {origin} {}", e.why),
    })?;
    drop(bytes);
    if manifest.versions.is_empty() {
        return Err(format!(
            "Azure Local's update manifest from {origin} lists no solution builds; kept the line's facts as they were"
        ));
    }
    Ok(Outcome::Fresh(LocalManifest {
        manifest,
        validators,
        origin,
        source,
    }))
}

/// The cached catalog's `about`: what it was merged from.
fn about(
    embedded: &Catalog,
    today: Day,
    (github, local): (&Outcome<Releases>, &Outcome<LocalManifest>),
    url: &str,
    standing: bool,
) -> String {
    let earlier = if standing {
        "the facts the cache had"
    } else {
        "no news"
    };
    let releases = match github {
        Outcome::Fresh(fetched) => format!("{} GitHub releases from {url}", fetched.releases.len()),
        _ => format!("for the AksHci line {earlier}"),
    };
    let builds = match local {
        Outcome::Fresh(read) => format!(
            "the {} versions of Azure Local's update manifest from {}",
            read.manifest.entries, read.origin
        ),
        _ => format!("for the Azure Local line {earlier}"),
    };
    format!(
        "The embedded catalog of akspol {} (generated {}) merged on {today} with {releases} and {builds} by `akspol catalog update`. Release dates are estimates unless dateBasis is 'published' or 'availability-date'; an Azure Local release known by name only has no day (released: null) and is dated by the month of its name.",
        env!("CARGO_PKG_VERSION"),
        embedded.generated,
    )
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
