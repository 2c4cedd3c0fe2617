//! The catalog as it stood on the as-of date, and where an installed version
//! stands in it (`rules.md`, "Version arithmetic").

use super::{Catalog, Release};
use crate::base::dates::{days_between, Day, When};
use crate::base::product::Product;
use crate::base::version::ReleaseVersion;

/// The releases of each line published on or before the as-of date: later
/// ones do not exist for this evaluation, so a past as-of date reproduces that
/// day's verdict. A release dated by its month (or a window) is there from
/// the first day it may have come out.
#[derive(Debug, Clone)]
pub struct CatalogView<'a> {
    pub catalog: &'a Catalog,
    pub as_of: Day,
    /// AKS hybrid releases, sorted by (released, version), oldest first.
    pub releases: Vec<&'a Release>,
    /// Azure Local releases, sorted the same way.
    pub local_releases: Vec<&'a Release>,
    /// The Azure Local releases of `local_releases` the catalog does not
    /// have, which the inventory's Azure update list attests (see
    /// [`CatalogView::with_attested`]).
    pub attested: Vec<&'a Release>,
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
    /// Days since the first newer release came out (since the earliest day
    /// it may have, when no source gives its day).
    pub days_behind: i64,
}

impl<'a> Standing<'a> {
    pub fn releases_behind(&self) -> usize {
        self.newer.len()
    }
}

/// How old a line's facts are on the as-of date, and whether that is older
/// than the line's release cadence allows a catalog to vouch for "latest".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogAge {
    pub product: Product,
    /// The date of the line's newest sourced fact (a month when that fact is
    /// a release dated by its name).
    pub known_through: When,
    pub fact: Option<String>,
    /// Days from the first day `known_through` may be to the as-of date (0
    /// when the facts reach past it): the oldest the facts may be.
    pub age_days: i64,
    /// The same from its last day: the youngest they may be (`age_days` for
    /// a fact dated to the day).
    pub age_days_least: i64,
    /// More than this many days is too old; `None`: never too old.
    pub max_age_days: Option<i64>,
    /// The newest fact is a release the inventory's Azure update list
    /// attests, not one of the catalog's.
    pub attested: bool,
}

impl CatalogAge {
    /// Older than the cadence on some reading of its date: a newer release
    /// may have been published that the catalog does not know.
    pub fn stale(&self) -> bool {
        self.max_age_days.is_some_and(|max| self.age_days > max)
    }

    /// `~2025-10-08`, `2026-10` (a month).
    pub fn known_through_text(&self) -> String {
        self.known_through.to_string()
    }

    /// `46 days`, or `37 to 67 days` for a fact dated to its month.
    pub fn age_text(&self) -> String {
        let days = |n: i64| if n == 1 { "day" } else { "days" };
        if self.age_days_least == self.age_days {
            format!("{} {}", self.age_days, days(self.age_days))
        } else {
            format!(
                "{} to {} {}",
                self.age_days_least,
                self.age_days,
                days(self.age_days)
            )
        }
    }
}

impl<'a> CatalogView<'a> {
    pub fn new(catalog: &'a Catalog, as_of: Day) -> Self {
        let visible = |releases: &'a [Release]| {
            releases
                .iter()
                .filter(|r| r.released.earliest <= as_of)
                .collect::<Vec<_>>()
        };
        Self {
            catalog,
            as_of,
            releases: visible(&catalog.releases),
            local_releases: visible(&catalog.local_releases),
            attested: Vec::new(),
        }
    }

    /// This view with the Azure Local releases `attested` by one inventory
    /// (what Azure lists for it) beside the catalog's: each is there from
    /// the first day it may have come out, as the catalog's are, and the
    /// line's facts reach as far as the newest of them.
    pub fn with_attested<'b>(&self, attested: &'b [Release]) -> CatalogView<'b>
    where
        'a: 'b,
    {
        let as_of = self.as_of;
        let more: Vec<&'b Release> = attested
            .iter()
            .filter(|r| r.released.earliest <= as_of)
            .collect();
        let mut local: Vec<&'b Release> = self.local_releases.to_vec();
        local.extend(more.iter().copied());
        local.sort_by(|a, b| {
            a.released
                .earliest
                .cmp(&b.released.earliest)
                .then_with(|| a.version.release_cmp(&b.version))
        });
        CatalogView {
            catalog: self.catalog,
            as_of,
            releases: self.releases.clone(),
            local_releases: local,
            attested: more,
        }
    }

    /// The visible releases of a product line, oldest first.
    pub fn line(&self, product: Product) -> &[&'a Release] {
        match product {
            Product::AksHybrid => &self.releases,
            Product::AksArc => &self.local_releases,
        }
    }

    pub fn latest(&self, product: Product) -> Option<&'a Release> {
        self.line(product).last().copied()
    }

    pub fn find(&self, version: &ReleaseVersion) -> Option<&'a Release> {
        let line = self.line(version.product());
        // Prefer an exact match over a family entry (a three-field AKS hybrid version).
        line.iter()
            .find(|r| r.version == *version)
            .or_else(|| line.iter().find(|r| r.version.designates(version)))
            .copied()
    }

    /// `None` when no release of the installed version's line was published
    /// on or before the as-of date.
    pub fn standing(&self, installed: &ReleaseVersion) -> Option<Standing<'a>> {
        let product = installed.product();
        let latest = self.latest(product)?;
        let installed_release = self.find(installed);
        let newer: Vec<&Release> = self
            .line(product)
            .iter()
            .filter(|r| r.version.release_cmp(installed).is_gt())
            .copied()
            .collect();
        let first_newer = newer.first().copied();
        let days_behind =
            first_newer.map_or(0, |r| days_between(r.released.earliest, self.as_of).max(0));
        Some(Standing {
            installed: installed_release,
            latest,
            newer,
            first_newer,
            days_behind,
        })
    }

    /// How old the line's facts are on the as-of date; `max_age_days` is the
    /// policy's threshold. `None` when the catalog knows nothing of the line.
    pub fn age(&self, product: Product, max_age_days: Option<i64>) -> Option<CatalogAge> {
        let known = self.catalog.known_through(product)?;
        let (date, fact, attested) = match self
            .attested
            .iter()
            .filter(|r| r.version.product() == product)
            .filter(|r| r.released.earliest > known.date.earliest)
            .max_by_key(|r| (r.released.earliest, r.released.latest))
        {
            Some(newer) => (
                newer.released,
                Some(format!(
                    "Azure Local {}, which Azure lists for this instance (deployment.azure.updates) and the catalog does not know",
                    newer.version
                )),
                true,
            ),
            None => (known.date, known.fact.clone(), false),
        };
        Some(CatalogAge {
            product,
            known_through: date,
            fact,
            age_days: days_between(date.earliest, self.as_of).max(0),
            age_days_least: days_between(date.latest, self.as_of).max(0),
            max_age_days,
            attested,
        })
    }
}
