//! The release catalog: the releases of both product lines (AKS hybrid's
//! AksHci releases; Azure Local releases with their builds), how far each
//! line's facts reach (`knownThrough`), host platform and node OS lifecycles,
//! and upstream Kubernetes minors (format: `docs/spec/catalog.md`,
//! version 1, with the extensions documented in `file.rs`).
//!
//! One is embedded (built from sourced facts by `scripts/build-catalog.py`),
//! one may be cached by `akspol catalog update` (whose network code is
//! [`fetch`], reached from that command only), and `--catalog FILE` names one.
//! All three are read and validated by [`Catalog::from_text`].

pub mod cache;
pub mod fetch;
mod file;
pub mod manifest;
pub mod merge;
pub mod show;
pub mod validate;
mod view;

use std::fmt;

pub use file::{
    BuildFile, CatalogFile, KnownThroughFile, KubernetesFile, LocalReleaseFile, NodeOsFile,
    PlatformFile, ReleaseFile,
};
pub use view::{CatalogAge, CatalogView, Standing};

use crate::base::dates::{parse_day, Day};
use crate::base::embedded::documents;
use crate::base::product::Product;
use crate::base::version::{AksVersion, KubeVersion, LocalVersion, ReleaseVersion};
use crate::input::{self, InputError, JsonPath, Problem};
use crate::inventory::HostOs;

pub const EMBEDDED_CATALOG: &str = include_str!("../../data/catalog.json");

/// Where `akspol catalog update` reads the AksHci line's releases by default.
pub const RELEASES_URL: &str = "https://api.github.com/repos/Azure/aksArc/releases?per_page=100";

/// How a release date was established. `published` (GitHub's publication
/// date) and `availability-date` (Microsoft's release table) are exact;
/// anything else is an estimate, and so is every deadline computed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateBasis {
    Published,
    AvailabilityDate,
    NotBefore,
    Tag,
    Month,
}

impl DateBasis {
    pub fn is_estimate(self) -> bool {
        !matches!(self, DateBasis::Published | DateBasis::AvailabilityDate)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DateBasis::Published => "published",
            DateBasis::AvailabilityDate => "availability-date",
            DateBasis::NotBefore => "not-before",
            DateBasis::Tag => "tag",
            DateBasis::Month => "month",
        }
    }
}

/// A release of either line. Azure Local releases carry their solution builds.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub version: ReleaseVersion,
    pub name: Option<String>,
    pub tag: Option<String>,
    pub released: Day,
    pub date_basis: DateBasis,
    /// The complete list of Kubernetes versions the release supports.
    pub kubernetes_versions: Option<Vec<KubeVersion>>,
    /// Versions seen running on the release (issues, scripts): partial
    /// evidence, never read as the complete list.
    pub kubernetes_versions_seen: Option<Vec<KubeVersion>>,
    /// Azure Local solution builds of this release, in the order sourced.
    pub builds: Vec<Build>,
    pub source: Option<String>,
}

impl Release {
    /// `1.0.24.11029 (November 2024)`; an Azure Local release by its number.
    pub fn label(&self) -> String {
        match (&self.name, self.version) {
            (Some(name), ReleaseVersion::AksHci(_)) => format!("{} ({name})", self.version),
            _ => self.version.to_string(),
        }
    }

    /// Whether the release's complete list has this version; `None` without a list.
    pub fn supports_kubernetes(&self, version: &KubeVersion) -> Option<bool> {
        self.kubernetes_versions
            .as_ref()
            .map(|list| list.iter().any(|v| v.same_release(version)))
    }

    /// Whether the version was seen running on this release (partial evidence).
    pub fn seen_with_kubernetes(&self, version: &KubeVersion) -> bool {
        self.kubernetes_versions_seen
            .as_ref()
            .is_some_and(|list| list.iter().any(|v| v.same_release(version)))
    }

    /// The documented build with exactly this version, if any.
    pub fn build(&self, version: &LocalVersion) -> Option<&Build> {
        self.builds.iter().find(|b| b.version == *version)
    }
}

/// One solution build of an Azure Local release.
#[derive(Debug, Clone, PartialEq)]
pub struct Build {
    pub version: LocalVersion,
    /// `26100.6899`.
    pub os_build: Option<String>,
    /// `None` when no date is sourced.
    pub available: Option<Day>,
    pub supersedes: Option<String>,
    pub note: Option<String>,
    pub source: Option<String>,
}

