//! `nodeList`: the verbatim output of `kubectl get nodes -o json`, read
//! leniently. Only the fields akspol needs are taken; everything else kubectl
//! prints (spec, conditions, addresses, capacity, ...) is ignored.

use serde_json::Value;

use super::labels::LabelMap;
use super::model::{NodeOs, NodeRole};
use super::raw::RawNode;
use crate::input::{JsonPath, Problem};

const CONTROL_PLANE_LABELS: [&str; 2] = [
    "node-role.kubernetes.io/control-plane",
    "node-role.kubernetes.io/master",
];

/// The nodes in a NodeList, each with the path of its item.
pub fn read(list: &Value, at: &JsonPath, problems: &mut Vec<Problem>) -> Vec<(JsonPath, RawNode)> {
    let kind = list.get("kind").and_then(Value::as_str);
    let Some(items) = list.get("items").and_then(Value::as_array) else {
        problems.push(Problem::at(
            at.clone(),
            "expected the output of `kubectl get nodes -o json`: an object with kind List or NodeList and an `items` array",
        ));
        return Vec::new();
    };
    if !matches!(kind, Some("List" | "NodeList")) {
        problems.push(Problem::at(
            at.key("kind"),
            "expected kind `List` or `NodeList`",
        ));
        return Vec::new();
    }
    let mut nodes = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item_at = at.key("items").index(i);
        if item
            .get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| k != "Node")
        {
            continue; // a List may hold other kinds; only Nodes are nodes
        }
        let metadata = item.get("metadata");
        let Some(name) = metadata.and_then(|m| m.get("name")).and_then(Value::as_str) else {
            problems.push(Problem::at(
                item_at.key("metadata").key("name"),
                "missing: every Node needs metadata.name",
            ));
            continue;
        };
        let labels = string_map(metadata.and_then(|m| m.get("labels")));
        let annotations = string_map(metadata.and_then(|m| m.get("annotations")));
        let info = item.get("status").and_then(|s| s.get("nodeInfo"));
        let text = |key: &str| {
            info.and_then(|i| i.get(key))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let role = labels.as_ref().map(|l| {
            if CONTROL_PLANE_LABELS.iter().any(|k| l.contains_key(k)) {
                NodeRole::ControlPlane
            } else {
                NodeRole::Worker
            }
        });
        let os = match text("operatingSystem").as_deref() {
            Some("linux") => Some(NodeOs::Linux),
            Some("windows") => Some(NodeOs::Windows),
            _ => None,
        };
        nodes.push((
            item_at.clone(),
            RawNode {
                name: name.to_string(),
                role: role.or(Some(NodeRole::Worker)),
                os,
                kubelet_version: text("kubeletVersion"),
                kube_proxy_version: text("kubeProxyVersion").filter(|v| !v.is_empty()),
                os_image: text("osImage").filter(|v| !v.is_empty()),
                labels,
                annotations,
                ..RawNode::default()
            },
        ));
    }
    nodes
}

fn string_map(value: Option<&Value>) -> Option<LabelMap> {
    let object = value?.as_object()?;
    Some(
        object
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s)))
            .collect(),
    )
}
