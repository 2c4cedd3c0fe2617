//! The rule engine. A rule is one file under `src/rules/`: its doc comment is
//! the explanation `akspol explain` prints, its metadata sits beside it, and
//! its check is a pure function of the [`Context`]: rules never print and never
//! read the clock. [`registry`] lists every rule in code order.

pub mod azure;
pub mod registry;
pub mod stated;

mod c001_third_party_software;
mod c002_cni;
mod c003_node_image_age;
mod f001_alpha_features;
mod f002_preview_features;
mod f003_upstream_preview_features;
pub mod gates;
mod m001_system_metadata;
mod m002_out_of_band_changes;
mod m003_custom_base_image;
mod m004_network_customization;
mod m005_privileged_daemonsets;
mod s001_stopped_cluster;
mod s002_manual_deallocation;
mod s003_subscription;
mod s004_nodes_stopped;
mod s005_management_connection;
mod s006_subscription_deleted;
mod s007_azure_sync;
mod s008_certificate_validity;
mod v001_release_known;
mod v002_recommended_window;
mod v003_support_window;
mod v004_release_availability;
mod v005_upgrade_path;
mod v006_kubernetes_version;
mod v007_version_skew;
mod v008_host_platform;
mod v009_release_support_window;
mod v010_kubernetes_lifecycle;
mod v011_node_os_sku;
mod v012_ready_updates;
mod v013_update_check_age;

#[cfg(test)]
mod testing;

use crate::base::dates::{Day, Side, When};
use crate::catalog::{CatalogAge, CatalogView, Release, Standing};
use crate::inventory::{Cluster, Inventory, Node};
use crate::policy::{Edition, Policy};

// The vocabulary rules speak is the findings model's.
pub use crate::findings::{
    Cite, Deadline, Evidence, Fact, Finding, Outcome, Remedy, RuleInfo, RuleScope, Scope, Status,
    POLICY_URL,
};

pub use registry::{silenced_by, silenced_by_without, RuleCode, RULES};

/// Declares a rule, capturing its doc comment as its explanation (the way
/// clippy captures lint docs), so docs and code cannot drift.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $ident:ident = {
            code: $code:ident,
            name: $name:literal,
            scope: $scope:expr,
            worst: $worst:ident,
            $(parameters: [$($parameter:literal),* $(,)?],)?
            needs: [$($need:literal),* $(,)?],
            remedy: $remedy:ident,
            check: $check:expr $(,)?
        };
    ) => {
        $(#[doc = $doc])*
        pub static $ident: $crate::rules::Rule = $crate::rules::Rule {
            info: $crate::findings::RuleInfo {
                code: $crate::rules::RuleCode::$code.as_str(),
                name: $name,
                scope: $scope,
                worst: $crate::findings::Status::$worst,
                explanation: concat!($($doc, "\n"),*),
                parameters: &[$($($parameter),*)?],
                needs: &[$($need),*],
                remedy: $crate::findings::Remedy::$remedy,
                own_section: $crate::rules::own_section,
            },
            check: $check,
        };
    };
}
pub(crate) use declare_rule;

/// The section of the first edition that states the rule `code` (the
/// editions in the order akspol lists them: the 2022 page for its rules, the
/// first newer page for a newer rule), as its edition file writes it.
pub fn own_section(code: &str) -> Cite {
    let stated = crate::policy::edition::editions()
        .ok()
        .and_then(|editions| editions.iter().find_map(|e| e.rule(code)));
    match stated {
        Some(rule) => Cite {
            section: rule.section.as_str(),
            url: rule.url.as_str(),
        },
        // Every rule is stated by some edition (tests/rules_meta.rs).
        None => Cite {
            section: "",
            url: POLICY_URL,
        },
    }
}

pub type DeploymentCheck = fn(&Context) -> Outcome;
pub type ClusterCheck = fn(&Context, &Cluster) -> Outcome;
pub type NodeCheck = fn(&Context, &Cluster, &Node) -> Outcome;

