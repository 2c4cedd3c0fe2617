use super::{declare_rule, support_ends, Check, Context, Outcome, RuleScope};
use crate::base::product::Product;
use crate::base::sanitize::clean;
use crate::base::version::KubeVersion;
use crate::catalog::{NodeOsLifecycle, Release};
use crate::findings::{Deadline, Evidence, Fact, Status};
use crate::inventory::{Cluster, Node, WINDOWS_BUILD_LABEL};

declare_rule! {
    /// Each node's OS (Azure Linux, Windows Server) must be within its support lifecycle.
    ///
    /// ## What it checks
    /// The lifecycle of the OS each node runs, against the catalog's node OS
    /// lifecycles: Azure Linux 2.0 (CBL-Mariner) reached its end of life on
    /// 2025-07-31, Windows Server 2019 node pools are supported until March
    /// 2026, and Azure Linux 3.0 and Windows Server 2022 have no published
    /// end. It warns within 90 days (`platformWarnDays`) of the end and fails
    /// after; an end known only to the month (March 2026) is judged as V008
    /// judges one.
    ///
    /// What the node reports tells its OS: its OS image (`osImage`, kubectl's
    /// `status.nodeInfo.osImage`: `CBL-Mariner/Linux` is Azure Linux 2.0,
    /// `Microsoft Azure Linux 3.0` is 3.0, `Windows Server 2019 Datacenter`
    /// and `Windows Server 2022 Datacenter` the Windows versions) or, on
    /// Windows, the build in its `node.kubernetes.io/windows-build` label
    /// (`10.0.17763` is 2019, `10.0.20348` is 2022). Else its node pool's OS
    /// SKU (`osSku`: `CBLMariner`, `Windows2019`, `Windows2022`), given on the
    /// node or read from the cluster's `nodePools` for the pool its
    /// `nodePool` or its `msft.microsoft/nodepool-name` label names. The API
    /// names Azure Linux 2.0 and 3.0 alike (`CBLMariner`): without an image,
    /// the release tells. AKS Arc ships Azure Linux 3.0 images from Azure
    /// Local 2507, so on an earlier release a `CBLMariner` node is Azure Linux
    /// 2.0; from 2507 on, a node keeps the image it was made with until its
    /// pool is upgraded, so it is 3.0 only when no release before 2507 offered
    /// its Kubernetes version, and `unknown` otherwise. A cluster that lists
    /// node pools but no nodes (`akspol collect --resource-graph`) is judged
    /// by its pools, in one line. An image no line of the catalog starts
    /// with is `unknown`.
    ///
    /// Catalog age: the verdict rests on the OS's own lifecycle date, so it
    /// is given whatever the catalog's age.
    ///
    /// ## Why
    /// A node OS past its end of life gets no security updates; AKS Arc ships
    /// Azure Linux 3.0 images for every supported Kubernetes version from
    /// Azure Local 2507, and Windows Server 2019 node pools leave support in
    /// March 2026. Keeping node images current is the customer's part of the
    /// shared responsibility.
    ///
    /// ## How to fix
    /// Upgrade the cluster (or the node pool) to get the current node image:
    /// Linux node pools move to Azure Linux 3.0 images with the upgrade. Move
    /// Windows workloads to a `Windows2022` node pool
    /// (`az aksarc nodepool add --os-sku Windows2022`) and delete the 2019 one.
    ///
    /// ## Policy
    /// What's new in AKS on Azure Local (the release notes the Azure Local page
    /// points to for its releases).
    pub static RULE = {
        code: V011,
        name: "node-os-sku",
        scope: RuleScope::Node,
        worst: Fail,
        parameters: ["platformWarnDays"],
        needs: [
            "clusters[].nodes[].osSku",
            "clusters[].nodes[].osImage",
            "clusters[].nodes[].labels",
            "clusters[].nodes[].kubeletVersion",
            "clusters[].nodePools[].osSku",
            "clusters[].nodePools[].kubernetesVersion",
        ],
        remedy: NodeUpgrade,
        check: Check::NodeOrPools(check, pools),
    };
}

