use super::{declare_rule, Check, Context, Evidence, Outcome, RuleScope};
use crate::base::sanitize::clean;
use crate::inventory::{Cluster, LabelMap, Node, NodeRole, SystemMetadata};

declare_rule! {
    /// The labels, annotations and tags the system created on a node must stay as they were.
    ///
    /// ## What it checks
    /// That the labels, annotations and tags AKS hybrid created on a node are
    /// unchanged. With a `systemMetadata` baseline, every key of the baseline
    /// must be present with the same value; each changed or removed key is named.
    /// Without a baseline, the labels that can be derived from the node must
    /// hold: `kubernetes.io/hostname` is the node's name, `kubernetes.io/os` its
    /// OS, and the control-plane role label
    /// (`node-role.kubernetes.io/control-plane`, or the older `.../master`) is
    /// there exactly when the node's role is `control-plane`. A derivable label
    /// the inventory does not list is not judged (a hand-written label list may
    /// be partial); give a baseline to detect removals. Metadata you added
    /// is fine, except a label you added under a namespace Kubernetes or AKS
    /// hybrid reserves for itself (`kubernetes.io/`, `k8s.io/` and their
    /// subdomains such as `node.kubernetes.io/` and `node-role.kubernetes.io/`,
    /// and `msft.microsoft/`): that is a warning. `node-restriction.kubernetes.io/`
    /// is the namespace Kubernetes recommends for administrators' labels and is
    /// not warned about.
    ///
    /// ## Why
    /// The policy lets you add any metadata to clusters and nodes, but changing
    /// the metadata the system created makes the cluster unsupported: the product
    /// and Kubernetes itself rely on those keys to find, schedule and manage the
    /// nodes. A label you add under a reserved namespace can collide with one the
    /// system sets later, or be mistaken for a system label.
    ///
    /// ## How to fix
    /// Restore each named key to its original value (`kubectl label node NODE
    /// KEY=VALUE --overwrite`, or the equivalent for annotations and VM tags), or
    /// replace the node through the product's tooling. Move your own labels to a
    /// namespace of your own, such as `example.com/team`.
    ///
    /// ## Policy
    /// Shared responsibility (changing system-created metadata).
    pub static RULE = {
        code: M001,
        name: "system-metadata",
        scope: RuleScope::Node,
        worst: Fail,
        needs: [
            "clusters[].nodes[].labels",
            "clusters[].nodes[].annotations",
            "clusters[].nodes[].tags",
            "clusters[].nodes[].systemMetadata",
        ],
        remedy: Revert,
        check: Check::Node(check),
    };
}

const HOSTNAME: &str = "kubernetes.io/hostname";
const OS: &str = "kubernetes.io/os";
const CONTROL_PLANE_LABEL: &str = "node-role.kubernetes.io/control-plane";
const CONTROL_PLANE: [&str; 2] = [CONTROL_PLANE_LABEL, "node-role.kubernetes.io/master"];

/// Labels the kubelet, kubeadm or the product set on nodes themselves
/// (`data/sources/research/node-labels.md`): not something a user added
/// under a reserved namespace, even without a baseline that lists them.
const SYSTEM_LABELS: &[&str] = &[
    "kubernetes.io/hostname",
    "kubernetes.io/os",
    "kubernetes.io/arch",
    "beta.kubernetes.io/os",
    "beta.kubernetes.io/arch",
    "beta.kubernetes.io/instance-type",
    "node.kubernetes.io/instance-type",
    "node.kubernetes.io/windows-build",
    "node.kubernetes.io/exclude-from-external-load-balancers",
    "topology.kubernetes.io/zone",
    "topology.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region",
    "node-role.kubernetes.io/control-plane",
    "node-role.kubernetes.io/master",
    "msft.microsoft/nodepool-name",
];

/// Whether a label key sits in a namespace Kubernetes or AKS hybrid reserves.
pub fn reserved_namespace(key: &str) -> bool {
    let Some((prefix, _)) = key.split_once('/') else {
        return false;
    };
    // `prefix` is `domain` or a subdomain of it, ignoring ASCII case
    // (without allocating: this runs for every label of every node).
    let within = |domain: &str| {
        let bytes = prefix.as_bytes();
        let Some(start) = bytes.len().checked_sub(domain.len()) else {
            return false;
        };
        bytes
            .get(start..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(domain.as_bytes()))
            && (start == 0 || bytes.get(start - 1) == Some(&b'.'))
    };
    if within("node-restriction.kubernetes.io") {
        return false; // meant for administrators' labels (NodeRestriction)
    }
    within("kubernetes.io") || within("k8s.io") || prefix.eq_ignore_ascii_case("msft.microsoft")
}