/// How a rule is evaluated; the engine does the iteration.
#[derive(Clone, Copy)]
pub enum Check {
    Deployment(DeploymentCheck),
    Cluster(ClusterCheck),
    /// Reported per failing node, with one pass line per cluster when all pass.
    Node(NodeCheck),
    /// As `Node`; a cluster that lists no nodes but node pools is judged by
    /// what its pools say of their nodes (the cluster check), in one line.
    NodeOrPools(NodeCheck, ClusterCheck),
    DeploymentAndCluster(DeploymentCheck, ClusterCheck),
}

/// A rule: what it is ([`RuleInfo`], which findings point to) and how it checks.
pub struct Rule {
    pub info: RuleInfo,
    pub check: Check,
}

impl std::ops::Deref for Rule {
    type Target = RuleInfo;
    fn deref(&self) -> &RuleInfo {
        &self.info
    }
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.info.fmt(f)
    }
}

/// `deployment`, `cluster/<name>`, `node/<cluster>/<node>`, each name escaped by
/// [`crate::findings::scope_name`] (otherwise raw: sanitize before printing).
pub fn scope_label(scope: Scope, inventory: &Inventory) -> String {
    use crate::findings::ScopeLabel;
    let clusters = inventory.clusters();
    let cluster_name = |c: usize| clusters.get(c).map_or("?", |c| c.name.as_str());
    match scope {
        Scope::Deployment => ScopeLabel::Deployment,
        Scope::Cluster(c) => ScopeLabel::Cluster(cluster_name(c)),
        Scope::Node(c, n) => ScopeLabel::Node(
            cluster_name(c),
            clusters
                .get(c)
                .and_then(|cl| cl.nodes.get(n))
                .map_or("?", |n| n.name.as_str()),
        ),
    }
    .to_string()
}

/// Everything a check may read. Built once per inventory.
pub struct Context<'a> {
    pub inventory: &'a Inventory,
    pub catalog: &'a CatalogView<'a>,
    /// The numbers of the edition the inventory is judged against.
    pub policy: &'a Policy,
    /// That edition: which rules run, what findings cite.
    pub edition: &'static Edition,
    pub as_of: Day,
    /// Where the installed release stands; `None` when the catalog has no
    /// release of the line on or before the as-of date.
    pub standing: Option<Standing<'a>>,
    /// How old the catalog's facts of the inventory's line are.
    pub catalog_age: Option<CatalogAge>,
}

impl<'a> Context<'a> {
    pub fn new(inventory: &'a Inventory, catalog: &'a CatalogView<'a>, policy: &'a Policy) -> Self {
        let standing = catalog.standing(&inventory.deployment.version);
        let catalog_age = catalog.age(inventory.deployment.product, policy.catalog_max_age_days);
        Self {
            inventory,
            catalog,
            policy,
            edition: policy.edition,
            as_of: catalog.as_of,
            standing,
            catalog_age,
        }
    }

    /// The catalog entry of the installed release, if the catalog knows it.
    pub fn installed_release(&self) -> Option<&'a Release> {
        self.standing.as_ref().and_then(|s| s.installed)
    }

    /// The installed release, or the `unknown` every version rule gives when
    /// the catalog cannot place it: V001's sentence (one voice per release),
    /// then what the rule cannot judge (`cannot`).
    pub fn release_or_unknown(&self, cannot: &str) -> Result<&'a Release, Outcome> {
        if let Some(release) = self.installed_release() {
            return Ok(release);
        }
        let installed = self.inventory.deployment.version;
        let Some(standing) = &self.standing else {
            let mut outcome = no_release_as_of(self);
            outcome.message = format!("{}, so {cannot}", outcome.message);
            return Err(outcome.with("installed", installed));
        };
        Err(Outcome::unknown(unplaced(self, standing, Some(cannot)))
            .with("installed", installed)
            .with("inCatalog", false)
            .with("latest", standing.latest.version))
    }

    /// The catalog's age, when it is too old to vouch for "no newer release".
    pub fn stale_catalog(&self) -> Option<&CatalogAge> {
        self.catalog_age.as_ref().filter(|age| age.stale())
    }

    /// What a finding of `rule` cites: its section on the edition's page.
    pub fn cite(&self, rule: &RuleInfo) -> Cite {
        cite_for(self.edition, rule)
    }
}

