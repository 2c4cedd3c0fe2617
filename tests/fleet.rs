//! Fleet scale: directories, NDJSON, parallel order, the fleet summary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use akspol_tools::fleetgen::{self, Shape};
use serde_json::Value;

const AS_OF: &str = "2025-07-01";

fn fleet(dir: &Path, deployments: usize) -> (std::path::PathBuf, std::path::PathBuf) {
    let shape = Shape {
        deployments,
        clusters: 3,
        nodes: 4,
        seed: 7,
    };
    let files = dir.join("sites");
    let stream = dir.join("fleet.ndjson");
    fleetgen::write(&shape, Some(&files), Some(&stream)).unwrap();
    (files, stream)
}

fn check(args: &[&str], threads: &str) -> std::process::Output {
    common::akspol()
        .env("AKSPOL_THREADS", threads)
        .args(["check", "--as-of", AS_OF])
        .args(args)
        .output()
        .unwrap()
}

fn json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

/// (deployment, verdict) of every inventory, in report order.
fn verdicts(report: &Value) -> Vec<(String, String)> {
    report["inventories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["deployment"].as_str().unwrap().to_string(),
                i["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every format `check` writes.
const FORMATS: [&str; 8] = [
    "table",
    "json",
    "markdown",
    "sarif",
    "junit",
    "github",
    "html",
    "openmetrics",
];

/// One run writing every format: the table on standard output, the others
/// through `--report`; each output's bytes by format.
fn every_format(input: &Path, threads: &str, extra: &[&str]) -> BTreeMap<&'static str, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = vec!["--format".into(), "table".into()];
    for format in FORMATS.iter().skip(1) {
        args.push("--report".into());
        args.push(format!("{format}={}", out.path().join(format).display()));
    }
    args.extend(extra.iter().map(|a| a.to_string()));
    args.push(input.display().to_string());
    let output = common::akspol()
        .env("AKSPOL_THREADS", threads)
        // Wide enough that no table cell wraps (the fleet summary names sources).
        .env("COLUMNS", "400")
        .args(["check", "--as-of", AS_OF])
        .args(&args)
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut all = BTreeMap::from([("table", output.stdout)]);
    for format in FORMATS.iter().skip(1) {
        all.insert(format, std::fs::read(out.path().join(format)).unwrap());
    }
    all
}

/// Every format streams the same bytes whether one worker judges the fleet
/// or several do, for a directory and for a stream, with waivers and a
/// baseline (compared in input order between the parallel stages).
#[test]
fn every_format_is_byte_identical_on_one_core_and_on_more() {
    let tmp = tempfile::tempdir().unwrap();
    let (files, stream) = fleet(tmp.path(), 40);
    let baseline = tmp.path().join("baseline.json");
    let earlier = common::akspol()
        .args(["check", "--as-of", "2025-03-01", "--format", "json", "-o"])
        .arg(&baseline)
        .arg(&files)
        .output()
        .unwrap();
    assert!(
        baseline.exists(),
        "{}",
        String::from_utf8_lossy(&earlier.stderr)
    );
    let waivers = tmp.path().join("waivers.json");
    std::fs::write(
        &waivers,
        r#"[{"rule": "V003", "scope": "deployment", "reason": "booked", "expires": "2025-12-31"},
            {"rule": "M002", "scope": "node/prod/moc-laad500", "reason": "known", "expires": "2025-12-31"}]"#,
    )
    .unwrap();
    let compared = [
        "--baseline",
        baseline.to_str().unwrap(),
        "--waivers",
        waivers.to_str().unwrap(),
    ];
    for input in [&files, &stream] {
        for extra in [&[][..], &compared[..]] {
            let serial = every_format(input, "1", extra);
            for threads in ["2", "4"] {
                let parallel = every_format(input, threads, extra);
                for format in FORMATS {
                    assert!(!serial[format].is_empty(), "{format}");
                    assert!(
                        serial[format] == parallel[format],
                        "{format} of {input:?} {extra:?} differs on {threads} workers"
                    );
                }
            }
        }
    }
}

/// A directory of inventories and the same fleet as NDJSON give the same
/// reports, in the same order, in every format: only the names of the
/// inventories differ (`sites/site-00003.json` and `fleet.ndjson:4`), what
/// is made from them (SARIF's locations and fingerprints), and the lines
/// the locations point at (a pretty file's, a stream's one-line documents').
#[test]
fn a_directory_and_the_same_fleet_as_ndjson_give_the_same_reports() {
    use akspol::base::{html, sanitize};
    let tmp = tempfile::tempdir().unwrap();
    let n = 25;
    let (files, stream) = fleet(tmp.path(), n);
    let from_files = every_format(&files, "2", &[]);
    let from_stream = every_format(&stream, "2", &[]);
    // Each inventory's name as each format writes it, longest first (so
    // `fleet.ndjson:12` goes before `fleet.ndjson:1`).
    let names = |source: &str| {
        vec![
            html::escape(&source.to_lowercase()).into_owned(),
            html::escape(source).into_owned(),
            sanitize::markdown(source),
            akspol::report::github::property(source),
            source.to_string(),
        ]
    };
    let normalize = |format: &str, bytes: &[u8], source_of: &dyn Fn(usize) -> String| {
        let mut text = String::from_utf8(bytes.to_vec()).unwrap();
        if format == "sarif" {
            let mut sarif: Value = serde_json::from_str(&text).unwrap();
            for result in sarif["runs"][0]["results"].as_array_mut().unwrap() {
                let result = result.as_object_mut().unwrap();
                result.remove("partialFingerprints");
                result["locations"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("physicalLocation");
            }
            text = serde_json::to_string_pretty(&sarif).unwrap();
        }
        for i in (0..n).rev() {
            for name in names(&source_of(i)) {
                text = text.replace(&name, &format!("SOURCE-{i}"));
            }
        }
        if format == "github" {
            // Annotations, and the log lines past their cap (`SOURCE-3:4: V003
            // ...`), point at the line of the object in the file.
            let mut lines = Vec::new();
            for line in text.lines() {
                let at = if line.starts_with("::") {
                    line.find(",line=").map(|at| (at, at + ",line=".len()))
                } else {
                    line.find("SOURCE-").and_then(|at| {
                        let colon = at + line[at..].find(':')?;
                        Some((colon, colon + 1))
                    })
                };
                lines.push(match at {
                    Some((at, number)) => {
                        let rest = &line[number..];
                        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                        format!("{}{}", &line[..at], &rest[digits..])
                    }
                    None => line.to_string(),
                });
            }
            text = lines.join("\n");
        }
        if format == "table" {
            // The fleet summary's columns are as wide as the names in them.
            let mut squeezed = String::with_capacity(text.len());
            for c in text.chars() {
                let run = matches!(c, ' ' | '─' | '═');
                if !(run && squeezed.ends_with(c)) {
                    squeezed.push(c);
                }
            }
            text = squeezed;
        }
        text
    };
    let file = |i: usize| {
        files
            .join(format!("site-{i:05}.json"))
            .display()
            .to_string()
    };
    let line = |i: usize| format!("{}:{}", stream.display(), i + 1);
    for format in FORMATS {
        let a = normalize(format, &from_files[format], &file);
        let b = normalize(format, &from_stream[format], &line);
        // (SARIF names inventories only in the locations left out.)
        assert!(
            format == "sarif" || a.contains("SOURCE-"),
            "{format} names no inventory"
        );
        assert!(a == b, "{format}: the directory and the stream differ");
    }
}

#[test]
fn directory_and_ndjson_give_the_same_verdicts_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let (files, stream) = fleet(tmp.path(), 25);
    let from_files = json(&check(&["--format", "json", files.to_str().unwrap()], "2"));
    let from_stream = json(&check(&["--format", "json", stream.to_str().unwrap()], "2"));
    let expected: Vec<String> = (0..25).map(|i| format!("site-{i:05}")).collect();
    let names: Vec<String> = verdicts(&from_files)
        .iter()
        .map(|(d, _)| d.get(..10).unwrap().to_string())
        .collect();
    assert_eq!(names, expected);
    assert_eq!(verdicts(&from_files), verdicts(&from_stream));
    assert_eq!(from_files["fleet"], {
        // Sources differ (file names vs `file:LINE`); the counts do not.
        let mut f = from_stream["fleet"].clone();
        for (d, e) in f["nearestDeadlines"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .zip(from_files["fleet"]["nearestDeadlines"].as_array().unwrap())
        {
            d["source"] = e["source"].clone();
        }
        f
    });
    let first = &from_stream["inventories"][0]["source"];
    assert_eq!(first.as_str().unwrap(), format!("{}:1", stream.display()));
    assert!(from_files["fleet"]["verdicts"].is_object());
    assert_eq!(from_files["fleet"]["inventories"], 25);
}

#[test]
fn ndjson_reads_standard_input_with_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, stream) = fleet(tmp.path(), 3);
    let output = common::akspol()
        .args([
            "check", "--as-of", AS_OF, "--format", "json", "--ndjson", "-",
        ])
        .pipe_stdin(&stream)
        .unwrap()
        .output()
        .unwrap();
    let report = json(&output);
    assert_eq!(report["inventories"].as_array().unwrap().len(), 3);
    assert_eq!(report["inventories"][2]["source"], "<stdin>:3");
}

