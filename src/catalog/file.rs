//! The catalog's file format, as serde types (read strictly, written back as is).
//!
//! Extensions of `catalog.md` (all optional, so a version-1 catalog without
//! them still reads): a release's `tag` and `kubernetesVersionsSeen`;
//! `knownThrough` (per product line, the date of the newest sourced fact);
//! `azureLocalReleases` (Azure Local releases with their builds: a release
//! without a sourced day has `released: null` and is dated by the window
//! sources give, `releasedWindow`, or else by the month of its name; a build
//! may be another number of a documented one, `aliasOf`; releases and builds
//! may say who attests them, `confidence`);
//! `nodeOsSkus` (node OS SKU lifecycles, one entry per image line: what a
//! node of it reports, `osImagePrefix` and `windowsBuild`, and the Azure
//! Local release from which AKS Arc ships it, `firstRelease`); a platform's `endOfSupportBasis`,
//! `requiredEdition`, `aksHybridSupported` and `aksHybridRetirement(+Basis)`.
//! A `dateBasis` of `month` makes a date some day of its month.

use serde::{Deserialize, Serialize};

use super::{AksArcFacts, Build, Catalog, DateBasis, Release};
use crate::base::dates::{Day, When};
use crate::base::product::Product;
use crate::inventory::HostOs;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CatalogFile {
    pub catalog_version: u32,
    pub generated: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_through: Option<Vec<KnownThroughFile>>,
    pub releases: Vec<ReleaseFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azure_local_releases: Option<Vec<LocalReleaseFile>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Vec<PlatformFile>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_os_skus: Option<Vec<NodeOsFile>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes: Option<Vec<KubernetesFile>>,
}

/// How far a product line's facts reach.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KnownThroughFile {
    pub product: Product,
    /// The date of the newest sourced fact about the line's releases.
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_basis: Option<DateBasis>,
    /// What that fact is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReleaseFile {
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The product repository's git tag (`AKS-arc-2411`); akspol's addition,
    /// used to match GitHub releases on `catalog update`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    pub released: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_basis: Option<DateBasis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_versions: Option<Vec<String>>,
    /// Versions seen running on this release: partial evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_versions_seen: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// An Azure Local release (`2510`) and its solution builds.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocalReleaseFile {
    pub release: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The availability date of its first build; `null` when no source
    /// gives one (then `releasedWindow`, or the month of its name).
    #[serde(default)]
    pub released: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_basis: Option<DateBasis>,
    /// The days it came out between, when sources bound it but give no day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released_window: Option<WindowFile>,
    /// Who attests the release: `microsoft`, `oem` or `third-party`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub builds: Option<Vec<BuildFile>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_versions: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_versions_seen: Option<Vec<String>>,
    /// The AKS Arc extension and node image facts of the release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aks_arc: Option<AksArcFile>,
    /// What the sources add or disagree on, each with its source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Bounds of a date: not before, not after (both days included).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WindowFile {
    pub not_before: String,
    pub not_after: String,
}

