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
    AksArcFile, BuildFile, CatalogFile, KnownThroughFile, KubernetesFile, LocalReleaseFile,
    NodeOsFile, PlatformFile, ReleaseFile, WindowFile,
};
pub use view::{CatalogAge, CatalogView, Standing};

use crate::base::dates::{parse_day, Day, When};
use crate::base::embedded::documents;
use crate::base::product::Product;
use crate::base::version::{AksVersion, KubeVersion, LocalVersion, ReleaseVersion};
use crate::input::{self, InputError, JsonPath, Problem};
use crate::inventory::HostOs;

pub const EMBEDDED_CATALOG: &str = include_str!("../../data/catalog.json");

/// Where `akspol catalog update` reads the AksHci line's releases by default.
pub const RELEASES_URL: &str = "https://api.github.com/repos/Azure/aksArc/releases?per_page=100";

/// How a date was established. `published` (GitHub's publication date) and
/// `availability-date` (Microsoft's release table) are one exact day;
/// `not-before` and `tag` are one estimated day; `month` is some day of the
/// month of the date given (for an Azure Local release without a sourced
/// day, the month of its `YYMM` name); `window` is some day between two
/// bounds sources give. Every deadline computed from anything but an exact
/// day is marked `~` (see [`When`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateBasis {
    Published,
    AvailabilityDate,
    NotBefore,
    Tag,
    Month,
    Window,
}

impl DateBasis {
    /// Not one exact day: a fetched publication date may replace it.
    pub fn is_estimate(self) -> bool {
        !matches!(self, DateBasis::Published | DateBasis::AvailabilityDate)
    }

    /// The date `day` stands for under this basis.
    pub fn when(self, day: Day) -> When {
        match self {
            DateBasis::Published | DateBasis::AvailabilityDate | DateBasis::Window => {
                When::day(day)
            }
            DateBasis::NotBefore | DateBasis::Tag => When::estimate(day),
            DateBasis::Month => When::month_of(day),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DateBasis::Published => "published",
            DateBasis::AvailabilityDate => "availability-date",
            DateBasis::NotBefore => "not-before",
            DateBasis::Tag => "tag",
            DateBasis::Month => "month",
            DateBasis::Window => "window",
        }
    }
}

/// A release of either line. Azure Local releases carry their solution builds.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub version: ReleaseVersion,
    pub name: Option<String>,
    pub tag: Option<String>,
    /// The day it came out (its first build's availability date), or the
    /// span it lies in: an Azure Local release no source dates is dated by
    /// the month of its `YYMM` name.
    pub released: When,
    pub date_basis: DateBasis,
    /// Who attests it (`microsoft`, `oem`, `third-party`), when the sources say.
    pub confidence: Option<String>,
    /// The complete list of Kubernetes versions the release supports.
    pub kubernetes_versions: Option<Vec<KubeVersion>>,
    /// Versions seen running on the release (issues, scripts): partial
    /// evidence, never read as the complete list.
    pub kubernetes_versions_seen: Option<Vec<KubeVersion>>,
    /// Azure Local solution builds of this release, in the order sourced.
    pub builds: Vec<Build>,
    /// The AKS Arc extension and node image facts of an Azure Local release.
    pub aks_arc: Option<AksArcFacts>,
    /// What the sources disagree on or add, each with its source.
    pub notes: Vec<String>,
    pub source: Option<String>,
    /// Not the catalog's: one inventory's Azure update list attests it
    /// (Azure lists it for that instance).
    pub attested: bool,
}

