//! The numbers of the support policy. Each edition of the policy is one
//! embedded data file (`data/editions/*.json`, see [`edition`]) whose
//! `parameters` are the numbers its rules judge with, each one a row of the
//! typed table in [`parameters`] (its unit, bounds, meaning); `--policy FILE`
//! replaces single numbers of the edition in use, so a change in the
//! published policy is a data change.

pub mod edition;
pub mod parameters;

use serde::Deserialize;

pub use edition::{Edition, EditionChoice, EditionRule, Replaced};
pub use parameters::{MAX_DAYS, MAX_MONTHS, MAX_RELEASES};

use crate::base::product::Product;
use crate::input::{self, InputError, Problem};
use parameters::RawPolicy;

/// The bytes a policy file may have: a dozen numbers.
pub const MAX_POLICY_BYTES: u64 = 1024 * 1024;

/// The read limit of a `--policy` file.
pub fn file_limit() -> crate::input::Limit {
    crate::input::Limit::fixed(MAX_POLICY_BYTES, "a policy file")
}

/// How V009 reads "each Azure Local release is supported for six months"
/// (`releaseSupportReading`). The page does not say from when the months
/// count; the tools that judge it read it four ways (`al25.json`,
/// `parameterReadings`). N is `releaseSupportMonths`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SupportReading {
    /// N calendar months from the day the installed release's first build
    /// became available, whichever build is installed (akspol's default).
    MonthsFromRelease,
    /// N × 30 days (180 for six months) from the availability date of the
    /// installed build (erikgraa/azure-local-releases).
    DaysFromBuild,
    /// The newest published release's month and the N - 1 calendar months
    /// before it (AzLocal.UpdateManagement).
    NewestMonths,
    /// The N newest published releases (the AzureLocal LENS workbook).
    NewestReleases,
}

impl SupportReading {
    pub fn as_str(self) -> &'static str {
        match self {
            SupportReading::MonthsFromRelease => "months-from-release",
            SupportReading::DaysFromBuild => "days-from-build",
            SupportReading::NewestMonths => "newest-months",
            SupportReading::NewestReleases => "newest-releases",
        }
    }

    /// Whether its verdict rests on the newest release there is (so on a
    /// catalog recent enough to know it), not only on the installed
    /// release's own date.
    pub fn rests_on_latest(self) -> bool {
        matches!(
            self,
            SupportReading::NewestMonths | SupportReading::NewestReleases
        )
    }
}

/// The numbers (and lists) an edition's rules judge with. A parameter the
/// edition does not state is `None`: the rules that need it do not run there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub edition: &'static Edition,
    /// The revision of the edition's page in force on the as-of date, whose
    /// text akspol lacks (`--policy-edition current` between the revision
    /// and the next edition akspol has): the statements it withdrew are not
    /// applied (their rules are `unknown`, saying why).
    pub withdrawn_by: Option<&'static Replaced>,
    /// Stay within this many days of the latest release (recommendation).
    pub recommended_window_days: Option<i64>,
    /// Out of support when more than this many days behind.
    pub support_window_days: Option<i64>,
    /// After this many days old releases may no longer be downloadable.
    pub availability_days: Option<i64>,
    /// Upgrades are supported from this many most recent releases.
    pub upgradeable_releases: Option<i64>,
    pub stopped_control_plane_days: i64,
    /// The 2022 page's middle stage (can't update to the latest).
    pub stopped_latest_days: Option<i64>,
    pub stopped_update_days: i64,
    pub subscription_grace_days: i64,
    pub platform_warn_days: i64,
    pub node_image_max_age_days: Option<i64>,
    /// Each Azure Local release is supported this many months.
    pub release_support_months: Option<i64>,
    /// From when those months count: the page does not say, and tools read
    /// it four ways (the edition's `parameterReadings`).
    pub release_support_reading: Option<SupportReading>,
    /// The oldest minor leaves support this many days after a new one.
    pub kubernetes_minor_grace_days: Option<i64>,
    /// All nodes stopped by hand for more than this many days: out of support.
    pub node_stopped_days: Option<i64>,
    /// The management cluster must connect to Azure at least this often.
    pub management_connection_days: Option<i64>,
    /// An Azure Local instance must sync with Azure at least this often.
    pub azure_sync_days: Option<i64>,
    /// An AKS Arc cluster's Arc agents must reach Azure at least this often
    /// (its certificates' validity).
    pub cluster_connection_days: Option<i64>,
    /// AksHci: internal certificates and tokens expire this many days after
    /// the last upgrade.
    pub certificate_upgrade_days: Option<i64>,
    /// Azure's update state older than this many days is not trusted.
    pub update_check_days: Option<i64>,
    /// A catalog whose facts are older than this (the line's release
    /// cadence) cannot vouch for "on the latest release"; `None`: never.
    pub catalog_max_age_days: Option<i64>,
    /// CNIs with basic installation support (lower case).
    pub supported_cnis: Vec<String>,
    /// Host operating systems the edition supports (`WindowsServer`, ...).
    pub host_platforms: Vec<String>,
    pub windows_server_minimum_version: Option<i64>,
    /// The Windows Server edition the host must run (`Datacenter`).
    pub windows_server_edition: Option<String>,
}