/// Issue 26, item 4: standard input with a second JSON value after the
/// first is a stream without `--ndjson` (it said "trailing characters").
#[test]
fn a_stream_on_standard_input_needs_no_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let (files, stream) = fleet(tmp.path(), 3);
    let stdin = |input: &Path| {
        common::akspol()
            .args(["check", "--as-of", AS_OF, "--format", "json", "-"])
            .pipe_stdin(input)
            .unwrap()
            .output()
            .unwrap()
    };
    let output = stdin(&stream);
    let report = json(&output);
    assert_eq!(
        common::sources_of(&report),
        ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    );
    // One document, pretty-printed or on one line, is still `<stdin>`.
    let one = files.join("site-00001.json");
    let report = json(&stdin(&one));
    assert_eq!(common::sources_of(&report), ["<stdin>"]);
    // Two pretty-printed documents are not lines: the second is said, with
    // what a stream looks like.
    let two = tmp.path().join("two.json");
    let text = std::fs::read_to_string(&one).unwrap();
    std::fs::write(&two, format!("{text}\n{text}")).unwrap();
    let output = stdin(&two);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("trailing characters")
            && stderr.contains("name the file *.ndjson, or pass --ndjson"),
        "{stderr}"
    );
}

#[test]
fn one_bad_inventory_does_not_stop_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let (files, stream) = fleet(tmp.path(), 5);
    std::fs::write(files.join("site-00002.json"), "{\"schemaVersion\": 1,").unwrap();
    let output = check(&["--format", "json", files.to_str().unwrap()], "2");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(json(&output)["inventories"].as_array().unwrap().len(), 4);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("site-00002.json:1:20:"), "{stderr}");

    // In a stream, the error points at the line and column of the stream.
    let mut text = std::fs::read_to_string(&stream).unwrap();
    text = text.replacen("\"powerState\":\"Running\"", "\"powerState\":\"On\"", 1);
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(1, "");
    lines.insert(3, "{\"schemaVersion\": 1, \"deployment\": {\"name\": \"x\", \"version\": \"1.0.25.10226\", \"oops\": 1}}");
    let bad = tmp.path().join("bad.ndjson");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let output = check(&["--format", "json", bad.to_str().unwrap()], "2");
    assert_eq!(output.status.code(), Some(2));
    let report = json(&output);
    let sources = common::sources_of(&report);
    let name = bad.display().to_string();
    assert_eq!(
        sources,
        [3, 5, 6, 7].map(|n| format!("{name}:{n}")).to_vec()
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains(&format!("{name}:1:")), "{stderr}");
    assert!(
        stderr.contains("powerState: unknown variant `On`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{name}:4:77: deployment.oops: unknown field `oops`"
        )),
        "{stderr}"
    );
}