/// One system-created key that is not as the system left it.
struct Change {
    kind: &'static str,
    key: String,
    expected: String,
    /// `None` when the key was removed.
    actual: Option<String>,
    /// Says why, when "is X (was Y)" does not.
    why: Option<String>,
}

impl Change {
    fn evidence(&self) -> Evidence {
        let mut evidence = Evidence::new()
            .with("kind", self.kind)
            .with("key", self.key.clone())
            .with("expected", self.expected.clone());
        if let Some(actual) = &self.actual {
            evidence = evidence.with("actual", actual.clone());
        }
        if let Some(why) = &self.why {
            evidence = evidence.with("why", why.clone());
        }
        evidence
    }

    fn describe(&self) -> String {
        let kind = self.kind.strip_suffix('s').unwrap_or(self.kind);
        let key = clean(&self.key);
        match (&self.actual, &self.why) {
            (_, Some(why)) => format!("{kind} {key} {why}"),
            (Some(actual), None) => format!(
                "{kind} {key} is `{}` (was `{}`)",
                clean(actual),
                clean(&self.expected)
            ),
            (None, None) => format!("{kind} {key}"),
        }
    }
}

#[derive(Default)]
struct Findings {
    changed: Vec<Change>,
    removed: Vec<Change>,
    reserved: Vec<String>,
    not_given: Vec<&'static str>,
    /// Derivable labels the inventory does not list: without a baseline,
    /// absence cannot be told from a partial label list, so they are not judged.
    unlisted: Vec<String>,
}

impl Findings {
    fn push(&mut self, kind: &'static str, key: &str, expected: &str, actual: Option<&str>) {
        let change = Change {
            kind,
            key: key.to_string(),
            expected: expected.to_string(),
            actual: actual.map(str::to_string),
            why: None,
        };
        if change.actual.is_some() {
            self.changed.push(change);
        } else {
            self.removed.push(change);
        }
    }

    fn compare(&mut self, kind: &'static str, baseline: &LabelMap, actual: Option<&LabelMap>) {
        if baseline.is_empty() {
            return;
        }
        let Some(actual) = actual else {
            self.not_given.push(kind);
            return;
        };
        for (key, expected) in baseline.iter() {
            match actual.get(key) {
                Some(value) if value == expected => {}
                value => self.push(kind, key, expected, value),
            }
        }
    }

    /// A label derived from the node itself; compared case-insensitively
    /// (`kubernetes.io/os` is `linux` for a `Linux` node).
    fn expect_label(&mut self, labels: &LabelMap, key: &str, expected: &str) {
        match labels.get(key) {
            Some(value) if value.eq_ignore_ascii_case(expected) => {}
            Some(value) => self.push("labels", key, expected, Some(value)),
            None => self.unlisted.push(key.to_string()),
        }
    }
}

fn describe(changes: &[Change]) -> String {
    changes
        .iter()
        .map(Change::describe)
        .collect::<Vec<_>>()
        .join(", ")
}

fn check(_ctx: &Context, _cluster: &Cluster, node: &Node) -> Outcome {
    let mut f = Findings::default();
    let basis = match node.system_metadata.as_deref() {
        Some(baseline) => against_baseline(&mut f, node, baseline),
        None => derived(&mut f, node),
    };
    match basis {
        Ok(basis) => verdict(f, basis),
        Err(outcome) => outcome,
    }
}

/// Compares the node's metadata with the baseline taken when it was made.
fn against_baseline(
    f: &mut Findings,
    node: &Node,
    baseline: &SystemMetadata,
) -> Result<&'static str, Outcome> {
    let SystemMetadata {
        labels: base_labels,
        annotations,
        tags,
    } = baseline;
    let labels = node.labels.as_ref();
    f.compare("labels", base_labels, labels);
    f.compare("annotations", annotations, node.annotations.as_ref());
    f.compare("tags", tags, node.tags.as_deref());
    if let Some(labels) = labels {
        f.reserved = labels
            .keys()
            .filter(|k| !base_labels.contains_key(k) && reserved_namespace(k))
            .map(str::to_string)
            .collect();
    }
    let given = ["labels", "annotations", "tags"].len()
        - [base_labels, annotations, tags]
            .iter()
            .filter(|m| m.is_empty())
            .count();
    if given == 0 {
        return Err(Outcome::skip("the systemMetadata baseline is empty"));
    }
    if f.not_given.len() == given {
        return Err(Outcome::not_in_inventory(&format!(
            "the node's current {}",
            f.not_given.join(" and ")
        )));
    }
    Ok("baseline")
}

