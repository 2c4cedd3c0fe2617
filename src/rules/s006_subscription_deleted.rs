use super::{declare_rule, Check, Context, Outcome, RuleScope};
use crate::inventory::SubscriptionState;

declare_rule! {
    /// A deleted Azure subscription means redeploying to reconnect to Azure.
    ///
    /// ## What it checks
    /// Whether the Azure subscription the deployment is registered to was
    /// deleted (`subscription.state`). A deleted subscription is a warning that
    /// names what the edition requires: redeploying AKS Arc (Windows Server) or
    /// Azure Local and AKS Arc (Azure Local). An active or suspended
    /// subscription passes; how long it may stay suspended or deleted is
    /// S003's check.
    ///
    /// ## Why
    /// The 2025 pages: once the subscription is deleted, the cluster's
    /// connection to Azure cannot be recovered, so reinstating is not an option
    /// and the deployment must be redeployed to reconnect; its support ends 60
    /// days after the deletion.
    ///
    /// ## How to fix
    /// Plan the redeployment on an active subscription before the 60 days run
    /// out (S003's deadline): AKS Arc on Windows Server; Azure Local and AKS Arc
    /// on Azure Local. Move workloads off first.
    ///
    /// ## Policy
    /// Deleted or suspended subscription (Support policies for AKS on Windows
    /// Server and AKS on Azure Local, 2025).
    pub static RULE = {
        code: S006,
        name: "subscription-deleted",
        scope: RuleScope::Deployment,
        worst: Warn,
        needs: ["deployment.subscription"],
        remedy: Redeploy,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(subscription) = &ctx.inventory.deployment.subscription else {
        return Outcome::not_in_inventory("subscription");
    };
    let outcome = match subscription.state {
        SubscriptionState::Deleted => {
            let must = ctx
                .edition
                .rule("S006")
                .and_then(|r| r.says.as_deref())
                .unwrap_or("the deployment must be redeployed");
            let since = subscription
                .since
                .map(|d| format!(" on {d}"))
                .unwrap_or_default();
            Outcome::warn(format!(
                "the subscription was deleted{since}: its connection to Azure cannot be recovered; {must}"
            ))
        }
        state => Outcome::pass(format!("the subscription is {state}, not deleted")),
    };
    outcome.with("state", subscription.state.as_str())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{arc_inventory, one};
    use super::*;

    #[test]
    fn a_deleted_subscription_means_redeploying_azure_local_and_aks_arc() {
        let deleted = arc_inventory(
            "2510",
            r#""subscription": {"state": "Deleted", "since": "2026-01-10"}"#,
            "[]",
        );
        let outcome = one(&RULE, &deleted, "2026-02-01");
        assert_eq!(outcome.status.as_str(), "warn");
        assert!(
            outcome
                .message
                .contains("Azure Local and AKS Arc must be redeployed"),
            "{}",
            outcome.message
        );
        let active = arc_inventory("2510", r#""subscription": {"state": "Active"}"#, "[]");
        assert_eq!(one(&RULE, &active, "2026-02-01").status.as_str(), "pass");
    }
}
