//! Collecting on a host or a workstation: which commands run, in which
//! order, with which arguments. Running them is the caller's `run` (the
//! face gives it the clock and the progress line; [`super::run`] starts them),
//! so the order and the command lines are tested here without running anything.
//!
//! The lines: with `--resource-group`, AKS Arc on Azure Local (`az aksarc`);
//! without it, AKS hybrid (the AksHci PowerShell module). `kubectl` runs for
//! every cluster given a kubeconfig or a context.

use super::bundle::{Bundle, Entry, Source};
use super::run::CommandLine;
use super::{aksarc, akshci};

/// What to collect, from the command line.
#[derive(Debug, Clone, Default)]
pub struct LiveOptions {
    /// `powershell` (Windows PowerShell 5.1) or `pwsh` (PowerShell 7), or a path to one.
    pub powershell: String,
    /// The Azure CLI (`--az`); empty: `az` (`az.cmd` on Windows).
    pub az: String,
    pub resource_group: Option<String>,
    /// `--name`: these clusters of the resource group; none means all (`az aksarc list`).
    pub names: Vec<String>,
    pub custom_location: Option<String>,
    pub kube: Vec<KubeTarget>,
}

/// How kubectl reaches one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeTarget {
    pub cluster: String,
    pub access: KubeAccess,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KubeAccess {
    Kubeconfig(String),
    Context(String),
}

/// Runs one command for one source and says what came of it.
pub type Run<'a> = dyn FnMut(&Source, &CommandLine) -> Entry + 'a;

/// Deep enough for every object these cmdlets return (the default, 2, cuts
/// off `Get-AksHciCluster`'s nested `Status`).
const DEPTH: &str = "10";

/// The PowerShell command for one cmdlet pipeline. Output is made UTF-8:
/// Windows PowerShell writes to a pipe in the console's code page otherwise.
fn powershell(program: &str, pipeline: &str, json: bool) -> CommandLine {
    let pwsh7 = std::path::Path::new(program)
        .file_stem()
        .is_some_and(|s| s.eq_ignore_ascii_case("pwsh"));
    let convert = match (json, pwsh7) {
        (false, _) => String::new(),
        (true, false) => format!(" | ConvertTo-Json -Depth {DEPTH}"),
        // PowerShell 7 can write enums as their names.
        (true, true) => format!(" | ConvertTo-Json -Depth {DEPTH} -EnumsAsStrings"),
    };
    CommandLine::new(
        program,
        &[
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            &format!("[Console]::OutputEncoding = [Text.Encoding]::UTF8; {pipeline}{convert}"),
        ],
    )
}

fn akshci_commands(program: &str) -> Vec<(Source, CommandLine)> {
    vec![
        (
            Source::AksHciVersion,
            powershell(program, "Get-AksHciVersion", false),
        ),
        (
            Source::AksHciConfig,
            powershell(program, "Get-AksHciConfig", true),
        ),
        (
            Source::AksHciCluster,
            powershell(program, "Get-AksHciCluster", true),
        ),
        (
            Source::AksHciNodePool,
            powershell(
                program,
                "Get-AksHciCluster | ForEach-Object { Get-AksHciNodePool -clusterName $_.Name }",
                true,
            ),
        ),
        (
            Source::AksHciKubernetesVersion,
            powershell(program, "Get-AksHciKubernetesVersion", true),
        ),
    ]
}

/// A cluster name goes into a PowerShell script (as a quoted literal), so
/// only the characters AKS allows in names are passed.
fn safe_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() <= 63
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

/// An AKS Arc cluster name as the API accepts it: 1 to 63 letters, digits,
/// `-` and `_`, starting and ending with a letter or digit. This is the
/// provisioned cluster's `resourceName` pattern,
/// `^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$`
/// (`Azure/azure-rest-api-specs:specification/hybridaks/resource-manager/Microsoft.HybridContainerService/preview/2022-09-01-preview/provisionedClusters.json@f7b84a5c89d94559d2e2125aa706c1463ddddcc3`,
/// `parameters.ResourceNameParameter`; the stable 2024-01-01 API names the
/// cluster by its `connectedClusters` id and states no pattern of its own).
/// Names read from `az` output are passed back to `az` as arguments, never
/// through a shell; one that no cluster can have is not passed at all.
fn arm_cluster_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let inner = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_';
    match bytes {
        [] => false,
        [only] => only.is_ascii_alphanumeric(),
        [first, middle @ .., last] => {
            bytes.len() <= 63
                && first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && middle.iter().all(inner)
        }
    }
}