/// Without a baseline: the labels the system sets, derived from what the
/// node says of itself (hostname, OS, role).
fn derived(f: &mut Findings, node: &Node) -> Result<&'static str, Outcome> {
    let Some(labels) = node.labels.as_ref() else {
        return Err(Outcome::not_in_inventory("labels"));
    };
    f.expect_label(labels, HOSTNAME, &node.name);
    if let Some(os) = node.os {
        f.expect_label(labels, OS, &os.as_str().to_ascii_lowercase());
    }
    if let Some(role) = node.role {
        let present: Vec<&str> = CONTROL_PLANE
            .iter()
            .copied()
            .filter(|k| labels.contains_key(k))
            .collect();
        if role == NodeRole::ControlPlane && present.is_empty() {
            f.unlisted.push(CONTROL_PLANE_LABEL.to_string());
        } else if role != NodeRole::ControlPlane {
            for key in present {
                f.changed.push(Change {
                    kind: "labels",
                    key: key.to_string(),
                    expected: String::new(),
                    actual: labels.get(key).map(str::to_string),
                    why: Some(format!("set on a {role} node")),
                });
            }
        }
    }
    f.reserved = labels
        .keys()
        .filter(|k| reserved_namespace(k) && !SYSTEM_LABELS.contains(k))
        .map(str::to_string)
        .collect();
    Ok("derived")
}