/// A `--policy FILE`: the numbers it overrides, and its text for messages.
#[derive(Debug)]
pub struct Overrides {
    origin: String,
    text: String,
    raw: RawPolicy,
}

impl Overrides {
    /// Reads a policy file; unknown keys and wrong types are errors here, the
    /// numbers are checked against each edition they are applied to.
    pub fn from_text(origin: &str, text: &str) -> Result<Self, InputError> {
        let raw: RawPolicy = input::parse_json(origin, text)?;
        if let Some(version) = raw.policy_version.filter(|v| *v != 1) {
            return Err(InputError::invalid(
                origin,
                text,
                vec![Problem::new(
                    "policyVersion",
                    format!(
                        "unsupported policyVersion {version}: this akspol reads policyVersion 1"
                    ),
                )],
            ));
        }
        Ok(Self {
            origin: origin.to_string(),
            text: text.to_string(),
            raw,
        })
    }
}

impl Policy {
    /// The default edition of the AKS hybrid line, with no overrides.
    pub fn embedded() -> Result<Self, InputError> {
        Self::default_for(Product::AksHybrid)
    }

    /// The default edition of a product line, with no overrides.
    pub fn default_for(product: Product) -> Result<Self, InputError> {
        let edition = edition::default_for(product)
            .map_err(|e| InputError::file("embedded policy editions", e))?;
        Self::for_edition(edition, None)
    }

    /// Reads a policy file over `base`'s edition: keys it names replace that
    /// edition's values.
    pub fn from_text(origin: &str, text: &str, base: Option<&Policy>) -> Result<Self, InputError> {
        let overrides = Overrides::from_text(origin, text)?;
        let edition = match base {
            Some(base) => base.edition,
            None => edition::default_for(Product::AksHybrid)
                .map_err(|e| InputError::file("embedded policy editions", e))?,
        };
        Self::for_edition(edition, Some(&overrides))
    }

