//! A finding's evidence: what the rule read and worked out, as typed values
//! kept until a report writes them (the JSON report's `evidence`, SARIF's
//! `properties.evidence`). One small vector of named facts per finding: no
//! key is allocated, no hash table built, and dates and versions stay values
//! until they are written. It serializes exactly as the JSON object of the
//! same keys, in the order they were given.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::base::dates::{Day, When};
use crate::base::version::{KubeVersion, ReleaseVersion};

/// Named facts, in the order they were given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence(Vec<(&'static str, Fact)>);

/// One value of the evidence.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    Null,
    Bool(bool),
    Int(i64),
    Text(String),
    Static(&'static str),
    /// Written `YYYY-MM-DD`.
    Day(Day),
    /// One day written `YYYY-MM-DD` (an estimate too: the evidence's
    /// `dateBasis` says so); a span as `{"notBefore", "notAfter", "precision"}`.
    When(When),
    Release(ReleaseVersion),
    Kube(KubeVersion),
    List(Vec<Fact>),
    Record(Evidence),
}

impl Evidence {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a fact under a key it does not have yet (each key is a literal
    /// of a rule, given once: tests run every rule with this checked).
    pub fn with(mut self, key: &'static str, value: impl Into<Fact>) -> Self {
        self.insert(key, value.into());
        self
    }

    pub fn insert(&mut self, key: &'static str, value: Fact) {
        debug_assert!(self.get(key).is_none(), "evidence key `{key}` given twice");
        self.0.push((key, value));
    }

    pub fn get(&self, key: &str) -> Option<&Fact> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// The same facts as a JSON value (tests, and readers that want a tree).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl Fact {
    /// The text of a `Text` or `Static` fact.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Fact::Text(text) => Some(text),
            Fact::Static(text) => Some(text),
            _ => None,
        }
    }
}

impl Serialize for Evidence {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl Serialize for Fact {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Fact::Null => serializer.serialize_unit(),
            Fact::Bool(b) => serializer.serialize_bool(*b),
            Fact::Int(n) => serializer.serialize_i64(*n),
            Fact::Text(text) => serializer.serialize_str(text),
            Fact::Static(text) => serializer.serialize_str(text),
            Fact::Day(day) => serializer.collect_str(day),
            Fact::When(when) if !when.is_span() => serializer.collect_str(&when.earliest),
            Fact::When(when) => {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("notBefore", &when.earliest.to_string())?;
                map.serialize_entry("notAfter", &when.latest.to_string())?;
                map.serialize_entry("precision", when.precision().as_str())?;
                map.end()
            }
            Fact::Release(version) => serializer.collect_str(version),
            Fact::Kube(version) => serializer.collect_str(version),
            Fact::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Fact::Record(evidence) => evidence.serialize(serializer),
        }
    }
}

impl From<bool> for Fact {
    fn from(b: bool) -> Self {
        Fact::Bool(b)
    }
}

impl From<i64> for Fact {
    fn from(n: i64) -> Self {
        Fact::Int(n)
    }
}

impl From<u32> for Fact {
    fn from(n: u32) -> Self {
        Fact::Int(i64::from(n))
    }
}

impl From<usize> for Fact {
    fn from(n: usize) -> Self {
        Fact::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<String> for Fact {
    fn from(text: String) -> Self {
        Fact::Text(text)
    }
}

impl From<&'static str> for Fact {
    fn from(text: &'static str) -> Self {
        Fact::Static(text)
    }
}

impl From<Day> for Fact {
    fn from(day: Day) -> Self {
        Fact::Day(day)
    }
}

impl From<When> for Fact {
    fn from(when: When) -> Self {
        Fact::When(when)
    }
}

impl From<ReleaseVersion> for Fact {
    fn from(version: ReleaseVersion) -> Self {
        Fact::Release(version)
    }
}

impl From<KubeVersion> for Fact {
    fn from(version: KubeVersion) -> Self {
        Fact::Kube(version)
    }
}

impl From<&KubeVersion> for Fact {
    fn from(version: &KubeVersion) -> Self {
        Fact::Kube(version.clone())
    }
}

impl From<Evidence> for Fact {
    fn from(evidence: Evidence) -> Self {
        Fact::Record(evidence)
    }
}

impl<T: Into<Fact>> From<Option<T>> for Fact {
    fn from(value: Option<T>) -> Self {
        value.map_or(Fact::Null, Into::into)
    }
}

impl<T: Into<Fact>> From<Vec<T>> for Fact {
    fn from(items: Vec<T>) -> Self {
        Fact::List(items.into_iter().map(Into::into).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_the_json_object_of_its_keys_in_order() {
        let day = crate::base::dates::parse_day("2026-11-23").unwrap();
        let evidence = Evidence::new()
            .with("b", 1usize)
            .with("a", "x")
            .with("since", day)
            .with("none", None::<String>)
            .with("list", vec!["p".to_string(), "q".to_string()])
            .with("nested", Evidence::new().with("k", true))
            .with("neg", -2i64)
            .with("month", When::month(2026, 7).unwrap())
            .with("day", When::estimate(day));
        assert_eq!(
            serde_json::to_string(&evidence).unwrap(),
            r#"{"b":1,"a":"x","since":"2026-11-23","none":null,"list":["p","q"],"nested":{"k":true},"neg":-2,"month":{"notBefore":"2026-07-01","notAfter":"2026-07-31","precision":"month"},"day":"2026-11-23"}"#
        );
        assert_eq!(evidence.to_value()["since"], "2026-11-23");
    }
}