/// Why a cluster name is not passed to `az`.
fn not_an_arm_name(name: &str) -> Entry {
    not_run(format!(
        "the cluster name `{name}` is not one an AKS Arc cluster can have (1 to 63 letters, digits, - and _, starting and ending with a letter or digit), so akspol does not pass it to az"
    ))
}

fn cluster_updates(program: &str, cluster: &str) -> CommandLine {
    powershell(
        program,
        &format!("Get-AksHciClusterUpdates -name '{cluster}'"),
        true,
    )
}

#[cfg(test)]
fn az() -> &'static str {
    super::resource_graph::default_az()
}

fn az_program(options: &LiveOptions) -> &str {
    if options.az.is_empty() {
        super::resource_graph::default_az()
    } else {
        &options.az
    }
}

fn az_list(az: &str, group: &str) -> CommandLine {
    CommandLine::new(
        az,
        &[
            "aksarc",
            "list",
            "--resource-group",
            group,
            "--output",
            "json",
        ],
    )
}

fn az_show(az: &str, group: &str, name: &str) -> CommandLine {
    CommandLine::new(
        az,
        &[
            "aksarc",
            "show",
            "--resource-group",
            group,
            "--name",
            name,
            "--output",
            "json",
        ],
    )
}

fn az_node_pools(az: &str, group: &str, name: &str) -> CommandLine {
    CommandLine::new(
        az,
        &[
            "aksarc",
            "nodepool",
            "list",
            "--resource-group",
            group,
            "--cluster-name",
            name,
            "--output",
            "json",
        ],
    )
}

fn az_versions(az: &str, group: &str, location: &str) -> CommandLine {
    CommandLine::new(
        az,
        &[
            "aksarc",
            "get-versions",
            "--resource-group",
            group,
            "--custom-location",
            location,
            "--output",
            "json",
        ],
    )
}

fn kubectl(target: &KubeTarget) -> [(Source, CommandLine); 2] {
    let with_access = |args: &[&str]| {
        let command = CommandLine::new("kubectl", args);
        match &target.access {
            KubeAccess::Kubeconfig(path) => command.arg("--kubeconfig").arg(path),
            KubeAccess::Context(name) => command.arg("--context").arg(name),
        }
    };
    [
        (
            Source::KubectlVersion(target.cluster.clone()),
            with_access(&["version", "--output", "json"]),
        ),
        (
            Source::KubectlGetNodes(target.cluster.clone()),
            with_access(&["get", "nodes", "--output", "json"]),
        ),
    ]
}

/// The commands a live run would start, in order, one per line, each one a
/// person can paste; steps that need an earlier answer are `#` comments
/// with a placeholder.
pub fn dry_run(options: &LiveOptions) -> Vec<String> {
    let mut lines = Vec::new();
    match &options.resource_group {
        None => {
            lines.extend(
                akshci_commands(&options.powershell)
                    .iter()
                    .map(|c| c.1.display()),
            );
            lines.push("# then, for each cluster Get-AksHciCluster lists:".into());
            lines.push(format!(
                "# {}",
                cluster_updates(&options.powershell, "<cluster>").display()
            ));
        }
        Some(group) if options.names.is_empty() => {
            lines.push(az_list(az_program(options), group).display());
            lines.push("# then, for each cluster it lists:".into());
            lines.push(format!(
                "# {}",
                az_node_pools(az_program(options), group, "<cluster>").display()
            ));
            lines.extend(versions_lines(
                az_program(options),
                group,
                options.custom_location.as_deref(),
            ));
        }
        Some(group) => {
            for name in &options.names {
                lines.push(az_show(az_program(options), group, name).display());
                lines.push(az_node_pools(az_program(options), group, name).display());
            }
            lines.extend(versions_lines(
                az_program(options),
                group,
                options.custom_location.as_deref(),
            ));
        }
    }
    lines.extend(kubectl_lines(&options.kube));
    lines
}

