//! Reading untrusted JSON files: decoding, parsing with JSON paths, and
//! turning every problem into `file:line:column: path: what was expected`.
//!
//! Used by every file akspol reads (inventories, catalogs, policies, waivers),
//! so they all fail the same way: exit 2, one line per problem, nothing on stdout.

pub mod archive;
mod error;
mod json;
mod locate;
mod read;
pub mod sources;
pub mod strict;

pub use error::{InputError, JsonPath, LocatedProblem, Problem, Seg, MAX_SHOWN_PROBLEMS};
pub use json::{parse_json, parse_json_collecting_unknown};
pub use locate::{array_elements, locate, ScopeLines};
pub use read::{
    decode, open, open_as, read_bytes, read_listed, read_saved, read_text, Budget, Limit, Opening,
    DEFAULT_MAX_INPUT_BYTES,
};

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"deployment\": {\"name\": \"a\"},\n  \"clusters\": [\n    {\"name\": \"x\", \"nodes\": [\n      {\"name\": \"n1\"},\n      {\"name\": \"n2\", \"powerState\": \"On\"}\n    ]},\n    {\"name\": \"y\"}\n  ]\n}\n";

    #[test]
    fn locates_nested_paths() {
        let path = JsonPath::root()
            .key("clusters")
            .index(0)
            .key("nodes")
            .index(1)
            .key("powerState");
        assert_eq!(locate(DOC, &path.0), Some((6, 22)));
        assert_eq!(path.to_string(), "clusters[0].nodes[1].powerState");
        // A missing key points at its parent.
        let missing = JsonPath::root()
            .key("clusters")
            .index(1)
            .key("kubernetesVersion");
        assert_eq!(locate(DOC, &missing.0), Some((8, 5)));
    }

    #[test]
    fn scans_scope_lines() {
        let lines = ScopeLines::scan(DOC);
        assert_eq!(lines.deployment, 2);
        assert_eq!(lines.clusters, vec![4, 8]);
        assert_eq!(lines.nodes, vec![vec![5, 6], vec![]]);
    }

    #[test]
    fn finds_array_elements_in_one_pass() {
        let text = "[\n  {\"a\": [1, {\"b\": \"],\"}]},\n  2, \"é\", {}\n]";
        assert_eq!(array_elements(text), vec![(2, 3), (3, 3), (3, 6), (3, 11)]);
        for (i, place) in array_elements(text).into_iter().enumerate() {
            assert_eq!(locate(text, &[Seg::Index(i)]), Some(place));
        }
        assert!(array_elements("{}").is_empty());
    }

    #[test]
    fn shows_a_bounded_number_of_problems() {
        let problems = (0..MAX_SHOWN_PROBLEMS + 7)
            .map(|i| Problem::at(JsonPath::root().index(i), "bad"))
            .collect();
        let shown = InputError::invalid("f.json", "[]", problems).to_string();
        assert_eq!(shown.lines().count(), MAX_SHOWN_PROBLEMS + 1);
        assert!(
            shown.ends_with("f.json: and 7 more problems, not shown (the first 100 are)"),
            "{shown}"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_scanner() {
        let deep = format!("{{\"a\": {}1{}}}", "[".repeat(200_000), "]".repeat(200_000));
        assert!(locate(&deep, &JsonPath::root().key("b").0).is_some());
        let _ = ScopeLines::scan(&deep);
    }

    /// Issue 12, item 8: a file swapped for a FIFO after its directory was
    /// listed blocked forever; a listed file must still be a regular file.
    #[cfg(unix)]
    #[test]
    fn a_fifo_swapped_in_after_listing_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("swapped.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            return;
        }
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(read_listed(&fifo, 1000).map_err(|e| e.to_string()));
        });
        let result = finished
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("reading a listed FIFO blocked");
        let error = result.unwrap_err();
        assert!(error.contains("no longer a regular file"), "{error}");
    }

    /// Every file has a cap, and the message names the flag that sets it,
    /// or says that it is fixed.
    #[test]
    fn limits_name_the_flag_that_applies() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        std::fs::write(&path, "x".repeat(100)).unwrap();
        let flag = read_text(&path, 10).unwrap_err().to_string();
        assert!(
            flag.ends_with("larger than the 10-byte limit (raise it with --max-input-bytes)"),
            "{flag}"
        );
        let fixed = read_text(&path, Limit::fixed(10, "a policy file"))
            .unwrap_err()
            .to_string();
        assert!(
            fixed.ends_with("larger than the 10-byte limit for a policy file (a fixed limit)"),
            "{fixed}"
        );
    }

    #[test]
    fn decodes_powershell_encodings() {
        let text = "{\"a\": \"é\"}";
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(text.as_bytes());
        assert_eq!(decode("f", bom8).unwrap(), text);
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode("f", le).unwrap(), text);
        assert!(decode("f", vec![b'{', 0xC3, b'}']).is_err());
    }
}
