//! The policy parameters, one typed table ([`PARAMETERS`]): each one's key,
//! unit, bounds, whether every edition must state it, what it means, and
//! where its value goes in a [`Policy`]. The editions (`data/editions/*.json`)
//! are data this table validates, and a `--policy FILE` replaces any of them
//! for the edition in use; [`resolve`] is one loop over the table.
//! Which editions state a parameter is theirs to say (`akspol rules
//! --format markdown` writes the table with each edition's values).

use std::fmt;
use std::ops::RangeInclusive;
use std::sync::OnceLock;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::{Edition, Policy, SupportReading};
use crate::input::Problem;

/// The largest day count a policy may set: ten years. Every window of the
/// published policy is a few months; a larger number is a typo or an attack,
/// and near `i64::MAX` it would wrap the date arithmetic.
pub const MAX_DAYS: i64 = 3650;
/// The most releases `upgradeableReleases` may name.
pub const MAX_RELEASES: i64 = 100;
/// The most months `releaseSupportMonths` may be: ten years.
pub const MAX_MONTHS: i64 = 120;

const DAYS: RangeInclusive<i64> = 0..=MAX_DAYS;

/// What a parameter's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Months,
    /// A count of releases.
    Releases,
    /// A Windows Server version, as its year (2019).
    Year,
    /// A list of names.
    List,
    /// One name.
    Name,
    /// One of the readings of a statement the page leaves open (the
    /// edition's `parameterReadings`).
    Reading,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::Months => "months",
            Unit::Releases => "releases",
            Unit::Year => "year",
            Unit::List => "list",
            Unit::Name => "name",
            Unit::Reading => "reading",
        }
    }

    /// Whether its values are whole numbers (which have bounds).
    pub fn is_number(self) -> bool {
        matches!(
            self,
            Unit::Days | Unit::Months | Unit::Releases | Unit::Year
        )
    }
}

/// A parameter's value, read as its unit says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Number(i64),
    List(Vec<String>),
    Name(String),
    Reading(SupportReading),
}

/// One parameter of the policy.
pub struct Parameter {
    /// Its key in an edition's `parameters` and in a policy file.
    pub key: &'static str,
    pub unit: Unit,
    /// The values a number may take; `None` for the others.
    pub bounds: Option<RangeInclusive<i64>>,
    /// Every edition states it: the rules that read it run under every edition.
    pub required: bool,
    /// What it means, in a line.
    pub about: &'static str,
    /// Puts a stated value into the policy.
    set: fn(&mut Policy, Value),
}

impl fmt::Debug for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key)
    }
}

impl Value {
    fn number(self) -> Option<i64> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    fn list(self) -> Vec<String> {
        match self {
            Value::List(list) => list,
            _ => Vec::new(),
        }
    }

    fn name(self) -> Option<String> {
        match self {
            Value::Name(name) => Some(name),
            _ => None,
        }
    }
}

const fn number(
    key: &'static str,
    unit: Unit,
    bounds: RangeInclusive<i64>,
    required: bool,
    about: &'static str,
    set: fn(&mut Policy, Value),
) -> Parameter {
    Parameter {
        key,
        unit,
        bounds: Some(bounds),
        required,
        about,
        set,
    }
}

const fn other(
    key: &'static str,
    unit: Unit,
    about: &'static str,
    set: fn(&mut Policy, Value),
) -> Parameter {
    Parameter {
        key,
        unit,
        bounds: None,
        required: false,
        about,
        set,
    }
}

