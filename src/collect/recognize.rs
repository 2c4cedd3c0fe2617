//! What a file of a folder of saved outputs is by its content, whatever its
//! name: a customer who saves `Get-AksHciCluster` as `clusters.json`, or
//! kubectl's nodes as `akswc1-nodes.json`, is told the name to give it, and
//! a folder holding only such files is never read as inventories. Each
//! output is known by the keys its documented shape has and no other
//! output's has (`data/sources/inputs.md`; keys in any case, as PowerShell
//! writes them).

use serde_json::Value;

use super::bundle::Source;
use super::reader::field;

/// What a file's content is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recognized {
    /// The output of a command collect reads; a per-cluster one names the
    /// cluster its content or its file's name gives, else `<cluster>`.
    Output(Source),
    /// An akspol inventory (or a stream of them, or a not-collected record).
    Inventory,
    /// A page of an `az graph query` answer (`collect --resource-graph --from`).
    ResourceGraph,
    Unknown,
}

/// The placeholder of a cluster name neither the content nor the name gives.
pub const SOME_CLUSTER: &str = "<cluster>";

impl Recognized {
    /// Whether it is about clusters: a deployment judged with none while
    /// such a file went unread is said.
    pub fn names_clusters(&self) -> bool {
        matches!(
            self,
            Recognized::Output(
                Source::AksHciCluster
                    | Source::AksHciNodePool
                    | Source::AksHciClusterUpdates(_)
                    | Source::AksArcList
                    | Source::AksArcShow(_)
                    | Source::AksArcNodePoolList(_)
                    | Source::KubectlVersion(_)
                    | Source::KubectlGetNodes(_)
            )
        )
    }
}

/// What the text of a file named `name` is.
pub fn recognize(name: &str, text: &str) -> Recognized {
    let trimmed = text.trim_start_matches(['\u{FEFF}', ' ', '\t', '\r', '\n']);
    if !trimmed.starts_with(['{', '[']) {
        return if is_release_line(trimmed) {
            Recognized::Output(Source::AksHciVersion)
        } else {
            Recognized::Unknown
        };
    }
    // An NDJSON stream of inventories: its first line is one.
    let first_line = trimmed.lines().next().unwrap_or_default();
    let document = serde_json::from_str::<Value>(trimmed)
        .or_else(|_| serde_json::from_str::<Value>(first_line));
    let Ok(document) = document else {
        return Recognized::Unknown;
    };
    of_document(name, &document)
}

