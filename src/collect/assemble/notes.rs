//! What a reader of the inventory should know that no field holds: a
//! cluster's provisioning state, its upgrades, the release the host
//! believes is the latest, and the Kubernetes versions on offer.

use super::Assembly;
use crate::base::sanitize::clean;
use crate::collect::bundle::Source;
use crate::collect::facts::ClusterFacts;
use crate::collect::Product;

impl Assembly {
    pub(super) fn cluster_notes(&mut self, shown: &str, m: &ClusterFacts) {
        // inputs.md, az aksarc caveats: a timed-out upgrade shows
        // provisioningState Failed while status.currentState stays Upgrading.
        match (m.provisioning_state.as_deref(), m.current_state.as_deref()) {
            (Some("Failed"), Some("Upgrading")) => self.summary.notes.push(format!(
                "cluster {shown}: provisioningState Failed while currentState is Upgrading: an upgrade that timed out and may still be running"
            )),
            (Some(state), _)
                if !["Succeeded", "Deployed", "provisioned"]
                    .iter()
                    .any(|ok| state.eq_ignore_ascii_case(ok)) =>
            {
                self.summary.notes.push(format!(
                    "cluster {shown}: provisioning state {}",
                    clean(state)
                ))
            }
            _ => {}
        }
    }

    /// `Get-AksHciClusterUpdates`: what the cluster can be upgraded to.
    pub(super) fn upgrades_note(&mut self, shown: &str, updates: Option<&(Source, Vec<String>)>) {
        let Some((source, updates)) = updates.filter(|(_, u)| !u.is_empty()) else {
            return;
        };
        self.summary.notes.push(format!(
            "{source}: {shown} can be upgraded to {}",
            updates
                .iter()
                .map(|u| clean(u).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }

    pub(super) fn notes_on_release(&mut self, product: Product, version: &str) {
        if let Some(config) = &self.config {
            if let Some(latest) = &config.cached_latest {
                let on = config
                    .cached_on
                    .as_ref()
                    .map_or(String::new(), |d| format!(" (cached {})", clean(d)));
                let current = if latest == version {
                    ": the installed one"
                } else {
                    ""
                };
                self.summary.notes.push(format!(
                    "Get-AksHciConfig: the host's view of the latest release is {}{current}{on}",
                    clean(latest)
                ));
            }
        }
        if let Some((source, offered)) = &self.offered {
            let what = match product {
                Product::AksHybrid => "the installed release offers Kubernetes",
                Product::AksArc => "the custom location offers Kubernetes",
            };
            let versions: Vec<String> = offered
                .iter()
                .map(|o| clean(&o.version).into_owned())
                .collect();
            if !versions.is_empty() {
                self.summary
                    .notes
                    .push(format!("{source}: {what} {}", versions.join(", ")));
            }
            for o in offered {
                for why in &o.not_ready {
                    self.summary.notes.push(format!(
                        "{source}: {} is not ready on {}",
                        clean(&o.version),
                        clean(why)
                    ));
                }
            }
        }
    }
}
