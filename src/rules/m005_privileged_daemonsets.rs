use super::{declare_rule, Check, Context, Evidence, Outcome, RuleScope};
use crate::base::sanitize::clean;
use crate::inventory::Cluster;

declare_rule! {
    /// Names the privileged daemon sets that change nodes, which support cannot troubleshoot.
    ///
    /// ## What it checks
    /// The privileged daemon sets and init containers that modify a cluster's
    /// nodes (`privilegedDaemonSets`). Listing them is informational: they are
    /// the supported way to tune nodes or install software on them, but what
    /// they change on a node is not covered by support.
    ///
    /// ## Why
    /// The policy recommends privileged daemon sets for node-level changes such
    /// as `sysctl` settings or security agents, and at the same time says that
    /// AKS hybrid engineering and support can't help troubleshoot a node made
    /// unavailable by a custom daemon set. Knowing which ones run tells you, and
    /// support, where to look first when a node breaks.
    ///
    /// ## How to fix
    /// Nothing is required. Keep each daemon set documented, version it, and test
    /// it on a non-production cluster before rolling it out; when a node fails,
    /// check whether removing the daemon set recovers it before opening a case.
    ///
    /// ## Policy
    /// User customization of agent nodes (privileged daemon sets).
    pub static RULE = {
        code: M005,
        name: "privileged-daemonsets",
        scope: RuleScope::Cluster,
        worst: Info,
        needs: ["clusters[].privilegedDaemonSets"],
        remedy: Nothing,
        check: Check::Cluster(check),
    };
}

fn check(_ctx: &Context, cluster: &Cluster) -> Outcome {
    let Some(daemon_sets) = &cluster.privileged_daemon_sets else {
        return Outcome::not_in_inventory("privilegedDaemonSets");
    };
    let evidence: Vec<_> = daemon_sets
        .iter()
        .map(|d| {
            Evidence::new()
                .with("name", d.name.clone())
                .with("namespace", d.namespace.clone())
                .with("coverage", "not-covered")
        })
        .collect();
    if daemon_sets.is_empty() {
        return Outcome::pass("no privileged daemon sets").with("daemonSets", evidence);
    }
    let names: Vec<String> = daemon_sets
        .iter()
        .map(|d| match &d.namespace {
            Some(ns) => format!("{}/{}", clean(ns), clean(&d.name)),
            None => clean(&d.name).into_owned(),
        })
        .collect();
    Outcome::info(format!(
        "{} privileged daemon set{} ({}): allowed, but support can't troubleshoot node failures they cause",
        names.len(),
        if names.len() == 1 { "" } else { "s" },
        names.join(", ")
    ))
    .with("daemonSets", evidence)
}