fn of_document(name: &str, document: &Value) -> Recognized {
    if let Some(map) = document.as_object() {
        if map.contains_key("schemaVersion")
            && (map.contains_key("deployment") || map.contains_key("notCollected"))
        {
            return Recognized::Inventory;
        }
        let has = |key: &str| field(document, key).is_some();
        if has("data") && (has("skip_token") || has("total_records") || has("$skipToken")) {
            return Recognized::ResourceGraph;
        }
        if has("serverVersion") || has("clientVersion") {
            return Recognized::Output(Source::KubectlVersion(cluster_of_name(name)));
        }
        if is_node_list(document) {
            return Recognized::Output(Source::KubectlGetNodes(cluster_of_name(name)));
        }
    }
    let (first, many) = first_object(document);
    let Some(first) = first else {
        return Recognized::Unknown;
    };
    let has = |key: &str| field(first, key).is_some();
    if has("AksHci") && (has("Moc") || has("Kva")) {
        return Recognized::Output(Source::AksHciConfig);
    }
    if has("OrchestratorVersion") {
        return Recognized::Output(Source::AksHciKubernetesVersion);
    }
    if has("ClusterName") && has("NodePoolName") {
        return Recognized::Output(Source::AksHciNodePool);
    }
    if has("ControlPlaneNodeCount") || has("LinuxNodeCount") || has("WindowsNodeCount") {
        return Recognized::Output(Source::AksHciCluster);
    }
    if has("kubernetesversion") && has("operatingsystemversion") {
        return Recognized::Output(Source::AksHciClusterUpdates(cluster_of_name(name)));
    }
    let id = field(first, "id")
        .and_then(|(_, v)| v.as_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if id.contains("/microsoft.hybridcontainerservice/") {
        let cluster = connected_cluster(&id).unwrap_or_else(|| cluster_of_name(name));
        if id.contains("/agentpools/") {
            return Recognized::Output(Source::AksArcNodePoolList(cluster));
        }
        if id.contains("/kubernetesversions/") {
            return Recognized::Output(Source::AksArcGetVersions);
        }
        if id.contains("/provisionedclusterinstances/") {
            return Recognized::Output(if many {
                Source::AksArcList
            } else {
                Source::AksArcShow(cluster)
            });
        }
    }
    Recognized::Unknown
}

/// The object a list's first element is (or the object itself), and
/// whether it came from a list; PowerShell 5.1's `{"value": [...],
/// "Count": n}` is a list.
fn first_object(document: &Value) -> (Option<&Value>, bool) {
    let list = match document {
        Value::Array(items) => Some(items),
        Value::Object(_) => match field(document, "value") {
            Some((_, Value::Array(items))) if field(document, "Count").is_some() => Some(items),
            _ => None,
        },
        _ => None,
    };
    match list {
        Some(items) => (items.iter().find(|i| i.is_object()), true),
        None => (document.is_object().then_some(document), false),
    }
}

/// `kubectl get nodes -o json`: a `List` (or `NodeList`) of `Node`s.
fn is_node_list(document: &Value) -> bool {
    let kind = |v: &Value| {
        field(v, "kind")
            .and_then(|(_, k)| k.as_str())
            .map(str::to_string)
    };
    let Some((_, Value::Array(items))) = field(document, "items") else {
        return false;
    };
    kind(document).as_deref() == Some("NodeList")
        || items
            .iter()
            .any(|item| kind(item).as_deref() == Some("Node"))
}

/// `1.0.24.11029`, alone on its line (what `Get-AksHciVersion` prints).
fn is_release_line(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let (Some(line), None) = (lines.next(), lines.next()) else {
        return false;
    };
    let parts: Vec<&str> = line.trim_matches('"').split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 6 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The cluster an AKS Arc id names: `.../connectedClusters/<name>/...`
/// (lower-cased, as ids are compared).
fn connected_cluster(id: &str) -> Option<String> {
    let (_, rest) = id.split_once("/connectedclusters/")?;
    let name = rest.split('/').next()?;
    (!name.is_empty()).then(|| name.to_string())
}

/// Words of a file name that name the command, not the cluster.
const COMMAND_WORDS: [&str; 14] = [
    "kubectl",
    "get",
    "nodes",
    "node",
    "version",
    "versions",
    "output",
    "o",
    "json",
    "get-akshciclusterupdates",
    "akshciclusterupdates",
    "clusterupdates",
    "updates",
    "upgrades",
];

/// The cluster a file's name gives once the command's words are taken out
/// (`akswc1-nodes.json`: `akswc1`), else [`SOME_CLUSTER`].
fn cluster_of_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    let words: Vec<&str> = stem
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .filter(|w| !COMMAND_WORDS.iter().any(|c| c.eq_ignore_ascii_case(w)))
        .collect();
    let cluster = words.join("-");
    let plausible = cluster.len() <= 63
        && cluster
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if cluster.is_empty() || !plausible {
        SOME_CLUSTER.to_string()
    } else {
        cluster
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> String {
        let bytes = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/collect")
                .join(path),
        )
        .unwrap_or_default();
        crate::input::decode(path, bytes).unwrap_or_default()
    }

    /// Every documented output of the fixtures is known by its content,
    /// under any name.
    #[test]
    fn every_fixture_output_is_known_by_its_content() {
        for (path, expected) in [
            ("akshci-host/Get-AksHciVersion.txt", Source::AksHciVersion),
            ("akshci-host/Get-AksHciConfig.json", Source::AksHciConfig),
            ("akshci-host/Get-AksHciCluster.json", Source::AksHciCluster),
            (
                "akshci-host/Get-AksHciNodePool.json",
                Source::AksHciNodePool,
            ),
            (
                "akshci-host/Get-AksHciKubernetesVersion.json",
                Source::AksHciKubernetesVersion,
            ),
            (
                "akshci-host/Get-AksHciClusterUpdates-akswc2.json",
                Source::AksHciClusterUpdates(SOME_CLUSTER.into()),
            ),
            (
                "akshci-host/kubectl-get-nodes-akswc1.json",
                Source::KubectlGetNodes(SOME_CLUSTER.into()),
            ),
            (
                "akshci-host/kubectl-version-akswc1.json",
                Source::KubectlVersion(SOME_CLUSTER.into()),
            ),
            (
                "azure-local/az-aksarc-show-aksarc-prod.json",
                Source::AksArcShow("aksarc-prod".into()),
            ),
            (
                "azure-local/az-aksarc-nodepool-list-aksarc-prod.json",
                Source::AksArcNodePoolList("aksarc-prod".into()),
            ),
            (
                "azure-local/az-aksarc-get-versions.json",
                Source::AksArcGetVersions,
            ),
        ] {
            let text = fixture(path);
            assert!(!text.is_empty(), "{path}");
            assert_eq!(
                recognize("output.json", &text),
                Recognized::Output(expected),
                "{path}"
            );
        }
        let show = fixture("azure-local/az-aksarc-show-aksarc-prod.json");
        assert_eq!(
            recognize("x.json", &format!("[{show}]")),
            Recognized::Output(Source::AksArcList)
        );
    }

    #[test]
    fn a_cluster_is_taken_from_the_name_without_the_command_words() {
        assert_eq!(cluster_of_name("akswc1-nodes.json"), "akswc1");
        assert_eq!(cluster_of_name("nodes_prod-east.json"), "prod-east");
        assert_eq!(cluster_of_name("kubectl get nodes.json"), SOME_CLUSTER);
        assert_eq!(cluster_of_name("x/y/akswc2-version.json"), "akswc2");
        assert_eq!(cluster_of_name("a$b-nodes.json"), SOME_CLUSTER);
    }

    #[test]
    fn inventories_and_other_files_are_not_outputs() {
        let inventory =
            r#"{"schemaVersion": 1, "deployment": {"name": "d", "version": "1.0.24.11029"}}"#;
        assert_eq!(recognize("a.json", inventory), Recognized::Inventory);
        let stream = format!("{inventory}\n{inventory}\n");
        assert_eq!(recognize("a.ndjson", &stream), Recognized::Inventory);
        assert_eq!(
            recognize("p.json", r#"{"count": 1, "data": [], "skip_token": null}"#),
            Recognized::ResourceGraph
        );
        for unknown in ["", "notes", "{", "[]", "{}", "[1, 2]", "1.0.24", "a.b.c.d"] {
            assert_eq!(
                recognize("n.txt", unknown),
                Recognized::Unknown,
                "{unknown}"
            );
        }
    }
}
