//! [`LabelMap`]: a node's labels, annotations or tags (string keys to string
//! values), stored compactly. A fleet has millions of these pairs; a
//! `BTreeMap<String, String>` costs two allocations per pair plus its nodes,
//! this costs two allocations per map: one text arena and one sorted table of
//! spans into it.
//!
//! Duplicate keys are rejected while reading (with last-one-wins, two readers
//! of the same file could see two different nodes), at the same point and with
//! the same message as before: ``duplicate key `KEY` ``.

use std::collections::HashSet;
use std::fmt;
use std::hash::{BuildHasher, RandomState};

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// One pair: byte ranges of the key and the value in the arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    key: (u32, u32),
    value: (u32, u32),
}

/// A string-to-string map in key order (byte order, as `BTreeMap<String, _>`),
/// with unique keys.
#[derive(Clone, Default)]
pub struct LabelMap {
    text: String,
    entries: Vec<Entry>,
}

impl LabelMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn slice(&self, (start, end): (u32, u32)) -> &str {
        self.text
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    fn key_of(&self, entry: &Entry) -> &str {
        self.slice(entry.key)
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .binary_search_by(|e| self.key_of(e).cmp(key))
            .ok()
            .and_then(|i| self.entries.get(i))
            .map(|e| self.slice(e.value))
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The pairs in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.entries
            .iter()
            .map(|e| (self.slice(e.key), self.slice(e.value)))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries.iter().map(|e| self.slice(e.key))
    }

    /// Appends `text` to the arena; its span, or `None` past 4 GiB.
    fn push_text(&mut self, text: &str) -> Option<(u32, u32)> {
        let start = u32::try_from(self.text.len()).ok()?;
        let end = u32::try_from(self.text.len().checked_add(text.len())?).ok()?;
        self.text.push_str(text);
        Some((start, end))
    }

    /// Puts the entries in key order (keys are unique, so the order is total).
    fn sort(&mut self) {
        let mut entries = std::mem::take(&mut self.entries);
        entries.sort_unstable_by(|a, b| self.key_of(a).cmp(self.key_of(b)));
        self.entries = entries;
    }
}

impl fmt::Debug for LabelMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// From pairs; of pairs with the same key, the last one counts.
impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for LabelMap {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut map = LabelMap::new();
        for (key, value) in pairs {
            if let (Some(key), Some(value)) =
                (map.push_text(key.as_ref()), map.push_text(value.as_ref()))
            {
                map.entries.push(Entry { key, value });
            }
        }
        // A stable sort keeps pairs with the same key in input order.
        let mut entries = std::mem::take(&mut map.entries);
        entries.sort_by(|a, b| map.key_of(a).cmp(map.key_of(b)));
        let mut unique: Vec<Entry> = Vec::with_capacity(entries.len());
        for entry in entries {
            match unique.last_mut() {
                Some(last) if map.key_of(last) == map.key_of(&entry) => *last = entry,
                _ => unique.push(entry),
            }
        }
        map.entries = unique;
        map
    }
}

/// Equal when the pairs are, however the text is laid out.
impl PartialEq for LabelMap {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for LabelMap {}

/// Below this many keys a linear scan finds a duplicate faster than hashing.
const LINEAR_KEYS: usize = 16;

/// The reader's duplicate check: a linear scan for small maps, hashes of the
/// keys (confirmed by comparing text) for large ones, so that an adversarial
/// 100,000-key map stays linear.
struct Seen {
    state: RandomState,
    hashes: Option<HashSet<u64>>,
}

impl Seen {
    fn new() -> Self {
        Self {
            state: RandomState::new(),
            hashes: None,
        }
    }

    /// Whether the last entry of `map` repeats an earlier key.
    fn repeats_last(&mut self, map: &LabelMap) -> bool {
        let Some((last, earlier)) = map.entries.split_last() else {
            return false;
        };
        let key = map.key_of(last);
        let scan = || earlier.iter().any(|e| map.key_of(e) == key);
        if earlier.len() < LINEAR_KEYS {
            return scan();
        }
        let state = &self.state;
        let hashes = self.hashes.get_or_insert_with(|| {
            earlier
                .iter()
                .map(|e| state.hash_one(map.key_of(e)))
                .collect()
        });
        // A new hash is a new key; a known hash is checked against the text.
        !hashes.insert(state.hash_one(key)) && scan()
    }
}

impl<'de> Deserialize<'de> for LabelMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(LabelMapVisitor)
    }
}

