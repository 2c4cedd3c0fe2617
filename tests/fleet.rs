//! Fleet scale: directories, NDJSON, parallel order, the fleet summary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

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
    common::akspol_command()
        .env("RAYON_NUM_THREADS", threads)
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

#[test]
fn parallel_output_is_byte_identical_to_serial() {
    let tmp = tempfile::tempdir().unwrap();
    let (files, stream) = fleet(tmp.path(), 40);
    for format in ["json", "table"] {
        for input in [&files, &stream] {
            let args = ["--format", format, input.to_str().unwrap()];
            let serial = check(&args, "1");
            let parallel = check(&args, "4");
            assert_eq!(serial.status.code(), parallel.status.code());
            assert!(!serial.stdout.is_empty());
            assert!(
                serial.stdout == parallel.stdout,
                "{format} {input:?} differs"
            );
        }
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
    let output = common::akspol_command()
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
}
