//! `kubectl` against one cluster: `kubectl get nodes -o json` (a NodeList,
//! the format `docs/spec/inventory.md` embeds as a cluster's `nodeList`)
//! and `kubectl version -o json` (the API server's own version:
//! `kubernetes/kubernetes:staging/src/k8s.io/kubectl/pkg/cmd/version/version.go`,
//! `{"clientVersion": {...}, "serverVersion": {"gitVersion": "v1.28.5", ...}}`).

use serde_json::Value;

use super::reader::{field, Parsed, Reader};
use super::written::{self, ListedNode, NodeInfo, NodeMetadata, TextMap};
use crate::base::version::KubeVersion;
use crate::input::{InputError, JsonPath};

/// The NodeList as the inventory carries it, and what collect compares.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeList {
    /// Only what akspol reads of each Node (kind, name, labels, annotations,
    /// `status.nodeInfo`): addresses, conditions, images and managed fields
    /// stay out of the inventory.
    pub list: written::NodeList,
    pub nodes: Vec<NodeFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeFacts {
    pub name: String,
    pub control_plane: bool,
    pub kubelet_version: Option<String>,
}

const CONTROL_PLANE_LABELS: [&str; 2] = [
    "node-role.kubernetes.io/control-plane",
    "node-role.kubernetes.io/master",
];

/// `kubectl get nodes -o json`. Nodes that the inventory would refuse
/// (no name, a name twice, a version that is not one) are problems: the
/// node, or the field, is left out.
pub fn nodes(origin: &str, text: &str) -> Result<Parsed<NodeList>, InputError> {
    let mut r = Reader::new(origin, text);
    let root = JsonPath::root();
    let document = r.document()?.ok_or_else(|| {
        InputError::file(
            origin,
            "empty: expected the output of `kubectl get nodes -o json`",
        )
    })?;
    let kind = field(&document, "kind").and_then(|k| k.1.as_str());
    if !matches!(kind, Some("List" | "NodeList")) {
        return Err(r.fail(
            root.key("kind"),
            "expected the output of `kubectl get nodes -o json`: an object with kind List or NodeList",
        ));
    }
    let Some((items_key, Value::Array(items))) = field(&document, "items") else {
        return Err(r.fail(root.key("items"), "expected an `items` array of Nodes"));
    };
    let mut kept = Vec::new();
    let mut nodes: Vec<NodeFacts> = Vec::new();
    // Node names seen: a second node of one name is left out.
    let mut names = std::collections::HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let at = root.key(items_key).index(i);
        if field(item, "kind")
            .and_then(|k| k.1.as_str())
            .is_some_and(|k| k != "Node")
        {
            continue;
        }
        let metadata = r.object(item, &at, "metadata");
        let Some((meta_at, metadata)) = metadata else {
            r.problem(
                at.key("metadata"),
                "missing: every Node has metadata.name; left out",
            );
            continue;
        };
        let Some(name) = r.required_name(metadata, &meta_at, "name") else {
            continue;
        };
        if !names.insert(name.clone()) {
            r.problem(
                meta_at.key("name"),
                format!("a second node named `{name}`; left out"),
            );
            continue;
        }
        let labels = string_map(&mut r, metadata, &meta_at, "labels");
        let annotations = string_map(&mut r, metadata, &meta_at, "annotations");
        let info = node_info(&mut r, item, &at);
        let control_plane = labels
            .as_ref()
            .is_some_and(|l| CONTROL_PLANE_LABELS.iter().any(|k| l.contains_key(*k)));
        nodes.push(NodeFacts {
            kubelet_version: info.kubelet_version.clone(),
            control_plane,
            name: name.clone(),
        });
        let metadata = NodeMetadata {
            name,
            labels,
            annotations,
        };
        kept.push(ListedNode::new(metadata, info));
    }
    Ok(r.finish(NodeList {
        list: written::NodeList::new(kept),
        nodes,
    }))
}

/// `status.nodeInfo`: what akspol keeps of it. An empty or unreadable
/// Kubernetes version is left out (a problem, unless empty: kubectl prints
/// an empty kube-proxy version on clusters without one).
fn node_info(r: &mut Reader, item: &Value, at: &JsonPath) -> NodeInfo {
    let mut info = NodeInfo::default();
    let Some((info_at, node_info)) = r
        .object(item, at, "status")
        .and_then(|(status_at, status)| r.object(status, &status_at, "nodeInfo"))
    else {
        return info;
    };
    let slots = [
        ("kubeletVersion", &mut info.kubelet_version),
        ("kubeProxyVersion", &mut info.kube_proxy_version),
        ("operatingSystem", &mut info.operating_system),
        ("osImage", &mut info.os_image),
        ("kernelVersion", &mut info.kernel_version),
        (
            "containerRuntimeVersion",
            &mut info.container_runtime_version,
        ),
    ];
    for (key, slot) in slots {
        let Some(value) = r.text(node_info, &info_at, key) else {
            continue;
        };
        let is_version = key.ends_with("Version") && key.starts_with("kube");
        if is_version && value.is_empty() {
            continue;
        }
        if is_version && KubeVersion::parse(&value).is_err() {
            r.problem(
                info_at.key(key),
                format!(
                    "`{}` is not a Kubernetes version (MAJOR.MINOR.PATCH, e.g. v1.28.5)",
                    crate::base::sanitize::excerpt(&value)
                ),
            );
            continue;
        }
        *slot = Some(value);
    }
    info
}