/// What the inventory says of the OS of a node, or of a pool's nodes.
struct Said<'a> {
    /// The node pool's OS SKU.
    sku: Option<&'a str>,
    /// The pool it was read from, when the node does not give it.
    pool: Option<&'a str>,
    /// What the node reports: its OS image, and on Windows its build.
    image: Option<&'a str>,
    build: Option<&'a str>,
    /// The Kubernetes version it runs.
    kubernetes: Option<&'a KubeVersion>,
}

/// How the image line a node runs is known.
enum Told<'c> {
    Image,
    Build,
    Sku,
    /// The installed release ships no later line (`next`, from its first release).
    Release {
        installed: u32,
        next: &'c NodeOsLifecycle,
    },
    /// Only releases from `from` (0: any) to before `until` offered the
    /// node's Kubernetes version.
    Kubernetes {
        from: u32,
        until: Option<u32>,
    },
}

fn check(ctx: &Context, cluster: &Cluster, node: &Node) -> Outcome {
    let pool = cluster.pool_of(node);
    let pool_sku = pool.and_then(|p| p.os_sku.as_deref());
    let said = Said {
        sku: node.os_sku.as_deref().or(pool_sku),
        pool: pool
            .filter(|_| node.os_sku.is_none() && pool_sku.is_some())
            .map(|p| p.name.as_str()),
        image: node.os_image.as_deref(),
        build: node
            .labels
            .as_ref()
            .and_then(|labels| labels.get(WINDOWS_BUILD_LABEL)),
        kubernetes: node
            .kubelet_version
            .as_ref()
            .or(pool.and_then(|p| p.kubernetes_version.as_ref())),
    };
    judge(ctx, &said)
}

