//! Every rule, in code order. Adding a rule: copy a rule file, fill in its doc
//! sections, add one line here, add a fixture that fires it and one that passes.

use super::Rule;
use super::*;

pub static RULES: &[&Rule] = &[
    &v001_release_known::RULE,
    &v002_recommended_window::RULE,
    &v003_support_window::RULE,
    &v004_release_availability::RULE,
    &v005_upgrade_path::RULE,
    &v006_kubernetes_version::RULE,
    &v007_version_skew::RULE,
    &v008_host_platform::RULE,
    &v009_release_support_window::RULE,
    &v010_kubernetes_lifecycle::RULE,
    &v011_node_os_sku::RULE,
    &s001_stopped_cluster::RULE,
    &s002_manual_deallocation::RULE,
    &s003_subscription::RULE,
    &s004_nodes_stopped::RULE,
    &s005_management_connection::RULE,
    &s006_subscription_deleted::RULE,
    &m001_system_metadata::RULE,
    &m002_out_of_band_changes::RULE,
    &m003_custom_base_image::RULE,
    &m004_network_customization::RULE,
    &m005_privileged_daemonsets::RULE,
    &f001_alpha_features::RULE,
    &f002_preview_features::RULE,
    &f003_upstream_preview_features::RULE,
    &c001_third_party_software::RULE,
    &c002_cni::RULE,
    &c003_node_image_age::RULE,
];

/// The rule with this code (case-insensitive).
pub fn find(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code) || r.name == code)
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
            let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
            return Err(format!(
                "`{}` matches no rule; the rules are {}",
                crate::base::sanitize::clean(entry),
                codes.join(", ")
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
