//! Merging GitHub releases over a catalog (`docs/spec/catalog.md`,
//! "catalog update"): a pure function of the catalog, the fetched releases and
//! the day of the update, so it is tested without a network.
//!
//! What a fetched release may do to the catalog, and nothing else:
//! - a `published_at` replaces an estimated release date (`dateBasis` becomes
//!   `published`);
//! - an AKS hybrid version (`W.X.Y.ZZZZ`) in its name or body fills the missing
//!   build number of a three-field entry with the same `W.X.Y`;
//! - Kubernetes versions listed in its body fill a missing list;
//! - a version the catalog lacks is added, dated by `published_at`.
//!
//! Nothing fetched removes or overwrites an embedded fact that is not an
//! estimate. Release texts are untrusted: every string kept is sanitized.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Deserialize;

use super::{validate, Catalog, DateBasis, KnownThrough, Release};
use crate::base::dates::{add_days, parse_day, Day, When};
use crate::base::product::Product;
use crate::base::sanitize::clean;
use crate::base::version::{AksVersion, KubeVersion, ReleaseVersion};

/// The repository whose releases the catalog follows; new entries cite their
/// release page there.
pub const RELEASES_PAGE: &str = "https://github.com/Azure/aksArc/releases/tag/";

/// The fields akspol reads from one item of GitHub's "list releases" answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct FetchedRelease {
    pub tag_name: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub published_at: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub prerelease: bool,
}

/// A fetched release that changed nothing, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptOut {
    pub tag: String,
    pub reason: &'static str,
}

/// What a merge did, for the command's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeSummary {
    pub fetched: usize,
    /// Fetched releases that matched a catalog entry (by tag or version).
    pub matched: usize,
    /// Estimated dates replaced by a publication date.
    pub dates_published: usize,
    pub builds_filled: usize,
    pub kubernetes_filled: usize,
    /// Versions the catalog lacked, added.
    pub added: Vec<String>,
    pub kept_out: Vec<KeptOut>,
    /// Publication dates not used: implausible, or contradicting the version
    /// order of the catalog's other exact dates.
    pub dates_set_aside: Vec<KeptOut>,
}

const NO_VERSION: &str = "names no AKS hybrid version";
const NOT_PUBLISHED: &str = "a draft or pre-release";
const NO_DATE: &str = "a new version without a publication date";
const CLAIMED: &str = "names only versions the catalog attributes to other tags";
const FULL: &str = "a new version, but the catalog holds its maximum number of releases";
const IMPLAUSIBLE: &str = "its publication date is before 2020 or after the day of the update";
const OUT_OF_ORDER: &str =
    "its publication date contradicts the version order of the catalog's exact dates";

/// Whether dating `version` on `day` contradicts the version order of the
/// releases whose dates are exact (not estimates): an older version dated
/// later, or a newer one dated earlier. Estimates give way (`settle_estimates`).
fn contradicts(
    releases: &[Release],
    version: &ReleaseVersion,
    day: Day,
    except: Option<usize>,
) -> bool {
    releases.iter().enumerate().any(|(i, r)| {
        Some(i) != except
            && !r.released.approximate()
            && match r.version.release_cmp(version) {
                std::cmp::Ordering::Less => r.released.earliest > day,
                std::cmp::Ordering::Greater => r.released.earliest < day,
                std::cmp::Ordering::Equal => false,
            }
    })
}

/// Moves estimated dates that contradict the version order to the nearest
/// date that does not: an estimate later than a newer release's date comes
/// down to it, then one earlier than an older release's date goes up to it;
/// a month loses the days the version order rules out. Exact dates already
/// agree with each other ([`contradicts`]), so afterwards every date agrees
/// with the version order, as `validate::releases` demands.
fn settle_estimates(releases: &mut [Release]) {
    for i in (0..releases.len().saturating_sub(1)).rev() {
        let next = releases.get(i + 1).map(|r| r.released);
        if let (Some(r), Some(next)) = (releases.get_mut(i), next) {
            if r.released.approximate() {
                r.released = r.released.not_after(next.latest);
            }
        }
    }
    for i in 1..releases.len() {
        let previous = releases.get(i - 1).map(|r| r.released);
        if let (Some(r), Some(previous)) = (releases.get_mut(i), previous) {
            if r.released.approximate() {
                r.released = r.released.not_before(previous.earliest);
            }
        }
    }
}

