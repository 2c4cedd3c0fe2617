//! What a catalog must be beyond its format, so that no verdict rests on data
//! that cannot be true (issue 12, "Verdicts poisoned"): bounded in size,
//! every date plausible, each release once, each platform once, and the
//! releases in version order with dates that agree with it. A catalog that
//! breaks any of these is refused as a whole, with every problem's path;
//! `catalog update` sets aside the fetched facts that would break them
//! (`merge`), so a hostile feed cannot get them into the cache.

use std::collections::HashMap;

use super::{KubernetesMinor, PlatformLifecycle, Release};
use crate::base::dates::{add_days, Day};
use crate::base::version::AksVersion;
use crate::input::{JsonPath, Problem};

/// Releases a catalog may hold: the product has shipped about thirty; a
/// feed of 40,000 made every `check` slow.
pub const MAX_RELEASES: usize = 1000;
/// Host platform entries a catalog may hold.
pub const MAX_PLATFORMS: usize = 100;
/// Kubernetes minor versions a catalog may hold.
pub const MAX_KUBERNETES_MINORS: usize = 100;
/// The bytes a catalog file may have (`--catalog`, the cache): a thousand
/// releases with long notes fit many times over.
pub const MAX_CATALOG_BYTES: u64 = 16 * 1024 * 1024;

/// The read limit of a catalog file.
pub fn file_limit() -> crate::input::Limit {
    crate::input::Limit::fixed(MAX_CATALOG_BYTES, "a catalog file")
}

/// No AKS hybrid release (and no catalog of them) predates 2020: the product
/// reached general availability in May 2021 (`data/catalog.json`, 1.0.0),
/// after a preview that began in 2020.
pub fn earliest_release() -> Day {
    Day::from_ymd_opt(2020, 1, 1).unwrap_or(Day::MIN)
}

/// No date in a catalog lies after 2100: a date such as 9999-12-31 is an
/// error or an attack, never a fact.
pub fn latest_date() -> Day {
    Day::from_ymd_opt(2100, 12, 31).unwrap_or(Day::MAX)
}

/// A catalog assembled on `generated` cannot date a release more than a year
/// later, not even as an estimate.
pub const RELEASE_AFTER_GENERATED_DAYS: i64 = 366;

/// Problems with the number of entries (checked before anything else is read).
pub fn sizes(releases: usize, platforms: usize, kubernetes: usize) -> Vec<Problem> {
    let root = JsonPath::root();
    [
        ("releases", releases, MAX_RELEASES),
        ("platforms", platforms, MAX_PLATFORMS),
        ("kubernetes", kubernetes, MAX_KUBERNETES_MINORS),
    ]
    .into_iter()
    .filter(|(_, n, max)| n > max)
    .map(|(key, n, max)| {
        Problem::at(
            root.key(key),
            format!("{n} entries: a catalog holds at most {max}"),
        )
    })
    .collect()
}

/// `day` when it lies between `earliest` and [`latest_date`], else a problem at `path`.
pub fn plausible(day: Day, earliest: Day, path: JsonPath, problems: &mut Vec<Problem>) -> Day {
    if day < earliest {
        problems.push(Problem::at(
            path,
            format!("{day} is before {earliest}: not a plausible date for this catalog"),
        ));
    } else if day > latest_date() {
        problems.push(Problem::at(
            path,
            format!("{day} is after {}: not a plausible date", latest_date()),
        ));
    }
    day
}

/// The releases (each with its index in the file) in version order, after
/// refusing duplicates, a three-field entry beside a build of the same
/// `W.X.Y` (they would count as two releases), dates more than a year after
/// `generated`, and dates that contradict the version order.
pub fn releases(
    mut releases: Vec<(usize, Release)>,
    generated: Option<Day>,
    problems: &mut Vec<Problem>,
) -> Vec<Release> {
    let at = |i: usize| JsonPath::root().key("releases").index(i);
    if let Some(generated) = generated {
        let limit = add_days(generated, RELEASE_AFTER_GENERATED_DAYS);
        for (i, r) in &releases {
            if r.released.earliest > limit {
                problems.push(Problem::at(
                    at(*i).key("released"),
                    format!(
                        "{} is more than a year after the catalog was generated ({generated})",
                        r.released.earliest
                    ),
                ));
            }
        }
    }
    // The AKS hybrid line's `W.X.Y` families (Azure Local releases are
    // checked where they are read).
    let mut by_release: HashMap<[u64; 3], Vec<(usize, &AksVersion)>> = HashMap::new();
    for (i, r) in &releases {
        if let Some(version) = r.version.aks() {
            by_release
                .entry(version.fields)
                .or_default()
                .push((*i, version));
        }
    }
    let mut clashes: Vec<(usize, String)> = Vec::new();
    for entries in by_release.values() {
        let Some(&(_, first)) = entries.first() else {
            continue;
        };
        for &(i, other) in entries.iter().skip(1) {
            if other == first {
                clashes.push((i, format!("duplicate release {other}")));
            } else if other.build.is_none() || first.build.is_none() {
                clashes.push((
                    i,
                    format!(
                        "{first} and {other} are one release (a W.X.Y entry stands for every build of it): list it once"
                    ),
                ));
            }
        }
    }
    clashes.sort();
    for (i, why) in clashes {
        problems.push(Problem::at(at(i).key("version"), why));
    }
    releases.sort_by(|(_, a), (_, b)| {
        a.version
            .release_cmp(&b.version)
            .then_with(|| {
                let build = |r: &Release| r.version.aks().and_then(|v| v.build);
                build(a).cmp(&build(b))
            })
            .then_with(|| a.released.earliest.cmp(&b.released.earliest))
    });
    // Each release dated no earlier than every older version: the newest
    // date so far, walking up the versions (a month contradicts only when
    // every day of it is earlier).
    let mut newest: Option<&Release> = None;
    for (i, r) in &releases {
        match newest {
            Some(older) if r.released.latest < older.released.earliest => problems.push(Problem::at(
                at(*i).key("released"),
                format!(
                    "{} is dated {}, before the older release {} ({}): the dates contradict the version order",
                    r.version, r.released, older.version, older.released
                ),
            )),
            Some(older) if r.released.earliest <= older.released.earliest => {}
            _ => newest = Some(r),
        }
    }
    releases.into_iter().map(|(_, r)| r).collect()
}

/// Refuses a host platform listed twice (which one would V008 believe?).
pub fn platforms(platforms: &[PlatformLifecycle], problems: &mut Vec<Problem>) {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (i, p) in platforms.iter().enumerate() {
        let key = (p.os.to_string(), p.version.to_ascii_lowercase());
        if let Some(first) = seen.insert(key, i) {
            problems.push(Problem::at(
                JsonPath::root().key("platforms").index(i),
                format!(
                    "duplicate platform {} {} (also platforms[{first}])",
                    p.os,
                    crate::base::sanitize::clean(&p.version)
                ),
            ));
        }
    }
}

/// Refuses a Kubernetes minor listed twice.
pub fn kubernetes(minors: &[KubernetesMinor], problems: &mut Vec<Problem>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, k) in minors.iter().enumerate() {
        if let Some(first) = seen.insert(k.minor.as_str(), i) {
            problems.push(Problem::at(
                JsonPath::root().key("kubernetes").index(i).key("minor"),
                format!(
                    "duplicate Kubernetes minor {} (also kubernetes[{first}])",
                    crate::base::sanitize::clean(&k.minor)
                ),
            ));
        }
    }
}
