//! The catalog as it stood on the as-of date, and where an installed version
//! stands in it (`rules.md`, "Version arithmetic").

use super::{Catalog, Release};
use crate::base::dates::{days_between, Day};
use crate::base::version::AksVersion;

/// The releases published on or before the as-of date: later ones do not exist
/// for this evaluation, so a past as-of date reproduces that day's verdict.
#[derive(Debug, Clone)]
pub struct CatalogView<'a> {
    pub catalog: &'a Catalog,
    pub as_of: Day,
    /// In version order (which validation makes date order too), oldest first.
    pub releases: Vec<&'a Release>,
}

/// Where the installed version stands on the as-of date.
#[derive(Debug, Clone)]
pub struct Standing<'a> {
    /// The catalog entry that designates the installed version, if any.
    pub installed: Option<&'a Release>,
    pub latest: &'a Release,
    /// Releases newer than the installed version, oldest first.
    pub newer: Vec<&'a Release>,
    /// The oldest release newer than the installed one: the day it came out,
    /// the deployment started falling behind.
    pub first_newer: Option<&'a Release>,
    pub days_behind: i64,
}

impl<'a> Standing<'a> {
    pub fn releases_behind(&self) -> usize {
        self.newer.len()
    }
}

impl<'a> CatalogView<'a> {
    pub fn new(catalog: &'a Catalog, as_of: Day) -> Self {
        let releases = catalog
            .releases
            .iter()
            .filter(|r| r.released <= as_of)
            .collect();
        Self {
            catalog,
            as_of,
            releases,
        }
    }

    pub fn latest(&self) -> Option<&'a Release> {
        self.releases.last().copied()
    }

    pub fn find(&self, version: &AksVersion) -> Option<&'a Release> {
        // Prefer an exact four-field match over a three-field family entry.
        self.releases
            .iter()
            .find(|r| r.version == *version)
            .or_else(|| self.releases.iter().find(|r| r.version.designates(version)))
            .copied()
    }

    /// `None` when no release was published on or before the as-of date.
    pub fn standing(&self, installed: &AksVersion) -> Option<Standing<'a>> {
        let latest = self.latest()?;
        let installed_release = self.find(installed);
        let newer: Vec<&Release> = self
            .releases
            .iter()
            .filter(|r| r.version.release_cmp(installed).is_gt())
            .copied()
            .collect();
        let first_newer = newer.first().copied();
        let days_behind = first_newer.map_or(0, |r| days_between(r.released, self.as_of).max(0));
        Some(Standing {
            installed: installed_release,
            latest,
            newer,
            first_newer,
            days_behind,
        })
    }
}