#[test]
fn directories_are_walked_only_with_recursive() {
    let tmp = tempfile::tempdir().unwrap();
    let (files, _) = fleet(tmp.path(), 2);
    let nested = files.join("region-b");
    std::fs::create_dir(&nested).unwrap();
    std::fs::copy(files.join("site-00000.json"), nested.join("site-x.json")).unwrap();
    let flat = json(&check(&["--format", "json", files.to_str().unwrap()], "2"));
    assert_eq!(flat["inventories"].as_array().unwrap().len(), 2);
    let deep = json(&check(
        &["--format", "json", "--recursive", files.to_str().unwrap()],
        "2",
    ));
    let sources: Vec<String> = deep["inventories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["source"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(sources.len(), 3);
    assert!(sources[2].ends_with("site-00001.json"), "{sources:?}");
    assert!(sources[0].contains("region-b"), "{sources:?}");
}

#[test]
fn the_fleet_summary_follows_the_tables_only_for_a_fleet() {
    let tmp = tempfile::tempdir().unwrap();
    let (files, _) = fleet(tmp.path(), 3);
    let one = files.join("site-00000.json");
    let single = check(&[one.to_str().unwrap()], "2");
    let single_text = String::from_utf8(single.stdout).unwrap();
    assert!(!single_text.contains("rules failing most often"));
    assert!(
        json(&check(&["--format", "json", one.to_str().unwrap()], "2"))
            .get("fleet")
            .is_none()
    );

    let all = String::from_utf8(check(&[files.to_str().unwrap()], "2").stdout).unwrap();
    assert!(all.starts_with(&single_text));
    let summary_at = all.find("\nfleet\n3 inventories: ").unwrap();
    assert!(all[summary_at..].contains("nearest deadlines"));

    let only =
        String::from_utf8(check(&["--summary-only", files.to_str().unwrap()], "2").stdout).unwrap();
    assert_eq!(only, all[summary_at + 1..]);

    // A table report file holds what the table on standard output holds.
    let report = tmp.path().join("fleet.txt");
    let spec = format!("table={}", report.display());
    let with_file = check(&["--report", &spec, files.to_str().unwrap()], "2");
    assert_eq!(std::fs::read(&report).unwrap(), with_file.stdout);
    assert!(String::from_utf8(with_file.stdout)
        .unwrap()
        .contains("\nfleet\n"));
}

/// Issue 22, item 14: 50,000 bad NDJSON lines gave 50,000 lines on standard
/// error and 50,000 annotations. The first 20 of a kind are said, then one
/// line with how many more and where the next are; the JSON report lists
/// them all.
#[test]
fn errors_of_one_kind_are_said_twenty_times_then_counted() {
    let dir = tempfile::tempdir().unwrap();
    let (_, stream) = fleet(dir.path(), 1);
    let mut text = std::fs::read_to_string(&stream).unwrap();
    for _ in 0..100 {
        text.push_str("{\"schemaVersion\": 1, \"deployment\": 3}\n");
    }
    std::fs::write(&stream, text).unwrap();
    let stream = stream.to_str().unwrap();
    let report = dir.path().join("report.json");
    let out = check(
        &[
            "--format",
            "github",
            "--report",
            &format!("json={}", report.display()),
            stream,
        ],
        "2",
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 21, "{stderr}");
    assert!(
        errors[19].starts_with(&format!("error: {stream}:21:")),
        "{stderr}"
    );
    assert!(
        errors[20].starts_with(&format!(
            "error: 80 more lines of {stream} could not be judged, not shown here (the first 20 are above; the next at {stream}:22:36, {stream}:23:36,"
        )),
        "{stderr}"
    );
    assert!(
        errors[20].ends_with(&format!(
            "the JSON report ({}) lists every one under inputErrors",
            report.display()
        )),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let annotations = stdout
        .lines()
        .filter(|l| l.starts_with("::error file="))
        .count();
    assert_eq!(annotations, 21, "{stdout}");
    let report: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let listed = report["inputErrors"].as_array().unwrap();
    assert_eq!(listed.len(), 100);
    assert_eq!(listed[99]["line"], 101);
    assert_eq!(
        listed[99]["message"],
        "deployment: invalid type: integer `3`, expected an object"
    );
    assert!(report.get("inputErrorsOmitted").is_none());
}

/// Issue 25, item 7: past GitHub's ten annotations of a kind, a finding is a
/// log line that says, as a linter's `path:line: CODE message` does, which
/// file, deployment, scope and rule it is (it said `error: deployment: fail:
/// 224 days behind`, whose deployment unknown).
#[test]
fn github_log_lines_past_the_cap_say_file_deployment_scope_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    let (files, _) = fleet(dir.path(), 10);
    let report = dir.path().join("report.json");
    let out = check(
        &[
            "--format",
            "github",
            "--report",
            &format!("json={}", report.display()),
            files.to_str().unwrap(),
        ],
        "2",
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let report: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    // Each annotated finding: its file, and the rest of what its line says.
    let mut expected = Vec::new();
    for inventory in report["inventories"].as_array().unwrap() {
        for f in inventory["findings"].as_array().unwrap() {
            if matches!(f["status"].as_str().unwrap(), "pass" | "skip") {
                continue;
            }
            expected.push((
                inventory["source"].as_str().unwrap().to_string(),
                format!(
                    ": {} {}: {}: {}: {}: {}",
                    f["rule"].as_str().unwrap(),
                    f["name"].as_str().unwrap(),
                    inventory["deployment"].as_str().unwrap(),
                    f["scope"].as_str().unwrap(),
                    f["status"].as_str().unwrap(),
                    f["message"].as_str().unwrap()
                ),
            ));
        }
    }
    let annotated = stdout
        .lines()
        .filter(|l| l.starts_with("::") && l.contains(" file="))
        .count();
    let logged: Vec<&str> = stdout.lines().filter(|l| !l.starts_with("::")).collect();
    assert!(logged.len() > 20, "{} {stdout}", logged.len());
    assert_eq!(annotated + logged.len(), expected.len());
    for line in logged {
        let (kind, rest) = line.split_once(": ").unwrap();
        assert!(matches!(kind, "error" | "warning" | "notice"), "{line}");
        let found = expected.iter().position(|(source, said)| {
            rest.strip_prefix(source.as_str()).is_some_and(|after| {
                // `path:LINE: CODE name: deployment: scope: status: message`
                let after = after.trim_start_matches(|c: char| c == ':' || c.is_ascii_digit());
                format!(":{after}").starts_with(said.as_str())
            })
        });
        let Some(at) = found else {
            panic!("a log line that names no finding of the report: {line}");
        };
        expected.swap_remove(at);
    }
}