/// Merges `fetched` over `base`; the result is `generated` on `today`. A
/// non-empty answer is the product's whole release list on that day, so the
/// AKS hybrid line's facts then reach `today` (`knownThrough`); the Azure
/// Local line is left as it is (`super::manifest` merges its source).
pub fn merge(base: &Catalog, fetched: &[FetchedRelease], today: Day) -> (Catalog, MergeSummary) {
    let mut catalog = base.clone();
    catalog.generated = today;
    if !fetched.is_empty() {
        catalog
            .known_through
            .retain(|k| k.product != Product::AksHybrid);
        catalog.known_through.push(KnownThrough {
            product: Product::AksHybrid,
            date: When::day(today),
            date_basis: DateBasis::Published,
            fact: Some(format!(
                "the GitHub releases listed on {today} by `akspol catalog update`"
            )),
        });
        catalog.known_through.sort_by_key(|k| k.product);
    }
    let mut merger = Merger::new(catalog, fetched.len(), today);
    for release in fetched {
        merger.take(release);
    }
    let Merger {
        mut catalog,
        summary,
        ..
    } = merger;
    let build = |r: &Release| r.version.aks().and_then(|v| v.build);
    catalog.releases.sort_by(|a, b| {
        a.version
            .release_cmp(&b.version)
            .then_with(|| build(a).cmp(&build(b)))
    });
    settle_estimates(&mut catalog.releases);
    (catalog, summary)
}

/// The catalog being merged into, what the merge has done so far, and the
/// catalog's releases by tag (case-insensitive) and by `W.X.Y`, so that
/// matching a release naming many versions is not a scan per version.
struct Merger {
    catalog: Catalog,
    summary: MergeSummary,
    tags: HashMap<String, usize>,
    by_fields: HashMap<[u64; 3], Vec<usize>>,
    today: Day,
}

/// What a fetched release says, read once.
struct Fetched {
    tag: String,
    published: Option<Day>,
    versions: Vec<AksVersion>,
    kubernetes: Vec<KubeVersion>,
}

impl Merger {
    fn new(catalog: Catalog, fetched: usize, today: Day) -> Self {
        let mut tags: HashMap<String, usize> = HashMap::new();
        let mut by_fields: HashMap<[u64; 3], Vec<usize>> = HashMap::new();
        for (i, r) in catalog.releases.iter().enumerate() {
            if let Some(tag) = &r.tag {
                tags.entry(tag.to_ascii_lowercase()).or_insert(i);
            }
            if let Some(version) = r.version.aks() {
                by_fields.entry(version.fields).or_default().push(i);
            }
        }
        Merger {
            catalog,
            summary: MergeSummary {
                fetched,
                ..MergeSummary::default()
            },
            tags,
            by_fields,
            today,
        }
    }

    fn keep_out(&mut self, tag: String, reason: &'static str) {
        self.summary.kept_out.push(KeptOut { tag, reason });
    }

    /// One fetched release: it updates the entry it matches, or is added as
    /// a release of its own, or is kept out with the reason.
    fn take(&mut self, release: &FetchedRelease) {
        let tag = clean(release.tag_name.trim()).into_owned();
        if release.draft || release.prerelease {
            self.keep_out(tag, NOT_PUBLISHED);
            return;
        }
        let fetched = self.read(release, tag);
        if let Some(index) = self.matching(&fetched) {
            self.update_entry(index, fetched);
            return;
        }
        if fetched.versions.is_empty() {
            self.keep_out(fetched.tag, NO_VERSION);
            return;
        }
        self.add(release, fetched);
    }

    /// Its publication day (when plausible), the AKS hybrid versions its
    /// name, tag and notes name, and the Kubernetes versions its notes list.
    fn read(&mut self, release: &FetchedRelease, tag: String) -> Fetched {
        let published = release
            .published_at
            .as_deref()
            .and_then(|p| parse_day(p).ok());
        // Published before the product existed, or after the day of this update
        // (a day's grace for time zones): not a date to judge anything by.
        let plausible = published
            .filter(|d| *d >= validate::earliest_release() && *d <= add_days(self.today, 1));
        if let (Some(_), None) = (published, plausible) {
            self.summary.dates_set_aside.push(KeptOut {
                tag: tag.clone(),
                reason: IMPLAUSIBLE,
            });
        }
        let texts = [
            release.name.as_deref().unwrap_or_default(),
            release.tag_name.as_str(),
            release.body.as_deref().unwrap_or_default(),
        ];
        Fetched {
            tag,
            published: plausible,
            versions: texts.iter().flat_map(|t| aks_versions(t)).collect(),
            kubernetes: kubernetes_versions(release.body.as_deref().unwrap_or_default()),
        }
    }

