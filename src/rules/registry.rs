//! Every rule, in code order, and [`RuleCode`], made from the same list: a
//! rule's code is named in code outside `src/rules/` only as a variant of
//! it. Adding a rule: copy a rule file, fill in its doc sections, add one
//! line here, add a fixture that fires it and one that passes.

use super::Rule;
use super::*;

/// The registry: each rule's code and the file that declares it. Makes
/// [`RuleCode`] (one variant per line, in this order) and [`RULES`].
macro_rules! registry {
    ($($code:ident => $file:ident,)*) => {
        /// A rule's code: `V003`. One variant per registered rule, in code
        /// order (the families V, S, M, F, C, then the number); its text is
        /// [`RuleCode::as_str`], and text is read with [`str::parse`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RuleCode {
            $($code,)*
        }

        impl RuleCode {
            /// Every code, in code order.
            pub const ALL: &'static [RuleCode] = &[$(RuleCode::$code,)*];

            /// `V003`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleCode::$code => stringify!($code),)*
                }
            }

            /// The rule with this code.
            pub fn rule(self) -> &'static Rule {
                match self {
                    $(RuleCode::$code => &$file::RULE,)*
                }
            }
        }

        /// Every rule, in code order.
        pub static RULES: &[&Rule] = &[$(&$file::RULE,)*];
    };
}

registry! {
    V001 => v001_release_known,
    V002 => v002_recommended_window,
    V003 => v003_support_window,
    V004 => v004_release_availability,
    V005 => v005_upgrade_path,
    V006 => v006_kubernetes_version,
    V007 => v007_version_skew,
    V008 => v008_host_platform,
    V009 => v009_release_support_window,
    V010 => v010_kubernetes_lifecycle,
    V011 => v011_node_os_sku,
    V012 => v012_ready_updates,
    V013 => v013_update_check_age,
    S001 => s001_stopped_cluster,
    S002 => s002_manual_deallocation,
    S003 => s003_subscription,
    S004 => s004_nodes_stopped,
    S005 => s005_management_connection,
    S006 => s006_subscription_deleted,
    S007 => s007_azure_sync,
    S008 => s008_certificate_validity,
    M001 => m001_system_metadata,
    M002 => m002_out_of_band_changes,
    M003 => m003_custom_base_image,
    M004 => m004_network_customization,
    M005 => m005_privileged_daemonsets,
    F001 => f001_alpha_features,
    F002 => f002_preview_features,
    F003 => f003_upstream_preview_features,
    C001 => c001_third_party_software,
    C002 => c002_cni,
    C003 => c003_node_image_age,
}

impl std::fmt::Display for RuleCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Text that is no rule's code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{}` is not a rule code; the rules are {}", crate::base::sanitize::clean(.0), codes())]
pub struct UnknownRuleCode(pub String);

fn codes() -> String {
    RuleCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl std::str::FromStr for RuleCode {
    type Err = UnknownRuleCode;

    /// A code in any case (`v003`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        RuleCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text))
            .ok_or_else(|| UnknownRuleCode(text.to_string()))
    }
}

impl PartialEq<&str> for RuleCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<RuleCode> for &str {
    fn eq(&self, other: &RuleCode) -> bool {
        *self == other.as_str()
    }
}

/// The rule with this code (case-insensitive) or name.
pub fn find(code: &str) -> Option<&'static Rule> {
    match code.parse::<RuleCode>() {
        Ok(code) => Some(code.rule()),
        Err(_) => RULES.iter().copied().find(|r| r.name == code),
    }
}

/// The rules a missing field leaves without a verdict: those that need it
/// or a field inside it (`clusters[].nodes` silences every node rule). For
/// each field in turn, in code order; each rule once. Fields are named as
/// rules name their needs (`clusters[].state`, the schema's paths).
pub fn silenced_by(fields: &[&str]) -> Vec<&'static str> {
    let inside = |need: &str, field: &str| {
        need.strip_prefix(field)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    };
    let mut codes = Vec::new();
    for field in fields {
        for rule in RULES {
            if rule.needs.iter().any(|need| inside(need, field)) && !codes.contains(&rule.code) {
                codes.push(rule.code);
            }
        }
    }
    codes
}

/// The rules a missing field leaves without a verdict although `present`
/// fields are given: those [`silenced_by`] names that need none of
/// `present` (V011, which reads nodes, judges the node pools when a cluster
/// lists no nodes).
pub fn silenced_by_without(missing: &[&str], present: &[&str]) -> Vec<&'static str> {
    let judged_otherwise = silenced_by(present);
    silenced_by(missing)
        .into_iter()
        .filter(|code| !judged_otherwise.contains(code))
        .collect()
}

