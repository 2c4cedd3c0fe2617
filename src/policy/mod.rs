//! The numbers of the support policy. They live in `data/policy.json` (embedded)
//! so that a change in the published policy is a data change; `--policy FILE`
//! replaces any of them.

use serde::{Deserialize, Serialize};

use crate::input::{self, InputError, Problem};

pub const EMBEDDED_POLICY: &str = include_str!("../../data/policy.json");

/// The largest day count a policy may set: ten years. Every window of the
/// published policy is a few months; a larger number is a typo or an attack,
/// and near `i64::MAX` it would wrap the date arithmetic.
pub const MAX_DAYS: i64 = 3650;
/// The most releases `upgradeableReleases` may name.
pub const MAX_RELEASES: i64 = 100;

/// The bytes a policy file may have: a dozen numbers.
pub const MAX_POLICY_BYTES: u64 = 1024 * 1024;

/// The read limit of a `--policy` file.
pub fn file_limit() -> crate::input::Limit {
    crate::input::Limit::fixed(MAX_POLICY_BYTES, "a policy file")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// Stay within this many days of the latest release (recommendation).
    pub recommended_window_days: i64,
    /// Out of support when more than this many days behind.
    pub support_window_days: i64,
    /// After this many days old releases may no longer be downloadable.
    pub availability_days: i64,
    /// Upgrades are supported from this many most recent releases.
    pub upgradeable_releases: i64,
    pub stopped_control_plane_days: i64,
    pub stopped_latest_days: i64,
    pub stopped_update_days: i64,
    pub subscription_grace_days: i64,
    pub platform_warn_days: i64,
    pub node_image_max_age_days: i64,
}

/// Every field optional, so a policy file may override only what changed.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawPolicy {
    policy_version: Option<u32>,
    #[allow(dead_code)]
    source: Option<String>,
    recommended_window_days: Option<i64>,
    support_window_days: Option<i64>,
    availability_days: Option<i64>,
    upgradeable_releases: Option<i64>,
    stopped_control_plane_days: Option<i64>,
    stopped_latest_days: Option<i64>,
    stopped_update_days: Option<i64>,
    subscription_grace_days: Option<i64>,
    platform_warn_days: Option<i64>,
    node_image_max_age_days: Option<i64>,
}

impl Policy {
    pub fn embedded() -> Result<Self, InputError> {
        Self::from_text("embedded policy", EMBEDDED_POLICY, None)
    }

    /// Reads a policy file over `base`: keys it names replace the base values.
    pub fn from_text(origin: &str, text: &str, base: Option<&Policy>) -> Result<Self, InputError> {
        let raw: RawPolicy = input::parse_json(origin, text)?;
        let mut problems = Vec::new();
        if let Some(version) = raw.policy_version {
            if version != 1 {
                problems.push(Problem::new(
                    "policyVersion",
                    format!(
                        "unsupported policyVersion {version}: this akspol reads policyVersion 1"
                    ),
                ));
            }
        }
        let mut pick = |key: &str, value: Option<i64>, fallback: Option<i64>, min: i64| -> i64 {
            let max = if key == "upgradeableReleases" {
                MAX_RELEASES
            } else {
                MAX_DAYS
            };
            match value.or(fallback) {
                Some(v) if (min..=max).contains(&v) => v,
                Some(v) => {
                    let why = if v < min { "too small" } else { "too large" };
                    problems.push(Problem::new(
                        key,
                        format!("{v} is {why}: expected an integer from {min} to {max}"),
                    ));
                    min
                }
                None => {
                    problems.push(Problem::new(
                        key,
                        "missing: expected an integer number of days".to_string(),
                    ));
                    min
                }
            }
        };
        let policy = Policy {
            recommended_window_days: pick(
                "recommendedWindowDays",
                raw.recommended_window_days,
                base.map(|b| b.recommended_window_days),
                0,
            ),
            support_window_days: pick(
                "supportWindowDays",
                raw.support_window_days,
                base.map(|b| b.support_window_days),
                0,
            ),
            availability_days: pick(
                "availabilityDays",
                raw.availability_days,
                base.map(|b| b.availability_days),
                0,
            ),
            upgradeable_releases: pick(
                "upgradeableReleases",
                raw.upgradeable_releases,
                base.map(|b| b.upgradeable_releases),
                2,
            ),
            stopped_control_plane_days: pick(
                "stoppedControlPlaneDays",
                raw.stopped_control_plane_days,
                base.map(|b| b.stopped_control_plane_days),
                0,
            ),
            stopped_latest_days: pick(
                "stoppedLatestDays",
                raw.stopped_latest_days,
                base.map(|b| b.stopped_latest_days),
                0,
            ),
            stopped_update_days: pick(
                "stoppedUpdateDays",
                raw.stopped_update_days,
                base.map(|b| b.stopped_update_days),
                0,
            ),
            subscription_grace_days: pick(
                "subscriptionGraceDays",
                raw.subscription_grace_days,
                base.map(|b| b.subscription_grace_days),
                0,
            ),
            platform_warn_days: pick(
                "platformWarnDays",
                raw.platform_warn_days,
                base.map(|b| b.platform_warn_days),
                0,
            ),
            node_image_max_age_days: pick(
                "nodeImageMaxAgeDays",
                raw.node_image_max_age_days,
                base.map(|b| b.node_image_max_age_days),
                0,
            ),
        };
        let ordered = |a: i64, b: i64| a <= b;
        if !(ordered(
            policy.stopped_control_plane_days,
            policy.stopped_latest_days,
        ) && ordered(policy.stopped_latest_days, policy.stopped_update_days))
        {
            problems.push(Problem::new(
                "stoppedControlPlaneDays",
                "the stopped-cluster limits must grow: stoppedControlPlaneDays <= stoppedLatestDays <= stoppedUpdateDays".to_string(),
            ));
        }
        if !(ordered(policy.recommended_window_days, policy.support_window_days)
            && ordered(policy.support_window_days, policy.availability_days))
        {
            problems.push(Problem::new(
                "recommendedWindowDays",
                "the release windows must grow: recommendedWindowDays <= supportWindowDays <= availabilityDays".to_string(),
            ));
        }
        if problems.is_empty() {
            Ok(policy)
        } else {
            Err(InputError::invalid(origin, text, problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_policy_has_the_published_numbers() {
        let p = Policy::embedded().unwrap();
        assert_eq!(
            (
                p.recommended_window_days,
                p.support_window_days,
                p.availability_days
            ),
            (30, 60, 120)
        );
        assert_eq!(p.upgradeable_releases, 3);
        assert_eq!(
            (
                p.stopped_control_plane_days,
                p.stopped_latest_days,
                p.stopped_update_days
            ),
            (30, 60, 90)
        );
        assert_eq!(p.subscription_grace_days, 60);
    }

    #[test]
    fn a_policy_file_overrides_only_what_it_names() {
        let base = Policy::embedded().unwrap();
        let p = Policy::from_text("p.json", r#"{"supportWindowDays": 45}"#, Some(&base)).unwrap();
        assert_eq!(p.support_window_days, 45);
        assert_eq!(p.availability_days, 120);
    }

    #[test]
    fn bad_policy_files_are_rejected() {
        let base = Policy::embedded().unwrap();
        for bad in [
            r#"{"supportWindowDays": -1}"#,
            r#"{"suportWindowDays": 45}"#,
            r#"{"upgradeableReleases": 0}"#,
            r#"{"stoppedLatestDays": 10}"#,
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
}