/// What an Azure Local release carries of AKS Arc beyond its Kubernetes
/// versions: its AKS Arc extension and node image facts (a security
/// bulletin's, for the releases of 2026).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AksArcFacts {
    pub extension: Option<String>,
    pub node_image: Option<String>,
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

    /// The documented build with exactly this version, if any, and the one
    /// it names when it is another number of a documented build (an alias).
    pub fn build(&self, version: &LocalVersion) -> Option<&Build> {
        let found = self.builds.iter().find(|b| b.version == *version)?;
        Some(
            found
                .alias_of
                .as_ref()
                .and_then(|of| self.builds.iter().find(|b| b.version.to_string() == *of))
                .unwrap_or(found),
        )
    }

    /// Whether no source gives the day it came out: its date is the month of
    /// its name or a window.
    pub fn undated(&self) -> bool {
        self.released.is_span()
    }

    /// `release 2607 (known by name only: dated by the month of its name)`,
    /// the words every rule uses for a release without a sourced day, so
    /// they speak with one voice; `release 2603` otherwise.
    pub fn described(&self) -> String {
        match self.date_note() {
            Some(note) => format!("release {} ({note})", self.version),
            None => format!("release {}", self.version),
        }
    }

    /// How a release without a sourced day is dated.
    pub fn date_note(&self) -> Option<&'static str> {
        if self.attested {
            Some("not in the catalog: Azure lists it for this instance; dated by the month of its name")
        } else if !self.undated() {
            None
        } else if self.date_basis == DateBasis::Window {
            Some("no source gives its day, only days it came out between")
        } else {
            Some("known by name only: dated by the month of its name")
        }
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
    /// Another number of the documented build this names (a revision of the
    /// release notes gave `12.2602.1007.7` for `12.2602.1002.7`).
    pub alias_of: Option<String>,
    /// Who gives the build number (`microsoft`, `oem`, `third-party`).
    pub confidence: Option<String>,
    pub note: Option<String>,
    pub source: Option<String>,
}

