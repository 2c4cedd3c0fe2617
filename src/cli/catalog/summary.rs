//! What `catalog update` prints once it has written the cache: what each
//! source brought (the GitHub releases matched, added, kept out; the
//! manifest's builds), long lists cut to their first ten and a count, and
//! what was written.

use std::io::Write;
use std::path::Path;

use crate::catalog::manifest::ManifestSummary;
use crate::catalog::merge::MergeSummary;
use crate::catalog::Catalog;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub(super) fn report(
    out: &mut dyn Write,
    summary: &MergeSummary,
    pages: usize,
    url: &str,
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
    Ok(())
}

/// At most this many items of a list in the summary, then how many more.
const SHOWN: usize = 10;

fn listed(items: &[String]) -> String {
    let mut shown: Vec<&str> = items.iter().take(SHOWN).map(String::as_str).collect();
    let more = items.len().saturating_sub(SHOWN);
    let more = format!("and {more} more");
    if items.len() > SHOWN {
        shown.push(&more);
    }
    shown.join(", ")
}

/// What the manifest brought to the Azure Local line.
pub(super) fn report_manifest(
    out: &mut dyn Write,
    summary: &ManifestSummary,
    origin: &str,
) -> std::io::Result<()> {
    writeln!(
        out,
        "read {} ({}) from Azure Local's update manifest {origin}",
        plural(summary.entries, "version", "versions"),
        plural(summary.builds, "solution build", "solution builds")
    )?;
    let mut line = format!(
        "Azure Local: {} already in the catalog",
        plural(summary.known, "build", "builds")
    );
    if !summary.added_releases.is_empty() {
        line.push_str(&format!(
            "; added {} known by name only (no day is published): {}",
            plural(summary.added_releases.len(), "release", "releases"),
            listed(&summary.added_releases)
        ));
    }
    if !summary.added_builds.is_empty() {
        line.push_str(&format!(
            "; added {}: {}",
            plural(summary.added_builds.len(), "build", "builds"),
            listed(&summary.added_builds)
        ));
    }
    writeln!(out, "{line}")?;
    if !summary.kept_out.is_empty() {
        let items: Vec<String> = summary
            .kept_out
            .iter()
            .map(|k| format!("{} ({})", k.tag, k.reason))
            .collect();
        writeln!(
            out,
            "kept out {}: {}",
            plural(summary.kept_out.len(), "version", "versions"),
            listed(&items)
        )?;
    }
    if let Some((release, day)) = &summary.known_through {
        writeln!(
            out,
            "Azure Local facts now reach release {release}: known through {} (to the month; its day is not published)",
            day.format("%Y-%m")
        )?;
    }
    Ok(())
}

pub(super) fn wrote(out: &mut dyn Write, merged: &Catalog, written: &Path) -> std::io::Result<()> {
    let local = merged.local_releases.len();
    writeln!(
        out,
        "wrote {}: {}, {} ({} known by name only, dated by their month), generated {}",
        written.display(),
        plural(
            merged.releases.len(),
            "AKS hybrid release",
            "AKS hybrid releases"
        ),
        plural(local, "Azure Local release", "Azure Local releases"),
        merged
            .local_releases
            .iter()
            .filter(|r| r.undated() && r.date_basis == crate::catalog::DateBasis::Month)
            .count(),
        merged.generated
    )
}

/// The GitHub releases at `url` had nothing new (304): what was kept.
pub(super) fn releases_unchanged(
    out: &mut dyn Write,
    url: &str,
    kept: &str,
) -> std::io::Result<()> {
    writeln!(
        out,
        "the releases at {url} have not changed since the last update; kept {kept}"
    )
}

/// Azure Local's update manifest at `url` had nothing new (304): what was kept.
pub(super) fn manifest_unchanged(
    out: &mut dyn Write,
    url: &str,
    kept: &str,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Azure Local's update manifest at {url} has not changed since the last update; kept {kept}"
    )
}