/// A cluster that lists no nodes: each node pool judged by what it says of
/// its nodes, folded as the engine folds nodes (the pools that do not pass,
/// else one line).
fn pools(ctx: &Context, cluster: &Cluster) -> Outcome {
    let judged: Vec<(&str, Outcome)> = cluster
        .node_pools
        .iter()
        .flatten()
        .map(|pool| {
            let said = Said {
                sku: pool.os_sku.as_deref(),
                pool: Some(pool.name.as_str()),
                image: None,
                build: None,
                kubernetes: pool.kubernetes_version.as_ref(),
            };
            (pool.name.as_str(), judge(ctx, &said))
        })
        .collect();
    let count = |status: Status| judged.iter().filter(|(_, o)| o.status == status).count();
    let reported: Vec<&(&str, Outcome)> = judged
        .iter()
        .filter(|(_, o)| !matches!(o.status, Status::Pass | Status::Skip))
        .collect();
    let shown = |list: &[&(&str, Outcome)]| {
        list.iter()
            .map(|(name, o)| format!("node pool {}: {}", clean(name), o.message))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let all: Vec<&(&str, Outcome)> = judged.iter().collect();
    let mut outcome = match reported
        .iter()
        .map(|(_, o)| o.status)
        .max_by_key(|s| rank(*s))
    {
        Some(worst) => Outcome::new(worst, shown(&reported)),
        None if count(Status::Skip) == 0 => Outcome::pass(shown(&all)),
        None => Outcome::skip(shown(&all)),
    };
    outcome.deadline = judged
        .iter()
        .filter_map(|(_, o)| o.deadline.clone())
        .min_by_key(|d: &Deadline| d.date);
    let pools: Vec<Fact> = judged
        .into_iter()
        .map(|(name, o)| {
            Fact::Record(
                Evidence::new()
                    .with("name", name.to_string())
                    .with("status", o.status.as_str())
                    .with("evidence", o.evidence),
            )
        })
        .collect();
    outcome
        .with("judgedBy", "nodePools (the cluster lists no nodes)")
        .with("nodePools", pools)
}

/// Fail, then unknown, warn, skip and pass.
fn rank(status: Status) -> u8 {
    match status {
        Status::Fail => 4,
        Status::Unknown => 3,
        Status::Warn => 2,
        Status::Info | Status::Skip => 1,
        Status::Pass => 0,
    }
}

fn judge(ctx: &Context, said: &Said) -> Outcome {
    let outcome = match identify(ctx, said) {
        Ok((line, told)) => verdict(ctx, line, &told, said),
        Err(outcome) => outcome,
    };
    let mut outcome = outcome
        .with("osSku", said.sku.map(str::to_string))
        .with("osImage", said.image.map(str::to_string));
    if let Some(pool) = said.pool {
        outcome = outcome.with("nodePool", pool.to_string());
    }
    if let Some(build) = said.build {
        outcome = outcome.with("windowsBuild", build.to_string());
    }
    outcome
}

/// The image line the node runs, and how that is known; `Err` when it
/// cannot be told.
fn identify<'c>(
    ctx: &Context<'c>,
    said: &Said,
) -> Result<(&'c NodeOsLifecycle, Told<'c>), Outcome> {
    let lines = &ctx.catalog.catalog.node_os;
    let by_image = said.image.and_then(|image| {
        lines.iter().find(|l| {
            l.os_image_prefix
                .as_deref()
                .is_some_and(|p| image.trim().starts_with(p))
        })
    });
    let by_build = said.build.and_then(|build| {
        lines
            .iter()
            .find(|l| l.windows_build.as_deref() == Some(build.trim()))
    });
    match (by_image, by_build) {
        (Some(image), Some(build)) if !std::ptr::eq(image, build) => {
            return Err(Outcome::unknown(format!(
                "the node's osImage `{}` is {}, but its {WINDOWS_BUILD_LABEL} label `{}` is {}",
                clean(said.image.unwrap_or_default()),
                label(image),
                clean(said.build.unwrap_or_default()),
                label(build)
            )));
        }
        (Some(line), _) => return Ok((line, Told::Image)),
        (None, Some(line)) => return Ok((line, Told::Build)),
        (None, None) => {}
    }
    let reported = said
        .image
        .map(|image| ("osImage", image))
        .or(said.build.map(|build| (WINDOWS_BUILD_LABEL, build)));
    if let Some((what, value)) = reported {
        return Err(Outcome::unknown(format!(
            "the node reports {what} `{}`, which is none of the node OS lines the catalog knows ({})",
            clean(value),
            lines.iter().map(label).collect::<Vec<_>>().join(", ")
        )));
    }
    let Some(sku) = said.sku else {
        return Err(Outcome::not_in_inventory("osSku and osImage"));
    };
    let mut of_sku: Vec<&NodeOsLifecycle> = lines
        .iter()
        .filter(|l| l.os_sku.eq_ignore_ascii_case(sku))
        .collect();
    // In the order AKS Arc shipped them: the first line has no first release.
    of_sku.sort_by_key(|l| l.first_release);
    match of_sku.as_slice() {
        [] => Err(Outcome::unknown(format!(
            "{} is not in the catalog's node OS lifecycles",
            clean(sku)
        ))),
        [line] => Ok((line, Told::Sku)),
        _ => by_release(ctx, sku, &of_sku, said),
    }
}