    /// The catalog entry of the same tag, else an untagged one of a version
    /// it names.
    fn matching(&self, fetched: &Fetched) -> Option<usize> {
        let by_tag = (!fetched.tag.is_empty())
            .then(|| self.tags.get(&fetched.tag.to_ascii_lowercase()).copied())
            .flatten();
        by_tag.or_else(|| {
            fetched.versions.iter().find_map(|v| {
                self.by_fields.get(&v.fields)?.iter().copied().find(|&i| {
                    self.catalog.releases.get(i).is_some_and(|r| {
                        r.version
                            .aks()
                            .is_some_and(|e| e.build.is_none() || e.build == v.build)
                            && r.tag.is_none()
                    })
                })
            })
        })
    }

    /// Updates the matched entry, with the publication day only when it
    /// agrees with the version order.
    fn update_entry(&mut self, index: usize, fetched: Fetched) {
        let releases = &self.catalog.releases;
        let in_order = |day: &Day| {
            releases
                .get(index)
                .is_some_and(|entry| !contradicts(releases, &entry.version, *day, Some(index)))
        };
        let dated = fetched.published.filter(in_order);
        if fetched.published.is_some() && dated.is_none() {
            self.summary.dates_set_aside.push(KeptOut {
                tag: fetched.tag.clone(),
                reason: OUT_OF_ORDER,
            });
        }
        if let Some(entry) = self.catalog.releases.get_mut(index) {
            self.summary.matched += 1;
            update(
                entry,
                &fetched.tag,
                dated,
                &fetched.versions,
                fetched.kubernetes,
                &mut self.summary,
            );
        }
    }

    /// A version of its own (one no catalog entry of another tag claims),
    /// dated and in order, is added; anything else is kept out.
    fn add(&mut self, release: &FetchedRelease, fetched: Fetched) {
        let Fetched {
            tag,
            published,
            versions,
            kubernetes,
        } = fetched;
        let new = versions
            .iter()
            .find(|v| !self.by_fields.contains_key(&v.fields));
        let (version, released) = match (new, published) {
            (Some(_), Some(_)) if self.catalog.releases.len() >= validate::MAX_RELEASES => {
                return self.keep_out(tag, FULL);
            }
            (Some(version), Some(released))
                if contradicts(
                    &self.catalog.releases,
                    &ReleaseVersion::AksHci(*version),
                    released,
                    None,
                ) =>
            {
                return self.keep_out(tag, OUT_OF_ORDER);
            }
            (Some(version), Some(released)) => (*version, released),
            (Some(_), None) => return self.keep_out(tag, NO_DATE),
            (None, _) => return self.keep_out(tag, CLAIMED),
        };
        self.summary.added.push(version.to_string());
        let index = self.catalog.releases.len();
        self.by_fields
            .entry(version.fields)
            .or_default()
            .push(index);
        if !tag.is_empty() {
            self.tags.entry(tag.to_ascii_lowercase()).or_insert(index);
        }
        self.catalog.releases.push(Release {
            version: ReleaseVersion::AksHci(version),
            name: release
                .name
                .as_deref()
                .map(|n| clean(n.trim()).into_owned())
                .filter(|n| !n.is_empty()),
            tag: (!tag.is_empty()).then(|| tag.clone()),
            released: When::day(released),
            date_basis: DateBasis::Published,
            confidence: None,
            kubernetes_versions: (!kubernetes.is_empty()).then_some(kubernetes),
            kubernetes_versions_seen: None,
            builds: Vec::new(),
            aks_arc: None,
            notes: Vec::new(),
            source: Some(release_page(&tag)),
            attested: false,
        });
    }
}