    /// The numbers of `edition`, with `overrides` over the ones it states (an
    /// override of a number the edition does not state is ignored: the rule
    /// that needs it does not run there): see [`parameters::resolve`].
    pub fn for_edition(
        edition: &'static Edition,
        overrides: Option<&Overrides>,
    ) -> Result<Self, InputError> {
        let origin = format!("embedded policy edition {}", edition.id);
        let own: RawPolicy =
            serde_json::from_value(serde_json::Value::Object(edition.parameters.clone()))
                .map_err(|e| InputError::file(&origin, format!("parameters: {e}")))?;
        let resolved = parameters::resolve(edition, &own, overrides.map(|o| &o.raw));
        if resolved.problems.is_empty() {
            return Ok(resolved.policy);
        }
        let problems = resolved.problems;
        // The file that set a value answers for it in messages.
        Err(match overrides.filter(|_| resolved.from_file) {
            Some(o) => {
                let mut error = InputError::invalid(&o.origin, &o.text, problems);
                if let InputError::Invalid { problems, .. } = &mut error {
                    for p in problems {
                        p.message
                            .push_str(&format!(" (with edition {})", edition.id));
                    }
                }
                error
            }
            None => InputError::file(
                &origin,
                problems
                    .iter()
                    .map(|p| format!("{}: {}", p.path, p.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        })
    }

    /// `edition` with no parameter stated yet.
    fn unset(edition: &'static Edition) -> Self {
        Policy {
            edition,
            withdrawn_by: None,
            recommended_window_days: None,
            support_window_days: None,
            availability_days: None,
            upgradeable_releases: None,
            stopped_control_plane_days: 0,
            stopped_latest_days: None,
            stopped_update_days: 0,
            subscription_grace_days: 0,
            platform_warn_days: 0,
            node_image_max_age_days: None,
            release_support_months: None,
            release_support_reading: None,
            kubernetes_minor_grace_days: None,
            node_stopped_days: None,
            management_connection_days: None,
            azure_sync_days: None,
            cluster_connection_days: None,
            certificate_upgrade_days: None,
            update_check_days: None,
            catalog_max_age_days: None,
            supported_cnis: Vec::new(),
            host_platforms: Vec::new(),
            windows_server_minimum_version: None,
            windows_server_edition: None,
        }
    }

    /// Whether the page in force withdrew the statement `code` rests on.
    pub fn withdrawn(&self, code: &str) -> Option<&'static Replaced> {
        self.withdrawn_by
            .filter(|r| r.withdraws.iter().any(|c| c == code))
    }

    /// The line reports print about the edition on `as_of` (see
    /// [`Edition::notice`]); with a withdrawing revision in force, that one.
    pub fn notice(&self, as_of: crate::base::dates::Day) -> Option<String> {
        let Some(revision) = self.withdrawn_by else {
            return self.edition.notice(as_of);
        };
        Some(format!(
            "the page in force on {as_of} was {}, whose text akspol lacks: judged against {} without what that revision withdrew ({}: {} unknown)",
            revision.name(),
            self.edition.title,
            revision.withdrawn.as_deref().unwrap_or("its withdrawn statements"),
            revision.withdraws.join(", ")
        ))
    }

    /// `--max-catalog-age DAYS`: the threshold instead of the line's cadence;
    /// `0` turns the check off.
    pub fn with_max_catalog_age(mut self, days: Option<u32>) -> Self {
        if let Some(days) = days {
            self.catalog_max_age_days = (days > 0).then_some(i64::from(days));
        }
        self
    }
}

/// The policies a run judges with: every edition's numbers with the run's
/// `--policy FILE` and `--max-catalog-age` applied. Built once; an edition
/// whose numbers the file makes invalid is an error for the inventories
/// judged against it (and at once for the default AKS hybrid edition, the one
/// a plain run uses).
#[derive(Debug, Clone)]
pub struct Policies {
    pub choice: EditionChoice,
    policies: Vec<(&'static str, Result<Policy, String>)>,
    /// With `current`: each edition replaced by a revision akspol lacks,
    /// without the statements that revision withdrew.
    revised: Vec<(&'static str, Result<Policy, String>)>,
}

impl Policies {
    pub fn new(
        choice: EditionChoice,
        overrides: Option<&Overrides>,
        max_catalog_age: Option<u32>,
    ) -> Result<Self, InputError> {
        let editions =
            edition::editions().map_err(|e| InputError::file("embedded policy editions", e))?;
        let mut policies = Vec::with_capacity(editions.len());
        let mut revised = Vec::new();
        for edition in editions {
            let policy = match Policy::for_edition(edition, overrides) {
                Ok(policy) => Ok(policy.with_max_catalog_age(max_catalog_age)),
                Err(error)
                    if choice == EditionChoice::Default
                        && edition.default
                        && edition.product == Product::AksHybrid =>
                {
                    return Err(error)
                }
                Err(error) => Err(error.to_string()),
            };
            if let Some(replaced) = edition
                .replaced
                .as_ref()
                .filter(|r| choice == EditionChoice::Current && !r.withdraws.is_empty())
            {
                let without = policy.clone().map(|p| Policy {
                    withdrawn_by: Some(replaced),
                    ..p
                });
                revised.push((edition.id.as_str(), without));
            }
            policies.push((edition.id.as_str(), policy));
        }
        Ok(Self {
            choice,
            policies,
            revised,
        })
    }

    /// The policy for a deployment of `product` judged as of `as_of`.
    pub fn for_deployment(
        &self,
        product: Product,
        as_of: crate::base::dates::Day,
    ) -> Result<&Policy, String> {
        let edition = self.choice.resolve(product, as_of)?;
        // With `current`, a page replaced by a revision akspol lacks is
        // judged without the statements that revision withdrew.
        let revised = edition.replaced.as_ref().is_some_and(|r| r.date <= as_of);
        let policies = if revised && self.choice == EditionChoice::Current {
            &self.revised
        } else {
            &self.policies
        };
        match policies
            .iter()
            .chain(&self.policies)
            .find(|(id, _)| *id == edition.id)
        {
            Some((_, Ok(policy))) => Ok(policy),
            Some((_, Err(error))) => Err(error.clone()),
            None => Err(format!("no policy for edition {}", edition.id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_edition_has_the_2022_numbers() {
        let p = Policy::embedded().unwrap();
        assert_eq!(p.edition.id, "h22");
        assert_eq!(
            (
                p.recommended_window_days,
                p.support_window_days,
                p.availability_days
            ),
            (Some(30), Some(60), Some(120))
        );
        assert_eq!(p.upgradeable_releases, Some(3));
        assert_eq!(
            (
                p.stopped_control_plane_days,
                p.stopped_latest_days,
                p.stopped_update_days
            ),
            (30, Some(60), 90)
        );
        assert_eq!(p.subscription_grace_days, 60);
        assert_eq!(p.windows_server_edition.as_deref(), Some("Datacenter"));
        assert_eq!(p.catalog_max_age_days, Some(120));
    }

    #[test]
    fn the_azure_local_edition_stops_at_30_days_and_has_no_release_windows() {
        let p = Policy::default_for(Product::AksArc).unwrap();
        assert_eq!(p.edition.id, "al25");
        assert_eq!(
            (
                p.stopped_control_plane_days,
                p.stopped_latest_days,
                p.stopped_update_days
            ),
            (30, None, 30)
        );
        assert_eq!(p.support_window_days, None);
        assert_eq!(p.release_support_months, Some(6));
        assert_eq!(p.supported_cnis, ["calico"]);
        assert_eq!(p.catalog_max_age_days, Some(45));
    }

    #[test]
    fn a_policy_file_overrides_only_what_it_names() {
        let base = Policy::embedded().unwrap();
        let p = Policy::from_text("p.json", r#"{"supportWindowDays": 45}"#, Some(&base)).unwrap();
        assert_eq!(p.support_window_days, Some(45));
        assert_eq!(p.availability_days, Some(120));
        // A number the edition does not state stays unstated.
        let al25 = Policy::default_for(Product::AksArc).unwrap();
        let p = Policy::from_text("p.json", r#"{"stoppedLatestDays": 20}"#, Some(&al25)).unwrap();
        assert_eq!(p.stopped_latest_days, None);
    }

    #[test]
    fn max_catalog_age_replaces_the_cadence_and_zero_turns_it_off() {
        let p = Policy::embedded().unwrap();
        assert_eq!(
            p.clone()
                .with_max_catalog_age(Some(30))
                .catalog_max_age_days,
            Some(30)
        );
        assert_eq!(
            p.clone().with_max_catalog_age(Some(0)).catalog_max_age_days,
            None
        );
        assert_eq!(p.with_max_catalog_age(None).catalog_max_age_days, Some(120));
    }

    #[test]
    fn bad_policy_files_are_rejected() {
        let base = Policy::embedded().unwrap();
        for bad in [
            r#"{"supportWindowDays": -1}"#,
            r#"{"suportWindowDays": 45}"#,
            r#"{"upgradeableReleases": 0}"#,
            r#"{"stoppedLatestDays": 10}"#,
            r#"{"policyVersion": 2}"#,
            r#"{"availabilityDays": 3651}"#,
            r#"{"availabilityDays": 9223372036854775807}"#,
            r#"{"upgradeableReleases": 101}"#,
            "[]",
        ] {
            assert!(
                Policy::from_text("p.json", bad, Some(&base)).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn current_withholds_what_a_revision_akspol_lacks_withdrew() {
        let day = |d| crate::base::dates::parse_day(d).unwrap();
        let withdrawn = |choice: EditionChoice, d| {
            let policies = Policies::new(choice, None, None).unwrap();
            let policy = policies.for_deployment(Product::AksHybrid, day(d)).unwrap();
            (
                policy.edition.id.clone(),
                policy.withdrawn("V003").is_some(),
            )
        };
        assert_eq!(
            withdrawn(EditionChoice::Current, "2023-05-02"),
            ("h22".into(), false)
        );
        assert_eq!(
            withdrawn(EditionChoice::Current, "2023-05-03"),
            ("h22".into(), true)
        );
        assert_eq!(
            withdrawn(EditionChoice::Current, "2025-04-02"),
            ("h22".into(), true)
        );
        assert_eq!(
            withdrawn(EditionChoice::Current, "2025-04-03"),
            ("ws25".into(), false)
        );
        // Asked for by name (or by default), the 2022 page applies as written.
        assert_eq!(
            withdrawn(EditionChoice::Default, "2024-06-01"),
            ("h22".into(), false)
        );
        assert_eq!(
            withdrawn(EditionChoice::Named("h22".into()), "2024-06-01"),
            ("h22".into(), false)
        );
        let policies = Policies::new(EditionChoice::Current, None, None).unwrap();
        let policy = policies
            .for_deployment(Product::AksHybrid, day("2024-06-01"))
            .unwrap();
        assert!(policy.withdrawn("V006").is_none());
        let notice = policy.notice(day("2024-06-01")).unwrap();
        assert!(
            notice.contains("May 2023 revision") && notice.contains("V002, V003, V004, V005"),
            "{notice}"
        );
    }

    #[test]
    fn an_override_bad_for_one_edition_fails_only_its_deployments() {
        let o = Overrides::from_text("p.json", r#"{"stoppedControlPlaneDays": 45}"#).unwrap();
        let policies = Policies::new(EditionChoice::Default, Some(&o), None).unwrap();
        let day = crate::base::dates::parse_day("2026-03-01").unwrap();
        assert!(policies.for_deployment(Product::AksHybrid, day).is_ok());
        let error = policies.for_deployment(Product::AksArc, day).unwrap_err();
        assert!(
            error.contains("p.json") && error.contains("al25"),
            "{error}"
        );
    }
}
