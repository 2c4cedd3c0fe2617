use super::{declare_rule, support_ends, Check, Context, Outcome, RuleScope};
use crate::base::sanitize::clean;
use crate::catalog::NodeOsLifecycle;
use crate::inventory::{Cluster, Node};

declare_rule! {
    /// ## What it checks
    /// The lifecycle of each node's OS SKU (`osSku`, as the node pool names
    /// it: `CBLMariner`, `Windows2019`, `Windows2022`), against the catalog's
    /// node OS lifecycles: Azure Linux 2.0 (CBL-Mariner) reached its end of
    /// life on 2025-07-31, and Windows Server 2019 node pools are supported
    /// until March 2026. The API names Azure Linux 2.0 and 3.0 nodes alike
    /// (`CBLMariner`), so for those the node's OS image (`osImage`, kubectl's
    /// `status.nodeInfo.osImage`) tells: one that reads `CBL-Mariner` is the
    /// 2.0 line. It warns within 90 days (`platformWarnDays`) of the end and
    /// fails after; a SKU with no published end passes. An end known only to
    /// the month (March 2026) is judged as V008 judges one.
    ///
    /// Catalog age: the verdict rests on the SKU's own lifecycle date, so it
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
        needs: ["clusters[].nodes[].osSku", "clusters[].nodes[].osImage"],
        remedy: NodeUpgrade,
        check: Check::Node(check),
    };
}

/// The catalog entry that covers the node: its SKU, and for a SKU with
/// several image lines the one its OS image names. `Err` says what is missing.
fn lifecycle<'a>(
    ctx: &Context<'a>,
    sku: &str,
    image: Option<&str>,
) -> Result<Option<&'a NodeOsLifecycle>, String> {
    let entries: Vec<&NodeOsLifecycle> = ctx
        .catalog
        .catalog
        .node_os
        .iter()
        .filter(|n| n.os_sku.eq_ignore_ascii_case(sku))
        .collect();
    if entries.is_empty() {
        return Err(format!(
            "{} is not in the catalog's node OS lifecycles",
            clean(sku)
        ));
    }
    let by_image = entries
        .iter()
        .copied()
        .filter(|n| n.os_image_prefix.is_some());
    let plain = entries
        .iter()
        .copied()
        .find(|n| n.os_image_prefix.is_none());
    if by_image.clone().next().is_none() {
        return Ok(plain);
    }
    let Some(image) = image else {
        return Err(format!(
            "{} names several image lines ({}): the node's osImage is not in the inventory",
            clean(sku),
            entries
                .iter()
                .filter_map(|n| n.image.as_deref())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    Ok(by_image
        .into_iter()
        .find(|n| {
            n.os_image_prefix
                .as_deref()
                .is_some_and(|p| image.trim().starts_with(p))
        })
        .or(plain))
}

fn check(ctx: &Context, _cluster: &Cluster, node: &Node) -> Outcome {
    let Some(sku) = node.os_sku.as_deref() else {
        return Outcome::not_in_inventory("osSku");
    };
    let image = node.os_image.as_deref();
    let evidence = |o: Outcome| {
        o.with("osSku", sku.to_string())
            .with("osImage", image.map(str::to_string))
    };
    let entry = match lifecycle(ctx, sku, image) {
        Ok(entry) => entry,
        Err(why) if image.is_none() && why.contains("osImage") => {
            return evidence(Outcome::skip(why));
        }
        Err(why) => return evidence(Outcome::unknown(why)),
    };
    let name = match (entry.and_then(|e| e.image.as_deref()), image) {
        (Some(line), _) => format!("{} ({line})", clean(sku)),
        (None, Some(image)) => format!("{} ({})", clean(sku), clean(image)),
        (None, None) => clean(sku).into_owned(),
    };
    let Some(last_day) = entry.and_then(|e| e.end_of_support) else {
        return evidence(Outcome::pass(format!(
            "{name}: no end of support is published"
        )));
    };
    evidence(support_ends(
        ctx,
        &format!("{name} support ends"),
        &name,
        last_day,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{arc_inventory, run};
    use super::*;

    fn node(sku: &str, image: Option<&str>, as_of: &str) -> (String, Outcome) {
        let image = image.map_or(String::new(), |i| format!(r#", "osImage": "{i}""#));
        let clusters = format!(
            r#"[{{"name": "c", "kubernetesVersion": "1.31.10", "nodes": [{{"name": "n", "osSku": "{sku}"{image}}}]}}]"#
        );
        run(&RULE, &arc_inventory("2510", "", &clusters), as_of)
            .into_iter()
            .next()
            .unwrap()
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
        let (_, new) = node(
            "CBLMariner",
            Some("Microsoft Azure Linux 3.0"),
            "2025-08-01",
        );
        assert_eq!(new.status.as_str(), "pass", "{}", new.message);
        let (scope, unknown) = node("CBLMariner", None, "2025-08-01");
        assert_eq!(
            (scope.as_str(), unknown.status.as_str()),
            ("cluster/c", "skip")
        );
    }
}
