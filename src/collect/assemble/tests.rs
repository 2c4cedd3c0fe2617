use super::*;
use crate::collect::bundle::Entry;
use crate::inventory::ClusterState;

fn bundle(files: &[(Source, &str)]) -> Bundle {
    let mut b = Bundle::default();
    for (source, text) in files {
        b.entries.insert(
            source.clone(),
            Entry {
                origin: source.file_name(),
                command: None,
                ran_at: None,
                output: Ok((*text).to_string()),
            },
        );
    }
    b
}

fn options() -> Options {
    Options {
        deployment_name: Some(("edge-01".into(), "the saved-outputs directory's name")),
        ..Options::default()
    }
}

const NODES: &str = r#"{"kind": "List", "items": [{"kind": "Node", "metadata": {"name": "moc-cp", "labels": {"node-role.kubernetes.io/control-plane": ""}}, "status": {"nodeInfo": {"kubeletVersion": "v1.28.5", "operatingSystem": "linux"}}}]}"#;

#[test]
fn the_api_servers_version_wins_and_the_conflict_is_reported() {
    let b = bundle(&[
        (Source::AksHciVersion, "1.0.24.11029\n"),
        (
            Source::AksHciCluster,
            r#"{"Name": "akswc1", "KubernetesVersion": "v1.29.4", "ControlPlaneNodeCount": 1}"#,
        ),
        (
            Source::KubectlVersion("akswc1".into()),
            r#"{"serverVersion": {"gitVersion": "v1.28.5"}}"#,
        ),
        (Source::KubectlGetNodes("akswc1".into()), NODES),
    ]);
    let c = assemble(&b, &options()).unwrap();
    let cluster = &c.inventory.clusters.as_ref().unwrap()[0];
    assert_eq!(cluster.kubernetes_version, "v1.28.5");
    assert_eq!(cluster.state, Some(ClusterState::Running));
    assert_eq!(c.summary.conflicts, vec!["clusters[0].kubernetesVersion (akswc1): kubectl-version-akswc1 (the API server's own report) says v1.28.5; Get-AksHciCluster (the management plane) says v1.29.4: kept v1.28.5".to_string()]);
    assert_eq!(
        c.inventory.provenance.fields["clusters[0].kubernetesVersion"],
        "kubectl-version-akswc1"
    );
    assert_eq!(c.inventory.provenance.conflicts, c.summary.conflicts);
}

#[test]
fn control_plane_nodes_win_over_the_management_plane() {
    let b = bundle(&[
        (Source::AksHciVersion, "1.0.24.11029"),
        (
            Source::AksHciCluster,
            r#"[{"Name": "akswc1", "KubernetesVersion": "v1.29.4"}]"#,
        ),
        (Source::KubectlGetNodes("akswc1".into()), NODES),
    ]);
    let c = assemble(&b, &options()).unwrap();
    assert_eq!(
        c.inventory.clusters.unwrap()[0].kubernetes_version,
        "v1.28.5"
    );
    assert_eq!(c.summary.conflicts.len(), 1);
}

#[test]
fn no_release_no_inventory() {
    let b = bundle(&[(
        Source::AksHciCluster,
        r#"[{"Name": "a", "KubernetesVersion": "v1.29.4"}]"#,
    )]);
    let failed = assemble(&b, &options()).unwrap_err();
    assert!(
        failed.why.contains("deployment.version is unknown"),
        "{}",
        failed.why
    );
    assert_eq!(failed.summary.sources[0].name, "Get-AksHciCluster");
    let mut o = options();
    o.deployment_version = Some("1.0.24.11029".into());
    let c = assemble(&b, &o).unwrap();
    assert_eq!(
        c.inventory.provenance.fields["deployment.version"],
        "--deployment-version"
    );
    o.deployment_version = Some("2510".into());
    assert!(assemble(&b, &o)
        .unwrap_err()
        .why
        .contains("--deployment-version: `2510` is an Azure Local release or build, not an AKS hybrid version"));
}

#[test]
fn release_conflicts_keep_the_cmdlets_answer() {
    let b = bundle(&[
        (Source::AksHciVersion, "1.0.24.11029"),
        (
            Source::AksHciConfig,
            r#"{"AksHci": {"version": "1.0.23.10605"}}"#,
        ),
    ]);
    let c = assemble(&b, &options()).unwrap();
    assert_eq!(c.inventory.deployment.version, "1.0.24.11029");
    assert_eq!(c.summary.conflicts, vec!["deployment.version: Get-AksHciVersion says 1.0.24.11029; Get-AksHciConfig says 1.0.23.10605: kept 1.0.24.11029".to_string()]);
    // No cluster output: no `clusters` key, so cluster rules skip.
    assert!(c.inventory.clusters.is_none());
}

#[test]
fn a_cluster_without_a_version_is_left_out_and_said() {
    let b = bundle(&[
        (Source::AksHciVersion, "1.0.24.11029"),
        (
            Source::AksHciCluster,
            r#"[{"Name": "a"}, {"Name": "b", "KubernetesVersion": "v1.29.4"}]"#,
        ),
    ]);
    let c = assemble(&b, &options()).unwrap();
    let clusters = c.inventory.clusters.unwrap();
    assert_eq!(clusters.len(), 1);
    assert_eq!(clusters[0].name, "b");
    assert!(c
        .summary
        .gaps
        .iter()
        .any(|g| g.field == "clusters" && g.why.contains("cluster a is left out")));
}

#[test]
fn both_lines_are_refused() {
    let b = bundle(&[
        (Source::AksHciVersion, "1.0.24.11029"),
        (Source::AksArcGetVersions, "{}"),
    ]);
    assert!(assemble(&b, &options())
        .unwrap_err()
        .why
        .contains("both product lines"));
}

#[test]
fn unreadable_sources_are_unavailable_and_the_others_go_on() {
    let mut b = bundle(&[
        (Source::AksHciVersion, "1.0.24.11029"),
        (
            Source::AksHciCluster,
            r#"[{"Name": "a", "KubernetesVersion": "v1.29.4"}"#,
        ),
    ]);
    b.entries.insert(
        Source::AksHciConfig,
        Entry {
            origin: "x".into(),
            command: None,
            ran_at: None,
            output: Err("`powershell` was not found".into()),
        },
    );
    let c = assemble(&b, &options()).unwrap();
    let states: Vec<(&str, &str)> = c
        .summary
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.state.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            ("Get-AksHciVersion", "ok"),
            ("Get-AksHciConfig", "unavailable"),
            ("Get-AksHciCluster", "unavailable"),
            ("Get-AksHciNodePool", "missing"),
            ("Get-AksHciKubernetesVersion", "missing"),
        ]
    );
    assert!(
        c.summary.sources[2]
            .detail
            .contains("Get-AksHciCluster.json:1:"),
        "{:?}",
        c.summary.sources[2]
    );
    assert!(c.summary.sources[2].detail.contains("truncated"));
}