/// Puts `from`'s facts about `product`'s line (its releases and
/// `knownThrough`) in place of `into`'s: what an update keeps of a line whose
/// source has nothing new, or failed. A catalog without Azure Local releases
/// (an older akspol's) leaves `into`'s.
pub fn take_line(into: &mut Catalog, from: &Catalog, product: Product) {
    match product {
        Product::AksHybrid => into.releases = from.releases.clone(),
        Product::AksArc if from.local_releases.is_empty() => return,
        Product::AksArc => into.local_releases = from.local_releases.clone(),
    }
    into.known_through.retain(|k| k.product != product);
    into.known_through
        .extend(from.known_through(product).cloned());
    into.known_through.sort_by_key(|k| k.product);
}

/// Fills what the entry lacks or only estimates.
fn update(
    entry: &mut Release,
    tag: &str,
    published: Option<Day>,
    versions: &[AksVersion],
    kubernetes: Vec<KubeVersion>,
    summary: &mut MergeSummary,
) {
    let mut cited = false;
    if let Some(day) = published {
        if entry.date_basis.is_estimate() {
            entry.released = When::day(day);
            entry.date_basis = DateBasis::Published;
            summary.dates_published += 1;
            cited = true;
        }
    }
    if let Some(known) = entry.version.aks().filter(|v| v.build.is_none()).copied() {
        if let Some(found) = versions
            .iter()
            .find(|v| v.fields == known.fields && v.build.is_some())
        {
            entry.version = ReleaseVersion::AksHci(*found);
            summary.builds_filled += 1;
            cited = true;
        }
    }
    let missing = entry
        .kubernetes_versions
        .as_ref()
        .is_none_or(|list| list.is_empty());
    if missing && !kubernetes.is_empty() {
        entry.kubernetes_versions = Some(kubernetes);
        summary.kubernetes_filled += 1;
        cited = true;
    }
    if cited {
        let page = release_page(tag);
        entry.source = Some(match entry.source.take() {
            Some(source) if !source.contains(&page) => format!("{source}; GitHub release {page}"),
            Some(source) => source,
            None => page,
        });
    }
}

fn release_page(tag: &str) -> String {
    format!("{RELEASES_PAGE}{tag}")
}

/// Runs of digits and dots in `text` that stand alone (not inside a word), with
/// the character before each run; a trailing sentence dot is dropped.
fn numeric_runs(text: &str) -> Vec<(Option<char>, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut before: Option<char> = None;
    let mut previous: Option<char> = None;
    let mut push = |start: usize, end: usize, before: Option<char>, next: Option<char>| {
        let Some(run) = text.get(start..end) else {
            return;
        };
        let run = run.trim_end_matches('.');
        let inside_word = before.is_some_and(|c| c.is_alphanumeric() && c != 'v' && c != 'V')
            || next.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !run.is_empty() && !run.starts_with('.') && !inside_word {
            out.push((before, run));
        }
    };
    for (i, c) in text.char_indices() {
        let numeric = c.is_ascii_digit() || c == '.';
        match (start, numeric) {
            (None, true) if c.is_ascii_digit() => {
                start = Some(i);
                before = previous;
            }
            (Some(s), false) => {
                push(s, i, before, Some(c));
                start = None;
            }
            _ => {}
        }
        previous = Some(c);
    }
    if let Some(s) = start {
        push(s, text.len(), before, None);
    }
    out
}

/// AKS hybrid versions (`1.X.Y.ZZZZ`, a build of four or five digits) in `text`,
/// in order of appearance, without repeats.
pub fn aks_versions(text: &str) -> Vec<AksVersion> {
    let mut out: Vec<AksVersion> = Vec::new();
    // A set beside the list: a body naming 100,000 versions stays linear.
    let mut seen = HashSet::new();
    for (_, run) in numeric_runs(text) {
        let fields: Vec<&str> = run.split('.').collect();
        let plausible = fields.len() == 4
            && fields.first() == Some(&"1")
            && fields.last().is_some_and(|b| (4..=5).contains(&b.len()));
        if !plausible {
            continue;
        }
        if let Ok(version) = AksVersion::parse(run, false) {
            if seen.insert(version) {
                out.push(version);
            }
        }
    }
    out
}