struct LabelMapVisitor;

impl<'de> Visitor<'de> for LabelMapVisitor {
    type Value = LabelMap;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of string values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<LabelMap, A::Error> {
        let mut map = LabelMap::new();
        let mut seen = Seen::new();
        while let Some(key) = access.next_key_seed(Append(&mut map.text))? {
            let value = access.next_value_seed(Append(&mut map.text))?;
            map.entries.push(Entry { key, value });
            if seen.repeats_last(&map) {
                return Err(de::Error::custom(format_args!(
                    "duplicate key `{}`",
                    map.slice(key)
                )));
            }
        }
        map.sort();
        Ok(map)
    }
}

/// Reads one JSON string onto the end of the arena; its span.
struct Append<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for Append<'_> {
    type Value = (u32, u32);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for Append<'_> {
    type Value = (u32, u32);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        let too_large = || E::custom("labels, annotations or tags larger than 4 GiB");
        let start = u32::try_from(self.0.len()).map_err(|_| too_large())?;
        let end = self
            .0
            .len()
            .checked_add(text.len())
            .and_then(|end| u32::try_from(end).ok())
            .ok_or_else(too_large)?;
        self.0.push_str(text);
        Ok((start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn parse(text: &str) -> Result<LabelMap, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn keys_come_in_byte_order_like_a_btreemap() {
        let text = r#"{"b": "2", "a": "1", "Z": "0", "a/b": "", "é": "x", "a\"q": "esc\n"}"#;
        let map = parse(text).unwrap();
        let btree: BTreeMap<String, String> = serde_json::from_str(text).unwrap();
        let pairs: Vec<(&str, &str)> = map.iter().collect();
        let expected: Vec<(&str, &str)> = btree
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(pairs, expected);
        assert_eq!(map.len(), 6);
        assert_eq!(map.get("a"), Some("1"));
        assert_eq!(map.get("a\"q"), Some("esc\n"));
        assert_eq!(map.get("a/b"), Some(""));
        assert!(map.contains_key("Z"));
        assert!(!map.contains_key("z"));
        assert!(parse("{}").unwrap().is_empty());
    }

    #[test]
    fn duplicates_are_errors_in_small_and_large_maps() {
        assert!(parse(r#"{"a": "1", "a": "2"}"#)
            .unwrap_err()
            .starts_with("duplicate key `a`"));
        for n in [15, 16, 17, 100] {
            let mut pairs: Vec<String> = (0..n).map(|i| format!("\"k{i}\": \"v\"")).collect();
            assert!(parse(&format!("{{{}}}", pairs.join(","))).is_ok());
            pairs.push(format!("\"k{}\": \"w\"", n / 2));
            let error = parse(&format!("{{{}}}", pairs.join(","))).unwrap_err();
            assert!(
                error.starts_with(&format!("duplicate key `k{}`", n / 2)),
                "{error}"
            );
        }
    }

    #[test]
    fn values_must_be_strings() {
        let error = parse(r#"{"a": 1}"#).unwrap_err();
        assert!(
            error.starts_with("invalid type: integer `1`, expected a string"),
            "{error}"
        );
        let error = parse(r#"["a"]"#).unwrap_err();
        assert!(
            error.contains("expected an object of string values"),
            "{error}"
        );
    }

    #[test]
    fn from_pairs_sorts_and_keeps_the_last_duplicate() {
        let map: LabelMap = [("b", "1"), ("a", "2"), ("b", "3")].into_iter().collect();
        assert_eq!(map.iter().collect::<Vec<_>>(), vec![("a", "2"), ("b", "3")]);
        let same: LabelMap = [("a", "2"), ("b", "3")].into_iter().collect();
        assert_eq!(map, same);
        assert_eq!(format!("{map:?}"), r#"{"a": "2", "b": "3"}"#);
    }
}