/// A SKU of several image lines with no image: the lines the installed
/// release and the releases before it could have put on the node.
fn by_release<'c>(
    ctx: &Context<'c>,
    sku: &str,
    lines: &[&'c NodeOsLifecycle],
    said: &Said,
) -> Result<(&'c NodeOsLifecycle, Told<'c>), Outcome> {
    let sku = clean(sku);
    let names = lines
        .iter()
        .map(|l| label(l))
        .collect::<Vec<_>>()
        .join(" or ");
    let tell = "the node's osImage (`kubectl get nodes -o json`) tells which";
    let Some(installed) = ctx.inventory.deployment.version.local().map(|v| v.release) else {
        return Err(Outcome::unknown(format!(
            "{sku} may be {names}, and the installed release is no Azure Local release: {tell}"
        )));
    };
    // Each line with the releases that ship it: from its first release to
    // the next line's, and none after the installed one.
    let spans: Vec<(&NodeOsLifecycle, u32, Option<u32>)> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let until = lines.get(i + 1).and_then(|next| next.first_release);
            (*l, l.first_release.unwrap_or(0), until)
        })
        .filter(|(_, from, _)| *from <= installed)
        .collect();
    if let [(line, _, until)] = spans.as_slice() {
        let next = lines
            .iter()
            .find(|l| l.first_release.is_some() && l.first_release == *until);
        return match next {
            Some(next) => Ok((line, Told::Release { installed, next })),
            None => Ok((line, Told::Sku)),
        };
    }
    let Some(version) = said.kubernetes else {
        return Err(Outcome::unknown(format!(
            "{sku} on release {installed} may be {names}: a node keeps the image it was made with until its pool is upgraded, and its Kubernetes version is not in the inventory: {tell}"
        )));
    };
    let offered: Vec<&(&NodeOsLifecycle, u32, Option<u32>)> = spans
        .iter()
        .filter(|(_, from, until)| offered_between(ctx, version, *from, *until, installed))
        .collect();
    match offered.as_slice() {
        [(line, from, until)] => Ok((
            line,
            Told::Kubernetes {
                from: *from,
                until: *until,
            },
        )),
        [] => Err(Outcome::unknown(format!(
            "{sku} at Kubernetes {version}: no Azure Local release up to {installed} offered {version}, so the catalog cannot tell whether it is {names}: {tell}"
        ))),
        _ => Err(Outcome::unknown(format!(
            "{sku} at Kubernetes {version} may be {names}: releases {} offered {version}, and a node keeps the image it was made with until its pool is upgraded: {tell}",
            offered
                .iter()
                .map(|(l, from, until)| format!("{} (with {} images)", releases(*from, *until), l.image.as_deref().unwrap_or(&l.os_sku)))
                .collect::<Vec<_>>()
                .join(" and ")
        ))),
    }
}

/// Whether an Azure Local release from `from` to before `until` (and not
/// after `installed`) may have offered `version`: its list says so, or it
/// has no list and the version's minor was out by its last build.
fn offered_between(
    ctx: &Context,
    version: &KubeVersion,
    from: u32,
    until: Option<u32>,
    installed: u32,
) -> bool {
    let minor_out = ctx
        .catalog
        .catalog
        .kubernetes_minor(&version.minor_line())
        .and_then(|m| m.released);
    ctx.catalog
        .line(Product::AksArc)
        .iter()
        .filter(|r| {
            r.version.local().is_some_and(|v| {
                v.release >= from && v.release <= installed && until.is_none_or(|u| v.release < u)
            })
        })
        .any(|r| may_have_offered(r, version, minor_out))
}

fn may_have_offered(
    release: &Release,
    version: &KubeVersion,
    minor_out: Option<crate::base::dates::Day>,
) -> bool {
    if let Some(offered) = release.supports_kubernetes(version) {
        return offered;
    }
    let last_build = release
        .builds
        .iter()
        .filter_map(|b| b.available)
        .max()
        .unwrap_or(release.released.latest);
    minor_out.is_none_or(|out| out <= last_build)
}

/// `before 2507`, `from 2507`, `from 2507 to before 2610`.
fn releases(from: u32, until: Option<u32>) -> String {
    match (from, until) {
        (0, Some(until)) => format!("before {until}"),
        (0, None) => "of every release".to_string(),
        (from, None) => format!("from {from}"),
        (from, Some(until)) => format!("from {from} to before {until}"),
    }
}

/// `Azure Linux 2.0 (CBLMariner)`.
fn label(line: &NodeOsLifecycle) -> String {
    match &line.image {
        Some(image) => format!("{} ({})", clean(image), clean(&line.os_sku)),
        None => clean(&line.os_sku).into_owned(),
    }
}

