use super::{declare_rule, Check, Context, Outcome, RuleScope};
use crate::base::sanitize::clean;
use crate::inventory::{Cluster, Environment};

declare_rule! {
    /// Preview features get best-effort support only and do not belong in production.
    ///
    /// ## What it checks
    /// The AKS hybrid preview features and feature flags enabled on the
    /// deployment (`deployment.previewFeatures`) and on each cluster
    /// (`previewFeatures`). On the deployment and on production clusters they
    /// are a warning; on clusters marked `environment: non-production` they are
    /// informational.
    ///
    /// ## Why
    /// Preview and feature-flag features are prerelease: their APIs and behavior
    /// still change, and they can make clusters unstable. The policy says they
    /// are not meant for production and get best-effort support from the
    /// technical support teams during business hours only. The deployment is
    /// shared by every cluster on it, so a preview feature there counts as
    /// production.
    ///
    /// ## How to fix
    /// Disable preview features on production clusters and the deployment, or
    /// move the workloads that need them to a non-production cluster (and mark
    /// it `environment: non-production` in the inventory). Re-enable the feature
    /// once it is generally available.
    ///
    /// ## Policy
    /// Preview features or feature flags.
    pub static RULE = {
        code: F002,
        name: "preview-features",
        scope: RuleScope::DeploymentAndCluster,
        worst: Warn,
        needs: [
            "deployment.previewFeatures",
            "clusters[].previewFeatures",
            "clusters[].environment",
        ],
        remedy: Configuration,
        check: Check::DeploymentAndCluster(check_deployment, check_cluster),
    };
}

fn names(features: &[String]) -> String {
    features
        .iter()
        .map(|f| clean(f).into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

const CAVEAT: &str = "best-effort support during business hours only; not meant for production";

fn check_deployment(ctx: &Context) -> Outcome {
    let Some(features) = &ctx.inventory.deployment.preview_features else {
        return Outcome::not_in_inventory("deployment.previewFeatures");
    };
    if features.is_empty() {
        return Outcome::pass("no preview features enabled")
            .with("previewFeatures", features.clone());
    }
    Outcome::warn(format!(
        "preview feature(s) enabled on the deployment: {} ({CAVEAT})",
        names(features)
    ))
    .with("previewFeatures", features.clone())
    .with("support", "best-effort")
}

fn check_cluster(_ctx: &Context, cluster: &Cluster) -> Outcome {
    let Some(features) = &cluster.preview_features else {
        return Outcome::not_in_inventory("previewFeatures");
    };
    if features.is_empty() {
        return Outcome::pass("no preview features enabled")
            .with("previewFeatures", features.clone());
    }
    let outcome = match cluster.environment {
        Environment::Production => Outcome::warn(format!(
            "preview feature(s) enabled on a production cluster: {} ({CAVEAT})",
            names(features)
        )),
        Environment::NonProduction => Outcome::info(format!(
            "preview feature(s) enabled on a non-production cluster: {} (best-effort support)",
            names(features)
        )),
    };
    outcome
        .with("previewFeatures", features.clone())
        .with("environment", cluster.environment.as_str())
        .with("support", "best-effort")
}
