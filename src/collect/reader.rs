//! Reading what the commands print, leniently but never silently.
//!
//! These are other programs' formats, not akspol's: unknown keys are ignored,
//! keys are matched without regard to case (PowerShell's are case-insensitive),
//! and one object stands for a list of one (what `ConvertTo-Json` writes when a
//! cmdlet returns a single cluster). What cannot be read is a [`Problem`] with
//! its JSON path, and the field is left out; it is never guessed.

use serde_json::Value;

use crate::base::sanitize::excerpts_in;
use crate::input::{self, InputError, JsonPath, Problem};

/// Problems located in one file beyond this many are counted, not listed:
/// locating each one scans the text.
const MAX_LISTED_PROBLEMS: usize = 20;

/// What a mapping function read from one output, and what it could not read.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    pub value: T,
    /// `origin:line:column: path: message`, one per field left out.
    pub problems: Vec<String>,
}

/// Collects the problems of one document, then locates them in its text.
pub struct Reader<'a> {
    origin: &'a str,
    text: &'a str,
    problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    pub fn new(origin: &'a str, text: &'a str) -> Self {
        Self {
            origin,
            text,
            problems: Vec::new(),
        }
    }

    /// The document, or `None` when the output is empty (a PowerShell pipeline
    /// that returned nothing writes no JSON at all).
    pub fn document(&self) -> Result<Option<Value>, InputError> {
        if self
            .text
            .trim_start_matches(['\u{FEFF}', ' ', '\t', '\r', '\n'])
            .is_empty()
        {
            return Ok(None);
        }
        input::parse_json::<input::strict::StrictValue>(self.origin, self.text).map(|v| Some(v.0))
    }

    /// Says where `ConvertTo-Json` cut objects off at a shallow `-Depth`, even
    /// in fields nobody reads: what is missing may matter to a person.
    pub fn flag_cut_objects(&mut self, document: &Value) {
        let count = cut_objects(document, None);
        if count == 0 {
            return;
        }
        let mut first = None;
        cut_objects(document, Some(&mut first));
        if let Some((at, text)) = first {
            let more = match count {
                1 => String::new(),
                n => format!(" ({} more values like it in this file)", n - 1),
            };
            self.problem(at, format!("{}{more}", depth_hint(&text)));
        }
    }

    /// A field left out. What the message quotes of the file (in
    /// backticks: a value that is not what was expected) is cut to a short
    /// excerpt: a file under a saved output's name may hold anything.
    pub fn problem(&mut self, at: JsonPath, message: impl Into<String>) {
        let message = excerpts_in(&message.into());
        self.problems.push(Problem::at(at, message));
    }

    /// A whole-document error with the text's location of `at` (its quotes
    /// cut as [`Reader::problem`]'s).
    pub fn fail(&self, at: JsonPath, message: impl Into<String>) -> InputError {
        let message = excerpts_in(&message.into());
        InputError::invalid(self.origin, self.text, vec![Problem::at(at, message)])
    }

    pub fn finish<T>(self, value: T) -> Parsed<T> {
        // One problem per place: the first one said there wins.
        let mut seen = std::collections::HashSet::new();
        let mut listed: Vec<Problem> = self
            .problems
            .into_iter()
            .filter(|p| seen.insert(p.path.to_string()))
            .collect();
        let total = listed.len();
        listed.truncate(MAX_LISTED_PROBLEMS);
        let mut problems: Vec<String> = if listed.is_empty() {
            Vec::new()
        } else {
            InputError::invalid(self.origin, self.text, listed)
                .to_string()
                .lines()
                .map(str::to_string)
                .collect()
        };
        if total > MAX_LISTED_PROBLEMS {
            problems.push(format!(
                "{}: {} more problems like these",
                crate::base::sanitize::clean(self.origin),
                total - MAX_LISTED_PROBLEMS
            ));
        }
        Parsed { value, problems }
    }

    /// A text field: a string, or a number or boolean written as one. `null`
    /// and an absent key are `None`; anything else is a problem.
    pub fn text(&mut self, object: &Value, at: &JsonPath, key: &str) -> Option<String> {
        let (found, value) = field(object, key)?;
        let at = at.key(found);
        match value {
            Value::Null => None,
            Value::String(s) if is_truncated_by_depth(s) => {
                self.problem(at, depth_hint(s));
                None
            }
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => {
                self.problem(at, "expected a text value");
                None
            }
        }
    }

    /// A field that names one of `names` (a PowerShell enum). Windows
    /// PowerShell 5.1 writes enums as numbers; their numbers are not
    /// documented, so a number is named as such and the field left out.
    pub fn name(
        &mut self,
        object: &Value,
        at: &JsonPath,
        key: &str,
        names: &[&str],
    ) -> Option<String> {
        let (found, value) = field(object, key)?;
        match value {
            Value::Number(n) => {
                self.problem(
                    at.key(found),
                    format!(
                        "the number {n} where a name ({}) is expected: Windows PowerShell 5.1 writes enums as numbers, and this one's numbers are not documented. Save it again from PowerShell 7 with `ConvertTo-Json -Depth 10 -EnumsAsStrings`",
                        names.join(", ")
                    ),
                );
                None
            }
            _ => self.text(object, at, key),
        }
    }

    /// A whole number (a count).
    pub fn count(&mut self, object: &Value, at: &JsonPath, key: &str) -> Option<u64> {
        let (found, value) = field(object, key)?;
        match value {
            Value::Null => None,
            Value::Number(n) if n.as_u64().is_some() => n.as_u64(),
            Value::String(s) if s.trim().parse::<u64>().is_ok() => s.trim().parse().ok(),
            _ => {
                self.problem(at.key(found), "expected a whole number");
                None
            }
        }
    }

    /// An object field, or `None` (with a problem when it is there but not an
    /// object, such as an `@{...}` string cut off by a shallow `-Depth`).
    pub fn object<'v>(
        &mut self,
        object: &'v Value,
        at: &JsonPath,
        key: &str,
    ) -> Option<(JsonPath, &'v Value)> {
        let (found, value) = field(object, key)?;
        let at = at.key(found);
        match value {
            Value::Object(_) => Some((at, value)),
            Value::Null => None,
            Value::String(s) if is_truncated_by_depth(s) => {
                self.problem(at, depth_hint(s));
                None
            }
            _ => {
                self.problem(at, "expected an object");
                None
            }
        }
    }

    /// The items of a list: an array; one object standing for a list of one;
    /// Windows PowerShell 5.1's `{"value": [...], "Count": n}`; or an Azure
    /// list page `{"value": [...], "nextLink": ...}`. Items that are not
    /// objects are problems and left out.
    pub fn items<'v>(
        &mut self,
        document: &'v Value,
        at: &JsonPath,
    ) -> Result<Vec<(JsonPath, &'v Value)>, InputError> {
        let (at, list) = match document {
            Value::Object(map) if is_wrapped_list(map) => match field(document, "value") {
                Some((found, list)) => (at.key(found), list),
                None => (at.clone(), document),
            },
            _ => (at.clone(), document),
        };
        let items: Vec<(JsonPath, &Value)> = match list {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| (at.index(i), item))
                .collect(),
            Value::Object(_) => vec![(at.clone(), list)],
            Value::String(s) if is_truncated_by_depth(s) => {
                return Err(self.fail(at, depth_hint(s)))
            }
            _ => return Err(self.fail(at, "expected a list of objects (a JSON array)")),
        };
        Ok(items
            .into_iter()
            .filter(|(item_at, item)| match item {
                Value::Object(_) => true,
                Value::String(s) if is_truncated_by_depth(s) => {
                    self.problem(item_at.clone(), depth_hint(s));
                    false
                }
                _ => {
                    self.problem(item_at.clone(), "expected an object; left out");
                    false
                }
            })
            .collect())
    }
}