/// What an Azure Local release carries of AKS Arc besides its Kubernetes list.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AksArcFile {
    /// The AKS Arc extension version the release needs or ships.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// Its node images (OS line, kernel branches and fixed versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BuildFile {
    /// `12.2510.1002.94`.
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_build: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<String>,
    /// The documented build this is another number of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_of: Option<String>,
    /// Who gives the build number: `microsoft`, `oem` or `third-party`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlatformFile {
    pub os: HostOs,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_support: Option<String>,
    /// `month` when only the month is known (the date is its last day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_support_basis: Option<DateBasis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aks_hybrid_supported: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_edition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aks_hybrid_retirement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aks_hybrid_retirement_basis: Option<DateBasis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A node OS SKU's lifecycle (AKS Arc node pools).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeOsFile {
    pub os_sku: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_image_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub windows_build: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_release: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_support: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_support_basis: Option<DateBasis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubernetesFile {
    pub minor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_of_life: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn day(d: Day) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A lifecycle date as `(date, dateBasis)`: a month as its last day (the
/// form the sourced facts use), an estimate with a basis that reads back as one.
fn dated(when: When) -> (String, Option<DateBasis>) {
    if when.is_month() {
        (day(when.latest), Some(DateBasis::Month))
    } else if when.approximate() {
        (day(when.earliest), Some(DateBasis::NotBefore))
    } else {
        (day(when.earliest), None)
    }
}

fn versions(list: &Option<Vec<crate::base::version::KubeVersion>>) -> Option<Vec<String>> {
    list.as_ref()
        .map(|l| l.iter().map(ToString::to_string).collect())
}

fn builds(builds: &[Build]) -> Option<Vec<BuildFile>> {
    Some(
        builds
            .iter()
            .map(|b| BuildFile {
                version: b.version.to_string(),
                os_build: b.os_build.clone(),
                available: b.available.map(day),
                supersedes: b.supersedes.clone(),
                alias_of: b.alias_of.clone(),
                confidence: b.confidence.clone(),
                note: b.note.clone(),
                source: b.source.clone(),
            })
            .collect(),
    )
}

/// An Azure Local release; one without a sourced day with its window
/// written out (its month, when that is all that dates it), so a reader of
/// the file sees how precise the date is.
fn local_release(r: &Release) -> LocalReleaseFile {
    let (released, released_window) = if r.released.is_span() {
        (
            None,
            Some(WindowFile {
                not_before: day(r.released.earliest),
                not_after: day(r.released.latest),
            }),
        )
    } else {
        (Some(day(r.released.earliest)), None)
    };
    LocalReleaseFile {
        release: r.version.to_string(),
        name: r.name.clone(),
        released,
        date_basis: Some(r.date_basis),
        released_window,
        confidence: r.confidence.clone(),
        builds: builds(&r.builds),
        kubernetes_versions: versions(&r.kubernetes_versions),
        kubernetes_versions_seen: versions(&r.kubernetes_versions_seen),
        aks_arc: r.aks_arc.as_ref().map(|a: &AksArcFacts| AksArcFile {
            extension: a.extension.clone(),
            node_image: a.node_image.clone(),
            source: a.source.clone(),
        }),
        notes: (!r.notes.is_empty()).then(|| r.notes.clone()),
        source: r.source.clone(),
    }
}

impl CatalogFile {
    pub fn from_catalog(catalog: &Catalog) -> Self {
        let local: Vec<LocalReleaseFile> =
            catalog.local_releases.iter().map(local_release).collect();
        CatalogFile {
            catalog_version: 1,
            generated: day(catalog.generated),
            about: catalog.about.clone(),
            known_through: Some(
                catalog
                    .known_through
                    .iter()
                    .map(|k| KnownThroughFile {
                        product: k.product,
                        // A month as its first day: `dateBasis` says it is the month.
                        date: day(k.date.earliest),
                        date_basis: Some(k.date_basis),
                        fact: k.fact.clone(),
                    })
                    .collect(),
            ),
            releases: catalog
                .releases
                .iter()
                .map(|r| ReleaseFile {
                    version: r.version.to_string(),
                    name: r.name.clone(),
                    tag: r.tag.clone(),
                    released: day(r.released.earliest),
                    date_basis: Some(r.date_basis),
                    kubernetes_versions: versions(&r.kubernetes_versions),
                    kubernetes_versions_seen: versions(&r.kubernetes_versions_seen),
                    source: r.source.clone(),
                })
                .collect(),
            azure_local_releases: (!local.is_empty()).then_some(local),
            platforms: Some(
                catalog
                    .platforms
                    .iter()
                    .map(|p| {
                        let end = p.end_of_support.map(dated);
                        let retirement = p.aks_hybrid_retirement.map(dated);
                        PlatformFile {
                            os: p.os,
                            version: p.version.clone(),
                            released: p.released.map(day),
                            end_of_support_basis: end.as_ref().and_then(|(_, b)| *b),
                            end_of_support: end.map(|(d, _)| d),
                            aks_hybrid_supported: (!p.aks_hybrid_supported).then_some(false),
                            required_edition: p.required_edition.clone(),
                            aks_hybrid_retirement_basis: retirement.as_ref().and_then(|(_, b)| *b),
                            aks_hybrid_retirement: retirement.map(|(d, _)| d),
                            source: p.source.clone(),
                        }
                    })
                    .collect(),
            ),
            node_os_skus: (!catalog.node_os.is_empty()).then(|| {
                catalog
                    .node_os
                    .iter()
                    .map(|n| {
                        let end = n.end_of_support.map(dated);
                        NodeOsFile {
                            os_sku: n.os_sku.clone(),
                            image: n.image.clone(),
                            os_image_prefix: n.os_image_prefix.clone(),
                            windows_build: n.windows_build.clone(),
                            first_release: n.first_release.map(|r| r.to_string()),
                            end_of_support_basis: end.as_ref().and_then(|(_, b)| *b),
                            end_of_support: end.map(|(d, _)| d),
                            source: n.source.clone(),
                        }
                    })
                    .collect()
            }),
            kubernetes: Some(
                catalog
                    .kubernetes
                    .iter()
                    .map(|k| KubernetesFile {
                        minor: k.minor.clone(),
                        released: k.released.map(day),
                        end_of_life: k.end_of_life.map(day),
                        source: k.source.clone(),
                    })
                    .collect(),
            ),
        }
    }
}