/// Every parameter, in the order a policy file's keys are listed in messages.
#[rustfmt::skip]
pub static PARAMETERS: [Parameter; 24] = [
    number("recommendedWindowDays", Unit::Days, DAYS, false,
        "stay within this many days of the latest release (a recommendation)",
        |p, v| p.recommended_window_days = v.number()),
    number("supportWindowDays", Unit::Days, DAYS, false,
        "out of support when more than this many days behind the latest release",
        |p, v| p.support_window_days = v.number()),
    number("availabilityDays", Unit::Days, DAYS, false,
        "after this many days older releases may no longer be downloadable",
        |p, v| p.availability_days = v.number()),
    number("upgradeableReleases", Unit::Releases, 2..=MAX_RELEASES, false,
        "upgrades are supported from this many most recent releases",
        |p, v| p.upgradeable_releases = v.number()),
    number("stoppedControlPlaneDays", Unit::Days, DAYS, true,
        "the control plane of a cluster stopped longer is out of support",
        |p, v| p.stopped_control_plane_days = v.number().unwrap_or_default()),
    number("stoppedLatestDays", Unit::Days, DAYS, false,
        "a cluster stopped longer can no longer be updated to the latest release",
        |p, v| p.stopped_latest_days = v.number()),
    number("stoppedUpdateDays", Unit::Days, DAYS, true,
        "a cluster stopped longer can no longer be updated",
        |p, v| p.stopped_update_days = v.number().unwrap_or_default()),
    number("subscriptionGraceDays", Unit::Days, DAYS, true,
        "a suspended or deleted subscription is out of support after this many days",
        |p, v| p.subscription_grace_days = v.number().unwrap_or_default()),
    number("platformWarnDays", Unit::Days, DAYS, true,
        "warn this many days before a host's or node OS's end of support (akspol's)",
        |p, v| p.platform_warn_days = v.number().unwrap_or_default()),
    number("nodeImageMaxAgeDays", Unit::Days, DAYS, false,
        "warn when a node's image is older than this (akspol's)",
        |p, v| p.node_image_max_age_days = v.number()),
    number("releaseSupportMonths", Unit::Months, 1..=MAX_MONTHS, false,
        "each Azure Local release is supported this many months",
        |p, v| p.release_support_months = v.number()),
    other("releaseSupportReading", Unit::Reading,
        "from when those months count (the page does not say): one of the edition's readings",
        |p, v| if let Value::Reading(r) = v { p.release_support_reading = Some(r) }),
    number("kubernetesMinorGraceDays", Unit::Days, DAYS, false,
        "the oldest Kubernetes minor leaves support this many days after a new one",
        |p, v| p.kubernetes_minor_grace_days = v.number()),
    number("nodeStoppedDays", Unit::Days, DAYS, false,
        "all nodes stopped by hand longer, outside maintenance: out of support",
        |p, v| p.node_stopped_days = v.number()),
    number("managementConnectionDays", Unit::Days, DAYS, false,
        "the management cluster must connect to Azure at least this often",
        |p, v| p.management_connection_days = v.number()),
    number("azureSyncDays", Unit::Days, DAYS, false,
        "an Azure Local instance must sync with Azure at least this often",
        |p, v| p.azure_sync_days = v.number()),
    number("clusterConnectionDays", Unit::Days, DAYS, false,
        "an AKS Arc cluster's Arc agents must reach Azure at least this often (its certificates' validity)",
        |p, v| p.cluster_connection_days = v.number()),
    number("certificateUpgradeDays", Unit::Days, DAYS, false,
        "AksHci: internal certificates and tokens expire this many days after the last upgrade",
        |p, v| p.certificate_upgrade_days = v.number()),
    number("updateCheckDays", Unit::Days, DAYS, false,
        "Azure's update state checked longer ago than this is not trusted (akspol's)",
        |p, v| p.update_check_days = v.number()),
    number("catalogCadenceDays", Unit::Days, DAYS, false,
        "about how often the line releases: a catalog older cannot vouch for \"latest\" (akspol's; 0: never; `--max-catalog-age`)",
        |p, v| p.catalog_max_age_days = v.number().filter(|d| *d > 0)),
    other("supportedCnis", Unit::List,
        "the CNIs with basic installation support",
        |p, v| p.supported_cnis = v.list().into_iter().map(|c| c.to_ascii_lowercase()).collect()),
    other("hostPlatforms", Unit::List,
        "the host operating systems the page supports",
        |p, v| p.host_platforms = v.list()),
    number("windowsServerMinimumVersion", Unit::Year, 0..=9999, false,
        "the oldest Windows Server host version supported",
        |p, v| p.windows_server_minimum_version = v.number()),
    other("windowsServerEdition", Unit::Name,
        "the Windows Server edition the host must run",
        |p, v| p.windows_server_edition = v.name()),
];

/// Parameters whose values may not get smaller in this order, and what they
/// are together.
pub const GROWING: [(&str, [&str; 3]); 2] = [
    (
        "stopped-cluster limits",
        [
            "stoppedControlPlaneDays",
            "stoppedLatestDays",
            "stoppedUpdateDays",
        ],
    ),
    (
        "release windows",
        [
            "recommendedWindowDays",
            "supportWindowDays",
            "availabilityDays",
        ],
    ),
];

