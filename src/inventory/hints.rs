//! What a key the inventory schema does not know probably meant: a key of
//! the same object that the schema knows, the document lacks, and that is
//! spelt almost the same (`stopedSince` for `stoppedSince`, or
//! `KubernetesVersion` as PowerShell objects spell their properties).

use serde_json::Value;

use crate::input::{JsonPath, Seg};

/// The schema and the document, read once for all the unknown keys of a file.
pub struct KeyHints {
    schema: Option<Value>,
    document: Option<Value>,
}

/// Keys longer than this are not compared (the cost is their length squared).
const MAX_KEY: usize = 64;

impl KeyHints {
    /// `None` parts (a document too deep for `serde_json::Value`) give no hints.
    pub fn new(text: &str) -> Self {
        Self {
            schema: serde_json::from_str(crate::INVENTORY_SCHEMA).ok(),
            document: serde_json::from_str(text).ok(),
        }
    }

    /// The missing key `path`'s last key probably meant.
    pub fn meant(&self, path: &JsonPath) -> Option<String> {
        let (Some(Seg::Key(key)), Some(schema), Some(document)) =
            (path.0.last(), &self.schema, &self.document)
        else {
            return None;
        };
        if key.len() > MAX_KEY {
            return None;
        }
        let parent = path.0.get(..path.0.len().saturating_sub(1))?;
        let object = value_at(document, parent)?.as_object()?;
        let properties = schema_at(schema, schema, parent)?
            .get("properties")?
            .as_object()?;
        properties
            .keys()
            .filter(|known| !object.contains_key(known.as_str()))
            .map(|known| (distance(key, known), known))
            .filter(|(d, known)| *d <= allowed(known))
            .min_by_key(|(d, _)| *d)
            .map(|(_, known)| known.clone())
    }
}

impl KeyHints {
    /// The key of the object at `path` that probably meant `missing` (a
    /// required key serde found absent): one the schema does not know there.
    pub fn misspelt(&self, path: &JsonPath, missing: &str) -> Option<String> {
        let (Some(schema), Some(document)) = (&self.schema, &self.document) else {
            return None;
        };
        let object = value_at(document, &path.0)?.as_object()?;
        let properties = schema_at(schema, schema, &path.0)?
            .get("properties")?
            .as_object()?;
        object
            .keys()
            .filter(|key| key.len() <= MAX_KEY && !properties.contains_key(key.as_str()))
            .map(|key| (distance(key, missing), key))
            .filter(|(d, _)| *d <= allowed(missing))
            .min_by_key(|(d, _)| *d)
            .map(|(_, key)| key.clone())
    }
}

/// Edits allowed between a key and the one it meant.
fn allowed(known: &str) -> usize {
    if known.len() >= 5 {
        2
    } else {
        1
    }
}

fn value_at<'a>(value: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, seg| match seg {
        Seg::Key(k) => v.get(k.as_str()),
        Seg::Index(i) => v.get(*i),
    })
}

/// The schema of the value at `path`, following `$ref`s into `$defs`.
fn schema_at<'a>(root: &'a Value, schema: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    let schema = resolve(root, schema)?;
    let Some((first, rest)) = path.split_first() else {
        return Some(schema);
    };
    let next = match first {
        Seg::Key(k) => schema.get("properties")?.get(k.as_str())?,
        Seg::Index(_) => schema.get("items")?,
    };
    schema_at(root, next, rest)
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.strip_prefix("#/$defs/")?;
            root.get("$defs")?.get(name)
        }
        None => Some(schema),
    }
}

/// Edits from `a` to `b` (insert, delete, replace, or swap two neighbours),
/// case ignored: `KubernetesVersion` is `kubernetesVersion` at distance 0.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        if let Some(cell) = rows.get_mut(at(i, 0)) {
            *cell = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(cell) = rows.get_mut(at(0, j)) {
            *cell = j;
        }
    }
    for (i, ca) in a.iter().enumerate() {
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let get = |i: usize, j: usize| rows.get(at(i, j)).copied().unwrap_or(usize::MAX / 2);
            let mut best = (get(i, j + 1) + 1)
                .min(get(i + 1, j) + 1)
                .min(get(i, j) + cost);
            let swapped = i > 0 && j > 0 && a.get(i - 1) == Some(cb) && b.get(j - 1) == Some(ca);
            if swapped {
                best = best.min(get(i - 1, j - 1) + 1);
            }
            if let Some(cell) = rows.get_mut(at(i + 1, j + 1)) {
                *cell = best;
            }
        }
    }
    rows.get(at(a.len(), b.len()))
        .copied()
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_and_swaps_and_ignores_case() {
        assert_eq!(distance("stopedSince", "stoppedSince"), 1);
        assert_eq!(distance("platfrom", "platform"), 1);
        assert_eq!(distance("KubernetesVersion", "kubernetesVersion"), 0);
        assert_eq!(distance("name", "version"), 7);
    }

    #[test]
    fn names_the_missing_key_it_probably_meant() {
        let text = r#"{"schemaVersion": 1, "deployment": {"name": "d", "verison": "1.0.24.11029"},
            "clusters": [{"name": "c", "kubernetesVersion": "1.28.5", "stopedSince": "2026-01-01"}]}"#;
        let hints = KeyHints::new(text);
        let path = |p: &str| JsonPath::parse_dotted(p);
        assert_eq!(
            hints.meant(&path("deployment.verison")).as_deref(),
            Some("version")
        );
        assert_eq!(
            hints.meant(&path("clusters.0.stopedSince")).as_deref(),
            Some("stoppedSince")
        );
        let text = r#"{"deployment": {"name": "d", "Version": "1.0.24.11029"}}"#;
        assert_eq!(
            KeyHints::new(text)
                .misspelt(&path("deployment"), "version")
                .as_deref(),
            Some("Version")
        );
        // `name` is there already: not what `nmae` meant.
        let text = r#"{"deployment": {"name": "d", "nmae": "x"}}"#;
        assert_eq!(KeyHints::new(text).meant(&path("deployment.nmae")), None);
    }
}