/// A release the sources name without a date: listed, never judged against.
#[derive(Debug, Clone, PartialEq)]
pub struct UndatedRelease {
    pub version: ReleaseVersion,
    pub name: Option<String>,
    pub builds: Vec<Build>,
    pub kubernetes_versions: Option<Vec<KubeVersion>>,
    pub kubernetes_versions_seen: Option<Vec<KubeVersion>>,
    pub source: Option<String>,
}

/// How far a product line's facts reach: the date of the newest sourced fact
/// about its releases (not the day the catalog was built).
#[derive(Debug, Clone, PartialEq)]
pub struct KnownThrough {
    pub product: Product,
    pub date: Day,
    pub date_basis: DateBasis,
    /// What that fact is, in words.
    pub fact: Option<String>,
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
    /// An edition this catalog requires on top of the policy's (the policy
    /// edition's requirement holds with any catalog).
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

/// The lifecycle of a node OS SKU of AKS Arc node pools.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeOsLifecycle {
    /// The API's value: `CBLMariner`, `Windows2019`, `Windows2022`.
    pub os_sku: String,
    /// Which image line this entry is about, when the SKU covers several.
    pub image: Option<String>,
    /// A node whose OS image starts with this is on that image line.
    pub os_image_prefix: Option<String>,
    pub end_of_support: Option<Day>,
    pub end_of_support_estimated: bool,
    pub source: Option<String>,
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
    /// Azure Local releases with a date, sorted the same way.
    pub local_releases: Vec<Release>,
    /// Releases known by name only.
    pub undated: Vec<UndatedRelease>,
    /// One entry per product line with releases (recorded, or derived from the
    /// newest release when the file records none), in product order.
    pub known_through: Vec<KnownThrough>,
    pub platforms: Vec<PlatformLifecycle>,
    pub node_os: Vec<NodeOsLifecycle>,
    pub kubernetes: Vec<KubernetesMinor>,
}

/// Parses every Kubernetes version of a list, each problem at its index.
fn kube_list(
    list: Option<&Vec<String>>,
    at: &JsonPath,
    problems: &mut Vec<Problem>,
) -> Option<Vec<KubeVersion>> {
    list.map(|list| {
        list.iter()
            .enumerate()
            .filter_map(|(j, v)| {
                KubeVersion::parse(v)
                    .map_err(|why| problems.push(Problem::at(at.index(j), why)))
                    .ok()
            })
            .collect()
    })
}

/// A date of the catalog that must be plausible (`validate::plausible`):
/// from 2000 (host platforms and upstream Kubernetes are older than the
/// product), nothing after 2100.
fn parse_date(path: JsonPath, text: &str, problems: &mut Vec<Problem>) -> Option<Day> {
    let floor = Day::from_ymd_opt(2000, 1, 1).unwrap_or(Day::MIN);
    parse_day(text)
        .map_err(|why| problems.push(Problem::at(path.clone(), why)))
        .ok()
        .map(|d| validate::plausible(d, floor, path, problems))
}

impl Catalog {
    /// The embedded catalog, decoded at build time (`build.rs`).
    pub fn embedded() -> Result<Self, InputError> {
        let origin = "embedded catalog";
        let file: CatalogFile = crate::base::embedded::read(&documents::CATALOG)
            .map_err(|e| InputError::file(origin, e.to_string()))?;
        Self::from_file(file, CatalogSource::Embedded)
            .map_err(|problems| InputError::invalid(origin, EMBEDDED_CATALOG, problems))
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
            file.releases.len() + file.azure_local_releases.as_ref().map_or(0, Vec::len),
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
            let kubernetes_versions = kube_list(
                r.kubernetes_versions.as_ref(),
                &at.key("kubernetesVersions"),
                &mut problems,
            );
            let kubernetes_versions_seen = kube_list(
                r.kubernetes_versions_seen.as_ref(),
                &at.key("kubernetesVersionsSeen"),
                &mut problems,
            );
            if let (Some(version), Some(released)) = (version, released) {
                releases.push((
                    i,
                    Release {
                        version: ReleaseVersion::AksHci(version),
                        name: r.name.clone(),
                        tag: r.tag.clone(),
                        released,
                        date_basis: r.date_basis.unwrap_or(DateBasis::Published),
                        kubernetes_versions,
                        kubernetes_versions_seen,
                        builds: Vec::new(),
                        source: r.source.clone(),
                    },
                ));
            }
        }
        let mut releases = validate::releases(releases, generated, &mut problems);
        sort_releases(&mut releases);