/// The outcome of what was found, and its evidence.
fn verdict(f: Findings, basis: &'static str) -> Outcome {
    let mut problems = Vec::new();
    if !f.changed.is_empty() {
        problems.push(format!("changed: {}", describe(&f.changed)));
    }
    if !f.removed.is_empty() {
        problems.push(format!("removed: {}", describe(&f.removed)));
    }
    let reserved: Vec<String> = f.reserved.iter().map(|k| clean(k).into_owned()).collect();
    let outcome = if !problems.is_empty() {
        Outcome::fail(format!("system-created metadata {}", problems.join("; ")))
    } else if !reserved.is_empty() {
        Outcome::warn(format!(
            "label{} added in a reserved system namespace: {}",
            if reserved.len() == 1 { "" } else { "s" },
            reserved.join(", ")
        ))
    } else if basis == "baseline" {
        Outcome::pass("every key of the systemMetadata baseline is unchanged")
    } else if f.unlisted.is_empty() {
        Outcome::pass("the hostname, OS and role labels match the node")
    } else {
        Outcome::pass(format!(
            "the listed system labels match the node; not listed, so not judged: {}",
            f.unlisted.join(", ")
        ))
    };
    let mut outcome = outcome
        .with("basis", basis)
        .with(
            "changed",
            f.changed.iter().map(Change::evidence).collect::<Vec<_>>(),
        )
        .with(
            "removed",
            f.removed.iter().map(Change::evidence).collect::<Vec<_>>(),
        )
        .with("reservedNamespaceLabels", f.reserved);
    if !f.not_given.is_empty() {
        outcome = outcome.with("notJudged", f.not_given);
    }
    if !f.unlisted.is_empty() {
        outcome = outcome.with("unlistedLabels", f.unlisted);
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::super::testing::{inventory, run};
    use super::*;

    fn judge(node: &str) -> Outcome {
        let text = inventory(
            "",
            &format!(r#"[{{"name": "c", "kubernetesVersion": "1.28.5", "nodes": [{node}]}}]"#),
        );
        run(&RULE, &text, "2026-11-01").remove(0).1
    }

    #[test]
    fn reserved_namespaces() {
        for key in [
            "kubernetes.io/foo",
            "node.kubernetes.io/x",
            "node-role.kubernetes.io/worker",
            "topology.kubernetes.io/zone",
            "k8s.io/x",
            "sub.k8s.io/x",
            "msft.microsoft/whatever",
        ] {
            assert!(reserved_namespace(key), "{key}");
        }
        for key in [
            "team",
            "example.com/team",
            "notkubernetes.io/x",
            "example.com.node-restriction.kubernetes.io/fips",
            "msft.microsoft.example/x",
        ] {
            assert!(!reserved_namespace(key), "{key}");
        }
    }

    #[test]
    fn baseline_changed_and_removed_keys_are_named() {
        let o = judge(
            r#"{"name": "n", "labels": {"a": "1", "b": "9", "mine": "x"}, "tags": {},
                "systemMetadata": {"labels": {"a": "1", "b": "2"}, "tags": {"owner": "aks"}}}"#,
        );
        assert_eq!(o.status.as_str(), "fail");
        assert_eq!(
            o.message,
            "system-created metadata changed: label b is `9` (was `2`); removed: tag owner"
        );
    }

    #[test]
    fn user_labels_pass_but_reserved_ones_warn() {
        let ok = judge(
            r#"{"name": "n", "labels": {"a": "1", "team": "x"}, "systemMetadata": {"labels": {"a": "1"}}}"#,
        );
        assert_eq!(ok.status.as_str(), "pass");
        let warn = judge(
            r#"{"name": "n", "labels": {"a": "1", "node-role.kubernetes.io/worker": ""}, "systemMetadata": {"labels": {"a": "1"}}}"#,
        );
        assert_eq!(warn.status.as_str(), "warn", "{}", warn.message);
    }

    /// The node's own outcome, before the engine folds passing nodes together.
    fn check_node(node_json: &str) -> Outcome {
        let text = format!(
            r#"{{"schemaVersion": 1, "deployment": {{"name": "d", "version": "1.0.4.10701"}}, "clusters": [{{"name": "c", "kubernetesVersion": "1.28.5", "nodes": [{node_json}]}}]}}"#
        );
        let loaded = crate::inventory::load("t", &text, Default::default()).unwrap();
        let catalog = crate::catalog::Catalog::embedded().unwrap();
        let view = crate::catalog::CatalogView::new(
            &catalog,
            crate::base::dates::parse_day("2026-01-01").unwrap(),
        );
        let policy = crate::policy::Policy::embedded().unwrap();
        let ctx = Context::new(&loaded.inventory, &view, &policy);
        let cluster = &loaded.inventory.clusters()[0];
        check(&ctx, cluster, &cluster.nodes[0])
    }

    #[test]
    fn derived_invariants_without_a_baseline() {
        let ok = judge(
            r#"{"name": "n", "os": "Linux", "role": "control-plane", "labels": {"kubernetes.io/hostname": "n", "kubernetes.io/os": "linux", "node-role.kubernetes.io/control-plane": "", "kubernetes.io/arch": "amd64"}}"#,
        );
        assert_eq!(ok.status.as_str(), "pass", "{}", ok.message);
        let bad = judge(
            r#"{"name": "n", "os": "Windows", "role": "worker", "labels": {"kubernetes.io/hostname": "other", "kubernetes.io/os": "linux", "node-role.kubernetes.io/master": ""}}"#,
        );
        assert_eq!(bad.status.as_str(), "fail");
        assert!(
            bad.message
                .contains("label kubernetes.io/hostname is `other` (was `n`)"),
            "{}",
            bad.message
        );
        assert!(bad
            .message
            .contains("label kubernetes.io/os is `linux` (was `windows`)"));
        assert!(bad.message.contains("node-role.kubernetes.io/master"));
        // Without a baseline a missing label may just be a partial list: not judged.
        let partial = judge(
            r#"{"name": "n", "os": "Linux", "role": "control-plane", "labels": {"kubernetes.io/hostname": "n"}}"#,
        );
        assert_eq!(partial.status.as_str(), "pass", "{}", partial.message);
        let direct = check_node(
            r#"{"name": "n", "os": "Linux", "role": "control-plane", "labels": {"kubernetes.io/hostname": "n"}}"#,
        );
        assert_eq!(
            direct.message,
            "the listed system labels match the node; not listed, so not judged: kubernetes.io/os, node-role.kubernetes.io/control-plane"
        );
        let absent = judge(r#"{"name": "n"}"#);
        assert_eq!(absent.status.as_str(), "skip");
    }
}