/// What kubectl runs: for each cluster given a kubeconfig or a context, its
/// commands under a line naming the cluster; with none given, the same as
/// templates, saying that kubectl runs only for clusters given one.
fn kubectl_lines(targets: &[KubeTarget]) -> Vec<String> {
    if targets.is_empty() {
        let template = KubeTarget {
            cluster: "<cluster>".into(),
            access: KubeAccess::Kubeconfig("<kubeconfig of the cluster>".into()),
        };
        let mut lines = vec![
            "# kubectl runs for each cluster given --kubeconfig CLUSTER=FILE or --context CLUSTER=NAME (none is, so it runs for none and the node rules skip); for each, it would run:".to_string(),
        ];
        lines.extend(
            kubectl(&template)
                .iter()
                .map(|c| format!("# {}", c.1.display())),
        );
        return lines;
    }
    let mut lines = Vec::new();
    for target in targets {
        lines.push(format!("# kubectl, for cluster {}:", target.cluster));
        lines.extend(kubectl(target).iter().map(|c| c.1.display()));
    }
    lines
}

fn versions_lines(az: &str, group: &str, location: Option<&str>) -> Vec<String> {
    match location {
        Some(location) => vec![az_versions(az, group, location).display()],
        None => {
            vec![
            "# then, for the custom location the first cluster reports (extendedLocation.name):"
                .into(),
            format!("# {}", az_versions(az, group, "<custom location>").display()),
        ]
        }
    }
}

/// Runs every command of the plan through `run`; a command that fails makes
/// its source unavailable and the others go on.
pub fn collect(options: &LiveOptions, run: &mut Run) -> Bundle {
    let mut bundle = Bundle::default();
    let clusters = match &options.resource_group {
        None => collect_akshci(options, run, &mut bundle),
        Some(group) => collect_aksarc(options, group, run, &mut bundle),
    };
    for target in &options.kube {
        for (source, command) in kubectl(target) {
            step(&mut bundle, run, source, command);
        }
    }
    for name in clusters {
        if !options.kube.iter().any(|t| t.cluster == name) {
            bundle.entries.insert(
                Source::KubectlGetNodes(name.clone()),
                not_run(format!(
                    "no --kubeconfig or --context given for cluster `{name}`"
                )),
            );
        }
    }
    bundle
}

fn step(bundle: &mut Bundle, run: &mut Run, source: Source, command: CommandLine) {
    let entry = run(&source, &command);
    bundle.entries.insert(source, entry);
}

/// The AksHci line through PowerShell: the host's commands, then each listed
/// cluster's updates. The clusters' names.
fn collect_akshci(options: &LiveOptions, run: &mut Run, bundle: &mut Bundle) -> Vec<String> {
    for (source, command) in akshci_commands(&options.powershell) {
        step(bundle, run, source, command);
    }
    let names = listed(bundle, &Source::AksHciCluster, |o, t| {
        akshci::clusters(o, t).map(|p| p.value)
    });
    for name in &names {
        let source = Source::AksHciClusterUpdates(name.clone());
        if safe_name(name) {
            step(
                bundle,
                run,
                source,
                cluster_updates(&options.powershell, name),
            );
        } else {
            bundle.entries.insert(
                source,
                not_run(format!(
                    "the cluster name `{name}` has characters akspol does not pass to PowerShell"
                )),
            );
        }
    }
    names
}