/// Applies `--select` and `--ignore` (codes or code prefixes such as `V` or `V00`).
/// An entry that matches no rule is an error: a typo must not silently select nothing.
pub fn select(select: &[String], ignore: &[String]) -> Result<Vec<&'static Rule>, String> {
    let matches = |entry: &str, rule: &Rule| {
        let entry = entry.trim();
        rule.code.len() >= entry.len()
            && rule
                .code
                .get(..entry.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(entry))
            || rule.name == entry
    };
    for entry in select.iter().chain(ignore) {
        if !RULES.iter().any(|r| matches(entry, r)) {
            return Err(format!(
                "`{}` matches no rule; the rules are {}",
                crate::base::sanitize::clean(entry),
                codes()
            ));
        }
    }
    Ok(RULES
        .iter()
        .copied()
        .filter(|r| select.is_empty() || select.iter().any(|e| matches(e, r)))
        .filter(|r| !ignore.iter().any(|e| matches(e, r)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As cargo-deny does for its codes: each code once, well formed, in
    /// code order (the families in the order `docs/spec/rules.md` lists
    /// them, then the number), and each the code of the rule its line names.
    #[test]
    fn codes_are_unique_well_formed_in_order_and_their_rules_own() {
        const FAMILIES: &str = "VSMFC";
        let mut seen = std::collections::HashSet::new();
        let mut previous = None;
        assert_eq!(RuleCode::ALL.len(), RULES.len());
        for (code, rule) in RuleCode::ALL.iter().zip(RULES) {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert_eq!(rule.code, text, "the line of {text} names another rule");
            assert!(std::ptr::eq(code.rule(), *rule), "{text}");
            let mut chars = text.chars();
            let family = chars.next().and_then(|f| FAMILIES.find(f));
            let number: Option<u16> = chars.as_str().parse().ok();
            assert!(
                text.len() == 4 && family.is_some() && number.is_some(),
                "{text} is not a family letter and three digits"
            );
            let key = (family, number);
            assert!(previous < Some(key), "{text} is out of code order");
            previous = Some(key);
        }
    }

    #[test]
    fn a_missing_field_silences_the_rules_that_need_it_or_a_field_inside_it() {
        assert_eq!(silenced_by(&["clusters[].state"]), ["S001", "S002"]);
        assert_eq!(silenced_by(&["deployment.platform"]), ["V008"]);
        // Field by field: the network's rule, then the tags' and metadata's.
        assert_eq!(
            silenced_by(&["clusters[].nodes[].network", "clusters[].nodes[].tags"]),
            ["M004", "M001"]
        );
        let nodes = silenced_by(&["clusters[].nodes"]);
        for code in ["V007", "V011", "S004", "M001", "C003"] {
            assert!(nodes.contains(&code), "{code}: {nodes:?}");
        }
        assert!(!nodes.contains(&"S001"), "{nodes:?}");
        // A prefix of a name is not a field around it.
        assert!(silenced_by(&["clusters[].node"]).is_empty());
        assert!(silenced_by(&["deployment.azure.update"]).is_empty());
        assert_eq!(silenced_by(&["deployment.azure.updates"]), ["V012"]);
        // Node pools given: V011 judges them, the other node rules still skip.
        let pools = silenced_by_without(&["clusters[].nodes"], &["clusters[].nodePools"]);
        assert!(!pools.contains(&"V011"), "{pools:?}");
        assert_eq!(pools.len() + 1, nodes.len(), "{pools:?}");
    }

    #[test]
    fn a_code_reads_back_in_any_case_and_nothing_else_reads() {
        for code in RuleCode::ALL {
            assert_eq!(code.as_str().parse::<RuleCode>(), Ok(*code));
            assert_eq!(code.as_str().to_lowercase().parse::<RuleCode>(), Ok(*code));
            assert_eq!(code.to_string(), code.as_str());
        }
        for bad in [
            "",
            " S001",
            "V",
            "V01",
            "V0001",
            "Z001",
            "stopped-cluster",
            "V099",
        ] {
            let error = bad.parse::<RuleCode>().unwrap_err();
            assert!(
                error.to_string().contains("the rules are V001, V002"),
                "{error}"
            );
        }
        assert_eq!(find("stopped-cluster").map(|r| r.code), Some("S001"));
        assert_eq!(find("s001").map(|r| r.code), Some("S001"));
        assert!(find("Stopped-Cluster").is_none());
    }
}