/// How many strings in `value` are objects cut off by `-Depth`; with `first`,
/// also the path and text of the first one (found without recursion).
fn cut_objects(value: &Value, mut first: Option<&mut Option<(JsonPath, String)>>) -> usize {
    let mut count = 0;
    let mut stack: Vec<(Option<JsonPath>, &Value)> =
        vec![(first.is_some().then(JsonPath::root), value)];
    while let Some((at, value)) = stack.pop() {
        match value {
            Value::String(s) if is_truncated_by_depth(s) => {
                count += 1;
                if let (Some(slot), Some(at)) = (first.as_deref_mut(), at) {
                    *slot = Some((at, s.clone()));
                    return count;
                }
            }
            Value::Array(items) => stack.extend(
                items
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, v)| (at.as_ref().map(|a| a.index(i)), v)),
            ),
            Value::Object(map) => stack.extend(
                map.iter()
                    .rev()
                    .map(|(k, v)| (at.as_ref().map(|a| a.key(k)), v)),
            ),
            _ => {}
        }
    }
    count
}

/// Who wrote a document, for what to look for in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `ConvertTo-Json`: objects may be cut off at `-Depth`.
    PowerShell,
    /// `az` and `kubectl` (Go and Python JSON writers).
    Plain,
}

/// A list output, each item read by `read` (given what was read before it);
/// `None` leaves the item out. An empty output is an empty list.
pub fn read_list<T>(
    origin: &str,
    text: &str,
    shape: Shape,
    mut read: impl FnMut(&mut Reader, &JsonPath, &Value, &[T]) -> Option<T>,
) -> Result<Parsed<Vec<T>>, InputError> {
    let mut r = Reader::new(origin, text);
    let Some(document) = r.document()? else {
        return Ok(r.finish(Vec::new()));
    };
    if shape == Shape::PowerShell {
        r.flag_cut_objects(&document);
    }
    let mut out = Vec::new();
    for (at, item) in r.items(&document, &JsonPath::root())? {
        if let Some(value) = read(&mut r, &at, item, &out) {
            out.push(value);
        }
    }
    Ok(r.finish(out))
}