/// The parameter with this key.
pub fn find(key: &str) -> Option<&'static Parameter> {
    PARAMETERS.iter().find(|p| p.key == key)
}

/// A policy file's keys: its version and source, then the parameters.
fn keys() -> &'static [&'static str] {
    static KEYS: OnceLock<Vec<&'static str>> = OnceLock::new();
    KEYS.get_or_init(|| {
        ["policyVersion", "source"]
            .into_iter()
            .chain(PARAMETERS.iter().map(|p| p.key))
            .collect()
    })
}

/// An edition's `parameters` or a policy file, read by the table: each value
/// as its parameter's unit says, an unknown key or a key given twice an
/// error (as serde says them for a struct: `RawPolicy` is the name messages
/// turn into "a policy object").
#[derive(Debug, Default)]
pub(super) struct RawPolicy {
    pub policy_version: Option<u32>,
    /// Each stated parameter's value, by its index in [`PARAMETERS`].
    values: Vec<Option<Value>>,
}

impl RawPolicy {
    fn get(&self, index: usize) -> Option<&Value> {
        self.values.get(index).and_then(Option::as_ref)
    }
}

impl<'de> Deserialize<'de> for RawPolicy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("RawPolicy", keys(), RawPolicyVisitor)
    }
}

struct RawPolicyVisitor;

impl<'de> Visitor<'de> for RawPolicyVisitor {
    type Value = RawPolicy;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct RawPolicy")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPolicy, A::Error> {
        let mut raw = RawPolicy {
            policy_version: None,
            values: vec![None; PARAMETERS.len()],
        };
        let mut seen = vec![false; keys().len()];
        while let Some(at) = map.next_key_seed(Key)? {
            match seen.get_mut(at) {
                Some(true) => {
                    return Err(de::Error::duplicate_field(
                        keys().get(at).copied().unwrap_or_default(),
                    ))
                }
                Some(seen) => *seen = true,
                None => {}
            }
            let Some(parameter) = at.checked_sub(2).and_then(|i| PARAMETERS.get(i)) else {
                if at == 0 {
                    raw.policy_version = map.next_value()?;
                } else {
                    // `source`: where the numbers come from, for people.
                    map.next_value::<Option<String>>()?;
                }
                continue;
            };
            let value = match parameter.unit {
                Unit::List => map.next_value::<Option<Vec<String>>>()?.map(Value::List),
                Unit::Name => map.next_value::<Option<String>>()?.map(Value::Name),
                Unit::Reading => map
                    .next_value::<Option<SupportReading>>()?
                    .map(Value::Reading),
                _ => map.next_value::<Option<i64>>()?.map(Value::Number),
            };
            if let Some(slot) = raw.values.get_mut(at - 2) {
                *slot = value;
            }
        }
        Ok(raw)
    }
}

/// A key of a policy file, read as its index in [`keys`]; an unknown key is
/// an error while the key is read (so messages name it as its path).
struct Key;

impl<'de> de::DeserializeSeed<'de> for Key {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        keys()
            .iter()
            .position(|k| *k == key)
            .ok_or_else(|| E::unknown_field(key, keys()))
    }
}

/// Where the problems of [`resolve`] come from: the file answers for them
/// when it set a value that broke a rule of the table.
pub(super) struct Resolved {
    pub policy: Policy,
    pub problems: Vec<Problem>,
    pub from_file: bool,
}

