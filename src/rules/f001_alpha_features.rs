use super::gates::{Gate, Lookup};
use super::{declare_rule, Check, Context, Evidence, Outcome, RuleScope};
use crate::base::sanitize::clean;
use crate::inventory::{Cluster, GateStage};

declare_rule! {
    /// A cluster must not enable alpha Kubernetes features or alpha API versions.
    ///
    /// ## What it checks
    /// The Kubernetes feature gates enabled on a cluster (`featureGates`) and the
    /// extra API versions it serves (`apiVersions`). It fails for an enabled gate
    /// whose stage is `alpha`, and for an API version whose version part contains
    /// `alpha` (such as `resource.k8s.io/v1alpha3`). A gate given without a stage
    /// is looked up in akspol's embedded table of upstream feature gates at the
    /// cluster's Kubernetes minor version; only a gate the table does not know at
    /// that version is `unknown`. Disabled gates are not judged.
    ///
    /// ## Why
    /// AKS hybrid supports the stable and beta features of upstream Kubernetes;
    /// unless its documentation says otherwise, alpha features are not
    /// supported. Alpha features can change or disappear between versions and
    /// are off by default upstream for that reason, so a cluster that depends on
    /// one is outside support.
    ///
    /// ## How to fix
    /// Disable the alpha gate (remove it from the API server, kubelet and other
    /// components' `--feature-gates`) and the alpha API version
    /// (`--runtime-config`), or wait for a Kubernetes version in which the
    /// feature is beta or stable and upgrade to it. For an `unknown` gate, give
    /// its `stage` in the inventory.
    ///
    /// ## Policy
    /// Unsupported alpha and beta Kubernetes features.
    pub static RULE = {
        code: F001,
        name: "alpha-features",
        scope: RuleScope::Cluster,
        worst: Fail,
        needs: [
            "clusters[].kubernetesVersion",
            "clusters[].featureGates",
            "clusters[].apiVersions",
        ],
        remedy: Configuration,
        check: Check::Cluster(check),
    };
}

/// The version part of an API group version (`group/version` or `version`).
fn is_alpha_api(api_version: &str) -> bool {
    api_version
        .rsplit('/')
        .next()
        .is_some_and(|v| v.to_ascii_lowercase().contains("alpha"))
}

fn check(_ctx: &Context, cluster: &Cluster) -> Outcome {
    alpha_outcome(cluster, "alpha", "")
}