/// The section of `edition`'s page that states `rule` (the page itself when
/// it does not state it).
pub fn cite_for(edition: &'static Edition, rule: &RuleInfo) -> Cite {
    match edition.rule(rule.code) {
        Some(r) => Cite {
            section: r.section.as_str(),
            url: r.url.as_str(),
        },
        None => Cite {
            section: rule.section().section,
            url: edition.page.url.as_str(),
        },
    }
}

/// `Calico and Flannel`: the CNIs the edition gives basic installation support.
pub fn cni_names(policy: &Policy) -> String {
    cni_list(policy, " and ")
}

pub(crate) fn cni_list(policy: &Policy, joiner: &str) -> String {
    policy
        .supported_cnis
        .iter()
        .map(|c| {
            let mut chars = c.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(joiner)
}

/// Each stated node rule's outcomes on the cluster's nodes, in code order;
/// a cluster of node pools and no nodes is judged by its pools where the
/// rule can.
fn node_outcomes(
    ctx: &Context,
    cluster: &Cluster,
    stated: &[(&'static Rule, Cite)],
) -> Vec<(&'static Rule, Cite, NodeOutcomes)> {
    stated
        .iter()
        .filter_map(|&(rule, cite)| match rule.check {
            Check::NodeOrPools(_, pools)
                if cluster.nodes.is_empty()
                    && cluster.node_pools.as_ref().is_some_and(|p| !p.is_empty()) =>
            {
                let summary = Some(pools(ctx, cluster));
                let outcomes = NodeOutcomes {
                    nodes: Vec::new(),
                    summary,
                };
                Some((rule, cite, outcomes))
            }
            Check::Node(check) | Check::NodeOrPools(check, _) => {
                Some((rule, cite, evaluate_nodes(ctx, cluster, check)))
            }
            _ => None,
        })
        .collect()
}

/// Runs those of `rules` that the context's edition states over the
/// inventory. Findings come in scope order (the deployment, then each cluster
/// followed by its nodes), each scope's in code order, as they are made: no
/// sort. A rule the edition does not state produces no finding at all (not
/// stated is not a pass).
pub fn evaluate(ctx: &Context, rules: &[&'static Rule]) -> Vec<Finding> {
    // The stated rules in code order, each with what its findings cite
    // (at most one entry per registered rule).
    let mut stated: Vec<(&'static Rule, Cite)> = rules
        .iter()
        .filter(|r| ctx.edition.states(r.code))
        .map(|&r| (r, ctx.cite(&r.info)))
        .collect();
    stated.sort_unstable_by_key(|(r, _)| r.code);
    let clusters = ctx.inventory.clusters();
    let mut findings = Vec::with_capacity(stated.len() * (1 + clusters.len()));
    let mut push = |(rule, cite): (&'static Rule, Cite), scope: Scope, outcome: Outcome| {
        if let Some(revision) = ctx.policy.withdrawn(rule.code) {
            findings.push(Finding {
                rule: &rule.info,
                scope,
                outcome: withdrawn(outcome, revision, ctx.as_of),
                cite,
            });
            return;
        }
        let outcome = match ctx.stale_catalog() {
            Some(age) if outcome.rests_on_latest && outcome.status == Status::Pass => {
                not_vouched(outcome, age)
            }
            _ => outcome,
        };
        findings.push(Finding {
            rule: &rule.info,
            scope,
            outcome,
            cite,
        });
    };
    for &(rule, cite) in &stated {
        if let Check::Deployment(check) | Check::DeploymentAndCluster(check, _) = rule.check {
            push((rule, cite), Scope::Deployment, check(ctx));
        }
    }
    for (c, cluster) in clusters.iter().enumerate() {
        // Node rules first: a rule's cluster line exists only when none of
        // its nodes is reported. In code order, like `stated`.
        let mut by_node = node_outcomes(ctx, cluster, &stated);
        let mut node_rules = by_node.iter_mut();
        for &(rule, cite) in &stated {
            let outcome = match rule.check {
                Check::Cluster(check) | Check::DeploymentAndCluster(_, check) => {
                    Some(check(ctx, cluster))
                }
                Check::Node(_) | Check::NodeOrPools(..) => node_rules
                    .next()
                    .and_then(|(_, _, outcomes)| outcomes.summary.take()),
                Check::Deployment(_) => None,
            };
            if let Some(outcome) = outcome {
                push((rule, cite), Scope::Cluster(c), outcome);
            }
        }
        // Each rule reported its nodes in node order: merge them node by node.
        let mut reported: Vec<_> = by_node
            .into_iter()
            .map(|(rule, cite, outcomes)| (rule, cite, outcomes.nodes.into_iter().peekable()))
            .collect();
        for n in 0..cluster.nodes.len() {
            for (rule, cite, nodes) in &mut reported {
                while let Some((_, outcome)) = nodes.next_if(|(at, _)| *at == n) {
                    push((*rule, *cite), Scope::Node(c, n), outcome);
                }
            }
        }
    }
    findings
}

/// What a node rule says about a cluster's nodes: one outcome per node that
/// does not pass, or else one line for the cluster.
struct NodeOutcomes {
    nodes: Vec<(usize, Outcome)>,
    summary: Option<Outcome>,
}

/// A pass that rests on "no newer release" from a catalog older than the
/// line's cadence: `unknown`, saying why; what the rule found stays in the
/// evidence.
fn not_vouched(outcome: Outcome, age: &CatalogAge) -> Outcome {
    let mut unknown = Outcome::unknown(format!(
        "the catalog{} knows {} up to {} ({} before the as-of date, more than the {}-day release cadence of this line); a newer release has likely been published: run `akspol catalog update` or pass `--catalog`",
        if age.attested {
            " with what Azure lists for the instance"
        } else {
            ""
        },
        age.product.releases(),
        age.known_through_text(),
        age.age_text(),
        age.max_age_days.unwrap_or_default()
    ))
    .deadline(outcome.deadline);
    unknown.evidence = outcome.evidence;
    unknown.with(
        "catalogTooOld",
        Evidence::new()
            .with("knownThrough", age.known_through)
            .with("estimated", age.known_through.approximate())
            .with("ageDays", age.age_days)
            .with("maxAgeDays", age.max_age_days)
            .with("wouldBe", "pass")
            .with("message", outcome.message),
    )
}

/// A statement the page in force no longer made (a revision akspol lacks
/// withdrew it): `unknown`, saying so; what the edition's text would have
/// said stays in the evidence, without its deadline.
fn withdrawn(outcome: Outcome, revision: &crate::policy::Replaced, as_of: Day) -> Outcome {
    let mut unknown = Outcome::unknown(format!(
        "{}, the page in force on {as_of}, withdrew {}; akspol lacks its text, so this statement of the earlier page is not applied",
        revision.name(),
        revision.withdrawn.as_deref().unwrap_or("this statement")
    ));
    unknown.evidence = outcome.evidence;
    unknown.with(
        "withdrawnBy",
        Evidence::new()
            .with("revision", revision.name().to_string())
            .with("from", revision.date)
            .with("source", revision.source.clone())
            .with("wouldBe", outcome.status.as_str())
            .with("message", outcome.message),
    )
}

/// One finding per node that does not pass; when none is reported, one line for
/// the cluster, so a 500-node cluster does not print 500 pass lines.
fn evaluate_nodes(ctx: &Context, cluster: &Cluster, check: NodeCheck) -> NodeOutcomes {
    let mut reported = Vec::new();
    let (mut passed, mut skipped) = (0usize, 0usize);
    let mut skip_reason = None;
    // The nearest deadline of a passing node becomes the cluster line's deadline,
    // so folding nodes together does not hide when the first of them gets worse.
    let mut nearest: Option<(Deadline, &str)> = None;
    for (n, node) in cluster.nodes.iter().enumerate() {
        let outcome = check(ctx, cluster, node);
        match outcome.status {
            Status::Pass => {
                passed += 1;
                if let Some(deadline) = outcome.deadline {
                    if nearest.as_ref().is_none_or(|(d, _)| deadline.date < d.date) {
                        nearest = Some((deadline, node.name.as_str()));
                    }
                }
            }
            Status::Skip => {
                skipped += 1;
                skip_reason.get_or_insert(outcome.message);
            }
            _ => reported.push((n, outcome)),
        }
    }
    if !reported.is_empty() {
        return NodeOutcomes {
            nodes: reported,
            summary: None,
        };
    }
    let nodes = |n: usize| {
        if n == 1 {
            "1 node".to_string()
        } else {
            format!("{n} nodes")
        }
    };
    let mut summary = match (passed, skipped) {
        (0, 0) => Outcome::not_in_inventory("nodes"),
        (0, _) => Outcome::skip(format!(
            "{} ({})",
            skip_reason.unwrap_or_default(),
            nodes(skipped)
        )),
        (1, 0) => Outcome::pass("the 1 node passes"),
        (_, 0) => Outcome::pass(format!("all {passed} nodes pass")),
        // Some nodes lack the data: the cluster is not judged for them, so its
        // line is not a pass.
        (_, _) => Outcome::skip(format!(
            "{} {}; {} not judged: {}",
            nodes(passed),
            if passed == 1 { "passes" } else { "pass" },
            nodes(skipped),
            skip_reason.unwrap_or_default()
        )),
    };
    if let Some((deadline, node)) = nearest {
        summary = summary
            .deadline(Some(deadline))
            .with("nearestDeadlineNode", node.to_string());
    }
    NodeOutcomes {
        nodes: Vec::new(),
        summary: Some(
            summary
                .with("nodesPassed", passed)
                .with("nodesSkipped", skipped),
        ),
    }
}

/// The deadline evidence for a release date: its basis, so a reader can
/// tell estimates, and the span it lies in when no source gives its day.
pub fn release_evidence(release: &Release) -> Evidence {
    Evidence::new()
        .with("version", release.version)
        .with("released", release.released)
        .with("dateBasis", release.date_basis.as_str())
}

/// `on 2026-03-18`, `on ~2025-10-08`, `in 2026-07` (some day of the month),
/// `between 2026-03-28 and 2026-05-13`.
pub fn on_date(when: When) -> String {
    match when.precision() {
        crate::base::dates::Precision::Month => format!("in {when}"),
        crate::base::dates::Precision::Window => {
            format!("between {} and {}", when.earliest, when.latest)
        }
        _ => format!("on {when}"),
    }
}

/// A finding that changes on a day known only as a span: `outcome` (whose
/// message names the days between which it changes) made `unknown`, with
/// the day it is surely `worse` as its deadline (`what` happens then).
pub(crate) fn changes_between(
    mut outcome: Outcome,
    change: When,
    worse: Status,
    what: impl Into<String>,
) -> Outcome {
    outcome.status = Status::Unknown;
    outcome
        .deadline(Some(Deadline::new(change.latest, false, worse, what)))
        .with(
            "changesBetween",
            Evidence::new()
                .with("from", change.earliest)
                .with("to", change.latest)
                .with("becomes", worse.as_str()),
        )
}

/// V002–V004: the installed release judged against a window of days behind the
/// latest release. `worse` is the status outside the window; `outside` says
/// so, and `on_deadline` says what happens on the day the window closes.
pub(crate) fn behind_window(
    ctx: &Context,
    window_days: i64,
    worse: Status,
    outside: &str,
    on_deadline: &str,
) -> Outcome {
    let installed = ctx.inventory.deployment.version;
    let Some(standing) = &ctx.standing else {
        return no_release_as_of(ctx);
    };
    if standing.installed.is_none() {
        return unknown_release(ctx, standing, "days behind");
    }
    let mut evidence = Outcome::new(Status::Pass, "")
        .with("installed", installed)
        .with("latest", standing.latest.version)
        .with("daysBehind", standing.days_behind)
        .with("releasesBehind", standing.releases_behind())
        .with("windowDays", window_days);
    let Some(first_newer) = standing.first_newer else {
        // Nothing newer in the catalog: a catalog that is too old cannot
        // vouch for that.
        evidence.message = format!("{installed} is the latest release in the catalog");
        return evidence.resting_on_latest();
    };
    // A first newer release the catalog knows fixes the count: releases it
    // does not know are newer still, so the verdict does not rest on them.
    evidence = evidence.with("firstNewer", release_evidence(first_newer));
    let released = first_newer.released;
    let most = standing.days_behind;
    let least = crate::base::dates::days_between(released.latest, ctx.as_of).max(0);
    // The same words in V002, V003 and V004, so a table can say them once.
    let behind = format!(
        "{} days behind: the first newer release, {}, came out {}",
        if least == most {
            most.to_string()
        } else {
            format!("{least} to {most}")
        },
        first_newer.version,
        on_date(released),
    );
    // The first day outside the window.
    let change = released.add_days(window_days + 1);
    match change.side(ctx.as_of) {
        Side::After => {
            evidence.status = worse;
            evidence.with_fact(&behind, outside)
        }
        Side::Before => evidence
            .with_fact(&behind, &format!("within the {window_days}-day window"))
            .deadline(Some(Deadline::new(
                change.earliest,
                change.approximate(),
                worse,
                on_deadline,
            ))),
        Side::Between => changes_between(
            evidence.with_fact(
                &behind,
                &format!(
                    "it leaves the {window_days}-day window on a day from {} to {}, as no source gives the day {} came out",
                    change.earliest, change.latest, first_newer.version
                ),
            ),
            change,
            worse,
            on_deadline,
        ),
    }
}

/// A lifecycle whose last supported day is `last_day` (V008's host, V011's
/// node OS): pass with the first day of the warning period
/// (`platformWarnDays`) as deadline, warn within it with the first
/// unsupported day as deadline, fail after. A last day known only to the
/// month ("March 2027") gives a verdict only where it holds on every day of
/// the month (its deadline the earliest day it may change, marked `~`), and
/// `unknown` between, naming the days. `what` says what ends (`AKS hybrid
/// support on WindowsServer 2022 ends`), `subject` what is supported until then.
pub(crate) fn support_ends(ctx: &Context, what: &str, subject: &str, last_day: When) -> Outcome {
    use crate::base::dates::days_between;
    let ends = match last_day.precision() {
        crate::base::dates::Precision::Month => {
            format!("{what} in {last_day} (the source gives the month, not the day)")
        }
        crate::base::dates::Precision::Window => format!(
            "{what} on a day from {} to {}",
            last_day.earliest, last_day.latest
        ),
        _ => format!("{what} with {last_day}"),
    };
    let first_unsupported = last_day.add_days(1);
    let warn_days = ctx.policy.platform_warn_days;
    let warn_from = first_unsupported.add_days(-warn_days);
    let at_least = if first_unsupported.is_span() {
        "at least "
    } else {
        ""
    };
    let outcome = match (first_unsupported.side(ctx.as_of), warn_from.side(ctx.as_of)) {
        (Side::After, _) => Outcome::fail(format!(
            "{ends}: out of support since {}{}",
            first_unsupported.latest,
            if first_unsupported.is_span() {
                " at the latest"
            } else {
                ""
            }
        )),
        (Side::Between, _) => changes_between(
            Outcome::unknown(format!(
                "{ends}: it leaves support on a day from {} to {}, so on {} it may be out of support already",
                first_unsupported.earliest, first_unsupported.latest, ctx.as_of
            )),
            first_unsupported,
            Status::Fail,
            format!("{subject} has left support"),
        ),
        (Side::Before, Side::After) => Outcome::warn({
            let left = days_between(ctx.as_of, first_unsupported.earliest);
            format!(
                "{ends}: {at_least}{left} {} left",
                if left == 1 { "day" } else { "days" }
            )
        })
        .deadline(Some(Deadline::new(
            first_unsupported.earliest,
            first_unsupported.approximate(),
            Status::Fail,
            format!("{subject} leaves support"),
        ))),
        (Side::Before, Side::Between) => changes_between(
            Outcome::unknown(format!(
                "{ends}: it enters the last {warn_days} days of its support on a day from {} to {}, so on {} it may be in them already",
                warn_from.earliest, warn_from.latest, ctx.as_of
            )),
            warn_from,
            Status::Warn,
            format!("{subject} leaves support in {warn_days} days"),
        ),
        (Side::Before, Side::Before) => Outcome::pass(format!(
            "{subject} is supported until {}",
            if last_day.is_span() {
                format!("a day {}", on_date(last_day))
            } else {
                last_day.to_string()
            }
        ))
        .deadline(Some(Deadline::new(
            warn_from.earliest,
            warn_from.approximate(),
            Status::Warn,
            format!("{subject} leaves support in {warn_days} days"),
        ))),
    };
    outcome.with("lastSupportedDay", last_day)
}

/// `30 days ago, on 2026-04-01`; `on 2026-05-01, the evaluation date`.
pub(crate) fn ago_on(days: i64, day: Day) -> String {
    match days {
        0 => format!("on {day}, the evaluation date"),
        1 => format!("1 day ago, on {day}"),
        n => format!("{n} days ago, on {day}"),
    }
}

/// The edition in use does not state a number the rule needs (a rule runs only
/// where its edition states it, so this is a guard, not a verdict).
pub(crate) fn not_stated(ctx: &Context, parameter: &str) -> Outcome {
    Outcome::skip(format!(
        "{parameter} is not stated by the policy edition {}",
        ctx.edition.id
    ))
}

/// V002–V005 on a release V001 does not find: they agree that it is unknown,
/// in V001's words, rather than measuring from a place in the sequence the
/// catalog cannot give (a version newer than the catalog is not "the latest
/// release").
pub(crate) fn unknown_release(ctx: &Context, standing: &Standing, what: &str) -> Outcome {
    let installed = ctx.inventory.deployment.version;
    Outcome::unknown(unplaced(
        ctx,
        standing,
        Some(&format!("its {what} cannot be counted")),
    ))
    .with("installed", installed)
    .with("inCatalog", false)
    .with("latest", standing.latest.version)
}

/// Why the catalog cannot place the installed release as of the as-of date,
/// in the one sentence V001 says and the other version rules repeat, each
/// adding what it cannot judge (`cannot`): not yet published then, newer
/// than the catalog (stale), or unknown to it.
pub(crate) fn unplaced(ctx: &Context, standing: &Standing, cannot: Option<&str>) -> String {
    let so = cannot.map(|c| format!(", so {c}")).unwrap_or_default();
    let installed = ctx.inventory.deployment.version;
    let product = installed.product();
    let later = ctx
        .catalog
        .catalog
        .line(product)
        .iter()
        .find(|r| r.version.designates(&installed) && r.released.earliest > ctx.as_of);
    if let Some(later) = later {
        format!(
            "{installed} was not yet published as of {}: the catalog dates it {}{}{so}",
            ctx.as_of,
            later.released,
            later
                .date_note()
                .map(|note| format!(" ({note})"))
                .unwrap_or_default()
        )
    } else if installed.release_cmp(&standing.latest.version).is_gt() {
        format!(
            "{installed} is newer than the catalog's latest release {}: the catalog is stale{so}; {}",
            standing.latest.version,
            v001_release_known::refresh_hint(product)
        )
    } else {
        format!("{installed} is not a release in the catalog{so}")
    }
}

/// The catalog knows no release on or before the as-of date: nothing to judge against.
pub(crate) fn no_release_as_of(ctx: &Context) -> Outcome {
    Outcome::unknown(format!(
        "the catalog has no release published on or before {}",
        ctx.as_of
    ))
}

#[cfg(test)]
mod tests {
    use super::testing::{arc_inventory, inventory, run};
    use super::*;

    /// Issue 23, item 6: V001, V006, V009 and V010 say the same thing about
    /// an Azure Local release: the one V001 cannot place (V001's sentence,
    /// then what each cannot judge), and one known by name only (its name
    /// and how it is dated).
    #[test]
    fn the_version_rules_speak_with_one_voice_of_an_azure_local_release() {
        let clusters = r#"[{"name": "c", "kubernetesVersion": "1.33.5"}]"#;
        let said = |version: &str, as_of: &str| {
            let text = arc_inventory(version, "", clusters);
            RULES
                .iter()
                .filter(|r| ["V001", "V006", "V009", "V010"].contains(&r.code))
                .map(|rule| {
                    let (_, outcome) = run(rule, &text, as_of).remove(0);
                    (rule.code, outcome)
                })
                .collect::<Vec<_>>()
        };
        // Not yet published on the as-of date: every rule starts with V001's words.
        let early = said("2607", "2026-06-20");
        let (_, v001) = &early[0];
        assert_eq!(v001.status, Status::Unknown);
        assert!(
            v001.message.starts_with(
                "2607 was not yet published as of 2026-06-20: the catalog dates it 2026-07 (known by name only"
            ),
            "{}",
            v001.message
        );
        for (code, outcome) in &early {
            assert_eq!(outcome.status, Status::Unknown, "{code}");
            assert!(
                outcome.message.starts_with(&v001.message),
                "{code}: {}",
                outcome.message
            );
        }
        // Newer than the catalog: the same.
        for (code, outcome) in &said("2612", "2026-12-20") {
            assert!(
                outcome.message.starts_with(
                    "2612 is newer than the catalog's latest release 2610: the catalog is stale"
                ),
                "{code}: {}",
                outcome.message
            );
        }
        // Known by name only: every rule names it the same way.
        for (code, outcome) in said("2607", "2026-12-07") {
            assert!(
                outcome
                    .message
                    .contains("release 2607 (known by name only: dated by the month of its name)"),
                "{code}: {}",
                outcome.message
            );
        }
        for (code, outcome) in said("2604", "2026-06-01") {
            assert!(
                outcome.message.contains(
                    "release 2604 (no source gives its day, only days it came out between)"
                ),
                "{code}: {}",
                outcome.message
            );
        }
    }

    /// Issue 12, item 14: with a release V001 does not know, V002–V005 are
    /// `unknown` too, never "the latest release" or a count of days behind.
    #[test]
    fn every_version_rule_agrees_with_v001_on_an_unknown_release() {
        for version in ["9.9.9.9", "1.0.3.99999"] {
            let text = inventory("", "[]").replace("1.0.24.11029", version);
            for rule in RULES
                .iter()
                .filter(|r| ["V001", "V002", "V003", "V004", "V005"].contains(&r.code))
            {
                let findings = run(rule, &text, "2026-11-23");
                let (_, outcome) = &findings[0];
                assert_eq!(
                    outcome.status,
                    Status::Unknown,
                    "{version} {}: {outcome:?}",
                    rule.code
                );
                assert!(
                    !outcome.message.contains("latest release in the catalog"),
                    "{outcome:?}"
                );
            }
        }
    }
}
