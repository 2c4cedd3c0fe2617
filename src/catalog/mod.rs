//! The release catalog: AKS hybrid releases, host platform lifecycles and
//! upstream Kubernetes minors (format: `../shared/spec/catalog.md`, version 1).
//!
//! One is embedded (built from sourced facts by `scripts/build-catalog.py`),
//! one may be cached by `akspol catalog update` (whose network code is
//! [`fetch`], reached from that command only), and `--catalog FILE` names one.
//! All three are read and validated by [`Catalog::from_text`].

pub mod cache;
pub mod fetch;
mod file;
pub mod merge;
pub mod show;
pub mod validate;
mod view;

use std::fmt;

pub use file::{CatalogFile, KubernetesFile, PlatformFile, ReleaseFile};
pub use view::{CatalogView, Standing};

use crate::base::dates::{parse_day, Day};
use crate::base::version::{AksVersion, KubeVersion};
use crate::input::{self, InputError, JsonPath, Problem};
use crate::inventory::HostOs;

pub const EMBEDDED_CATALOG: &str = include_str!("../../data/catalog.json");

/// Where `akspol catalog update` reads the AksHci line's releases by default.
pub const RELEASES_URL: &str = "https://api.github.com/repos/Azure/aksArc/releases?per_page=100";

/// How a release date was established. Anything but `Published` is an estimate,
/// and so is every deadline computed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateBasis {
    Published,
    NotBefore,
    Tag,
    Month,
}