/// How far a product line's facts reach: the date of the newest sourced fact
/// about its releases (not the day the catalog was built), as precisely as
/// that fact is dated (a release dated by its month reaches that month).
#[derive(Debug, Clone, PartialEq)]
pub struct KnownThrough {
    pub product: Product,
    pub date: When,
    pub date_basis: DateBasis,
    /// What that fact is, in words.
    pub fact: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlatformLifecycle {
    pub os: HostOs,
    pub version: String,
    pub released: Option<Day>,
    /// Last supported day of the host OS (a month when the page says "April
    /// 2026"); `None` when none is published.
    pub end_of_support: Option<When>,
    /// `false` when AKS hybrid does not run on this host at all.
    pub aks_hybrid_supported: bool,
    /// An edition this catalog requires on top of the policy's (the policy
    /// edition's requirement holds with any catalog).
    pub required_edition: Option<String>,
    /// Last day AKS hybrid itself is supported on this host, when it retires
    /// earlier (a month: "retiring ... in March 2027").
    pub aks_hybrid_retirement: Option<When>,
    pub source: Option<String>,
}

impl PlatformLifecycle {
    /// The last day AKS hybrid is supported on this host: the earlier of the
    /// host's end of support and AKS hybrid's retirement from it, and what it
    /// is (`"{host} support ends"`).
    pub fn last_supported_day(&self, host: &str) -> Option<(When, String)> {
        let ends = [
            self.end_of_support
                .map(|d| (d, format!("{host} support ends"))),
            self.aks_hybrid_retirement
                .map(|d| (d, format!("AKS hybrid support on {host} ends"))),
        ];
        ends.into_iter()
            .flatten()
            .min_by_key(|(d, _)| (d.earliest, d.latest))
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
    /// A Windows node whose `node.kubernetes.io/windows-build` label is this
    /// (`10.0.17763`) is on that image line.
    pub windows_build: Option<String>,
    /// The Azure Local release from which AKS Arc ships this image line for
    /// its SKU; `None` for the first line of a SKU.
    pub first_release: Option<u32>,
    pub end_of_support: Option<When>,
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
    /// Azure Local releases, sorted by the earliest day each may have come
    /// out (those known by name only are dated by their month).
    pub local_releases: Vec<Release>,
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
        let generated = checked_day(
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
        let releases = aks_hci_releases(&file.releases, &root, release_floor, &mut problems);
        let mut releases = validate::releases(releases, generated, &mut problems);
        sort_releases(&mut releases);

        let mut local_releases = local_releases(
            file.azure_local_releases.as_deref().unwrap_or_default(),
            &root,
            &mut problems,
        );
        sort_releases(&mut local_releases);

        let platforms = platforms(file.platforms.as_deref(), &root, other_floor, &mut problems);
        let node_os = node_os(file.node_os_skus.as_deref(), &root, &mut problems);
        let kubernetes = kubernetes(
            file.kubernetes.as_deref(),
            &root,
            other_floor,
            &mut problems,
        );
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

/// Releases in the order of the earliest day each may have come out (a
/// release dated by its month, from its first day), then by version.
pub(crate) fn sort_releases(releases: &mut [Release]) {
    releases.sort_by(|a, b| {
        a.released
            .earliest
            .cmp(&b.released.earliest)
            .then_with(|| a.version.release_cmp(&b.version))
    });
}

/// A date of the catalog: parsed, and plausible (not before `floor`, not
/// far in the future).
fn checked_day(path: JsonPath, text: &str, floor: Day, problems: &mut Vec<Problem>) -> Option<Day> {
    parse_day(text)
        .map_err(|why| problems.push(Problem::at(path.clone(), why)))
        .ok()
        .map(|d| validate::plausible(d, floor, path, problems))
}

/// The AksHci releases, each with its index in the file (for its problems).
fn aks_hci_releases(
    raw: &[ReleaseFile],
    root: &JsonPath,
    release_floor: Day,
    problems: &mut Vec<Problem>,
) -> Vec<(usize, Release)> {
    let mut releases = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        let at = root.key("releases").index(i);
        let version = AksVersion::parse(&r.version, true)
            .map_err(|why| problems.push(Problem::at(at.key("version"), why)))
            .ok();
        let released = checked_day(at.key("released"), &r.released, release_floor, problems);
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
        if let (Some(version), Some(released)) = (version, released) {
            let date_basis = r.date_basis.unwrap_or(DateBasis::Published);
            if date_basis == DateBasis::Window {
                problems.push(Problem::at(
                    at.key("dateBasis"),
                    "`window` needs bounds, which only an Azure Local release has (`releasedWindow`): expected published, not-before, tag or month",
                ));
            }
            releases.push((
                i,
                Release {
                    version: ReleaseVersion::AksHci(version),
                    name: r.name.clone(),
                    tag: r.tag.clone(),
                    released: date_basis.when(released),
                    date_basis,
                    confidence: None,
                    kubernetes_versions,
                    kubernetes_versions_seen,
                    builds: Vec::new(),
                    aks_arc: None,
                    notes: Vec::new(),
                    source: r.source.clone(),
                    attested: false,
                },
            ));
        }
    }
    releases
}

/// The host platforms' lifecycles.
fn platforms(
    raw: Option<&[PlatformFile]>,
    root: &JsonPath,
    floor: Day,
    problems: &mut Vec<Problem>,
) -> Vec<PlatformLifecycle> {
    let mut platforms = Vec::new();
    for (i, p) in raw.unwrap_or_default().iter().enumerate() {
        let at = root.key("platforms").index(i);
        let optional_day = |key: &str, value: &Option<String>, problems: &mut Vec<Problem>| {
            value
                .as_deref()
                .and_then(|v| checked_day(at.key(key), v, floor, problems))
        };
        let basis = |b: Option<DateBasis>| b.unwrap_or(DateBasis::Published);
        platforms.push(PlatformLifecycle {
            os: p.os,
            version: p.version.clone(),
            released: optional_day("released", &p.released, problems),
            end_of_support: optional_day("endOfSupport", &p.end_of_support, problems)
                .map(|d| basis(p.end_of_support_basis).when(d)),
            aks_hybrid_supported: p.aks_hybrid_supported.unwrap_or(true),
            required_edition: p.required_edition.clone(),
            aks_hybrid_retirement: optional_day(
                "aksHybridRetirement",
                &p.aks_hybrid_retirement,
                problems,
            )
            .map(|d| basis(p.aks_hybrid_retirement_basis).when(d)),
            source: p.source.clone(),
        });
    }
    platforms
}

/// The node OS lines' lifecycles.
fn node_os(
    raw: Option<&[NodeOsFile]>,
    root: &JsonPath,
    problems: &mut Vec<Problem>,
) -> Vec<NodeOsLifecycle> {
    let mut node_os = Vec::new();
    for (i, n) in raw.unwrap_or_default().iter().enumerate() {
        let at = root.key("nodeOsSkus").index(i);
        if n.os_sku.trim().is_empty() {
            problems.push(Problem::at(
                at.key("osSku"),
                "empty: expected an OS SKU such as Windows2019",
            ));
        }
        // An empty prefix or build would match every node.
        for (key, text) in [
            ("osImagePrefix", &n.os_image_prefix),
            ("windowsBuild", &n.windows_build),
        ] {
            if text.as_deref().is_some_and(|t| t.trim().is_empty()) {
                problems.push(Problem::at(at.key(key), "empty: leave it out instead"));
            }
        }
        let first_release =
            n.first_release
                .as_deref()
                .and_then(|text| match LocalVersion::parse(text) {
                    Ok(v) if v.build.is_none() => Some(v.release),
                    _ => {
                        problems.push(Problem::at(
                            at.key("firstRelease"),
                            format!(
                                "`{}`: expected an Azure Local release (YYMM, e.g. 2507)",
                                crate::base::sanitize::clean(text)
                            ),
                        ));
                        None
                    }
                });
        node_os.push(NodeOsLifecycle {
            os_sku: n.os_sku.clone(),
            image: n.image.clone(),
            os_image_prefix: n.os_image_prefix.clone(),
            windows_build: n.windows_build.clone(),
            first_release,
            end_of_support: n
                .end_of_support
                .as_deref()
                .and_then(|v| parse_date(at.key("endOfSupport"), v, problems))
                .map(|d| {
                    n.end_of_support_basis
                        .unwrap_or(DateBasis::Published)
                        .when(d)
                }),
            source: n.source.clone(),
        });
    }
    node_os
}

/// The upstream Kubernetes minors' lifecycles.
fn kubernetes(
    raw: Option<&[KubernetesFile]>,
    root: &JsonPath,
    floor: Day,
    problems: &mut Vec<Problem>,
) -> Vec<KubernetesMinor> {
    let mut kubernetes = Vec::new();
    for (i, k) in raw.unwrap_or_default().iter().enumerate() {
        let at = root.key("kubernetes").index(i);
        let released = k
            .released
            .as_deref()
            .and_then(|v| checked_day(at.key("released"), v, floor, problems));
        let end_of_life = k
            .end_of_life
            .as_deref()
            .and_then(|v| checked_day(at.key("endOfLife"), v, floor, problems));
        kubernetes.push(KubernetesMinor {
            minor: k.minor.clone(),
            released,
            end_of_life,
            source: k.source.clone(),
        });
    }
    kubernetes
}

/// A release's builds: each a build of that release, an alias naming
/// another build listed beside it.
fn local_builds(
    r: &LocalReleaseFile,
    release: Option<LocalVersion>,
    at: &JsonPath,
    problems: &mut Vec<Problem>,
) -> Vec<Build> {
    let mut builds = Vec::new();
    for (j, b) in r.builds.iter().flatten().enumerate() {
        let bat = at.key("builds").index(j);
        let version = match LocalVersion::parse(&b.version) {
            Ok(v) if v.build.is_some() && release.is_none_or(|r| r.release == v.release) => Some(v),
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
                alias_of: b.alias_of.clone(),
                confidence: b.confidence.clone(),
                note: b.note.clone(),
                source: b.source.clone(),
            });
        }
    }
    for (j, b) in builds.iter().enumerate() {
        let Some(of) = &b.alias_of else { continue };
        let target = builds.iter().find(|t| t.version.to_string() == *of);
        if target.is_none_or(|t| t.alias_of.is_some()) {
            problems.push(Problem::at(
                at.key("builds").index(j).key("aliasOf"),
                format!(
                    "`{of}` is not another build of release {} listed here",
                    r.release
                ),
            ));
        }
    }
    builds
}

/// The Azure Local releases of a file, each dated: by its first build's
/// day when a source gives one, else by the window sources bound
/// (`releasedWindow`), else by the month of its `YYMM` name.
fn local_releases(
    files: &[LocalReleaseFile],
    root: &JsonPath,
    problems: &mut Vec<Problem>,
) -> Vec<Release> {
    let mut out = Vec::new();
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
        let released = release_date(r, &at, release.and_then(|r| r.month()), problems);
        let builds = local_builds(r, release, &at, problems);
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
        let (Some(release), Some((released, date_basis))) = (release, released) else {
            continue;
        };
        out.push(Release {
            version: ReleaseVersion::AzureLocal(release),
            name: r.name.clone(),
            tag: None,
            released,
            date_basis,
            confidence: r.confidence.clone(),
            kubernetes_versions,
            kubernetes_versions_seen,
            builds,
            aks_arc: r.aks_arc.as_ref().map(|a| AksArcFacts {
                extension: a.extension.clone(),
                node_image: a.node_image.clone(),
                source: a.source.clone(),
            }),
            notes: r.notes.clone().unwrap_or_default(),
            source: r.source.clone(),
            attested: false,
        });
    }
    out
}

