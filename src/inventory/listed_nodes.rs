//! The nodes of a `nodeList`: each item kubectl listed (as `nodelist` read
//! it) made the node the inventory would have said, or the problem of an
//! item that is no node akspol can use.

use super::model::{NodeOs, NodeRole};
use super::nodelist::{ListedItem, RawNodeList};
use super::raw::RawNode;
use crate::input::{JsonPath, Problem};

const CONTROL_PLANE_LABELS: [&str; 2] = [
    "node-role.kubernetes.io/control-plane",
    "node-role.kubernetes.io/master",
];

/// The nodes in a NodeList, each with its index in `items` (or the problem
/// of an item that is no node akspol can use), one at a time: a list of a
/// million items is not copied into a second list before it is resolved.
pub fn read<'a>(
    list: RawNodeList,
    at: &'a JsonPath,
    problems: &mut Vec<Problem>,
) -> impl Iterator<Item = Result<(usize, RawNode), Problem>> + 'a {
    let items = match list.items {
        None => {
            problems.push(Problem::at(
                at.clone(),
                "expected the output of `kubectl get nodes -o json`: an object with kind List or NodeList and an `items` array",
            ));
            Vec::new()
        }
        Some(_) if !matches!(list.kind.as_deref(), Some("List" | "NodeList")) => {
            problems.push(Problem::at(
                at.key("kind"),
                "expected kind `List` or `NodeList`",
            ));
            Vec::new()
        }
        Some(items) => items,
    };
    items
        .into_iter()
        .enumerate()
        // A List may hold other kinds; only Nodes are nodes.
        .filter(|(_, item)| item.kind.as_deref().is_none_or(|k| k == "Node"))
        .map(move |(i, item)| node(i, item, at))
}

fn node(i: usize, item: ListedItem, at: &JsonPath) -> Result<(usize, RawNode), Problem> {
    let Some(name) = item.name else {
        return Err(Problem::at(
            at.key("items").index(i).key("metadata").key("name"),
            "missing: every Node needs metadata.name",
        ));
    };
    let role = item.labels.as_ref().map(|l| {
        if CONTROL_PLANE_LABELS.iter().any(|k| l.contains_key(k)) {
            NodeRole::ControlPlane
        } else {
            NodeRole::Worker
        }
    });
    let os = match item.operating_system.as_deref() {
        Some("linux") => Some(NodeOs::Linux),
        Some("windows") => Some(NodeOs::Windows),
        _ => None,
    };
    Ok((
        i,
        RawNode {
            name,
            role: role.or(Some(NodeRole::Worker)),
            os,
            kubelet_version: item.kubelet_version,
            kube_proxy_version: item.kube_proxy_version.filter(|v| !v.is_empty()),
            os_image: item.os_image.filter(|v| !v.is_empty()),
            labels: item.labels,
            annotations: item.annotations,
            ..RawNode::default()
        },
    ))
}
