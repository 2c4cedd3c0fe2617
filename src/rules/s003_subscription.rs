use super::{declare_rule, Check, Context, Deadline, Outcome, RuleScope};
use crate::base::dates::{add_days, days_between};
use crate::inventory::SubscriptionState;

declare_rule! {
    /// A suspended or deleted Azure subscription puts the deployment out of support after 60 days.
    ///
    /// ## What it checks
    /// The state of the Azure subscription the deployment is registered to. An
    /// `Active` subscription passes. A `Suspended` or `Deleted` one is a warning
    /// for up to 60 days after it entered that state (`subscription.since`), with
    /// the first day out of support as its deadline, and fails after that. The
    /// limit is the policy parameter `subscriptionGraceDays`.
    ///
    /// ## Why
    /// AKS hybrid is billed and managed through an Azure subscription. When that
    /// subscription is suspended or deleted, the policy gives the deployment's
    /// clusters a grace period, after which they are out of support.
    ///
    /// ## How to fix
    /// Reactivate the subscription (resolve the billing or account issue in the
    /// Azure portal), or register the deployment to an active subscription,
    /// before the deadline.
    ///
    /// ## Policy
    /// Stopped or disconnected clusters (suspended or deleted subscription).
    pub static RULE = {
        code: S003,
        name: "subscription",
        scope: RuleScope::Deployment,
        worst: Fail,
        parameters: ["subscriptionGraceDays"],
        needs: ["deployment.subscription"],
        remedy: Restore,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(subscription) = &ctx.inventory.deployment.subscription else {
        return Outcome::not_in_inventory("subscription");
    };
    let state = subscription.state;
    if state == SubscriptionState::Active {
        return Outcome::pass("the subscription is Active").with("state", state.as_str());
    }
    let Some(since) = subscription.since else {
        return Outcome::not_in_inventory("subscription.since");
    };
    let grace = ctx.policy.subscription_grace_days;
    let days = days_between(since, ctx.as_of);
    let outcome = if days < 0 {
        Outcome::unknown(format!(
            "{state} since {since}, after the evaluation date {}",
            ctx.as_of
        ))
    } else if days > grace {
        Outcome::fail(format!(
            "the subscription has been {state} for {days} days since {since} (more than {grace}): the deployment's clusters are out of support"
        ))
    } else {
        Outcome::warn(format!(
            "the subscription has been {state} for {days} days since {since}; out of support after {grace} days"
        ))
        .deadline(Some(Deadline::new(
            add_days(since, grace + 1),
            false,
            super::Status::Fail,
            format!("{state} more than {grace} days: the clusters leave support"),
        )))
    };
    outcome
        .with("state", state.as_str())
        .with("since", since)
        .with("days", days)
        .with("subscriptionGraceDays", grace)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{inventory, one, status_and_deadline};
    use super::*;

    fn judge(subscription: &str, as_of: &str) -> Outcome {
        one(
            &RULE,
            &inventory(&format!(r#""subscription": {subscription}"#), "[]"),
            as_of,
        )
    }

    #[test]
    fn boundary_at_60_days() {
        let suspended = r#"{"state": "Suspended", "since": "2026-01-01"}"#;
        let deadline = Some("2026-03-03".to_string()); // day 61
        assert_eq!(
            status_and_deadline(&judge(suspended, "2026-01-01")),
            ("warn", deadline.clone())
        );
        // 2026-03-02 is day 60; 2026-03-03 day 61.
        assert_eq!(
            status_and_deadline(&judge(suspended, "2026-03-02")),
            ("warn", deadline)
        );
        assert_eq!(
            status_and_deadline(&judge(suspended, "2026-03-03")),
            ("fail", None)
        );
        let deleted = r#"{"state": "Deleted", "since": "2026-01-01"}"#;
        assert_eq!(judge(deleted, "2026-03-03").status.as_str(), "fail");
    }

    #[test]
    fn active_passes_absent_skips() {
        assert_eq!(
            judge(r#"{"state": "Active"}"#, "2026-01-01")
                .status
                .as_str(),
            "pass"
        );
        assert_eq!(
            one(&RULE, &inventory("", "[]"), "2026-01-01")
                .status
                .as_str(),
            "skip"
        );
    }
}