fn verdict(ctx: &Context, line: &NodeOsLifecycle, told: &Told, said: &Said) -> Outcome {
    let name = label(line);
    let subject = line
        .image
        .as_deref()
        .map_or_else(|| clean(&line.os_sku), clean)
        .into_owned();
    let sku = said.sku.map(clean).unwrap_or_default();
    let of_pool = said
        .pool
        .map(|p| format!(" of node pool {}", clean(p)))
        .unwrap_or_default();
    let how = match told {
        Told::Image => format!(
            "the node reports osImage `{}`",
            clean(said.image.unwrap_or_default())
        ),
        Told::Build => format!(
            "the node reports build {} ({WINDOWS_BUILD_LABEL})",
            clean(said.build.unwrap_or_default())
        ),
        // The label names the SKU already.
        Told::Sku if of_pool.is_empty() => String::new(),
        Told::Sku => format!("osSku {sku}{of_pool}"),
        Told::Release { installed, next } => format!(
            "osSku {sku}{of_pool} on release {installed}, which ships no {} image (AKS Arc ships them from {})",
            next.image.as_deref().map_or_else(|| clean(&next.os_sku), clean),
            next.first_release.unwrap_or_default()
        ),
        Told::Kubernetes { from, until } => format!(
            "osSku {sku}{of_pool} at Kubernetes {}, which only releases {} offered",
            said.kubernetes.map(ToString::to_string).unwrap_or_default(),
            releases(*from, *until)
        ),
    };
    let mut outcome = match line.end_of_support {
        Some(last_day) => support_ends(ctx, &format!("{name} support ends"), &subject, last_day),
        None => Outcome::pass(format!("{name}: no end of support is published")),
    };
    if !how.is_empty() {
        outcome.message = format!("{}; {how}", outcome.message);
    }
    outcome.with("line", subject).with(
        "toldBy",
        match told {
            Told::Image => "osImage",
            Told::Build => "windowsBuild",
            Told::Sku => "osSku",
            Told::Release { .. } => "release",
            Told::Kubernetes { .. } => "kubernetesVersion",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{arc_inventory, run, with_context};
    use super::*;

    /// V011's findings on an AKS Arc `release` whose one cluster has these
    /// members (`nodes`, `nodeList`, `nodePools`), as of `as_of`.
    fn findings(release: &str, members: &str, as_of: &str) -> Vec<(String, Outcome)> {
        let clusters = format!(r#"[{{"name": "c", "kubernetesVersion": "1.31.10", {members}}}]"#);
        run(&RULE, &arc_inventory(release, "", &clusters), as_of)
    }

    /// The one finding of one node (given as JSON members besides its name).
    fn one(release: &str, node: &str, as_of: &str) -> (String, Outcome) {
        let members = format!(r#""nodes": [{{"name": "n", {node}}}]"#);
        let mut all = findings(release, &members, as_of);
        assert_eq!(all.len(), 1, "{all:?}");
        all.remove(0)
    }

    /// V011's own outcome for one node, before the engine folds passes.
    fn unfolded(release: &str, node: &str, as_of: &str) -> Outcome {
        let clusters = format!(
            r#"[{{"name": "c", "kubernetesVersion": "1.31.10", "nodes": [{{"name": "n", {node}}}]}}]"#
        );
        with_context(&arc_inventory(release, "", &clusters), as_of, |ctx| {
            let cluster = &ctx.inventory.clusters()[0];
            check(ctx, cluster, &cluster.nodes[0])
        })
    }

    fn node(sku: &str, image: Option<&str>, as_of: &str) -> (String, Outcome) {
        let image = image.map_or(String::new(), |i| format!(r#", "osImage": "{i}""#));
        one("2510", &format!(r#""osSku": "{sku}"{image}"#), as_of)
    }

    fn status(finding: &(String, Outcome)) -> (&str, &str) {
        (finding.0.as_str(), finding.1.status.as_str())
    }

    #[test]
    fn windows_2019_node_pools_end_in_march_2026() {
        // Some day of March 2026 is the last: from 2026-03-02 it may be out.
        let (_, last) = node("Windows2019", None, "2026-03-01");
        assert_eq!(last.status.as_str(), "warn", "{}", last.message);
        let (_, between) = node("Windows2019", None, "2026-03-02");
        assert_eq!(between.status.as_str(), "unknown", "{}", between.message);
        let (_, between) = node("Windows2019", None, "2026-03-31");
        assert_eq!(between.status.as_str(), "unknown", "{}", between.message);
        let (scope, after) = node("Windows2019", None, "2026-04-01");
        assert_eq!(
            (scope.as_str(), after.status.as_str()),
            ("node/c/n", "fail")
        );
        let (_, fine) = node("Windows2022", None, "2026-04-01");
        assert_eq!(fine.status.as_str(), "pass");
    }

    #[test]
    fn azure_linux_2_is_told_by_its_os_image() {
        let (_, old) = node("CBLMariner", Some("CBL-Mariner/Linux"), "2025-08-01");
        assert_eq!(old.status.as_str(), "fail", "{}", old.message);
        assert!(
            old.message.starts_with("Azure Linux 2.0 (CBLMariner) support ends with 2025-07-31: out of support since 2025-08-01; the node reports osImage `CBL-Mariner/Linux`"),
            "{}",
            old.message
        );
        let (_, new) = node(
            "CBLMariner",
            Some("Microsoft Azure Linux 3.0"),
            "2025-08-01",
        );
        assert_eq!(new.status.as_str(), "pass", "{}", new.message);
    }

    #[test]
    fn what_the_node_reports_tells_its_os_without_an_os_sku() {
        let image =
            |image: &str, as_of: &str| one("2510", &format!(r#""osImage": "{image}""#), as_of);
        // kubectl's osImage, as the nodes print it.
        assert_eq!(
            status(&image("CBL-Mariner/Linux", "2025-07-31")),
            ("node/c/n", "warn")
        );
        assert_eq!(
            status(&image("CBL-Mariner/Linux", "2025-08-01")),
            ("node/c/n", "fail")
        );
        assert_eq!(
            status(&image("Microsoft Azure Linux 3.0", "2026-12-01")),
            ("cluster/c", "pass")
        );
        assert_eq!(
            status(&image("Windows Server 2019 Datacenter", "2026-03-01")),
            ("node/c/n", "warn")
        );
        assert_eq!(
            status(&image("Windows Server 2019 Datacenter", "2026-04-01")),
            ("node/c/n", "fail")
        );
        assert_eq!(
            status(&image("Windows Server 2022 Datacenter", "2026-04-01")),
            ("cluster/c", "pass")
        );
        // An image of no line the catalog knows is not a pass.
        let (_, other) = image("Ubuntu 22.04.4 LTS", "2026-04-01");
        assert_eq!(other.status.as_str(), "unknown");
        assert!(
            other
                .message
                .contains("`Ubuntu 22.04.4 LTS`, which is none of the node OS lines"),
            "{}",
            other.message
        );
        // A Windows node's build label.
        let build = |build: &str| {
            one(
                "2510",
                &format!(r#""labels": {{"node.kubernetes.io/windows-build": "{build}"}}"#),
                "2026-04-01",
            )
        };
        assert_eq!(status(&build("10.0.17763")).1, "fail");
        assert_eq!(status(&build("10.0.20348")).1, "pass");
        // Nothing said: skipped.
        let (_, nothing) = one("2510", r#""os": "Linux""#, "2026-04-01");
        assert_eq!(nothing.status.as_str(), "skip");
    }

    #[test]
    fn a_cbl_mariner_node_without_an_image_is_judged_by_the_release() {
        // Before 2507 AKS Arc ships Azure Linux 2.0 images only.
        let before = |as_of| one("2506", r#""osSku": "CBLMariner""#, as_of);
        assert_eq!(status(&before("2025-07-31")).1, "warn");
        let (_, out) = before("2025-08-01");
        assert_eq!(out.status.as_str(), "fail");
        assert!(
            out.message.ends_with("; osSku CBLMariner on release 2506, which ships no Azure Linux 3.0 image (AKS Arc ships them from 2507)"),
            "{}",
            out.message
        );
        // From 2507 a node may keep an older image: its Kubernetes version tells
        // when only releases from 2507 offered it.
        let after = |kubelet: &str| {
            one(
                "2510",
                &format!(r#""osSku": "CBLMariner", "kubeletVersion": "{kubelet}""#),
                "2026-04-01",
            )
        };
        assert_eq!(status(&after("v1.31.10")), ("cluster/c", "pass"));
        // The engine folds a pass into the cluster's line: the node's own words.
        let current = unfolded(
            "2510",
            r#""osSku": "CBLMariner", "kubeletVersion": "v1.31.10""#,
            "2026-04-01",
        );
        assert_eq!(current.status.as_str(), "pass", "{}", current.message);
        assert!(
            current
                .message
                .ends_with("at Kubernetes 1.31.10, which only releases from 2507 offered"),
            "{}",
            current.message
        );
        // 1.30.4: offered before 2507 (2.0 images) and by 2507 (3.0 images).
        let (_, both) = after("v1.30.4");
        assert_eq!(both.status.as_str(), "unknown");
        assert!(both.message.contains("releases before 2507 (with Azure Linux 2.0 images) and from 2507 (with Azure Linux 3.0 images) offered 1.30.4"), "{}", both.message);
        let (_, unsaid) = one("2510", r#""osSku": "CBLMariner""#, "2026-04-01");
        assert_eq!(unsaid.status.as_str(), "unknown");
        assert!(
            unsaid
                .message
                .contains("its Kubernetes version is not in the inventory"),
            "{}",
            unsaid.message
        );
    }

    #[test]
    fn a_node_takes_its_pools_os_sku_by_its_label() {
        let members = r#""nodePools": [{"name": "linuxpool", "osSku": "CBLMariner", "kubernetesVersion": "1.31.10"}],
            "nodeList": {"kind": "List", "items": [{"kind": "Node", "metadata": {"name": "moc-l1", "labels": {"msft.microsoft/nodepool-name": "c-ead6c2bf-linuxpool"}}}]}"#;
        let all = findings("2506", members, "2025-08-01");
        assert_eq!(status(&all[0]), ("node/c/moc-l1", "fail"));
        assert!(all[0].1.message.ends_with("osSku CBLMariner of node pool linuxpool on release 2506, which ships no Azure Linux 3.0 image (AKS Arc ships them from 2507)"), "{}", all[0].1.message);
        // On 2510 the pool's version tells: 1.31.10 came with 3.0 images only.
        let all = findings("2510", members, "2026-04-01");
        assert_eq!(status(&all[0]), ("cluster/c", "pass"));
    }

    #[test]
    fn a_cluster_of_pools_and_no_nodes_is_judged_by_its_pools() {
        let pools = r#""nodePools": [
            {"name": "linuxpool", "osSku": "CBLMariner", "kubernetesVersion": "1.31.10"},
            {"name": "winpool", "osSku": "Windows2019"}]"#;
        let all = findings("2510", pools, "2026-04-01");
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(status(&all[0]), ("cluster/c", "fail"));
        assert!(
            all[0].1.message.starts_with(
                "node pool winpool: Windows Server 2019 (Windows2019) support ends in 2026-03"
            ),
            "{}",
            all[0].1.message
        );
        let all = findings("2510", pools, "2026-02-01");
        assert_eq!(status(&all[0]), ("cluster/c", "warn"));
        assert_eq!(
            all[0]
                .1
                .deadline
                .as_ref()
                .map(|d| d.date.to_string())
                .as_deref(),
            Some("2026-03-02")
        );
        let linux = r#""nodePools": [{"name": "linuxpool", "osSku": "CBLMariner"}]"#;
        assert_eq!(
            status(&findings("2503", linux, "2025-08-01")[0]),
            ("cluster/c", "fail")
        );
        assert_eq!(
            status(&findings("2510", linux, "2025-12-01")[0]),
            ("cluster/c", "unknown")
        );
        // No pools and no nodes: nothing to judge.
        assert_eq!(
            status(&findings("2510", r#""cni": "calico""#, "2025-12-01")[0]),
            ("cluster/c", "skip")
        );
    }
}