/// AKS Arc through `az aksarc`: the resource group's clusters (listed, or
/// each named one shown), their node pools, and the custom location's
/// versions. The clusters' names.
fn collect_aksarc(
    options: &LiveOptions,
    group: &str,
    run: &mut Run,
    bundle: &mut Bundle,
) -> Vec<String> {
    let (names, facts) = if options.names.is_empty() {
        step(
            bundle,
            run,
            Source::AksArcList,
            az_list(az_program(options), group),
        );
        let facts = bundle
            .output(&Source::AksArcList)
            .and_then(|(o, t)| aksarc::list(o, t).ok())
            .map(|p| p.value)
            .unwrap_or_default();
        (facts.iter().map(|c| c.name.clone()).collect(), facts)
    } else {
        let mut facts = Vec::new();
        for name in &options.names {
            let source = Source::AksArcShow(name.clone());
            if !arm_cluster_name(name) {
                bundle.entries.insert(source, not_an_arm_name(name));
                continue;
            }
            step(
                bundle,
                run,
                source.clone(),
                az_show(az_program(options), group, name),
            );
            facts.extend(
                bundle
                    .output(&source)
                    .and_then(|(o, t)| aksarc::show(o, t).ok())
                    .and_then(|p| p.value),
            );
        }
        (options.names.clone(), facts)
    };
    for name in &names {
        let source = Source::AksArcNodePoolList(name.clone());
        if arm_cluster_name(name) {
            step(
                bundle,
                run,
                source,
                az_node_pools(az_program(options), group, name),
            );
        } else {
            bundle.entries.insert(source, not_an_arm_name(name));
        }
    }
    let location = options
        .custom_location
        .clone()
        .or_else(|| facts.iter().find_map(|c| c.custom_location.clone()));
    match location {
        Some(location) => step(
            bundle,
            run,
            Source::AksArcGetVersions,
            az_versions(az_program(options), group, &location),
        ),
        None if !names.is_empty() => {
            bundle.entries.insert(
                Source::AksArcGetVersions,
                not_run(
                    "no custom location: the clusters report none; give --custom-location".into(),
                ),
            );
        }
        None => {}
    }
    names
}

fn listed(
    bundle: &Bundle,
    source: &Source,
    read: impl Fn(&str, &str) -> Result<Vec<super::facts::ClusterFacts>, crate::input::InputError>,
) -> Vec<String> {
    bundle
        .output(source)
        .and_then(|(o, t)| read(o, t).ok())
        .map(|clusters| clusters.into_iter().map(|c| c.name).collect())
        .unwrap_or_default()
}

