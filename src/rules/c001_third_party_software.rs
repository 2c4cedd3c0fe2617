use super::{declare_rule, Check, Context, Evidence, Outcome, RuleScope};
use crate::base::sanitize::clean;
use crate::inventory::{Cluster, Component, ComponentSource};

declare_rule! {
    /// Names the third-party software on a cluster, which support does not cover.
    ///
    /// ## What it checks
    /// The software the operator added to a cluster (`components`) and where it
    /// comes from. Components from Microsoft pass. Third-party open-source
    /// projects (Istio, Envoy, ...) and closed-source products (security
    /// scanners, network appliances, ...) are informational: they do not affect
    /// the cluster's support, but support does not cover them. Each component's
    /// coverage is recorded in the finding's evidence.
    ///
    /// ## Why
    /// Microsoft supports the Kubernetes control plane and the components AKS
    /// hybrid deploys. Third-party open-source projects that are not part of
    /// that are outside support coverage, though Microsoft may give best-effort
    /// help with common ones such as Helm. Third-party closed-source software is
    /// not supported at all. Knowing what runs on a cluster tells you which
    /// problems to take to which vendor or community.
    ///
    /// ## How to fix
    /// Nothing is required. Arrange support for closed-source components with
    /// their vendors and for open-source ones with their communities (or a
    /// commercial distribution), and record who owns each.
    ///
    /// ## Policy
    /// AKS hybrid support coverage.
    pub static RULE = {
        code: C001,
        name: "third-party-software",
        scope: RuleScope::Cluster,
        worst: Info,
        needs: ["clusters[].components"],
        remedy: Nothing,
        check: Check::Cluster(check),
    };
}

/// What support covers for a component: `supported`, `best-effort` (Helm, the
/// policy's example of best-effort help) or `not-covered`.
pub fn coverage(component: &Component) -> &'static str {
    match component.source {
        ComponentSource::Microsoft => "supported",
        ComponentSource::OpenSource if component.name.eq_ignore_ascii_case("helm") => "best-effort",
        ComponentSource::OpenSource | ComponentSource::ClosedSource => "not-covered",
    }
}

fn label(c: &Component) -> String {
    match &c.version {
        Some(v) => format!("{} {}", clean(&c.name), clean(v)),
        None => clean(&c.name).into_owned(),
    }
}

fn check(_ctx: &Context, cluster: &Cluster) -> Outcome {
    let Some(components) = &cluster.components else {
        return Outcome::not_in_inventory("components");
    };
    let evidence: Vec<_> = components
        .iter()
        .map(|c| {
            Evidence::new()
                .with("name", c.name.clone())
                .with("version", c.version.clone())
                .with("source", c.source.as_str())
                .with("coverage", coverage(c))
        })
        .collect();
    let of = |source: ComponentSource| -> Vec<String> {
        components
            .iter()
            .filter(|c| c.source == source)
            .map(|c| match coverage(c) {
                "best-effort" => format!("{} (best effort)", label(c)),
                _ => label(c),
            })
            .collect()
    };
    let open = of(ComponentSource::OpenSource);
    let closed = of(ComponentSource::ClosedSource);
    if open.is_empty() && closed.is_empty() {
        let message = if components.is_empty() {
            "no components added".to_string()
        } else {
            format!(
                "every added component is from Microsoft ({})",
                components.iter().map(label).collect::<Vec<_>>().join(", ")
            )
        };
        return Outcome::pass(message).with("components", evidence);
    }
    let mut parts = Vec::new();
    if !open.is_empty() {
        parts.push(format!(
            "third-party open source, not covered by support: {}",
            open.join(", ")
        ));
    }
    if !closed.is_empty() {
        parts.push(format!(
            "third-party closed source, not supported: {}",
            closed.join(", ")
        ));
    }
    Outcome::info(parts.join("; ")).with("components", evidence)
}