/// An Azure Local release's date: its day (`released`, as its `dateBasis`
/// says), or the window sources bound, or the month of its name (`month`).
fn release_date(
    r: &LocalReleaseFile,
    at: &JsonPath,
    month: Option<When>,
    problems: &mut Vec<Problem>,
) -> Option<(When, DateBasis)> {
    let released = r
        .released
        .as_deref()
        .and_then(|d| parse_date(at.key("released"), d, problems));
    match (&r.released, &r.released_window) {
        (Some(_), Some(_)) => {
            problems.push(Problem::at(
                at.key("releasedWindow"),
                "a release has a day (`released`) or a window it came out in (`releasedWindow`), not both",
            ));
            None
        }
        (Some(_), None) => {
            let basis = r.date_basis.unwrap_or(DateBasis::AvailabilityDate);
            released.map(|day| (basis.when(day), basis))
        }
        (None, Some(window)) => {
            let wat = at.key("releasedWindow");
            let not_before = parse_date(wat.key("notBefore"), &window.not_before, problems)?;
            let not_after = parse_date(wat.key("notAfter"), &window.not_after, problems)?;
            if not_after < not_before {
                problems.push(Problem::at(
                    wat,
                    format!("notAfter {not_after} is before notBefore {not_before}"),
                ));
                return None;
            }
            let when = When::between(not_before, not_after);
            let basis = if when.is_month() {
                DateBasis::Month
            } else {
                DateBasis::Window
            };
            Some((when, basis))
        }
        // No day sourced: Microsoft names each release for its month.
        (None, None) => month.map(|m| (m, DateBasis::Month)),
    }
}