fn not_run(why: String) -> Entry {
    Entry {
        origin: String::new(),
        command: None,
        ran_at: None,
        output: Err(format!("not run: {why}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> LiveOptions {
        LiveOptions {
            powershell: "powershell".into(),
            kube: vec![KubeTarget {
                cluster: "akswc1".into(),
                access: KubeAccess::Context("akswc1-admin@akswc1".into()),
            }],
            ..LiveOptions::default()
        }
    }

    #[test]
    fn dry_run_on_an_akshci_host() {
        assert_eq!(
            dry_run(&options()),
            [
                "powershell -NoProfile -NonInteractive -Command '[Console]::OutputEncoding = [Text.Encoding]::UTF8; Get-AksHciVersion'",
                "powershell -NoProfile -NonInteractive -Command '[Console]::OutputEncoding = [Text.Encoding]::UTF8; Get-AksHciConfig | ConvertTo-Json -Depth 10'",
                "powershell -NoProfile -NonInteractive -Command '[Console]::OutputEncoding = [Text.Encoding]::UTF8; Get-AksHciCluster | ConvertTo-Json -Depth 10'",
                "powershell -NoProfile -NonInteractive -Command '[Console]::OutputEncoding = [Text.Encoding]::UTF8; Get-AksHciCluster | ForEach-Object { Get-AksHciNodePool -clusterName $_.Name } | ConvertTo-Json -Depth 10'",
                "powershell -NoProfile -NonInteractive -Command '[Console]::OutputEncoding = [Text.Encoding]::UTF8; Get-AksHciKubernetesVersion | ConvertTo-Json -Depth 10'",
                "# then, for each cluster Get-AksHciCluster lists:",
                "# powershell -NoProfile -NonInteractive -Command \"[Console]::OutputEncoding = [Text.Encoding]::UTF8; Get-AksHciClusterUpdates -name '<cluster>' | ConvertTo-Json -Depth 10\"",
                "# kubectl, for cluster akswc1:",
                "kubectl version --output json --context akswc1-admin@akswc1",
                "kubectl get nodes --output json --context akswc1-admin@akswc1",
            ]
        );
        let mut pwsh = options();
        pwsh.powershell = "pwsh".into();
        assert!(dry_run(&pwsh)[1].ends_with("-Depth 10 -EnumsAsStrings'"));
    }

    #[test]
    fn dry_run_for_azure_local() {
        let mut o = options();
        o.resource_group = Some("rg-edge".into());
        o.kube.clear();
        assert_eq!(
            dry_run(&o),
            [
                format!("{} aksarc list --resource-group rg-edge --output json", az()),
                "# then, for each cluster it lists:".into(),
                format!("# {} aksarc nodepool list --resource-group rg-edge --cluster-name '<cluster>' --output json", az()),
                "# then, for the custom location the first cluster reports (extendedLocation.name):".into(),
                format!("# {} aksarc get-versions --resource-group rg-edge --custom-location '<custom location>' --output json", az()),
                "# kubectl runs for each cluster given --kubeconfig CLUSTER=FILE or --context CLUSTER=NAME (none is, so it runs for none and the node rules skip); for each, it would run:".into(),
                "# kubectl version --output json --kubeconfig '<kubeconfig of the cluster>'".into(),
                "# kubectl get nodes --output json --kubeconfig '<kubeconfig of the cluster>'".into(),
            ]
        );
        o.names = vec!["arc1".into()];
        o.custom_location = Some("cl-1".into());
        assert_eq!(dry_run(&o).len(), 6);
        // --az names another Azure CLI.
        o.az = "/opt/az/bin/az".into();
        assert!(dry_run(&o)[0].starts_with("/opt/az/bin/az aksarc show"));
    }

    fn fake<'a>(
        outputs: &'a [(&'a str, &'a str)],
    ) -> impl FnMut(&Source, &CommandLine) -> Entry + 'a {
        move |source, command| Entry {
            origin: command.display(),
            command: Some(command.argv()),
            ran_at: Some("2026-11-20T09:30:00Z".into()),
            output: outputs
                .iter()
                .find(|(name, _)| *name == source.to_string())
                .map(|(_, text)| (*text).to_string())
                .ok_or_else(|| "exited with status 1".to_string()),
        }
    }

    #[test]
    fn later_steps_follow_the_clusters_listed() {
        let outputs = [(
            "Get-AksHciCluster",
            r#"[{"Name": "akswc1", "KubernetesVersion": "v1.29.4"}, {"Name": "bad'name", "KubernetesVersion": "v1.29.4"}, {"Name": "akswc2", "KubernetesVersion": "v1.29.4"}]"#,
        )];
        let mut run = fake(&outputs);
        let bundle = collect(&options(), &mut run);
        let names: Vec<String> = bundle.entries.keys().map(ToString::to_string).collect();
        assert_eq!(
            names,
            [
                "Get-AksHciVersion",
                "Get-AksHciConfig",
                "Get-AksHciCluster",
                "Get-AksHciNodePool",
                "Get-AksHciKubernetesVersion",
                "Get-AksHciClusterUpdates-akswc1",
                "Get-AksHciClusterUpdates-akswc2",
                "Get-AksHciClusterUpdates-bad'name",
                "kubectl-version-akswc1",
                "kubectl-get-nodes-akswc1",
                "kubectl-get-nodes-akswc2",
                "kubectl-get-nodes-bad'name",
            ]
        );
        let bad = &bundle.entries[&Source::AksHciClusterUpdates("bad'name".into())];
        assert!(bad
            .output
            .as_ref()
            .unwrap_err()
            .contains("does not pass to PowerShell"));
        let unmapped = &bundle.entries[&Source::KubectlGetNodes("akswc2".into())];
        assert!(unmapped
            .output
            .as_ref()
            .unwrap_err()
            .contains("no --kubeconfig or --context"));
    }

    /// Issue 22, item 20: names `az aksarc list` printed are passed back
    /// to `az` only when an AKS Arc cluster can have them.
    #[test]
    fn cluster_names_az_printed_are_checked_before_az_gets_them() {
        let id = |name: &str| {
            format!("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/{name}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default")
        };
        let long = "a".repeat(64);
        let names = [
            "aksarc-prod",
            "x",
            "a_b-9",
            "--output=yaml",
            "bad name",
            "ends-",
            "é",
            long.as_str(),
        ];
        let list: Vec<String> = names
            .iter()
            .map(|n| {
                format!(
                    r#"{{"id": {}, "properties": {{"kubernetesVersion": "1.29.4"}}}}"#,
                    serde_json::Value::String(id(n))
                )
            })
            .collect();
        let list = format!("[{}]", list.join(","));
        let outputs = [("az-aksarc-list", list.as_str())];
        let mut o = options();
        o.resource_group = Some("rg".into());
        o.custom_location = Some("cl".into());
        o.kube.clear();
        let mut commands = Vec::new();
        let mut inner = fake(&outputs);
        let mut run = |s: &Source, c: &CommandLine| {
            commands.push(c.args.join(" "));
            inner(s, c)
        };
        let bundle = collect(&o, &mut run);
        let pools: Vec<&String> = commands
            .iter()
            .filter(|c| c.starts_with("aksarc nodepool"))
            .collect();
        assert_eq!(
            pools,
            [
                "aksarc nodepool list --resource-group rg --cluster-name aksarc-prod --output json",
                "aksarc nodepool list --resource-group rg --cluster-name x --output json",
                "aksarc nodepool list --resource-group rg --cluster-name a_b-9 --output json",
            ]
        );
        for bad in &names[3..] {
            let entry = &bundle.entries[&Source::AksArcNodePoolList((*bad).to_string())];
            assert!(
                entry
                    .output
                    .as_ref()
                    .unwrap_err()
                    .contains("is not one an AKS Arc cluster can have"),
                "{bad}: {entry:?}"
            );
        }
        // --name is held to the same pattern.
        o.names = vec!["ok-1".into(), "no;way".into()];
        commands.clear();
        let mut inner = fake(&outputs);
        let mut run = |s: &Source, c: &CommandLine| {
            commands.push(c.args.join(" "));
            inner(s, c)
        };
        let bundle = collect(&o, &mut run);
        assert!(
            commands.iter().all(|c| !c.contains("no;way")),
            "{commands:?}"
        );
        assert!(bundle.entries[&Source::AksArcShow("no;way".into())]
            .output
            .as_ref()
            .unwrap_err()
            .contains("does not pass it to az"));
    }

    #[test]
    fn arm_cluster_names() {
        for ok in ["a", "A1", "a-b_c", &"z".repeat(63)] {
            assert!(arm_cluster_name(ok), "{ok}");
        }
        for not in [
            "",
            "-a",
            "a-",
            "_",
            "a.b",
            "a b",
            "a/b",
            &"z".repeat(64),
            "ñ",
        ] {
            assert!(!arm_cluster_name(not), "{not}");
        }
    }

    #[test]
    fn azure_local_uses_the_custom_location_the_cluster_reports() {
        let show = r#"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/arc1/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default", "extendedLocation": {"name": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ExtendedLocation/customLocations/cl-1"}, "properties": {"kubernetesVersion": "1.29.4"}}"#;
        let outputs = [("az-aksarc-show-arc1", show)];
        let mut o = options();
        o.resource_group = Some("rg".into());
        o.names = vec!["arc1".into()];
        o.kube.clear();
        let mut commands = Vec::new();
        let mut inner = fake(&outputs);
        let mut run = |s: &Source, c: &CommandLine| {
            commands.push(c.args.join(" "));
            inner(s, c)
        };
        collect(&o, &mut run);
        assert_eq!(
            commands,
            [
                "aksarc show --resource-group rg --name arc1 --output json",
                "aksarc nodepool list --resource-group rg --cluster-name arc1 --output json",
                "aksarc get-versions --resource-group rg --custom-location /subscriptions/s/resourceGroups/rg/providers/Microsoft.ExtendedLocation/customLocations/cl-1 --output json",
            ]
        );
    }
}