impl DateBasis {
    pub fn is_estimate(self) -> bool {
        self != DateBasis::Published
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DateBasis::Published => "published",
            DateBasis::NotBefore => "not-before",
            DateBasis::Tag => "tag",
            DateBasis::Month => "month",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub version: AksVersion,
    pub name: Option<String>,
    pub tag: Option<String>,
    pub released: Day,
    pub date_basis: DateBasis,
    pub kubernetes_versions: Option<Vec<KubeVersion>>,
    pub source: Option<String>,
}

impl Release {
    /// `1.0.24.11029 (November 2024)`.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("{} ({name})", self.version),
            None => self.version.to_string(),
        }
    }

    pub fn supports_kubernetes(&self, version: &KubeVersion) -> Option<bool> {
        self.kubernetes_versions
            .as_ref()
            .map(|list| list.iter().any(|v| v.same_release(version)))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlatformLifecycle {
    pub os: HostOs,
    pub version: String,
    pub released: Option<Day>,
    /// Last supported day of the host OS; `None` when none is published.
    pub end_of_support: Option<Day>,
    pub end_of_support_estimated: bool,
    /// `false` when AKS hybrid does not run on this host at all.
    pub aks_hybrid_supported: bool,
    pub required_edition: Option<String>,
    /// Last day AKS hybrid itself is supported on this host, when it retires earlier.
    pub aks_hybrid_retirement: Option<Day>,
    pub retirement_estimated: bool,
    pub source: Option<String>,
}

impl PlatformLifecycle {
    /// The last day AKS hybrid is supported on this host: the earlier of the
    /// host's end of support and AKS hybrid's retirement from it, with whether
    /// that date is an estimate and what it is (`"{host} support ends"`).
    pub fn last_supported_day(&self, host: &str) -> Option<(Day, bool, String)> {
        let ends = [
            self.end_of_support.map(|d| {
                (
                    d,
                    self.end_of_support_estimated,
                    format!("{host} support ends"),
                )
            }),
            self.aks_hybrid_retirement.map(|d| {
                (
                    d,
                    self.retirement_estimated,
                    format!("AKS hybrid support on {host} ends"),
                )
            }),
        ];
        ends.into_iter().flatten().min_by_key(|(d, _, _)| *d)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct KubernetesMinor {
    pub minor: String,
    pub released: Option<Day>,
    pub end_of_life: Option<Day>,
    pub source: Option<String>,
}

/// Where the catalog in use came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogSource {
    Embedded,
    Cache(String),
    File(String),
}

impl fmt::Display for CatalogSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogSource::Embedded => f.write_str("embedded"),
            CatalogSource::Cache(path) => write!(f, "cache:{path}"),
            CatalogSource::File(path) => write!(f, "file:{path}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    pub source: CatalogSource,
    pub generated: Day,
    pub about: Option<String>,
    /// In version order, oldest first; validation has made sure their dates
    /// agree with it (never decreasing), so this is also date order.
    pub releases: Vec<Release>,
    pub platforms: Vec<PlatformLifecycle>,
    pub kubernetes: Vec<KubernetesMinor>,
}

impl Catalog {
    pub fn embedded() -> Result<Self, InputError> {
        Self::from_text(
            "embedded catalog",
            EMBEDDED_CATALOG,
            CatalogSource::Embedded,
        )
    }

    /// Parses and validates a catalog, collecting every problem before failing.
    pub fn from_text(origin: &str, text: &str, source: CatalogSource) -> Result<Self, InputError> {
        let file: CatalogFile = input::parse_json(origin, text)?;
        Self::from_file(file, source)
            .map_err(|problems| InputError::invalid(origin, text, problems))
    }

    pub fn from_file(file: CatalogFile, source: CatalogSource) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let root = JsonPath::root();
        if file.catalog_version != 1 {
            problems.push(Problem::at(
                root.key("catalogVersion"),
                format!(
                    "unsupported catalogVersion {}: this akspol reads catalogVersion 1",
                    file.catalog_version
                ),
            ));
        }
        let sizes = validate::sizes(
            file.releases.len(),
            file.platforms.as_ref().map_or(0, Vec::len),
            file.kubernetes.as_ref().map_or(0, Vec::len),
        );
        if !sizes.is_empty() {
            return Err(sizes);
        }
        let release_floor = validate::earliest_release();
        // Host platforms and upstream Kubernetes are older than the product.
        let other_floor = Day::from_ymd_opt(2000, 1, 1).unwrap_or(Day::MIN);
        let day = |path: JsonPath, text: &str, floor: Day, problems: &mut Vec<Problem>| {
            parse_day(text)
                .map_err(|why| problems.push(Problem::at(path.clone(), why)))
                .ok()
                .map(|d| validate::plausible(d, floor, path, problems))
        };
        let generated = day(
            root.key("generated"),
            &file.generated,
            release_floor,
            &mut problems,
        );
        if file.releases.is_empty() {
            problems.push(Problem::at(
                root.key("releases"),
                "empty: a catalog needs at least one release",
            ));
        }
        let mut releases = Vec::with_capacity(file.releases.len());
        for (i, r) in file.releases.iter().enumerate() {
            let at = root.key("releases").index(i);
            let version = AksVersion::parse(&r.version, true)
                .map_err(|why| problems.push(Problem::at(at.key("version"), why)))
                .ok();
            let released = day(
                at.key("released"),
                &r.released,
                release_floor,
                &mut problems,
            );
            let kubernetes_versions = r.kubernetes_versions.as_ref().map(|list| {
                list.iter()
                    .enumerate()
                    .filter_map(|(j, v)| {
                        KubeVersion::parse(v)
                            .map_err(|why| {
                                problems
                                    .push(Problem::at(at.key("kubernetesVersions").index(j), why))
                            })
                            .ok()
                    })
                    .collect()
            });
            if let (Some(version), Some(released)) = (version, released) {
                releases.push((
                    i,
                    Release {
                        version,
                        name: r.name.clone(),
                        tag: r.tag.clone(),
                        released,
                        date_basis: r.date_basis.unwrap_or(DateBasis::Published),
                        kubernetes_versions,
                        source: r.source.clone(),
                    },
                ));
            }
        }
        let releases = validate::releases(releases, generated, &mut problems);

        let mut platforms = Vec::new();
        for (i, p) in file.platforms.iter().flatten().enumerate() {
            let at = root.key("platforms").index(i);
            let optional_day = |key: &str, value: &Option<String>, problems: &mut Vec<Problem>| {
                value
                    .as_deref()
                    .and_then(|v| day(at.key(key), v, other_floor, problems))
            };
            platforms.push(PlatformLifecycle {
                os: p.os,
                version: p.version.clone(),
                released: optional_day("released", &p.released, &mut problems),
                end_of_support: optional_day("endOfSupport", &p.end_of_support, &mut problems),
                end_of_support_estimated: p
                    .end_of_support_basis
                    .is_some_and(DateBasis::is_estimate),
                aks_hybrid_supported: p.aks_hybrid_supported.unwrap_or(true),
                required_edition: p.required_edition.clone(),
                aks_hybrid_retirement: optional_day(
                    "aksHybridRetirement",
                    &p.aks_hybrid_retirement,
                    &mut problems,
                ),
                retirement_estimated: p
                    .aks_hybrid_retirement_basis
                    .is_some_and(DateBasis::is_estimate),
                source: p.source.clone(),
            });
        }
        let mut kubernetes = Vec::new();
        for (i, k) in file.kubernetes.iter().flatten().enumerate() {
            let at = root.key("kubernetes").index(i);
            let released = k
                .released
                .as_deref()
                .and_then(|v| day(at.key("released"), v, other_floor, &mut problems));
            let end_of_life = k
                .end_of_life
                .as_deref()
                .and_then(|v| day(at.key("endOfLife"), v, other_floor, &mut problems));
            kubernetes.push(KubernetesMinor {
                minor: k.minor.clone(),
                released,
                end_of_life,
                source: k.source.clone(),
            });
        }
        validate::platforms(&platforms, &mut problems);
        validate::kubernetes(&kubernetes, &mut problems);
        match generated {
            Some(generated) if problems.is_empty() => Ok(Catalog {
                source,
                generated,
                about: file.about,
                releases,
                platforms,
                kubernetes,
            }),
            _ => Err(problems),
        }
    }

    /// The catalog in its own file format (for `catalog show --format json` and the cache).
    pub fn to_file(&self) -> CatalogFile {
        CatalogFile::from_catalog(self)
    }

    pub fn platform(&self, os: HostOs, version: &str) -> Option<&PlatformLifecycle> {
        self.platforms
            .iter()
            .find(|p| p.os == os && p.version.eq_ignore_ascii_case(version))
    }

    pub fn kubernetes_minor(&self, minor: &str) -> Option<&KubernetesMinor> {
        self.kubernetes.iter().find(|k| k.minor == minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_is_valid_and_sourced() {
        let catalog = Catalog::embedded().unwrap();
        assert!(catalog.releases.len() >= 20);
        assert!(catalog.releases.iter().all(|r| r.source.is_some()));
        assert!(catalog
            .releases
            .windows(2)
            .all(|w| w[0].released <= w[1].released));
        // Three-part versions are kept as they are.
        assert!(catalog.releases.iter().any(|r| r.version.build.is_none()));
        assert!(catalog.platform(HostOs::AzureStackHci, "23h2").is_some());
    }

    #[test]
    fn round_trips_through_its_file_format() {
        let catalog = Catalog::embedded().unwrap();
        let text = serde_json::to_string(&catalog.to_file()).unwrap();
        let again = Catalog::from_text("again", &text, CatalogSource::Embedded).unwrap();
        assert_eq!(catalog, again);
    }

    #[test]
    fn rejects_bad_catalogs() {
        let cases = [
            r#"{"catalogVersion": 2, "generated": "2026-01-01", "releases": [{"version": "1.0.1.1", "released": "2021-01-01"}]}"#,
            r#"{"catalogVersion": 1, "generated": "2026-01-01", "releases": []}"#,
            r#"{"catalogVersion": 1, "generated": "2026-01-01", "releases": [{"version": "1.0", "released": "2021-01-01"}]}"#,
            r#"{"catalogVersion": 1, "generated": "2026-01-01", "releases": [{"version": "1.0.1.1", "released": "2021-02-30"}]}"#,
            r#"{"catalogVersion": 1, "generated": "2026-01-01", "releases": [{"version": "1.0.1.1", "released": "2021-01-01"}, {"version": "1.0.1.1", "released": "2021-01-01"}]}"#,
            r#"{"catalogVersion": 1, "generated": "2026-01-01", "releases": [{"version": "1.0.1.1", "released": "2021-01-01", "extra": 1}]}"#,
        ];
        for case in cases {
            assert!(
                Catalog::from_text("c.json", case, CatalogSource::Embedded).is_err(),
                "{case}"
            );
        }
    }
}