/// The newest dated fact of a line: its newest release, or (Azure Local) a
/// build of one dated later than every release; a release dated by its
/// month reaches that month.
fn newest_fact(releases: &[Release]) -> Option<(When, DateBasis, String)> {
    let release = releases
        .iter()
        .max_by_key(|r| (r.released.earliest, r.released.latest))?;
    let build = releases
        .iter()
        .flat_map(|r| r.builds.iter().filter_map(|b| b.available.map(|d| (d, b))))
        .max_by_key(|(d, _)| *d)
        .filter(|(d, _)| *d > release.released.latest);
    Some(match build {
        Some((day, b)) => (
            When::day(day),
            DateBasis::AvailabilityDate,
            format!("build {} available", b.version),
        ),
        None if release.undated() => (
            release.released,
            release.date_basis,
            format!(
                "release {}, the newest in the catalog, {}",
                release.version,
                if release.date_basis == DateBasis::Window {
                    "dated by a window: no source gives its day"
                } else {
                    "dated by the month of its name: no source gives its day"
                }
            ),
        ),
        None => (
            release.released,
            release.date_basis,
            format!("release {}, the newest in the catalog", release.version),
        ),
    })
}

/// `knownThrough` as recorded, checked against the releases; derived from the
/// newest fact for a line that records none.
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
        let Some(day) = parse_date(at.key("date"), &k.date, problems) else {
            continue;
        };
        let date_basis = k.date_basis.unwrap_or(DateBasis::Published);
        let date = date_basis.when(day);
        let line = Product::ALL
            .into_iter()
            .zip(lines)
            .find_map(|(p, line)| (p == k.product).then_some(line))
            .unwrap_or_default();
        if let Some((newest, _, fact)) = newest_fact(line) {
            // Before the newest fact on every reading of both dates.
            if date.latest < newest.earliest {
                problems.push(Problem::at(
                    at.key("date"),
                    format!("{date} is before the line's newest fact ({fact}, {newest}): knownThrough is the date of the newest fact"),
                ));
            }
        }
        out.push(KnownThrough {
            product: k.product,
            date,
            date_basis,
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
            .all(|w| w[0].released.earliest <= w[1].released.earliest));
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
            ("~2026-01-10".into(), DateBasis::Tag)
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
    fn an_azure_local_release_without_a_sourced_day_is_dated_by_its_window_or_its_month() {
        let catalog = Catalog::embedded().unwrap();
        let release = |name: &str| {
            catalog
                .local_releases
                .iter()
                .find(|r| r.version.to_string() == name)
                .unwrap()
        };
        assert_eq!(release("2603").released.to_string(), "2026-03-18");
        assert_eq!(
            release("2604").released.to_string(),
            "2026-03-28..2026-05-13"
        );
        assert_eq!(release("2604").date_basis, DateBasis::Window);
        for (name, month) in [
            ("2605", "2026-05"),
            ("2607", "2026-07"),
            ("2610", "2026-10"),
        ] {
            assert_eq!(release(name).released.to_string(), month);
            assert_eq!(release(name).date_basis, DateBasis::Month);
            // No Kubernetes list is made up for it.
            assert_eq!(release(name).kubernetes_versions, None);
        }
        // The newest fact is 2610, dated to its month.
        let known = catalog.known_through(Product::AksArc).unwrap();
        assert_eq!(known.date.to_string(), "2026-10");
        // A name-only entry (as `catalog update` may add) is dated by its month.
        let text = format!(
            r#"{{"catalogVersion": 1, "generated": "2026-12-01", "azureLocalReleases": [{{"release": "2611", "released": null, "builds": [{{"version": "12.2611.1004.7"}}]}}], {ONE_RELEASE}}}"#
        );
        let added = Catalog::from_text("c.json", &text, CatalogSource::Embedded).unwrap();
        assert_eq!(added.local_releases[0].released.to_string(), "2026-11");
        assert_eq!(
            added
                .known_through(Product::AksArc)
                .unwrap()
                .date
                .to_string(),
            "2026-11"
        );
        // 12.2602.1007.7 is another number of 2602's first build.
        let r2602 = release("2602");
        let alias = crate::base::version::LocalVersion::parse("12.2602.1007.7").unwrap();
        assert_eq!(
            r2602.build(&alias).unwrap().version.to_string(),
            "12.2602.1002.7"
        );
        for bad in [
            r#"[{"release": "2604", "released": "2026-04-02", "releasedWindow": {"notBefore": "2026-03-28", "notAfter": "2026-05-13"}}]"#,
            r#"[{"release": "2604", "releasedWindow": {"notBefore": "2026-05-13", "notAfter": "2026-03-28"}}]"#,
            r#"[{"release": "2602", "released": "2026-02-17", "builds": [{"version": "12.2602.1007.7", "aliasOf": "12.2602.1002.7"}]}]"#,
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

    #[test]
    fn azure_local_releases_keep_their_builds() {
        let catalog = Catalog::embedded().unwrap();
        let r2510 = catalog
            .local_releases
            .iter()
            .find(|r| r.version.to_string() == "2510")
            .unwrap();
        assert_eq!(r2510.released.to_string(), "2025-10-24");
        assert_eq!(r2510.builds.len(), 5);
        // The build printed with the year 2025 has the offline bundle table's date.
        let typo = r2510
            .builds
            .iter()
            .find(|b| b.version.to_string() == "11.2510.1002.93")
            .unwrap();
        assert_eq!(
            typo.available.map(|d| d.to_string()).as_deref(),
            Some("2025-11-05")
        );
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
