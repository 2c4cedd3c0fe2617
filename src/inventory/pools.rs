//! Which of its cluster's node pools (`nodePools`, as Azure describes them)
//! a node belongs to: the pool its `nodePool` names, else the pool its
//! `msft.microsoft/nodepool-name` label names. AKS Arc sets that label on
//! every node as `<cluster>-<random>-<pool>` (`data/sources/inputs.md`,
//! section 3), and a pool's name has no `-` (`^[a-z][a-z0-9]{2,11}$`), so the
//! pool is what follows the last `-`. A node joined to its pool is judged by
//! what the pool says of it (its `osSku`) where the node does not say it.

use std::collections::HashMap;

use super::model::{Node, NodePool};

/// The label AKS Arc sets on each node of a node pool.
pub const NODE_POOL_LABEL: &str = "msft.microsoft/nodepool-name";

/// The node pool a `msft.microsoft/nodepool-name` value names.
pub fn pool_in_label(value: &str) -> Option<&str> {
    value
        .rsplit_once('-')
        .map(|(_, pool)| pool)
        .filter(|pool| !pool.is_empty())
}

/// The pool a node's label names, if it has the label.
pub fn labelled_pool(node: &Node) -> Option<&str> {
    node.labels
        .as_ref()
        .and_then(|labels| labels.get(NODE_POOL_LABEL))
        .and_then(pool_in_label)
}

/// Joins each node to the pool it belongs to ([`Node::pool`]); a node
/// joined by its label gets the pool's name as its `nodePool`.
pub(super) fn join(nodes: &mut [Node], pools: &[NodePool]) {
    if pools.is_empty() {
        return;
    }
    // Names are unique within a cluster (a duplicate is an input error):
    // found by name, not by a scan of every pool for every node.
    let mut by_name: HashMap<&str, usize> = HashMap::with_capacity(pools.len());
    for (i, pool) in pools.iter().enumerate() {
        by_name.entry(pool.name.as_str()).or_insert(i);
    }
    for node in nodes {
        let named = match node.node_pool.as_deref() {
            Some(given) => by_name.get(given).copied(),
            None => labelled_pool(node).and_then(|p| by_name.get(p).copied()),
        };
        let Some((i, pool)) = named.and_then(|i| Some((i, pools.get(i)?))) else {
            continue;
        };
        node.pool = Some(i);
        if node.node_pool.is_none() {
            node.node_pool = Some(pool.name.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_is_what_follows_the_last_dash() {
        // The values inputs.md shows: a real one and the documented format.
        assert_eq!(pool_in_label("pdx-aks-ead6c2bf-pdxgpu"), Some("pdxgpu"));
        assert_eq!(pool_in_label("c-r-nodepool1"), Some("nodepool1"));
        assert_eq!(pool_in_label("nodash"), None);
        assert_eq!(pool_in_label("trailing-"), None);
    }
}