/// Labels or annotations: string values only (the inventory's maps hold text).
fn string_map(r: &mut Reader, metadata: &Value, at: &JsonPath, key: &str) -> Option<TextMap> {
    let (at, map) = r.object(metadata, at, key)?;
    let mut out = TextMap::new();
    for (k, v) in map.as_object().into_iter().flatten() {
        match v {
            Value::String(text) => {
                out.insert(k.clone(), text.clone());
            }
            _ => r.problem(at.key(k), "expected a text value; left out"),
        }
    }
    Some(out)
}

/// `kubectl version -o json`: the API server's `serverVersion.gitVersion`.
pub fn server_version(origin: &str, text: &str) -> Result<String, InputError> {
    let mut r = Reader::new(origin, text);
    let root = JsonPath::root();
    let document = r.document()?.ok_or_else(|| {
        InputError::file(
            origin,
            "empty: expected the output of `kubectl version -o json`",
        )
    })?;
    let Some((at, server)) = r.object(&document, &root, "serverVersion") else {
        return Err(r.fail(
            root.key("serverVersion"),
            "no serverVersion: kubectl did not reach the API server when this was saved",
        ));
    };
    match r.text(server, &at, "gitVersion") {
        Some(version) if KubeVersion::parse(&version).is_ok() => Ok(version),
        Some(version) => Err(r.fail(
            at.key("gitVersion"),
            format!(
                "`{}` is not a Kubernetes version",
                crate::base::sanitize::excerpt(&version)
            ),
        )),
        None => Err(r.fail(
            at.key("gitVersion"),
            "missing: expected the API server's version",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_akspol_reads_of_each_node() {
        // The shape of fixtures/nodelist/kubectl.json (kubectl get nodes -o json).
        let text = r#"{"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": [
          {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "moc-ld8m2h02ctd", "uid": "x", "labels": {"kubernetes.io/hostname": "moc-ld8m2h02ctd", "node-role.kubernetes.io/control-plane": ""}, "annotations": {"node.alpha.kubernetes.io/ttl": "0"}},
           "spec": {"podCIDR": "10.244.0.0/24"},
           "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.5"}], "nodeInfo": {"kubeletVersion": "v1.28.5", "kubeProxyVersion": "v1.28.5", "operatingSystem": "linux", "osImage": "CBL-Mariner/Linux", "kernelVersion": "5.15.153.1-2.cm2", "containerRuntimeVersion": "containerd://1.6.26", "machineID": "m"}}},
          {"kind": "Node", "metadata": {"name": "moc-w1", "labels": {"bad": 1}}, "status": {"nodeInfo": {"kubeletVersion": "latest", "kubeProxyVersion": ""}}},
          {"kind": "Node", "metadata": {"name": "moc-w1"}},
          {"kind": "Pod", "metadata": {"name": "p"}}
        ]}"#;
        let parsed = nodes("n.json", text).unwrap();
        assert_eq!(
            parsed.value.nodes,
            vec![
                NodeFacts {
                    name: "moc-ld8m2h02ctd".into(),
                    control_plane: true,
                    kubelet_version: Some("v1.28.5".into())
                },
                NodeFacts {
                    name: "moc-w1".into(),
                    control_plane: false,
                    kubelet_version: None
                },
            ]
        );
        let list = serde_json::to_string(&parsed.value.list).unwrap();
        assert!(
            !list.contains("10.0.0.5") && !list.contains("machineID") && !list.contains("podCIDR")
        );
        assert!(list.contains("containerd://1.6.26"));
        assert_eq!(parsed.problems.len(), 3, "{:?}", parsed.problems);
        assert!(parsed.problems[0].contains("labels.bad: expected a text value"));
        assert!(parsed.problems[1].contains("kubeletVersion: `latest` is not a Kubernetes version"));
        assert!(parsed.problems[2].contains("a second node named `moc-w1`"));
    }

    #[test]
    fn refuses_what_is_not_a_node_list() {
        assert!(nodes("n.json", r#"{"kind": "Pod"}"#)
            .unwrap_err()
            .to_string()
            .contains("kind List or NodeList"));
        assert!(nodes("n.json", r#"{"kind": "List", "items": {}}"#).is_err());
        assert!(nodes("n.json", "").is_err());
    }

    #[test]
    fn server_version_is_the_api_servers() {
        let text = r#"{"clientVersion": {"gitVersion": "v1.30.1"}, "kustomizeVersion": "v5.0.4", "serverVersion": {"major": "1", "minor": "28", "gitVersion": "v1.28.5"}}"#;
        assert_eq!(server_version("v.json", text).unwrap(), "v1.28.5");
        let client_only = r#"{"clientVersion": {"gitVersion": "v1.30.1"}}"#;
        assert!(server_version("v.json", client_only)
            .unwrap_err()
            .to_string()
            .contains("did not reach the API server"));
    }
}
