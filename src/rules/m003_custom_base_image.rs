use super::{declare_rule, Check, Context, Outcome, RuleScope};
use crate::base::sanitize::clean;
use crate::inventory::{Cluster, Node};

declare_rule! {
    /// Nodes must run an OS image the product published, not a custom base image.
    ///
    /// ## What it checks
    /// That a node runs an OS image AKS hybrid published: it fails when
    /// `image.published` is `false`, i.e. the node was built from a custom base
    /// image.
    ///
    /// ## Why
    /// Agent nodes are deployed from the product's own OS image, which carries
    /// the monitoring and networking agents and the Kubernetes components the
    /// product manages and patches. The policy does not allow changing the base
    /// OS image; a node built from another image is outside what Microsoft
    /// supports.
    ///
    /// ## How to fix
    /// Replace the node with one deployed by the product from a published image:
    /// scale the node pool down and up, or create a new node pool and move the
    /// workloads. Put node customizations in a daemon set instead of an image.
    ///
    /// ## Policy
    /// User customization of agent nodes (changing the base OS image).
    pub static RULE = {
        code: M003,
        name: "custom-base-image",
        scope: RuleScope::Node,
        worst: Fail,
        needs: ["clusters[].nodes[].image.published"],
        remedy: Revert,
        check: Check::Node(check),
    };
}

fn check(_ctx: &Context, _cluster: &Cluster, node: &Node) -> Outcome {
    let Some((image, published)) = node
        .image
        .as_ref()
        .and_then(|i| i.published.map(|p| (i, p)))
    else {
        return Outcome::not_in_inventory("image.published");
    };
    let version = image
        .version
        .as_deref()
        .map(|v| format!(" {}", clean(v)))
        .unwrap_or_default();
    let outcome = if published {
        Outcome::pass(format!("image{version} is published by AKS hybrid"))
    } else {
        Outcome::fail(format!(
            "image{version} is not one AKS hybrid published: a custom base image"
        ))
    };
    outcome
        .with("published", published)
        .with("imageVersion", image.version.clone())
}