/// Enabled alpha gates and API versions fail: F001 calls them alpha (the 2022
/// page), F003 preview (the 2025 pages: stable and beta features only).
/// `label` names them in messages; `why` is appended to a failure.
pub(super) fn alpha_outcome(cluster: &Cluster, label: &str, why: &str) -> Outcome {
    if cluster.feature_gates.is_none() && cluster.api_versions.is_none() {
        return Outcome::not_in_inventory("featureGates and apiVersions");
    }
    let minor_line = cluster.kubernetes_version.minor_line();
    let Staged {
        alpha,
        unknown,
        judged,
    } = stage_gates(cluster);
    let alpha_apis: Vec<&String> = cluster
        .api_versions
        .iter()
        .flatten()
        .filter(|v| is_alpha_api(v))
        .collect();
    let mut problems = Vec::new();
    if !alpha.is_empty() {
        let names: Vec<String> = alpha.iter().map(|n| clean(n).into_owned()).collect();
        problems.push(format!(
            "{label} feature gate(s) enabled: {}",
            names.join(", ")
        ));
    }
    if !alpha_apis.is_empty() {
        let names: Vec<String> = alpha_apis.iter().map(|n| clean(n).into_owned()).collect();
        problems.push(format!(
            "{label} API version(s) enabled: {}",
            names.join(", ")
        ));
    }
    let unknown_text = || {
        unknown
            .iter()
            .map(|(name, in_table)| {
                if *in_table {
                    format!(
                        "{} (not a gate of Kubernetes {minor_line} in the upstream table)",
                        clean(name)
                    )
                } else {
                    format!("{} (not in the upstream table)", clean(name))
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let outcome = if !problems.is_empty() {
        let mut text = problems.join("; ");
        if !unknown.is_empty() {
            text.push_str(&format!("; stage unknown: {}", unknown_text()));
        }
        text.push_str(why);
        Outcome::fail(text)
    } else if !unknown.is_empty() {
        Outcome::unknown(format!(
            "enabled feature gate(s) with no stage: {}; give their stage in the inventory",
            unknown_text()
        ))
    } else {
        Outcome::pass(format!(
            "no {label} feature gates or API versions enabled ({} enabled gate(s), {} extra API version(s))",
            judged.len(),
            cluster.api_versions.as_ref().map_or(0, Vec::len)
        ))
    };
    outcome
        .with("kubernetesVersion", &cluster.kubernetes_version)
        .with("enabledGates", judged)
        .with(
            "alphaApiVersions",
            alpha_apis.into_iter().cloned().collect::<Vec<_>>(),
        )
        .with("gateTableSource", super::gates::table_source())
}

/// The enabled gates by stage: the alpha ones, those with no stage known
/// (and whether the upstream table has the name at all), and the evidence.
struct Staged<'c> {
    alpha: Vec<&'c str>,
    unknown: Vec<(&'c str, bool)>,
    judged: Vec<Evidence>,
}

/// Each enabled gate's stage: as the inventory gives it, else from the
/// upstream table at the cluster's Kubernetes version.
fn stage_gates(cluster: &Cluster) -> Staged<'_> {
    let version = (
        cluster.kubernetes_version.major(),
        cluster.kubernetes_version.minor(),
    );
    let mut staged = Staged {
        alpha: Vec::new(),
        unknown: Vec::new(),
        judged: Vec::new(),
    };
    for gate in cluster.feature_gates.iter().flatten().filter(|g| g.enabled) {
        let (stage, source) = match gate.stage {
            Some(stage) => (Some(stage), Some("inventory".to_string())),
            None => match Gate::embedded(&gate.name).as_ref().map(|g| g.at(version)) {
                Some(Lookup::Stage { stage, source }) => (Some(stage), Some(source.to_string())),
                Some(Lookup::NotAtVersion { source }) => (None, Some(source.to_string())),
                Some(Lookup::NotInTable) | None => (None, None),
            },
        };
        let in_table = source.is_some();
        staged.judged.push(
            Evidence::new()
                .with("name", gate.name.clone())
                .with("stage", stage.map(GateStage::as_str))
                .with("stageSource", source),
        );
        match stage {
            Some(GateStage::Alpha) => staged.alpha.push(gate.name.as_str()),
            Some(_) => {}
            None => staged.unknown.push((gate.name.as_str(), in_table)),
        }
    }
    staged
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::testing::{inventory, one};
    use super::*;

    fn judge(k8s: &str, extra: &str) -> Outcome {
        let text = inventory(
            "",
            &format!(r#"[{{"name": "c", "kubernetesVersion": "{k8s}", {extra}}}]"#),
        );
        one(&RULE, &text, "2026-11-01")
    }

    #[test]
    fn api_versions() {
        assert!(is_alpha_api("resource.k8s.io/v1alpha3"));
        assert!(!is_alpha_api("resource.k8s.io/v1beta1"));
        assert!(!is_alpha_api("alpha.example.com/v1"));
        assert!(is_alpha_api("v2alpha1"));
    }

    #[test]
    fn gates_without_a_stage_are_looked_up_per_version() {
        let gate = r#""featureGates": [{"name": "SidecarContainers", "enabled": true}]"#;
        let alpha = judge("1.28.5", gate);
        assert_eq!(alpha.status.as_str(), "fail", "{}", alpha.message);
        assert!(alpha.evidence.to_value()["enabledGates"][0]["stageSource"]
            .as_str()
            .unwrap()
            .contains("versioned_feature_list.yaml"));
        assert_eq!(judge("1.29.2", gate).status.as_str(), "pass");
        let made_up = judge(
            "1.28.5",
            r#""featureGates": [{"name": "MadeUpGate", "enabled": true}]"#,
        );
        assert_eq!(made_up.status.as_str(), "unknown");
        assert!(made_up.message.contains("not in the upstream table"));
    }

    #[test]
    fn declared_stage_and_disabled_gates() {
        let declared = judge(
            "1.28.5",
            r#""featureGates": [{"name": "MadeUpGate", "enabled": true, "stage": "beta"}, {"name": "Other", "enabled": false, "stage": "alpha"}]"#,
        );
        assert_eq!(declared.status.as_str(), "pass", "{}", declared.message);
        let api = judge("1.28.5", r#""apiVersions": ["resource.k8s.io/v1alpha2"]"#);
        assert_eq!(api.status.as_str(), "fail");
        assert_eq!(
            judge("1.28.5", r#""cni": "calico""#).status.as_str(),
            "skip"
        );
    }
}
