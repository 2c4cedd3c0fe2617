use super::{declare_rule, not_stated, Check, Context, Deadline, Outcome, RuleScope};
use crate::base::dates::{add_days, days_between};
use crate::base::sanitize::clean;
use crate::inventory::{Cluster, Node};

declare_rule! {
    /// A node's OS image should be at most 60 days old: nodes are not patched for you.
    ///
    /// ## What it checks
    /// How old a node's OS image is: the days from the image's publication
    /// (`image.released`) to the evaluation date. Up to 60 days it passes, with
    /// the day it becomes too old as its deadline; older is a warning. The limit
    /// is the policy parameter `nodeImageMaxAgeDays`, akspol's own: the policy
    /// names no number, but new images come out monthly.
    ///
    /// ## Why
    /// Microsoft publishes patched node images every month but does not apply
    /// them for you: keeping agent nodes patched is the customer's job, through a
    /// regular upgrade schedule or automation. A node image two monthly releases
    /// behind is missing security fixes.
    ///
    /// ## How to fix
    /// Upgrade the node pool to the current image (`Update-AksHciCluster`, or
    /// the equivalent for your version), and schedule upgrades so nodes never
    /// fall more than a release behind.
    ///
    /// ## Policy
    /// Customer responsibilities for AKS hybrid agent nodes.
    pub static RULE = {
        code: C003,
        name: "node-image-age",
        scope: RuleScope::Node,
        worst: Warn,
        parameters: ["nodeImageMaxAgeDays"],
        needs: ["clusters[].nodes[].image.released"],
        remedy: NodeUpgrade,
        check: Check::Node(check),
    };
}

fn check(ctx: &Context, _cluster: &Cluster, node: &Node) -> Outcome {
    let Some((image, released)) = node.image.as_ref().and_then(|i| i.released.map(|r| (i, r)))
    else {
        return Outcome::not_in_inventory("image.released");
    };
    let Some(limit) = ctx.policy.node_image_max_age_days else {
        return not_stated(ctx, "nodeImageMaxAgeDays");
    };
    let days = days_between(released, ctx.as_of);
    let version = image
        .version
        .as_deref()
        .map(|v| format!("image {} ", clean(v)))
        .unwrap_or_else(|| "image ".to_string());
    let outcome = if days < 0 {
        Outcome::unknown(format!(
            "{version}released on {released}, after the evaluation date {}",
            ctx.as_of
        ))
    } else if days > limit {
        Outcome::warn(format!(
            "{version}is {days} days old (released {released}; more than {limit}): upgrade to a current node image"
        ))
    } else {
        Outcome::pass(format!("{version}is {days} days old (released {released})")).deadline(Some(
            Deadline::new(
                add_days(released, limit + 1),
                false,
                super::Status::Warn,
                format!("the node image gets older than {limit} days"),
            ),
        ))
    };
    outcome
        .with("imageVersion", image.version.clone())
        .with("released", released)
        .with("ageDays", days)
        .with("nodeImageMaxAgeDays", limit)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{inventory, run, status_and_deadline, with_context};
    use super::*;

    fn judge(as_of: &str) -> (String, Outcome) {
        let text = inventory(
            "",
            r#"[{"name": "c", "kubernetesVersion": "1.28.5", "nodes": [{"name": "n", "image": {"released": "2026-01-01"}}]}]"#,
        );
        run(&RULE, &text, as_of).remove(0)
    }

    #[test]
    fn boundary_at_60_days() {
        // Day 60 is 2026-03-02: the node passes (reported in the cluster's pass line).
        let (scope, day_60) = judge("2026-03-02");
        assert_eq!(
            (scope.as_str(), day_60.status.as_str()),
            ("cluster/c", "pass")
        );
        let (scope, day_61) = judge("2026-03-03");
        assert_eq!(scope, "node/c/n");
        assert_eq!(status_and_deadline(&day_61), ("warn", None));
    }

    #[test]
    fn deadline_is_day_61() {
        let text = inventory(
            "",
            r#"[{"name": "c", "kubernetesVersion": "1.28.5", "nodes": [{"name": "n", "image": {"released": "2026-01-01"}}]}]"#,
        );
        let outcome = with_context(&text, "2026-03-02", |ctx| {
            let cluster = &ctx.inventory.clusters()[0];
            check(ctx, cluster, &cluster.nodes[0])
        });
        assert_eq!(
            status_and_deadline(&outcome),
            ("pass", Some("2026-03-03".to_string()))
        );
    }
}
