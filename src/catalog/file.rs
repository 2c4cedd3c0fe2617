//! The catalog's file format, as serde types (read strictly, written back as is).

use serde::{Deserialize, Serialize};

use super::{Catalog, DateBasis};
use crate::inventory::HostOs;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CatalogFile {
    pub catalog_version: u32,
    pub generated: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    pub releases: Vec<ReleaseFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Vec<PlatformFile>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes: Option<Vec<KubernetesFile>>,
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

impl CatalogFile {
    pub fn from_catalog(catalog: &Catalog) -> Self {
        let day = |d: crate::base::dates::Day| d.format("%Y-%m-%d").to_string();
        let month = |estimated: bool| estimated.then_some(DateBasis::Month);
        CatalogFile {
            catalog_version: 1,
            generated: day(catalog.generated),
            about: catalog.about.clone(),
            releases: catalog
                .releases
                .iter()
                .map(|r| ReleaseFile {
                    version: r.version.to_string(),
                    name: r.name.clone(),
                    tag: r.tag.clone(),
                    released: day(r.released),
                    date_basis: Some(r.date_basis),
                    kubernetes_versions: r
                        .kubernetes_versions
                        .as_ref()
                        .map(|l| l.iter().map(|v| v.to_string()).collect()),
                    source: r.source.clone(),
                })
                .collect(),
            platforms: Some(
                catalog
                    .platforms
                    .iter()
                    .map(|p| PlatformFile {
                        os: p.os,
                        version: p.version.clone(),
                        released: p.released.map(day),
                        end_of_support: p.end_of_support.map(day),
                        end_of_support_basis: month(p.end_of_support_estimated),
                        aks_hybrid_supported: (!p.aks_hybrid_supported).then_some(false),
                        required_edition: p.required_edition.clone(),
                        aks_hybrid_retirement: p.aks_hybrid_retirement.map(day),
                        aks_hybrid_retirement_basis: month(p.retirement_estimated),
                        source: p.source.clone(),
                    })
                    .collect(),
            ),
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