/// Kubernetes versions a release body lists: `MAJOR.MINOR.PATCH` (1.10 and
/// later) on a line that mentions Kubernetes, in a bullet list under such a
/// line, or as a `v1.xx.y` bullet. Lines about removals and deprecations are
/// not a list of supported versions and are skipped. Sorted, without repeats.
pub fn kubernetes_versions(body: &str) -> Vec<KubeVersion> {
    let mut out: BTreeSet<KubeVersion> = BTreeSet::new();
    let mut in_list = false;
    for line in body.lines() {
        let lower = line.to_ascii_lowercase();
        let trimmed = lower.trim_start();
        if trimmed.is_empty() {
            continue;
        }
        let mentions = lower.contains("kubernetes") || lower.contains("k8s");
        let bullet = trimmed.starts_with(['-', '*', '+', '•']);
        let negative = ["remov", "deprecat", "no longer", "end of", "retire"]
            .iter()
            .any(|w| lower.contains(w));
        if !bullet {
            in_list = mentions && !negative;
        }
        if negative {
            continue;
        }
        for (before, run) in numeric_runs(line) {
            let prefixed = matches!(before, Some('v' | 'V'));
            if !(mentions || (bullet && (in_list || prefixed))) {
                continue;
            }
            let fields: Vec<&str> = run.split('.').collect();
            if fields.len() != 3 || fields.first() != Some(&"1") {
                continue;
            }
            let Ok(version) = KubeVersion::parse(run) else {
                continue;
            };
            if version.minor() >= 10 {
                out.insert(version);
            }
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CatalogSource;

    const BASE: &str = r#"{
      "catalogVersion": 1,
      "generated": "2026-01-01",
      "releases": [
        {"version": "1.0.10", "name": "May 2022", "tag": "AKS-HCI-2205", "released": "2022-05-15", "dateBasis": "month", "source": "docs"},
        {"version": "1.0.24.11029", "name": "November 2024", "tag": "AKS-arc-2411", "released": "2024-10-29", "dateBasis": "not-before", "source": "docs"},
        {"version": "1.0.25.10226", "tag": "AKS-arc-2503", "released": "2025-02-26", "dateBasis": "published", "kubernetesVersions": ["1.29.4"], "source": "docs"}
      ]
    }"#;

    fn base() -> Catalog {
        Catalog::from_text("base", BASE, CatalogSource::Embedded).unwrap()
    }

    fn day(text: &str) -> Day {
        parse_day(text).unwrap()
    }

    fn fetched(tag: &str, name: &str, published: &str, body: &str) -> FetchedRelease {
        FetchedRelease {
            tag_name: tag.into(),
            name: Some(name.into()),
            published_at: Some(published.into()),
            body: Some(body.into()),
            ..FetchedRelease::default()
        }
    }

    fn find<'a>(catalog: &'a Catalog, version: &str) -> &'a Release {
        catalog
            .releases
            .iter()
            .find(|r| r.version.to_string() == version)
            .unwrap()
    }

    #[test]
    fn published_dates_replace_estimates_and_fill_builds_and_kubernetes() {
        let releases = [
            fetched(
                "AKS-HCI-2205",
                "May 2022 update",
                "2022-05-18T20:01:02Z",
                "AKS hybrid version 1.0.10.10513.\n\nKubernetes versions: 1.21.9, 1.22.6",
            ),
            fetched(
                "aks-arc-2411",
                "November 2024",
                "2024-11-04T10:00:00Z",
                "Supported Kubernetes versions:\n\n- 1.27.7\n- 1.28.5\n* v1.29.2\n\nOther notes 1.2.3",
            ),
        ];
        let (merged, summary) = merge(&base(), &releases, day("2026-11-24"));
        assert_eq!(merged.generated, day("2026-11-24"));
        // The fetched list is the line's facts on the day of the update.
        let known = merged.known_through(Product::AksHybrid).unwrap();
        assert_eq!(
            (known.date, known.date_basis),
            (When::day(day("2026-11-24")), DateBasis::Published)
        );
        let may = find(&merged, "1.0.10.10513");
        assert_eq!(may.released, When::day(day("2022-05-18")));
        assert_eq!(may.date_basis, DateBasis::Published);
        assert_eq!(
            may.kubernetes_versions.as_ref().unwrap().len(),
            2,
            "{may:?}"
        );
        assert!(may.source.as_deref().unwrap().starts_with(
            "docs; GitHub release https://github.com/Azure/aksArc/releases/tag/AKS-HCI-2205"
        ));
        let nov = find(&merged, "1.0.24.11029");
        assert_eq!(nov.released, When::day(day("2024-11-04")));
        let k8s: Vec<String> = nov
            .kubernetes_versions
            .as_ref()
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(k8s, ["1.27.7", "1.28.5", "1.29.2"]);
        assert_eq!(
            summary,
            MergeSummary {
                fetched: 2,
                matched: 2,
                dates_published: 2,
                builds_filled: 1,
                kubernetes_filled: 2,
                added: vec![],
                kept_out: vec![],
                dates_set_aside: vec![],
            }
        );
        assert_eq!(merged.releases.len(), 3);
    }

    #[test]
    fn embedded_facts_that_are_not_estimates_stay() {
        let releases = [fetched(
            "AKS-arc-2503",
            "March 2025",
            "2025-03-09T00:00:00Z",
            "Kubernetes 1.30.1",
        )];
        let (merged, summary) = merge(&base(), &releases, day("2026-11-24"));
        let march = find(&merged, "1.0.25.10226");
        assert_eq!(march.released, When::day(day("2025-02-26")));
        assert_eq!(march.kubernetes_versions.as_ref().unwrap().len(), 1);
        assert_eq!(march.source.as_deref(), Some("docs"));
        assert_eq!(summary.matched, 1);
        assert_eq!(summary.dates_published, 0);
    }

    #[test]
    fn new_versions_are_added_and_versionless_releases_kept_out() {
        let releases = [
            fetched(
                "AKS-arc-2510",
                "October 2025",
                "2025-10-20T08:00:00Z",
                "Upgrade from 1.0.24.11029 to 1.0.27.10923.",
            ),
            fetched(
                "docs-refresh",
                "Docs",
                "2025-11-01T00:00:00Z",
                "Nothing here.",
            ),
            fetched(
                "mention",
                "Notes",
                "2025-11-02T00:00:00Z",
                "About 1.0.24.11029",
            ),
            FetchedRelease {
                tag_name: "AKS-arc-2512".into(),
                draft: true,
                ..FetchedRelease::default()
            },
        ];
        let (merged, summary) = merge(&base(), &releases, day("2026-11-24"));
        let october = find(&merged, "1.0.27.10923");
        assert_eq!(october.released, When::day(day("2025-10-20")));
        assert_eq!(october.date_basis, DateBasis::Published);
        assert_eq!(october.tag.as_deref(), Some("AKS-arc-2510"));
        assert_eq!(
            october.source.as_deref(),
            Some("https://github.com/Azure/aksArc/releases/tag/AKS-arc-2510")
        );
        assert_eq!(merged.releases.last().unwrap().version, october.version);
        // The mention of 1.0.24.11029 did not move November 2024.
        assert_eq!(
            find(&merged, "1.0.24.11029").released,
            When::estimate(day("2024-10-29"))
        );
        assert_eq!(summary.added, ["1.0.27.10923"]);
        let kept: Vec<(&str, &str)> = summary
            .kept_out
            .iter()
            .map(|k| (k.tag.as_str(), k.reason))
            .collect();
        assert_eq!(
            kept,
            [
                ("docs-refresh", NO_VERSION),
                ("mention", CLAIMED),
                ("AKS-arc-2512", NOT_PUBLISHED)
            ]
        );
        // Nothing embedded was removed, and the result is a valid catalog.
        assert_eq!(merged.releases.len(), 4);
        let text = serde_json::to_string(&merged.to_file()).unwrap();
        Catalog::from_text("merged", &text, CatalogSource::Embedded).unwrap();
    }

    /// Issue 12, item 10: implausible dates and dates against the version
    /// order are set aside; estimates give way to exact dates; the result is
    /// always a catalog that validates.
    #[test]
    fn dates_that_cannot_be_true_are_set_aside() {
        let releases = [
            fetched("AKS-HCI-2205", "May 2022", "0001-01-01T00:00:00Z", ""),
            // Later than 1.0.25.10226's exact date: against the version order.
            fetched("AKS-arc-2411", "November 2024", "2025-03-01T00:00:00Z", ""),
            // A new version dated before older exact dates.
            fetched(
                "AKS-arc-2601",
                "Old news",
                "2021-01-01T00:00:00Z",
                "1.0.30.10101",
            ),
            // In the future of the update.
            fetched(
                "AKS-arc-2701",
                "Future",
                "2027-06-01T00:00:00Z",
                "1.0.31.10101",
            ),
        ];
        let (merged, summary) = merge(&base(), &releases, day("2026-11-24"));
        let set_aside: Vec<(&str, &str)> = summary
            .dates_set_aside
            .iter()
            .map(|k| (k.tag.as_str(), k.reason))
            .collect();
        assert_eq!(
            set_aside,
            [
                ("AKS-HCI-2205", IMPLAUSIBLE),
                ("AKS-arc-2411", OUT_OF_ORDER),
                ("AKS-arc-2701", IMPLAUSIBLE)
            ]
        );
        assert_eq!(summary.kept_out.len(), 2, "{summary:?}");
        assert_eq!(summary.kept_out[0].reason, OUT_OF_ORDER);
        assert_eq!(summary.kept_out[1].reason, NO_DATE);
        // 1.0.10 is known to the month (May 2022).
        assert_eq!(
            find(&merged, "1.0.10").released,
            When::month(2022, 5).unwrap()
        );
        assert_eq!(
            find(&merged, "1.0.24.11029").released,
            When::estimate(day("2024-10-29"))
        );
        let text = serde_json::to_string(&merged.to_file()).unwrap();
        Catalog::from_text("merged", &text, CatalogSource::Embedded).unwrap();
    }

    #[test]
    fn estimates_give_way_to_exact_dates() {
        // 1.0.24's exact date comes before 1.0.10's estimate: the estimate
        // comes down to it, so the dates follow the versions.
        let releases = [fetched(
            "AKS-arc-2411",
            "November 2024",
            "2022-05-01T00:00:00Z",
            "",
        )];
        let (merged, summary) = merge(&base(), &releases, day("2026-11-24"));
        assert!(summary.dates_set_aside.is_empty(), "{summary:?}");
        assert_eq!(
            find(&merged, "1.0.24.11029").released,
            When::day(day("2022-05-01"))
        );
        // 1.0.10's month keeps only the day the version order leaves it.
        assert_eq!(
            find(&merged, "1.0.10").released,
            When::estimate(day("2022-05-01"))
        );
        let versions: Vec<String> = merged
            .releases
            .iter()
            .map(|r| r.version.to_string())
            .collect();
        assert_eq!(versions, ["1.0.10", "1.0.24.11029", "1.0.25.10226"]);
        let text = serde_json::to_string(&merged.to_file()).unwrap();
        Catalog::from_text("merged", &text, CatalogSource::Embedded).unwrap();
    }

    #[test]
    fn merging_the_embedded_catalog_with_nothing_keeps_it() {
        let embedded = Catalog::embedded().unwrap();
        let (merged, summary) = merge(&embedded, &[], embedded.generated);
        assert_eq!(merged, embedded);
        assert_eq!(summary.fetched, 0);
    }

    /// Issue 12, item 7: a release body naming 200,000 versions was scanned
    /// in quadratic time (each version compared with every one kept).
    #[test]
    fn scanning_a_body_of_many_versions_is_linear() {
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let n = 200_000u32;
            let aks: String = (0..n).map(|i| format!("1.0.{i}.10101 ")).collect();
            let kube: String = (0..n)
                .map(|i| format!("- Kubernetes 1.{}.{} \n", 10 + i % 1000, i))
                .collect();
            let counts = (aks_versions(&aks).len(), kubernetes_versions(&kube).len());
            let _ = done.send(counts);
        });
        // A hang guard, many times what the linear scan needs on a debug build.
        let counts = finished
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("scanning took more than 120 s");
        assert_eq!(counts, (200_000, 200_000));
    }

    #[test]
    fn scanners() {
        let found: Vec<String> = aks_versions(
            "v1.0.24.11029, 1.0.25.10226. x1.0.1.12345 1.0.2.123 2.0.1.12345 1.0.24.11029 1.0.3.10901a",
        )
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(found, ["1.0.24.11029", "1.0.25.10226"]);
        let k8s: Vec<String> = kubernetes_versions(
            "Kubernetes versions: 1.27.7, v1.28.5 and 1.0.24\n\
             Removed Kubernetes 1.25.6\n\
             - v1.26.3\n\
             - 1.26.9 (a stray number under a removal)\n\
             AKS 1.0.24.11029 ships Kubernetes 1.29.4\n",
        )
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(k8s, ["1.26.3", "1.27.7", "1.28.5", "1.29.4"]);
        assert!(kubernetes_versions("").is_empty());
        assert!(aks_versions("é1.0.24.11029 ünïcode…").is_empty());
    }
}
