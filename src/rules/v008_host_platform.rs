use super::{declare_rule, support_ends, Check, Context, Outcome, RuleScope};
use crate::inventory::HostOs;

declare_rule! {
    /// The host must be a platform the policy supports, within its support lifecycle.
    ///
    /// ## What it checks
    /// That the host is a platform the policy edition supports, within its
    /// support lifecycle: for AKS hybrid an Azure Stack HCI version (2022 page
    /// only) or Windows Server 2019 or later in Datacenter edition; for AKS Arc
    /// an Azure Local OS line (23H2 for 10.x and 11.x builds, 24H2 for 12.x).
    /// It warns within 90 days (`platformWarnDays`) of the end of support, and
    /// also fails when AKS hybrid itself has retired from that host (Windows
    /// Server 2019 in March 2026, 2022 in March 2027). A Windows Server host
    /// whose edition the inventory does not give is `unknown`, whatever the
    /// catalog says: the Datacenter requirement is the policy's. An end known
    /// only to the month (23H2 in April 2026, the Windows Server retirements
    /// in March 2026 and March 2027) is some day of that month: a verdict is
    /// given only when it holds on every day of it, with the earliest day it
    /// may change as its deadline (marked `~`), and it is `unknown` between,
    /// naming the days.
    ///
    /// Catalog age: the verdict rests on the host's own lifecycle dates, so
    /// it is given whatever the catalog's age.
    ///
    /// ## Why
    /// AKS hybrid follows the support timeframes of the platform it runs on: it is
    /// not supported on a host version that is itself out of support.
    ///
    /// [h22, ws25] On Windows Server the policy requires 2019 Datacenter or
    /// later.
    ///
    /// [al25] AKS on Azure Local requires Azure Local 23H2 or later.
    ///
    /// ## How to fix
    /// Plan the host upgrade before the deadline: move to a supported Azure Stack
    /// HCI (Azure Local) version, or to a supported Windows Server Datacenter
    /// release. Where AKS hybrid has retired from Windows Server, migrate to AKS on
    /// Azure Local. On Azure Local 23H2, update to 24H2 (11.2510 to 12.2510,
    /// then the monthly 12.x releases).
    ///
    /// ## Policy
    /// Supported version policy.
    pub static RULE = {
        code: V008,
        name: "host-platform",
        scope: RuleScope::Deployment,
        worst: Fail,
        parameters: ["hostPlatforms", "windowsServerMinimumVersion", "windowsServerEdition", "platformWarnDays"],
        needs: ["deployment.platform"],
        remedy: HostUpgrade,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(platform) = &ctx.inventory.deployment.platform else {
        return Outcome::not_in_inventory("host platform");
    };
    let host = format!("{} {}", platform.os, platform.version);
    let evidence = |o: Outcome| {
        o.with("os", platform.os.as_str())
            .with("version", platform.version.clone())
            .with("edition", platform.edition.clone())
    };
    let policy = ctx.policy;
    if !policy
        .host_platforms
        .iter()
        .any(|os| os.eq_ignore_ascii_case(platform.os.as_str()))
    {
        return evidence(Outcome::fail(format!(
            "{host} is not a host the policy edition {} supports ({}: {} only)",
            ctx.edition.id,
            ctx.edition.title,
            policy.host_platforms.join(", ")
        )));
    }
    if platform.os == HostOs::WindowsServer {
        if let (Ok(year), Some(minimum)) = (
            platform.version.trim().parse::<i64>(),
            policy.windows_server_minimum_version,
        ) {
            if year < minimum {
                return evidence(Outcome::fail(format!(
                    "{host} is not supported: AKS hybrid needs Windows Server {minimum} or later, Datacenter edition"
                )));
            }
        }
    }
    let lifecycle = ctx.catalog.catalog.platform(platform.os, &platform.version);
    if lifecycle.is_some_and(|l| !l.aks_hybrid_supported) {
        return evidence(Outcome::fail(format!(
            "AKS hybrid is not available on {host}"
        )));
    }
    // The edition requirement is the policy's: it holds whatever the catalog says.
    let required = match platform.os {
        HostOs::WindowsServer => policy
            .windows_server_edition
            .as_ref()
            .or(lifecycle.and_then(|l| l.required_edition.as_ref())),
        _ => None,
    };
    if let Some(required) = required {
        match &platform.edition {
            None => {
                return evidence(Outcome::unknown(format!(
                    "the edition of {host} is not in the inventory: AKS hybrid needs {required}"
                )))
            }
            Some(edition) if !edition.eq_ignore_ascii_case(required) => {
                return evidence(Outcome::fail(format!(
                    "{host} {edition} is not supported: AKS hybrid needs the {required} edition"
                )))
            }
            Some(_) => {}
        }
    }
    let Some(lifecycle) = lifecycle else {
        return evidence(Outcome::unknown(format!(
            "{host} is not in the catalog's platform lifecycles"
        )));
    };
    let with_dates = |o: Outcome| {
        evidence(o)
            .with("endOfSupport", lifecycle.end_of_support)
            .with("aksHybridRetirement", lifecycle.aks_hybrid_retirement)
    };
    // The earlier of the host's end of support and AKS hybrid's retirement from it.
    let Some((last_day, what)) = lifecycle.last_supported_day(&host) else {
        return with_dates(Outcome::pass(format!(
            "{host} is supported; no end of support is published"
        )));
    };
    let outcome = support_ends(ctx, &what, &host, last_day);
    with_dates(outcome)
}
