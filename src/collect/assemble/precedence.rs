//! Which source wins where sources overlap. A cluster's Kubernetes version
//! is the API server's own (`kubectl version`), else the one its
//! control-plane nodes run (`kubectl get nodes`), else the management
//! plane's (`Get-AksHciCluster`, `az aksarc`); the installed release is
//! `Get-AksHciVersion`'s, else `Get-AksHciConfig`'s, else
//! `--deployment-version`. Every disagreement is reported
//! ([`crate::collect::conflict`]); nothing is averaged or guessed.

use super::{Assembly, ClusterSources, Options};
use crate::base::version::ReleaseVersion;
use crate::collect::conflict::{first_wins, Report};
use crate::collect::facts::same_kubernetes_version;
use crate::collect::Product;

impl Assembly {
    /// `deployment.version`, and the source it came from.
    pub(super) fn deployment_version(
        &mut self,
        options: &Options,
        product: Product,
    ) -> Result<String, String> {
        let mut reports = self.release.clone();
        if let Some(given) = &options.deployment_version {
            ReleaseVersion::parse(product, given)
                .map_err(|why| format!("--deployment-version: {why}"))?;
            reports.push(Report::new("--deployment-version", given.clone()));
        }
        let Some((kept, conflict)) = first_wins("deployment.version", reports, |a, b| a == b)
        else {
            return Err(match product {
                Product::AksArc => "deployment.version is unknown: az aksarc does not report the Azure Local release; give it with --deployment-version (a release such as 2510, or a build such as 12.2510.1002.94)".into(),
                Product::AksHybrid => "deployment.version is unknown: no Get-AksHciVersion.txt or Get-AksHciConfig.json was read; give it with --deployment-version (W.X.Y.ZZZZ, what Get-AksHciVersion prints)".into(),
            });
        };
        self.summary.conflicts.extend(conflict);
        self.field("deployment.version", &kept.source);
        Ok(kept.value)
    }

    /// A cluster's Kubernetes version and its source; `None` when no source
    /// reports one. The cluster is `at` in the inventory, `shown` in messages.
    pub(super) fn kubernetes_version(
        &mut self,
        at: &str,
        shown: &str,
        s: &ClusterSources,
    ) -> Option<Report> {
        let mut reports = Vec::new();
        if let Some((source, v)) = &s.server_version {
            reports.push(Report::of(
                source.to_string(),
                v.clone(),
                "the API server's own report",
            ));
        }
        if let Some((source, list)) = &s.nodes {
            let versions: Vec<&String> = list
                .nodes
                .iter()
                .filter(|n| n.control_plane)
                .filter_map(|n| n.kubelet_version.as_ref())
                .collect();
            // Control-plane nodes that disagree (mid-upgrade) say nothing.
            if let Some(first) = versions.first() {
                if versions.iter().all(|v| same_kubernetes_version(v, first)) {
                    reports.push(Report::of(
                        source.to_string(),
                        (*first).clone(),
                        "its control-plane nodes",
                    ));
                }
            }
        }
        if let Some((source, facts)) = &s.management {
            if let Some(v) = &facts.kubernetes_version {
                reports.push(Report::of(
                    source.to_string(),
                    v.clone(),
                    "the management plane",
                ));
            }
        }
        let field = format!("{at}.kubernetesVersion ({shown})");
        let (kept, conflict) = first_wins(&field, reports, same_kubernetes_version)?;
        self.summary.conflicts.extend(conflict);
        Some(kept)
    }
}
