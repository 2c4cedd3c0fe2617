//! The embedded catalog is rebuilt from the repository's own sourced facts
//! (`data/sources/`) by `scripts/build-catalog.py`, byte for byte: the data a
//! fresh clone builds is the data the binary embeds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use akspol::base::product::Product;
use akspol::catalog::{Catalog, DateBasis};

#[test]
fn build_catalog_rebuilds_the_embedded_catalog_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("catalog.json");
    let status = std::process::Command::new("python3")
        .current_dir(common::repo())
        .arg("scripts/build-catalog.py")
        .arg("--output")
        .arg(&out)
        .output()
        .expect("python3 runs scripts/build-catalog.py");
    assert!(status.status.success(), "{status:?}");
    let built = std::fs::read(&out).unwrap();
    let committed = std::fs::read(common::repo().join("data/catalog.json")).unwrap();
    assert!(
        built == committed,
        "data/catalog.json is not what scripts/build-catalog.py builds from data/sources/: rerun it"
    );
}

#[test]
fn build_feature_gates_rebuilds_the_embedded_gate_table_from_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("feature-gates.json");
    let status = std::process::Command::new("python3")
        .current_dir(common::repo())
        .arg("scripts/build-feature-gates.py")
        .arg("data/sources")
        .arg(&out)
        .output()
        .expect("python3 runs scripts/build-feature-gates.py");
    assert!(status.status.success(), "{status:?}");
    let built = std::fs::read(&out).unwrap();
    let committed = std::fs::read(common::repo().join("data/feature-gates.json")).unwrap();
    assert!(
        built == committed,
        "data/feature-gates.json is not what scripts/build-feature-gates.py builds from data/sources/: rerun it"
    );
    let script =
        std::fs::read_to_string(common::repo().join("scripts/build-feature-gates.py")).unwrap();
    assert!(
        !script.contains("\"shared\""),
        "the script reads outside the repository"
    );
}

#[test]
fn the_script_reads_only_the_repository() {
    let script = std::fs::read_to_string(common::repo().join("scripts/build-catalog.py")).unwrap();
    for outside in ["\"shared\"", "../shared", "\"..\", \"..\""] {
        assert!(
            !script.contains(outside),
            "the script reads outside the repository: {outside}"
        );
    }
    assert!(script.contains(r#""data", "sources""#));
}

#[test]
fn the_embedded_catalog_knows_each_line_through_its_newest_sourced_fact() {
    let catalog = Catalog::embedded().unwrap();
    let hybrid = catalog.known_through(Product::AksHybrid).unwrap();
    assert_eq!(hybrid.date.to_string(), "~2025-10-08");
    assert_eq!(hybrid.date_basis, DateBasis::NotBefore);
    assert_eq!(
        Some(hybrid.date.earliest),
        catalog.releases.iter().map(|r| r.released.earliest).max()
    );
    // Azure Local: 2610, which no source dates to the day, dated by the month of its name.
    let arc = catalog.known_through(Product::AksArc).unwrap();
    assert_eq!(arc.date.to_string(), "2026-10");
    assert_eq!(arc.date_basis, DateBasis::Month);
    // Both AksHci tags after June 2025 and the Azure Local releases through 2610.
    assert!(catalog
        .releases
        .iter()
        .any(|r| r.version.to_string() == "1.2.0.11008"));
    assert_eq!(catalog.local_releases.len(), 25);
    let undated: Vec<String> = catalog
        .local_releases
        .iter()
        .filter(|r| r.undated())
        .map(|r| format!("{} {}", r.version, r.released))
        .collect();
    assert_eq!(
        undated,
        [
            "2604 2026-03-28..2026-05-13",
            "2605 2026-05",
            "2606 2026-06",
            "2607 2026-07",
            "2608 2026-08",
            "2609 2026-09",
            "2610 2026-10"
        ]
    );
    // Builds only third parties give are marked; no release after 2603 has a
    // Kubernetes list.
    let r2607 = catalog
        .local_releases
        .iter()
        .find(|r| r.version.to_string() == "2607")
        .unwrap();
    assert!(r2607
        .builds
        .iter()
        .all(|b| b.confidence.as_deref() == Some("third-party")));
    assert!(catalog
        .local_releases
        .iter()
        .filter(|r| r.undated())
        .all(|r| r.kubernetes_versions.is_none()));
    // Versions seen on a release are kept as partial evidence, never as its list.
    let r = catalog
        .releases
        .iter()
        .find(|r| r.version.to_string() == "1.0.24.11029")
        .unwrap();
    assert!(r.kubernetes_versions.is_none());
    assert_eq!(r.kubernetes_versions_seen.as_ref().map(Vec::len), Some(2));
}