/// The policy of `edition` (its parameters, `own`) with `over` replacing the
/// values it states: one pass over the table. A value the edition does not
/// state stays unstated (the rule that needs it does not run there); every
/// number is bounded (near `i64::MAX` a day count would wrap the date
/// arithmetic, issue 12).
pub(super) fn resolve(
    edition: &'static Edition,
    own: &RawPolicy,
    over: Option<&RawPolicy>,
) -> Resolved {
    let mut policy = Policy::unset(edition);
    let mut problems = Vec::new();
    let mut missing = Vec::new();
    let mut from_file = false;
    let mut numbers: Vec<(&str, i64)> = Vec::new();
    for (index, parameter) in PARAMETERS.iter().enumerate() {
        let replaced = over.and_then(|o| o.get(index));
        let value = own.get(index).map(|v| replaced.unwrap_or(v).clone());
        if let (Some(Value::Number(n)), Some(bounds)) = (&value, &parameter.bounds) {
            if !bounds.contains(n) {
                from_file |= replaced.is_some();
                let why = if n < bounds.start() {
                    "too small"
                } else {
                    "too large"
                };
                problems.push(Problem::new(
                    parameter.key,
                    format!(
                        "{n} is {why}: expected an integer from {} to {}",
                        bounds.start(),
                        bounds.end()
                    ),
                ));
            }
            numbers.push((parameter.key, *n));
        }
        match value {
            Some(value) => (parameter.set)(&mut policy, value),
            None if parameter.required => {
                missing.push(Problem::new(
                    parameter.key,
                    "missing: every edition states it".to_string(),
                ));
                numbers.push((parameter.key, 0));
            }
            None => {}
        }
    }
    problems.append(&mut missing);
    // Stated with the months: an edition without them has no reading.
    if policy.release_support_months.is_none() {
        policy.release_support_reading = None;
    }
    for (what, order) in GROWING {
        let stated: Vec<i64> = order
            .iter()
            .filter_map(|key| numbers.iter().find(|(k, _)| k == key).map(|(_, n)| *n))
            .collect();
        if !stated.windows(2).all(|w| w.first() <= w.get(1)) {
            from_file |= over.is_some();
            problems.push(Problem::new(
                order.first().copied().unwrap_or_default(),
                format!("the {what} must grow: {}", order.join(" <= ")),
            ));
        }
    }
    Resolved {
        policy,
        problems,
        from_file,
    }
}

/// Whether `edition`'s parameters, notes and readings are ones the table
/// knows (a reading only of a parameter whose unit is a reading).
pub(super) fn check_edition(
    parameters: &serde_json::Map<String, serde_json::Value>,
    notes: &serde_json::Map<String, serde_json::Value>,
    readings: impl Iterator<Item = impl AsRef<str>>,
) -> Result<(), String> {
    for key in parameters.keys().chain(notes.keys()) {
        if find(key).is_none() {
            return Err(format!("`{key}` is not a policy parameter"));
        }
    }
    for parameter in readings {
        let parameter = parameter.as_ref();
        if find(parameter).map(|p| p.unit) != Some(Unit::Reading) {
            return Err(format!(
                "parameterReadings of `{parameter}`: not a parameter read several ways"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_each_key_once_and_bounds_exactly_for_numbers() {
        let mut seen = std::collections::HashSet::new();
        for p in &PARAMETERS {
            assert!(seen.insert(p.key), "{} twice", p.key);
            assert_eq!(p.bounds.is_some(), p.unit.is_number(), "{}", p.key);
            assert!(!p.required || p.unit.is_number(), "{}", p.key);
        }
        for (_, order) in GROWING {
            for key in order {
                assert!(find(key).is_some_and(|p| p.unit == Unit::Days), "{key}");
            }
        }
    }

    #[test]
    fn every_edition_is_valid_by_the_table() {
        for edition in super::super::edition::editions().unwrap() {
            let own: RawPolicy =
                serde_json::from_value(serde_json::Value::Object(edition.parameters.clone()))
                    .unwrap();
            let resolved = resolve(edition, &own, None);
            assert!(resolved.problems.is_empty(), "{}", edition.id);
            for p in PARAMETERS.iter().filter(|p| p.required) {
                assert!(
                    edition.parameters.contains_key(p.key),
                    "{} {}",
                    edition.id,
                    p.key
                );
            }
        }
    }

    #[test]
    fn an_edition_naming_what_the_table_lacks_is_refused() {
        let map = |text: &str| match serde_json::from_str(text).unwrap() {
            serde_json::Value::Object(map) => map,
            _ => unreachable!(),
        };
        let none = serde_json::Map::new();
        assert!(check_edition(
            &map(r#"{"supportWindowDays": 1}"#),
            &none,
            std::iter::empty::<&str>()
        )
        .is_ok());
        assert!(check_edition(
            &map(r#"{"suportWindowDays": 1}"#),
            &none,
            std::iter::empty::<&str>()
        )
        .unwrap_err()
        .contains("suportWindowDays"));
        assert!(check_edition(&none, &map(r#"{"x": ""}"#), std::iter::empty::<&str>()).is_err());
        assert!(check_edition(&none, &none, ["releaseSupportReading"].into_iter()).is_ok());
        assert!(check_edition(&none, &none, ["releaseSupportMonths"].into_iter()).is_err());
    }
}
