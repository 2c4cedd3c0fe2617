use super::{declare_rule, Check, Context, Outcome, RuleScope};
use crate::base::version::KubeVersion;
use crate::inventory::{Cluster, Node};

declare_rule! {
    /// Each node's kubelet and kube-proxy must be within the Kubernetes version skew policy.
    ///
    /// ## What it checks
    /// Each node's kubelet and kube-proxy versions against the cluster's control
    /// plane (API server) version, per the upstream Kubernetes version skew
    /// policy: a node component must never be newer than the API server, and may
    /// be at most three minor versions older when the API server is 1.28 or later
    /// and the component is 1.25 or later; otherwise at most two.
    ///
    /// ## Why
    /// Kubernetes versions in AKS hybrid follow the upstream version policy.
    /// Outside the supported skew, the API server and the node components are not
    /// tested together and may not work; Microsoft's support follows the upstream
    /// policy.
    ///
    /// ## How to fix
    /// Upgrade the node pool (`Update-AksHciCluster`, which upgrades node images
    /// and components) so its kubelet and kube-proxy are within the skew. A node
    /// newer than its control plane points to an out-of-band change: replace it.
    ///
    /// ## Policy
    /// Supported version policy (the Kubernetes version skew policy,
    /// kubernetes.io/releases/version-skew-policy).
    pub static RULE = {
        code: V007,
        name: "version-skew",
        scope: RuleScope::Node,
        worst: Fail,
        needs: [
            "clusters[].kubernetesVersion",
            "clusters[].nodes[].kubeletVersion",
            "clusters[].nodes[].kubeProxyVersion",
        ],
        remedy: NodeUpgrade,
        check: Check::Node(check),
    };
}

/// How many minor versions a node component may trail the API server.
pub fn allowed_skew(api_server: &KubeVersion, component: &KubeVersion) -> u64 {
    if api_server.minor() >= 28 && component.minor() >= 25 {
        3
    } else {
        2
    }
}

/// Why `component` is outside the skew of `api_server`, if it is.
pub fn skew_problem(api_server: &KubeVersion, component: &KubeVersion) -> Option<String> {
    if component.major() != api_server.major() {
        return Some(format!(
            "{component} has another major version than the API server {api_server}"
        ));
    }
    if component.minor() > api_server.minor() {
        return Some(format!(
            "{component} is newer than the API server {api_server}"
        ));
    }
    let behind = api_server.minor() - component.minor();
    let allowed = allowed_skew(api_server, component);
    (behind > allowed).then(|| {
        format!("{component} is {behind} minor versions behind the API server {api_server} (at most {allowed} allowed)")
    })
}

fn check(_ctx: &Context, cluster: &Cluster, node: &Node) -> Outcome {
    let api = &cluster.kubernetes_version;
    let components = [
        ("kubelet", &node.kubelet_version),
        ("kube-proxy", &node.kube_proxy_version),
    ];
    if components.iter().all(|(_, v)| v.is_none()) {
        return Outcome::not_in_inventory("kubelet and kube-proxy versions");
    }
    let mut problems: Vec<String> = components
        .iter()
        .filter_map(|(name, version)| {
            version
                .as_ref()
                .and_then(|v| skew_problem(api, v))
                .map(|why| format!("{name} {why}"))
        })
        .collect();
    // Both on the same version: say it once.
    if let [kubelet, kube_proxy] = problems.as_slice() {
        if let (Some(a), Some(b)) = (
            kubelet.strip_prefix("kubelet "),
            kube_proxy.strip_prefix("kube-proxy "),
        ) {
            if a == b {
                problems = vec![format!("kubelet and kube-proxy: {a}")];
            }
        }
    }
    let mut outcome = if problems.is_empty() {
        Outcome::pass(format!("within the version skew of the API server {api}"))
    } else {
        Outcome::fail(problems.join("; "))
    };
    outcome = outcome.with("apiServer", api);
    for (name, version) in components {
        if let Some(v) = version {
            outcome = outcome.with(
                if name == "kubelet" {
                    "kubelet"
                } else {
                    "kubeProxy"
                },
                v,
            );
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> KubeVersion {
        KubeVersion::parse(s).unwrap()
    }

    #[test]
    fn n_minus_three_from_1_28() {
        assert!(skew_problem(&v("1.28.0"), &v("1.25.0")).is_none());
        assert!(skew_problem(&v("1.28.0"), &v("1.24.9")).is_some());
        assert!(skew_problem(&v("1.29.0"), &v("1.26.0")).is_none());
        assert!(skew_problem(&v("1.29.0"), &v("1.25.0")).is_some());
    }

    #[test]
    fn n_minus_two_before_1_28_and_for_old_kubelets() {
        assert!(skew_problem(&v("1.27.3"), &v("1.25.0")).is_none());
        assert!(skew_problem(&v("1.27.3"), &v("1.24.0")).is_some());
        assert!(skew_problem(&v("1.26.0"), &v("1.24.0")).is_none());
        assert!(skew_problem(&v("1.26.0"), &v("1.23.0")).is_some());
    }

    #[test]
    fn never_newer_than_the_api_server() {
        assert!(skew_problem(&v("1.28.5"), &v("1.28.9")).is_none());
        assert!(skew_problem(&v("1.28.5"), &v("1.29.0")).is_some());
        assert!(skew_problem(&v("1.28.5"), &v("2.28.0")).is_some());
    }
}