        let (mut local_releases, undated) = local_releases(
            file.azure_local_releases.as_deref().unwrap_or_default(),
            &root,
            &mut problems,
        );
        sort_releases(&mut local_releases);

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
        let mut node_os = Vec::new();
        for (i, n) in file.node_os_skus.iter().flatten().enumerate() {
            let at = root.key("nodeOsSkus").index(i);
            if n.os_sku.trim().is_empty() {
                problems.push(Problem::at(
                    at.key("osSku"),
                    "empty: expected an OS SKU such as Windows2019",
                ));
            }
            node_os.push(NodeOsLifecycle {
                os_sku: n.os_sku.clone(),
                image: n.image.clone(),
                os_image_prefix: n.os_image_prefix.clone(),
                end_of_support: n
                    .end_of_support
                    .as_deref()
                    .and_then(|v| parse_date(at.key("endOfSupport"), v, &mut problems)),
                end_of_support_estimated: n
                    .end_of_support_basis
                    .is_some_and(DateBasis::is_estimate),
                source: n.source.clone(),
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
        let known_through = known_through(
            file.known_through.as_deref().unwrap_or_default(),
            [&releases, &local_releases],
            &root,
            &mut problems,
        );
        match generated {
            Some(generated) if problems.is_empty() => Ok(Catalog {
                source,
                generated,
                about: file.about,
                releases,
                local_releases,
                undated,
                known_through,
                platforms,
                node_os,
                kubernetes,
            }),
            _ => Err(problems),
        }
    }

    /// The catalog in its own file format (for `catalog show --format json` and the cache).
    pub fn to_file(&self) -> CatalogFile {
        CatalogFile::from_catalog(self)
    }

    /// The dated releases of a product line, oldest first.
    pub fn line(&self, product: Product) -> &[Release] {
        match product {
            Product::AksHybrid => &self.releases,
            Product::AksArc => &self.local_releases,
        }
    }

    pub fn known_through(&self, product: Product) -> Option<&KnownThrough> {
        self.known_through.iter().find(|k| k.product == product)
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

fn sort_releases(releases: &mut [Release]) {
    releases.sort_by(|a, b| {
        a.released
            .cmp(&b.released)
            .then_with(|| a.version.release_cmp(&b.version))
    });
}

/// The Azure Local releases of a file: the dated ones, and those known by name only.
fn local_releases(
    files: &[LocalReleaseFile],
    root: &JsonPath,
    problems: &mut Vec<Problem>,
) -> (Vec<Release>, Vec<UndatedRelease>) {
    let mut dated = Vec::new();
    let mut undated = Vec::new();
    let mut seen = Vec::new();
    for (i, r) in files.iter().enumerate() {
        let at = root.key("azureLocalReleases").index(i);
        let release = match LocalVersion::parse(&r.release) {
            Ok(v) if v.build.is_none() => Some(v),
            Ok(_) => {
                problems.push(Problem::at(
                    at.key("release"),
                    format!(
                        "`{}` is a build: expected a release name YYMM (its builds go in `builds`)",
                        r.release
                    ),
                ));
                None
            }
            Err(why) => {
                problems.push(Problem::at(at.key("release"), why));
                None
            }
        };
        if let Some(release) = release {
            if seen.contains(&release) {
                problems.push(Problem::at(
                    at.key("release"),
                    format!("duplicate release {release}"),
                ));
            }
            seen.push(release);
        }
        let released = r
            .released
            .as_deref()
            .and_then(|d| parse_date(at.key("released"), d, problems));
        let mut builds = Vec::new();
        for (j, b) in r.builds.iter().flatten().enumerate() {
            let bat = at.key("builds").index(j);
            let version = match LocalVersion::parse(&b.version) {
                Ok(v) if v.build.is_some() && release.is_none_or(|r| r.release == v.release) => {
                    Some(v)
                }
                Ok(_) => {
                    problems.push(Problem::at(
                        bat.key("version"),
                        format!("`{}` is not a build of release {}", b.version, r.release),
                    ));
                    None
                }
                Err(why) => {
                    problems.push(Problem::at(bat.key("version"), why));
                    None
                }
            };
            let available = b
                .available
                .as_deref()
                .and_then(|d| parse_date(bat.key("available"), d, problems));
            if let Some(version) = version {
                builds.push(Build {
                    version,
                    os_build: b.os_build.clone(),
                    available,
                    supersedes: b.supersedes.clone(),
                    note: b.note.clone(),
                    source: b.source.clone(),
                });
            }
        }
        let kubernetes_versions = kube_list(
            r.kubernetes_versions.as_ref(),
            &at.key("kubernetesVersions"),
            problems,
        );
        let kubernetes_versions_seen = kube_list(
            r.kubernetes_versions_seen.as_ref(),
            &at.key("kubernetesVersionsSeen"),
            problems,
        );
        let Some(release) = release else { continue };
        let version = ReleaseVersion::AzureLocal(release);
        match released {
            Some(released) => dated.push(Release {
                version,
                name: r.name.clone(),
                tag: None,
                released,
                date_basis: r.date_basis.unwrap_or(DateBasis::AvailabilityDate),
                kubernetes_versions,
                kubernetes_versions_seen,
                builds,
                source: r.source.clone(),
            }),
            None => undated.push(UndatedRelease {
                version,
                name: r.name.clone(),
                builds,
                kubernetes_versions,
                kubernetes_versions_seen,
                source: r.source.clone(),
            }),
        }
    }
    (dated, undated)
}

/// The newest dated fact of a line: its newest release, or (Azure Local) the
/// newest build of it.
fn newest_fact(releases: &[Release]) -> Option<(Day, DateBasis, String)> {
    let release = releases.iter().max_by_key(|r| r.released)?;
    let build = releases
        .iter()
        .flat_map(|r| r.builds.iter().filter_map(|b| b.available.map(|d| (d, b))))
        .max_by_key(|(d, _)| *d)
        .filter(|(d, _)| *d > release.released);
    Some(match build {
        Some((day, b)) => (
            day,
            DateBasis::AvailabilityDate,
            format!("build {} available", b.version),
        ),
        None => (
            release.released,
            release.date_basis,
            format!("release {}, the newest in the catalog", release.version),
        ),
    })
}

/// `knownThrough` as recorded, checked against the releases; derived from the
/// newest release for a line that records none.
fn known_through(
    files: &[KnownThroughFile],
    lines: [&[Release]; 2],
    root: &JsonPath,
    problems: &mut Vec<Problem>,
) -> Vec<KnownThrough> {
    let mut out: Vec<KnownThrough> = Vec::new();
    for (i, k) in files.iter().enumerate() {
        let at = root.key("knownThrough").index(i);
        if out.iter().any(|o| o.product == k.product) {
            problems.push(Problem::at(
                at.key("product"),
                format!("duplicate product line {}", k.product),
            ));
            continue;
        }
        let Some(date) = parse_date(at.key("date"), &k.date, problems) else {
            continue;
        };
        let line = Product::ALL
            .into_iter()
            .zip(lines)
            .find_map(|(p, line)| (p == k.product).then_some(line))
            .unwrap_or_default();
        if let Some((newest, _, fact)) = newest_fact(line) {
            if date < newest {
                problems.push(Problem::at(
                    at.key("date"),
                    format!("{date} is before the line's newest fact ({fact}, {newest}): knownThrough is the date of the newest fact"),
                ));
            }
        }
        out.push(KnownThrough {
            product: k.product,
            date,
            date_basis: k.date_basis.unwrap_or(DateBasis::Published),
            fact: k.fact.clone(),
        });
    }
    for (product, line) in Product::ALL.into_iter().zip(lines) {
        if out.iter().any(|o| o.product == product) {
            continue;
        }
        if let Some((date, date_basis, fact)) = newest_fact(line) {
            out.push(KnownThrough {
                product,
                date,
                date_basis,
                fact: Some(fact),
            });
        }
    }
    out.sort_by_key(|k| k.product);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decoded_catalog_is_the_json() {
        let from_text: CatalogFile = input::parse_json("catalog.json", EMBEDDED_CATALOG).unwrap();
        let decoded: CatalogFile = crate::base::embedded::read(&documents::CATALOG).unwrap();
        assert_eq!(
            serde_json::to_value(decoded).unwrap(),
            serde_json::to_value(from_text).unwrap()
        );
    }

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
        assert!(catalog.releases.iter().any(|r| r.version.lacks_build()));
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

    const ONE_RELEASE: &str =
        r#""releases": [{"version": "1.0.1.1", "released": "2026-01-10", "dateBasis": "tag"}]"#;

    #[test]
    fn known_through_is_recorded_or_derived_from_the_newest_fact() {
        // Derived: the newest release, with its basis (an estimate here).
        let derived = Catalog::from_text(
            "c.json",
            &format!(r#"{{"catalogVersion": 1, "generated": "2026-12-01", {ONE_RELEASE}}}"#),
            CatalogSource::Embedded,
        )
        .unwrap();
        let known = derived.known_through(Product::AksHybrid).unwrap();
        assert_eq!(
            (known.date.to_string(), known.date_basis),
            ("2026-01-10".into(), DateBasis::Tag)
        );
        assert!(derived.known_through(Product::AksArc).is_none());
        // Recorded: a later day the facts were checked on wins.
        let recorded = Catalog::from_text(
            "c.json",
            &format!(r#"{{"catalogVersion": 1, "generated": "2026-12-01", "knownThrough": [{{"product": "aks-hybrid", "date": "2026-03-01"}}], {ONE_RELEASE}}}"#),
            CatalogSource::Embedded,
        )
        .unwrap();
        let known = recorded.known_through(Product::AksHybrid).unwrap();
        assert_eq!(
            (known.date.to_string(), known.date_basis),
            ("2026-03-01".into(), DateBasis::Published)
        );
        // A record older than the line's own newest release contradicts it.
        for bad in [
            r#"[{"product": "aks-hybrid", "date": "2025-12-31"}]"#,
            r#"[{"product": "aks-hybrid", "date": "2026-03-01"}, {"product": "aks-hybrid", "date": "2026-03-02"}]"#,
            r#"[{"product": "aks-edge", "date": "2026-03-01"}]"#,
        ] {
            let text = format!(
                r#"{{"catalogVersion": 1, "generated": "2026-12-01", "knownThrough": {bad}, {ONE_RELEASE}}}"#
            );
            assert!(
                Catalog::from_text("c.json", &text, CatalogSource::Embedded).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn azure_local_releases_keep_their_builds_and_undated_ones_are_listed_apart() {
        let catalog = Catalog::embedded().unwrap();
        let r2510 = catalog
            .local_releases
            .iter()
            .find(|r| r.version.to_string() == "2510")
            .unwrap();
        assert_eq!(r2510.released.to_string(), "2025-10-24");
        assert_eq!(r2510.builds.len(), 5);
        // The build printed with a date before the one it supersedes has none.
        let typo = r2510
            .builds
            .iter()
            .find(|b| b.version.to_string() == "11.2510.1002.93")
            .unwrap();
        assert_eq!(typo.available, None);
        assert!(catalog.platform(HostOs::AzureLocal, "23H2").is_some());
        assert!(catalog.node_os.iter().any(|n| n.os_sku == "Windows2019"));
        for bad in [
            r#"[{"release": "12.2510.1002.94", "released": "2025-10-24"}]"#,
            r#"[{"release": "2510", "released": "2025-10-24", "builds": [{"version": "12.2511.1002.5"}]}]"#,
            r#"[{"release": "2510", "released": "2025-10-24"}, {"release": "2510", "released": "2025-10-25"}]"#,
            r#"[{"release": "2513", "released": "2025-10-24"}]"#,
        ] {
            let text = format!(
                r#"{{"catalogVersion": 1, "generated": "2026-12-01", "azureLocalReleases": {bad}, {ONE_RELEASE}}}"#
            );
            assert!(
                Catalog::from_text("c.json", &text, CatalogSource::Embedded).is_err(),
                "{bad}"
            );
        }
    }
}