/// `{"value": [...], "Count": n}` (PowerShell 5.1) or `{"value": [...],
/// "nextLink": ...}` (an Azure list page): nothing else besides `value`.
fn is_wrapped_list(map: &serde_json::Map<String, Value>) -> bool {
    let value_is_array = map
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("value") && v.is_array());
    value_is_array
        && map.keys().all(|k| {
            k.eq_ignore_ascii_case("value")
                || k.eq_ignore_ascii_case("count")
                || k.eq_ignore_ascii_case("nextLink")
        })
}

/// A key of `object`, matched without regard to case: the key as written
/// (for the JSON path) and its value.
pub fn field<'v>(object: &'v Value, key: &str) -> Option<(&'v str, &'v Value)> {
    let map = object.as_object()?;
    if let Some((k, v)) = map.get_key_value(key) {
        return Some((k.as_str(), v));
    }
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(k, v)| (k.as_str(), v))
}

/// What `ConvertTo-Json` writes for an object or list nested deeper than its
/// `-Depth`: the object's `ToString()`, `@{Name=...; ...}` or a type name.
pub fn is_truncated_by_depth(text: &str) -> bool {
    let text = text.trim();
    (text.starts_with("@{") && text.ends_with('}'))
        || matches!(
            text,
            "System.Object[]"
                | "System.Collections.Hashtable"
                | "System.Management.Automation.PSCustomObject"
        )
}

fn depth_hint(found: &str) -> String {
    format!(
        "`{}` is an object that ConvertTo-Json cut off at its -Depth: save the output again with `ConvertTo-Json -Depth 10`",
        crate::base::sanitize::excerpt(found)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Value {
        Reader::new("f.json", text).document().unwrap().unwrap()
    }

    #[test]
    fn keys_are_matched_without_case() {
        let v = doc(r#"{"KubernetesVersion": "v1.29.4"}"#);
        assert_eq!(
            field(&v, "kubernetesversion").map(|f| f.0),
            Some("KubernetesVersion")
        );
    }

    #[test]
    fn lists_come_in_several_shapes() {
        for text in [
            r#"[{"a": 1}]"#,
            r#"{"a": 1}"#,
            r#"{"value": [{"a": 1}], "Count": 1}"#,
            r#"{"value": [{"a": 1}], "nextLink": null}"#,
        ] {
            let v = doc(text);
            let mut r = Reader::new("f.json", text);
            assert_eq!(r.items(&v, &JsonPath::root()).unwrap().len(), 1, "{text}");
        }
        let text = r#"[{"a": 1}, 3, "@{a=1}"]"#;
        let v = doc(text);
        let mut r = Reader::new("f.json", text);
        assert_eq!(r.items(&v, &JsonPath::root()).unwrap().len(), 1);
        let problems = r.finish(()).problems;
        assert!(
            problems[0].starts_with("f.json:1:12: [1]: expected an object"),
            "{problems:?}"
        );
        assert!(problems[1].contains("-Depth 10"), "{problems:?}");
    }

    #[test]
    fn empty_output_is_no_document() {
        assert_eq!(Reader::new("f", " \r\n").document().unwrap(), None);
        assert!(Reader::new("f", "[{").document().is_err());
    }

    #[test]
    fn numbers_for_names_and_cut_objects_are_problems() {
        let text = "{\"OsType\": 0, \"Status\": \"@{ProvisioningState=Deployed; Details=}\"}";
        let v = doc(text);
        let mut r = Reader::new("f.json", text);
        assert_eq!(
            r.name(&v, &JsonPath::root(), "ostype", &["Linux", "Windows"]),
            None
        );
        assert_eq!(r.object(&v, &JsonPath::root(), "status"), None);
        let problems = r.finish(()).problems;
        assert!(
            problems[0]
                .starts_with("f.json:1:2: OsType: the number 0 where a name (Linux, Windows)"),
            "{problems:?}"
        );
        assert!(
            problems[1].contains("Status: `@{ProvisioningState=Deployed; Details=}` is an object that ConvertTo-Json cut off"),
            "{problems:?}"
        );
    }

    #[test]
    fn cut_objects_are_flagged_once_with_a_count() {
        let text = r#"[{"Name": "a", "Status": "@{ProvisioningState=Deployed}", "LoadBalancer": "@{Count=1}"}]"#;
        let v = doc(text);
        let mut r = Reader::new("f.json", text);
        r.flag_cut_objects(&v);
        assert_eq!(r.object(&v[0], &JsonPath::root().index(0), "Status"), None);
        let problems = r.finish(()).problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("f.json:1:16: [0].Status: `@{ProvisioningState=Deployed}`"),
            "{problems:?}"
        );
        assert!(problems[0].ends_with("(1 more values like it in this file)"));
    }

    #[test]
    fn problems_beyond_the_cap_are_counted() {
        let text = format!("[{}]", vec!["1"; 25].join(","));
        let v = doc(&text);
        let mut r = Reader::new("f.json", &text);
        assert!(r.items(&v, &JsonPath::root()).unwrap().is_empty());
        let problems = r.finish(()).problems;
        assert_eq!(problems.len(), 21);
        assert_eq!(problems[20], "f.json: 5 more problems like these");
    }
}
