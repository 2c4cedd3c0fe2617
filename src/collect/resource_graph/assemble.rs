//! The joins of `data/sources/inputs-azure.md` §3, done here on lower-cased
//! ids, and one inventory per Azure Local instance.
//!
//! An update joins its instance by the instance's id (Q2's `clusterKey`).
//! An AKS Arc cluster (Q3: the connected cluster and its provisioned
//! cluster instance) names its custom location, whose host is the Arc
//! resource bridge; no id leads from the bridge to the instance, and every
//! consumer joins them on the resource group (the bridge is deployed in the
//! instance's group), so the instance is the one in the bridge's
//! subscription and resource group. Several instances in that group make
//! the cluster's instance ambiguous: said, never guessed.
//!
//! Whatever cannot become an inventory (an instance without a readable
//! version, a cluster whose instance cannot be found) is written as a
//! not-collected record where the inventories go, and listed in the summary.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use super::answers::{Answers, State};
use super::page::{ClusterRow, InstanceRow, UpdateRow};
use super::queries::Query;
use super::written::{NotCollected, Record};
use crate::base::product::Product;
use crate::base::sanitize::clean;
use crate::base::version::ReleaseVersion;
use crate::collect::conflict::{first_wins, Report};
use crate::collect::facts::same_kubernetes_version;
use crate::collect::written::{
    Cluster, Deployment, Gap, Inventory, Provenance, SourceRecord, COLLECTOR,
};
use crate::inventory::{
    NotCollectedKind, RawDeploymentAzure, RawNotCollected, RawUpdate, RawUpdateSummary,
};
use crate::rules::{silenced_by, silenced_by_without};

/// What the command line adds.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// RFC 3339; `None` leaves `collectedAt` out.
    pub collected_at: Option<String>,
}

/// Lines of one kind the summary shows at most; the rest are counted (each
/// inventory's provenance has its own).
const SHOWN: usize = 50;

/// What was written, and what the summary on standard error says.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub headline: String,
    pub sources: Vec<SourceRecord>,
    pub not_collected: Vec<String>,
    pub problems: Vec<String>,
    pub conflicts: Vec<String>,
    pub gaps: Vec<Gap>,
    pub notes: Vec<String>,
    pub inventories: usize,
    pub records: usize,
}

impl Summary {
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!("collect: {}", self.headline)];
        if !self.sources.is_empty() {
            out.push("sources:".into());
            let width = self.sources.iter().map(|s| s.name.len()).max().unwrap_or(0);
            for s in &self.sources {
                let detail = s.detail.as_deref().unwrap_or_default();
                let what = match &s.file {
                    Some(file) => format!("{}: {detail}", clean(file)),
                    None => detail.to_string(),
                };
                out.push(format!("  {:<11}  {:<width$}  {what}", s.status, s.name));
            }
        }
        let mut section = |title: &str, lines: &[String]| {
            if lines.is_empty() {
                return;
            }
            out.push(title.to_string());
            out.extend(lines.iter().take(SHOWN).map(|l| format!("  {l}")));
            if lines.len() > SHOWN {
                out.push(format!(
                    "  and {} more (in the output: each inventory's provenance has its own)",
                    lines.len() - SHOWN
                ));
            }
        };
        section(
            "not collected (written to the output too, where check reports them):",
            &self.not_collected,
        );
        section("conflicts:", &self.conflicts);
        section("problems in the answers (left out):", &self.problems);
        let gaps: Vec<String> = self.gaps.iter().map(Gap::line).collect();
        section("gaps (not known, so the rules that need them skip):", &gaps);
        section("notes:", &self.notes);
        out
    }
}

/// An instance and what joins it.
struct Site {
    row: InstanceRow,
    /// Its id, lower case.
    key: Option<String>,
    name: String,
    updates: Vec<RawUpdate>,
    clusters: Vec<ClusterRow>,
    problems: Vec<String>,
    notes: Vec<String>,
}

/// Where a cluster runs.
enum Placement {
    One(usize),
    Several(Vec<usize>),
    Unknown(String),
}

/// Joins the answers and hands each record to `emit`, instances in id
/// order, then the clusters no instance could be found for.
pub fn assemble(
    answers: Answers,
    options: &Options,
    emit: &mut dyn FnMut(&Record) -> std::io::Result<()>,
) -> std::io::Result<Summary> {
    let Answers {
        sources,
        instances,
        updates,
        clusters,
        problems,
        notes,
    } = answers;
    let mut summary = Summary {
        problems,
        notes,
        ..Summary::default()
    };
    let updates_state = updates.state.clone();
    let clusters_state = clusters.state.clone();

    let mut sites = sites_of(instances.rows);
    join_updates(&mut sites, updates.rows, &mut summary);
    let unplaced = place_clusters(&mut sites, clusters.rows);

    let names = deployment_names(&sites);
    let gaps = gaps(&updates_state, &clusters_state);
    summary.gaps = gaps.clone();
    let context = Context {
        collected_at: options.collected_at.as_deref(),
        sources: &sources,
        gaps: &gaps,
        updates: updates_state == State::Read,
        clusters: clusters_state == State::Read,
    };
    let instance_count = sites.len();
    let cluster_count = sites.iter().map(|s| s.clusters.len()).sum::<usize>() + unplaced.len();
    for (site, name) in sites.into_iter().zip(names) {
        context.site(site, name, &mut summary, emit)?;
    }
    for (row, why) in unplaced {
        let record = cluster_record(&context, &row, why, &mut summary);
        emit(&record)?;
        summary.records += 1;
    }
    summary.sources = sources;
    summary.headline = format!(
        "{instance_count} Azure Local instance{} and {cluster_count} AKS Arc cluster{} from Resource Graph: {} inventor{} written, {} not collected",
        plural(instance_count),
        plural(cluster_count),
        summary.inventories,
        if summary.inventories == 1 { "y" } else { "ies" },
        summary.not_collected.len()
    );
    Ok(summary)
}

/// The instances, in id order (then name).
fn sites_of(rows: Vec<InstanceRow>) -> Vec<Site> {
    let mut sites: Vec<Site> = rows
        .into_iter()
        .map(|mut row| Site {
            key: row.id.as_deref().map(str::to_ascii_lowercase),
            name: row
                .name
                .clone()
                .or_else(|| last_segment(row.id.as_deref()))
                .unwrap_or_else(|| "(no name)".to_string()),
            problems: std::mem::take(&mut row.problems),
            row,
            updates: Vec::new(),
            clusters: Vec::new(),
            notes: Vec::new(),
        })
        .collect();
    sites.sort_by(|a, b| (&a.key, &a.name).cmp(&(&b.key, &b.name)));
    sites
}

/// Each update to its instance, by the instance's id; the others are counted.
fn join_updates(sites: &mut [Site], rows: Vec<UpdateRow>, summary: &mut Summary) {
    let index: HashMap<String, usize> = sites
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((s.key.clone()?, i)))
        .collect();
    let mut orphan_updates = 0usize;
    for row in rows {
        match row.cluster_key.as_ref().and_then(|k| index.get(k)) {
            Some(&i) if !row.update.name.is_empty() => {
                if let Some(site) = sites.get_mut(i) {
                    site.updates.push(row.update);
                    site.problems.extend(row.problems);
                }
            }
            Some(_) => summary.problems.extend(row.problems),
            None => {
                orphan_updates += 1;
                summary.problems.extend(row.problems);
            }
        }
    }
    if orphan_updates > 0 {
        summary.notes.push(format!(
            "{} ({}): {orphan_updates} update{} of instances not in {}'s answer: not used",
            Query::Updates.label(),
            Query::Updates.source_name(),
            if orphan_updates == 1 { "" } else { "s" },
            Query::Instances.label()
        ));
    }
}

/// Each cluster to the one instance in its resource bridge's group; those
/// that cannot be placed, with why, in id order.
fn place_clusters(sites: &mut [Site], rows: Vec<ClusterRow>) -> Vec<(ClusterRow, String)> {
    let mut groups: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, site) in sites.iter().enumerate() {
        if let Some(group) = instance_group(&site.row) {
            groups.entry(group).or_default().push(i);
        }
    }
    let mut unplaced: Vec<(ClusterRow, String)> = Vec::new();
    for row in rows {
        match place(&row, &groups) {
            Placement::One(i) => {
                if let Some(site) = sites.get_mut(i) {
                    site.clusters.push(row);
                }
            }
            Placement::Several(candidates) => {
                let names: Vec<String> = candidates
                    .iter()
                    .filter_map(|&i| sites.get(i))
                    .map(|s| s.row.id.clone().unwrap_or_else(|| s.name.clone()))
                    .collect();
                let shown = cluster_shown(&row);
                for &i in &candidates {
                    if let Some(site) = sites.get_mut(i) {
                        site.notes.push(format!(
                            "the AKS Arc cluster {shown} may run on this instance or on another of its resource group ({}): which one is not known, so it is in no inventory",
                            names.len()
                        ));
                    }
                }
                let why = format!(
                    "its resource bridge's resource group holds {} Azure Local instances ({}): which one it runs on is ambiguous (the bridge is linked to its instance only by the resource group), so it is not judged with either",
                    names.len(),
                    names.join(", ")
                );
                unplaced.push((row, why));
            }
            Placement::Unknown(why) => unplaced.push((row, why)),
        }
    }
    unplaced.sort_by_key(|(row, _)| row.id().map(str::to_ascii_lowercase));
    unplaced
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// An id's last segment: the resource's name.
fn last_segment(id: Option<&str>) -> Option<String> {
    id?.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|n| !n.trim().is_empty())
        .map(str::to_string)
}

/// An ARM id's subscription and resource group, lower case.
fn group_of(id: &str) -> Option<(String, String)> {
    let mut parts = id.split('/');
    let (empty, subscriptions, subscription, groups, group) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let valid = empty.is_empty()
        && subscriptions.eq_ignore_ascii_case("subscriptions")
        && groups.eq_ignore_ascii_case("resourcegroups")
        && !subscription.is_empty()
        && !group.is_empty();
    valid.then(|| {
        (
            subscription.to_ascii_lowercase(),
            group.to_ascii_lowercase(),
        )
    })
}

fn instance_group(row: &InstanceRow) -> Option<(String, String)> {
    row.id.as_deref().and_then(group_of).or_else(|| {
        Some((
            row.subscription_id.as_deref()?.to_ascii_lowercase(),
            row.resource_group.as_deref()?.to_ascii_lowercase(),
        ))
    })
}

fn cluster_shown(row: &ClusterRow) -> String {
    clean(row.id().or(row.name.as_deref()).unwrap_or("(no id)")).into_owned()
}

/// The instance a cluster runs on: the one in its resource bridge's group.
fn place(row: &ClusterRow, groups: &HashMap<(String, String), Vec<usize>>) -> Placement {
    let Some(bridge) = row.azure.resource_bridge.as_deref() else {
        return Placement::Unknown(match row.azure.custom_location.as_deref() {
            Some(location) => format!(
                "its custom location {} is not in the answer (outside the subscriptions queried, or deleted), so its resource bridge and Azure Local instance are not known",
                clean(location)
            ),
            None => "it names no custom location (extendedLocation), so its Azure Local instance is not known".into(),
        });
    };
    let Some((subscription, group)) = group_of(bridge) else {
        return Placement::Unknown(format!(
            "its custom location's host `{}` is not an Azure resource id",
            clean(bridge)
        ));
    };
    if !bridge
        .to_ascii_lowercase()
        .contains("/providers/microsoft.resourceconnector/appliances/")
    {
        return Placement::Unknown(format!(
            "its custom location's host {} is not an Arc resource bridge: not AKS Arc on Azure Local",
            clean(bridge)
        ));
    }
    match groups.get(&(subscription.clone(), group.clone())).map(Vec::as_slice) {
        Some([one]) => Placement::One(*one),
        Some(several) if several.len() > 1 => Placement::Several(several.to_vec()),
        _ => Placement::Unknown(format!(
            "no Azure Local instance in resource group {} of subscription {}, where its resource bridge {} is (an instance is found by its bridge's resource group); is the instance outside the subscriptions queried?",
            clean(&group),
            clean(&subscription),
            clean(bridge.rsplit('/').next().unwrap_or(bridge))
        )),
    }
}

/// Each instance's `deployment.name`: its name, with its resource group (and
/// subscription) when another instance has the same name.
fn deployment_names(sites: &[Site]) -> Vec<String> {
    let qualified = |site: &Site, level: u8| -> String {
        let group = instance_group(&site.row);
        match (level, group) {
            (0, _) | (_, None) => site.name.clone(),
            (1, Some((_, g))) => format!("{} ({g})", site.name),
            (_, Some((s, g))) => format!("{} ({s}/{g})", site.name),
        }
    };
    unique_names(sites, 2, qualified)
}

/// What no query answers, so the rules that need it skip; and a query that
/// could not be read.
fn gaps(updates: &State, clusters: &State) -> Vec<Gap> {
    // What the line says, the fields it means, why.
    const NEVER: [(&str, &[&str], &str); 7] = [
        ("deployment.subscription", &["deployment.subscription"], "the subscription's state is not in the queries' answers"),
        ("deployment.previewFeatures, clusters[].previewFeatures", &["deployment.previewFeatures", "clusters[].previewFeatures"], "not in the queries' answers"),
        ("clusters[].environment", &["clusters[].environment"], "not in the queries' answers: the default, production, applies"),
        ("clusters[].featureGates, clusters[].apiVersions", &["clusters[].featureGates", "clusters[].apiVersions"], "not in the queries' answers"),
        ("clusters[].components, clusters[].privilegedDaemonSets", &["clusters[].components", "clusters[].privilegedDaemonSets"], "not in the queries' answers"),
        ("clusters[].state", &["clusters[].state"], "Azure reports no power state for an AKS Arc cluster (inputs-azure.md §1.7): the inventory's default, Running, applies"),
        ("clusters[].cni", &["clusters[].cni"], "not in the queries' answers (Q3 does not read the network profile)"),
    ];
    let mut gaps: Vec<Gap> = NEVER
        .iter()
        .map(|(field, fields, why)| Gap {
            field: (*field).to_string(),
            rules: silenced_by(fields),
            why: (*why).to_string(),
        })
        .collect();
    // The rules that read node pools judge them instead of the nodes.
    let pools_judge = silenced_by(&["clusters[].nodePools"]).join(", ");
    gaps.push(Gap {
        field: "clusters[].nodes".to_string(),
        rules: silenced_by_without(&["clusters[].nodes"], &["clusters[].nodePools"]),
        why: format!("Resource Graph lists node pools (clusters[].nodePools), not nodes: collect a cluster's nodes with kubectl (`akspol collect -g GROUP --context CLUSTER=CONTEXT`) for the node rules ({pools_judge} judges the node pools instead)"),
    });
    let unread = |state: &State| match state {
        State::Read => None,
        State::Unavailable(why) => Some(format!("unavailable: {why}")),
        State::Missing => Some("no answer given".to_string()),
    };
    if let Some(why) = unread(updates) {
        gaps.push(Gap {
            field: "deployment.azure.updates".into(),
            rules: silenced_by(&["deployment.azure.updates"]),
            why: format!(
                "{} ({}) {why}",
                Query::Updates.label(),
                Query::Updates.source_name()
            ),
        });
    }
    if let Some(why) = unread(clusters) {
        gaps.push(Gap {
            field: "clusters".into(),
            rules: silenced_by(&["clusters[]"]),
            why: format!(
                "{} ({}) {why}: the AKS Arc clusters are not known",
                Query::Clusters.label(),
                Query::Clusters.source_name()
            ),
        });
    }
    gaps
}

/// What every record shares.
struct Context<'a> {
    collected_at: Option<&'a str>,
    sources: &'a [SourceRecord],
    gaps: &'a [Gap],
    /// Q2 and Q3 were read: an instance's updates and clusters are known.
    updates: bool,
    clusters: bool,
}

impl<'a> Context<'a> {
    fn not_collected(
        &self,
        kind: NotCollectedKind,
        resource_id: Option<String>,
        name: Option<String>,
        why: String,
    ) -> Record<'a> {
        Record::NotCollected(NotCollected {
            schema_version: crate::inventory::SCHEMA_VERSION,
            collected_at: self.collected_at,
            not_collected: RawNotCollected {
                kind,
                resource_id,
                name,
                why,
            },
        })
    }

    /// One instance: its inventory, or why there is none.
    fn site(
        &self,
        mut site: Site,
        name: String,
        summary: &mut Summary,
        emit: &mut dyn FnMut(&Record) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let shown = clean(site.row.id.as_deref().unwrap_or(&site.name)).into_owned();
        let version = match site_version(&site) {
            Ok(v) => v,
            Err(why) => return self.site_not_collected(site, &shown, why, summary, emit),
        };
        let mut fields = deployment_fields(&name, &site.name);
        let mut conflicts = Vec::new();
        let mut left_out = Vec::new();
        let mut notes = std::mem::take(&mut site.notes);
        os_line_note(&site.row, &version, &mut notes);
        let updates = self.updates.then(|| {
            let updates = std::mem::take(&mut site.updates);
            updates_of(updates, &mut fields, &mut notes)
        });
        let clusters = if self.clusters {
            fields.insert(
                "clusters".to_string(),
                Query::Clusters.source_name().to_string(),
            );
            let rows = std::mem::take(&mut site.clusters);
            Some(self.clusters_of(
                rows,
                &shown,
                &mut fields,
                &mut conflicts,
                &mut site.problems,
                &mut notes,
                summary,
                &mut left_out,
            ))
        } else {
            None
        };
        let azure = azure_of(site.row, updates);
        summary.conflicts.extend(conflicts.iter().cloned());
        summary.problems.extend(site.problems.iter().cloned());
        summary
            .notes
            .extend(notes.iter().map(|n| format!("{}: {n}", clean(&name))));
        let inventory = Inventory {
            schema_version: crate::inventory::SCHEMA_VERSION,
            collected_at: self.collected_at.map(str::to_string),
            deployment: Deployment {
                name,
                product: Some(Product::AksArc),
                version,
                azure: Some(azure),
            },
            clusters,
            provenance: Provenance {
                collector: COLLECTOR,
                sources: Cow::Borrowed(self.sources),
                // Sorted by path.
                fields: fields.into_iter().collect(),
                conflicts,
                problems: site.problems,
                notes,
                gaps: Cow::Borrowed(self.gaps),
            },
        };
        emit(&Record::Inventory(Box::new(inventory)))?;
        summary.inventories += 1;
        summary.records += 1;
        for record in left_out {
            emit(&record)?;
            summary.records += 1;
        }
        Ok(())
    }

    /// An instance no inventory can be made of (`why`), with its clusters.
    fn site_not_collected(
        &self,
        mut site: Site,
        shown: &str,
        why: String,
        summary: &mut Summary,
        emit: &mut dyn FnMut(&Record) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let ids: Vec<String> = site.clusters.iter().map(cluster_shown).collect();
        let why = if ids.is_empty() {
            why
        } else {
            format!(
                "{why}; its AKS Arc cluster{} {} not judged either",
                plural(ids.len()),
                ids.join(", ")
            )
        };
        summary
            .not_collected
            .push(format!("the Azure Local instance {shown}: {}", clean(&why)));
        summary.problems.extend(site.problems);
        for cluster in &mut site.clusters {
            summary.problems.append(&mut cluster.problems);
        }
        let record = self.not_collected(
            NotCollectedKind::AzureLocalInstance,
            site.row.id.clone(),
            site.row.name.clone(),
            why,
        );
        emit(&record)?;
        summary.records += 1;
        Ok(())
    }

    /// The clusters of one instance, named uniquely; a cluster without a
    /// Kubernetes version is a not-collected record.
    #[allow(clippy::too_many_arguments)]
    fn clusters_of(
        &self,
        mut rows: Vec<ClusterRow>,
        site: &str,
        fields: &mut BTreeMap<String, String>,
        conflicts: &mut Vec<String>,
        problems: &mut Vec<String>,
        notes: &mut Vec<String>,
        summary: &mut Summary,
        left_out: &mut Vec<Record<'a>>,
    ) -> Vec<Cluster> {
        rows.sort_by_key(|r| r.id().map(str::to_ascii_lowercase));
        let names = cluster_names(&rows);
        let source = Query::Clusters.source_name();
        let mut out = Vec::with_capacity(rows.len());
        for (mut row, name) in rows.into_iter().zip(names) {
            problems.append(&mut row.problems);
            let shown = cluster_shown(&row);
            let (version, basis) = match cluster_version(&row) {
                Some(found) => found,
                None => {
                    let why = format!("no Kubernetes version in Azure's answer for it (it runs on the Azure Local instance {site})");
                    summary
                        .not_collected
                        .push(format!("the AKS Arc cluster {shown}: {}", clean(&why)));
                    problems.push(format!(
                        "the AKS Arc cluster {shown} is in no inventory: {why}"
                    ));
                    left_out.push(self.not_collected(
                        NotCollectedKind::AksArcCluster,
                        row.azure.resource_id.clone(),
                        row.name.clone(),
                        why,
                    ));
                    continue;
                }
            };
            let at = format!("clusters[{}]", out.len());
            fields.insert(at.clone(), source.to_string());
            fields.insert(
                format!("{at}.kubernetesVersion"),
                format!("{source} ({basis})"),
            );
            if Some(&name) != row.name.as_ref() {
                fields.insert(
                    format!("{at}.name"),
                    format!("{source} (name, with its resource group: another cluster of this instance has its name)"),
                );
            }
            if let (Some(azure), Some(agent)) =
                (&row.kubernetes_version, &row.azure.agent_kubernetes_version)
            {
                let reports = vec![
                    Report::of("Azure", azure.clone(), "the provisioned cluster instance"),
                    Report::of("the Arc agent", agent.clone(), "connectedClusters"),
                ];
                let field = format!("{at}.kubernetesVersion ({})", clean(&name));
                if let Some((_, Some(conflict))) =
                    first_wins(&field, reports, same_kubernetes_version)
                {
                    conflicts.push(conflict);
                }
            }
            cluster_notes(&name, &row, notes);
            out.push(Cluster {
                name,
                kubernetes_version: version,
                state: None,
                cni: None,
                node_list: None,
                node_pools: row.node_pools,
                azure: Some(row.azure),
            });
        }
        out
    }
}

/// An instance's `deployment.version`, or why it has none an inventory can hold.
fn site_version(site: &Site) -> Result<String, String> {
    match (&site.row.id, &site.row.current_version) {
        (None, _) => Err(format!(
            "its row ({}) has no id, so its updates and clusters cannot be joined to it",
            site.row
                .at
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        )),
        (Some(_), None) => Err(no_version(&site.updates)),
        (Some(_), Some(v)) => ReleaseVersion::parse(Product::AksArc, v.trim())
            .map(|_| v.trim().to_string())
            .map_err(|why| format!("its currentVersion is not an Azure Local build: {why}")),
    }
}

/// Where the deployment's fields come from: the instance's row. `name` is
/// the one written, `own` the instance's own.
fn deployment_fields(name: &str, own: &str) -> BTreeMap<String, String> {
    let instances = Query::Instances.source_name();
    let mut fields = BTreeMap::new();
    fields.insert(
        "deployment.name".to_string(),
        if name == own {
            format!("{instances} (name)")
        } else {
            format!("{instances} (name, with its resource group: another instance has its name)")
        },
    );
    fields.insert(
        "deployment.version".to_string(),
        format!("{instances} (currentVersion of the update summary)"),
    );
    fields.insert("deployment.azure".to_string(), instances.to_string());
    fields
}

/// `deployment.azure`: the instance as Azure reports it, with its updates
/// when Q2 was read.
fn azure_of(row: InstanceRow, updates: Option<Vec<RawUpdate>>) -> RawDeploymentAzure {
    RawDeploymentAzure {
        resource_id: row.id,
        location: row.location,
        status: row.status,
        connectivity_status: row.connectivity_status,
        last_sync_timestamp: row.last_sync_timestamp,
        registration_timestamp: row.registration_timestamp,
        reported_last_updated: row.reported_last_updated,
        cluster_version: row.cluster_version,
        supported_capabilities: row.supported_capabilities,
        nodes: row.nodes,
        update_summary: Some(RawUpdateSummary {
            state: row.update_state,
            health_state: row.health_state,
            last_updated: row.last_updated,
            last_checked: row.last_checked,
            package_versions: row.package_versions,
        }),
        updates,
    }
}

/// `deployment.azure.updates` (Q2 was read), by name.
fn updates_of(
    mut updates: Vec<RawUpdate>,
    fields: &mut BTreeMap<String, String>,
    notes: &mut Vec<String>,
) -> Vec<RawUpdate> {
    fields.insert(
        "deployment.azure.updates".to_string(),
        Query::Updates.source_name().to_string(),
    );
    updates.sort_by(|a, b| {
        a.name
            .to_ascii_lowercase()
            .cmp(&b.name.to_ascii_lowercase())
    });
    ready_note(&updates, notes);
    updates
}

/// A cluster's Kubernetes version, and what it is: Azure's desired one, else
/// what the Arc agent reports.
fn cluster_version(row: &ClusterRow) -> Option<(String, &'static str)> {
    match (&row.kubernetes_version, &row.azure.agent_kubernetes_version) {
        (Some(v), _) => Some((
            v.clone(),
            "kubernetesVersion: Azure's, of the provisioned cluster instance",
        )),
        (None, Some(v)) => Some((
            v.clone(),
            "arcKubernetesVersion: what the Arc agent reports",
        )),
        (None, None) => None,
    }
}

fn cluster_record<'a>(
    context: &Context<'a>,
    row: &ClusterRow,
    why: String,
    summary: &mut Summary,
) -> Record<'a> {
    summary.not_collected.push(format!(
        "the AKS Arc cluster {}: {}",
        cluster_shown(row),
        clean(&why)
    ));
    summary.problems.extend(row.problems.iter().cloned());
    context.not_collected(
        NotCollectedKind::AksArcCluster,
        row.azure.resource_id.clone(),
        row.name.clone(),
        why,
    )
}

/// Why an instance has no version, and what its updates say.
fn no_version(updates: &[RawUpdate]) -> String {
    let installed: Vec<&str> = updates
        .iter()
        .filter(|u| u.state.as_deref() == Some("Installed"))
        .filter_map(|u| u.version.as_deref())
        .collect();
    let also = if installed.is_empty() {
        String::new()
    } else {
        format!(
            "; its updates list as installed {}: give its release in an inventory by hand if one of them is it",
            installed.join(", ")
        )
    };
    format!("no currentVersion: Resource Graph has no update summary for it (an instance registered without CloudManagedUpdates has none, inputs-azure.md §5){also}")
}

/// The names of one instance's clusters, unique: with the cluster's resource
/// group (then its subscription, then its id) when two share a name.
fn cluster_names(rows: &[ClusterRow]) -> Vec<String> {
    let base = |row: &ClusterRow, level: u8| -> String {
        let name = row
            .name
            .clone()
            .or_else(|| last_segment(row.id()))
            .unwrap_or_else(|| "(no name)".to_string());
        match (level, row.id().and_then(group_of)) {
            (0, _) => name,
            (1, Some((_, g))) => format!("{name} ({g})"),
            (2, Some((s, g))) => format!("{name} ({s}/{g})"),
            _ => row.id().map_or(name, str::to_string),
        }
    };
    unique_names(rows, 3, base)
}

/// Each item's name at level 0; a name that two items share is replaced by
/// its item's name at the next level, up to `levels`, until none is shared.
fn unique_names<T>(items: &[T], levels: u8, name_at: impl Fn(&T, u8) -> String) -> Vec<String> {
    let mut names: Vec<String> = items.iter().map(|item| name_at(item, 0)).collect();
    for level in 1..=levels {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for name in &names {
            *counts.entry(name.as_str()).or_default() += 1;
        }
        let repeated: Vec<bool> = names
            .iter()
            .map(|n| counts.get(n.as_str()).is_some_and(|c| *c > 1))
            .collect();
        if !repeated.contains(&true) {
            break;
        }
        for ((name, item), again) in names.iter_mut().zip(items).zip(repeated) {
            if again {
                *name = name_at(item, level);
            }
        }
    }
    names
}

fn cluster_notes(name: &str, row: &ClusterRow, notes: &mut Vec<String>) {
    let shown = clean(name);
    let azure = &row.azure;
    // inputs.md, az aksarc caveats: a timed-out upgrade shows
    // provisioningState Failed while status.currentState stays Upgrading.
    match (azure.provisioning_state.as_deref(), azure.current_state.as_deref()) {
        (Some("Failed"), Some("Upgrading")) => notes.push(format!(
            "cluster {shown}: provisioningState Failed while currentState is Upgrading: an upgrade that timed out and may still be running"
        )),
        (Some(state), _) if !state.eq_ignore_ascii_case("Succeeded") => notes.push(format!(
            "cluster {shown}: provisioning state {}",
            clean(state)
        )),
        _ => {}
    }
    if let Some(status) = azure
        .connectivity_status
        .as_deref()
        .filter(|s| !s.eq_ignore_ascii_case("Connected"))
    {
        let since = azure
            .last_connectivity_time
            .as_deref()
            .map_or(String::new(), |t| format!(" (last connected {})", clean(t)));
        notes.push(format!(
            "cluster {shown}: its Arc agent is {}{since}: what it reports may be stale",
            clean(status)
        ));
    }
}

/// The updates Azure says are ready to install, as a note (the rules judge them).
fn ready_note(updates: &[RawUpdate], notes: &mut Vec<String>) {
    let ready: Vec<String> = updates
        .iter()
        .filter(|u| {
            u.state.as_deref().is_some_and(|s| {
                s.eq_ignore_ascii_case("Ready") || s.eq_ignore_ascii_case("ReadyToInstall")
            })
        })
        .map(|u| {
            let version = u
                .version
                .as_deref()
                .map_or(String::new(), |v| format!(" ({})", clean(v)));
            format!(
                "{}{version}",
                clean(u.display_name.as_deref().unwrap_or(&u.name))
            )
        })
        .collect();
    if !ready.is_empty() {
        notes.push(format!(
            "Azure lists updates ready to install: {}",
            ready.join(", ")
        ));
    }
}

/// The nodes' OS line against the one the installed build runs.
fn os_line_note(row: &InstanceRow, version: &str, notes: &mut Vec<String>) {
    let line = ReleaseVersion::parse(Product::AksArc, version)
        .ok()
        .and_then(|v| v.local().and_then(|l| l.line()))
        .and_then(|line| match line {
            10 | 11 => Some("23H2"),
            12 => Some("24H2"),
            _ => None,
        });
    let Some(line) = line else { return };
    let mut other: Vec<&str> = row
        .nodes
        .iter()
        .flatten()
        .filter_map(|n| n.os_display_version.as_deref())
        .filter(|v| !v.eq_ignore_ascii_case(line))
        .collect();
    other.sort_unstable();
    other.dedup();
    if !other.is_empty() {
        notes.push(format!(
            "nodes report OS {}, but the installed build {} runs Azure Local {line}",
            other
                .iter()
                .map(|v| clean(v).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            clean(version)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::resource_graph::page;
    use serde_json::{json, Value};

    fn instance(sub: &str, rg: &str, name: &str, version: &str) -> Value {
        let mut row = json!({});
        for column in Query::Instances.columns() {
            row[*column] = json!("");
        }
        row["id"] = json!(format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.AzureStackHCI/clusters/{name}"));
        row["name"] = json!(name);
        row["resourceGroup"] = json!(rg);
        row["subscriptionId"] = json!(sub);
        row["currentVersion"] = json!(version);
        row["nodes"] = json!([{"name": "n1", "osDisplayVersion": "23H2"}]);
        row
    }

    fn update(instance: &Value, name: &str, state: &str) -> Value {
        let id = instance["id"].as_str().unwrap();
        let mut row = json!({});
        for column in Query::Updates.columns() {
            row[*column] = json!("");
        }
        row["id"] = json!(format!("{id}/updates/{name}"));
        row["clusterKey"] = json!(id.to_ascii_lowercase());
        row["name"] = json!(name);
        row["version"] = json!(name.trim_start_matches("Solution"));
        row["state"] = json!(state);
        row
    }

    fn cluster(sub: &str, rg: &str, name: &str, bridge_rg: Option<&str>, version: &str) -> Value {
        let mut row = json!({});
        for column in Query::Clusters.columns() {
            row[*column] = json!("");
        }
        row["id"] = json!(format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Kubernetes/connectedClusters/{name}"));
        row["name"] = json!(name);
        row["customLocationKey"] = json!(format!("/subscriptions/{sub}/resourcegroups/x/providers/microsoft.extendedlocation/customlocations/cl"));
        if let Some(b) = bridge_rg {
            row["hostResourceId"] = json!(format!("/subscriptions/{sub}/resourcegroups/{b}/providers/microsoft.resourceconnector/appliances/arb"));
        }
        row["kubernetesVersion"] = json!(version);
        row["arcKubernetesVersion"] = json!("1.29.2");
        row["agentPoolProfiles"] = json!([{"name": "p", "count": 2, "osSKU": "CBLMariner"}]);
        row
    }

    fn answers(instances: &[Value], updates: Option<&[Value]>, clusters: &[Value]) -> Answers {
        let mut answers = Answers::default();
        let mut add = |name: &str, rows: &[Value]| {
            let text = json!({"count": rows.len(), "data": rows, "skip_token": null, "total_records": rows.len()}).to_string();
            answers.add(page::read(name, &text, None).unwrap());
        };
        add("q1.json", instances);
        if let Some(updates) = updates {
            add("q2.json", updates);
        }
        add("q3.json", clusters);
        answers
    }

    fn records(answers: Answers) -> (Vec<Value>, Summary) {
        let mut lines = Vec::new();
        let summary = assemble(answers, &Options::default(), &mut |record| {
            let mut text = Vec::new();
            crate::base::json::write_line(record, &mut text)?;
            lines.push(String::from_utf8(text).unwrap());
            Ok(())
        })
        .unwrap();
        for line in &lines {
            if !line.contains("notCollected") {
                crate::inventory::load("line", line, crate::inventory::LoadOptions::default())
                    .unwrap_or_else(|e| panic!("{e}\n{line}"));
            }
        }
        let values = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (values, summary)
    }

    #[test]
    fn clusters_join_their_instance_by_the_bridges_group_and_updates_by_id() {
        let a = instance("S1", "RG-A", "site-a", "12.2604.1003.1006");
        let b = instance("s1", "rg-b", "site-b", "10.2411.3.2");
        let updates = [
            update(&a, "Solution12.2607.1003.73", "Ready"),
            update(&b, "Solution10.2411.3.2", "Installed"),
        ];
        // Its own group is another; its bridge is in site-a's (ids compared lower-cased).
        let k = cluster("s1", "rg-apps", "k", Some("rg-a"), "1.30.4");
        let (records, summary) = records(answers(&[b, a], Some(&updates), &[k]));
        assert_eq!(summary.inventories, 2);
        assert_eq!(records[0]["deployment"]["name"], "site-a");
        assert_eq!(
            records[0]["deployment"]["azure"]["updates"][0]["state"],
            "Ready"
        );
        assert_eq!(records[0]["clusters"][0]["name"], "k");
        assert_eq!(
            records[0]["clusters"][0]["nodePools"][0]["osSku"],
            "CBLMariner"
        );
        assert_eq!(records[1]["clusters"], json!([]));
        assert_eq!(
            records[1]["deployment"]["azure"]["updates"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let provenance = &records[0]["provenance"];
        assert_eq!(provenance["conflicts"][0], "clusters[0].kubernetesVersion (k): Azure (the provisioned cluster instance) says 1.30.4; the Arc agent (connectedClusters) says 1.29.2: kept 1.30.4");
        assert!(provenance["notes"].as_array().unwrap().iter().any(|n| n
            == "Azure lists updates ready to install: Solution12.2607.1003.73 (12.2607.1003.73)"));
        assert!(provenance["notes"].as_array().unwrap().iter().any(|n| n == "nodes report OS 23H2, but the installed build 12.2604.1003.1006 runs Azure Local 24H2"));
    }

    #[test]
    fn a_cluster_without_its_instance_or_with_several_is_a_record() {
        let a = instance("s", "rg", "one", "12.2604.1003.1006");
        let b = instance("s", "rg", "two", "12.2604.1003.1006");
        let shared = cluster("s", "apps", "shared", Some("rg"), "1.30.4");
        let far = cluster("s", "apps", "far", Some("elsewhere"), "1.30.4");
        let lost = cluster("s", "apps", "lost", None, "1.30.4");
        let (records, summary) = records(answers(&[a, b], None, &[shared, far, lost]));
        assert_eq!(summary.inventories, 2);
        assert_eq!(records.len(), 5);
        let whys: Vec<&str> = records[2..]
            .iter()
            .map(|r| r["notCollected"]["why"].as_str().unwrap())
            .collect();
        assert!(whys[0].starts_with("no Azure Local instance in resource group elsewhere of subscription s, where its resource bridge arb is"), "{whys:?}");
        assert!(
            whys[1].starts_with("its custom location /subscriptions/s/resourcegroups/x/"),
            "{whys:?}"
        );
        assert!(
            whys[2]
                .starts_with("its resource bridge's resource group holds 2 Azure Local instances"),
            "{whys:?}"
        );
        assert_eq!(records[2]["notCollected"]["kind"], "aks-arc-cluster");
        for site in &records[..2] {
            assert!(site["provenance"]["notes"][0].as_str().unwrap().contains("the AKS Arc cluster /subscriptions/s/resourceGroups/apps/providers/Microsoft.Kubernetes/connectedClusters/shared may run on this instance"));
        }
        // Not known (Q2 not given): absent, and a gap.
        assert!(records[0]["deployment"]["azure"].get("updates").is_none());
        assert!(summary
            .gaps
            .iter()
            .any(|g| g.field == "deployment.azure.updates"
                && g.why == "Q2 (resource-graph-updates) no answer given"));
        assert_eq!(summary.not_collected.len(), 3);
    }

    #[test]
    fn an_instance_without_a_version_is_a_record_naming_its_clusters() {
        let a = instance("s", "rg", "old", "");
        let installed = update(&a, "Solution10.2408.0.29", "Installed");
        let k = cluster("s", "apps", "k", Some("rg"), "1.30.4");
        let (records, summary) = records(answers(&[a], Some(&[installed]), &[k]));
        assert_eq!(summary.inventories, 0);
        assert_eq!(records.len(), 1);
        let record = &records[0]["notCollected"];
        assert_eq!(record["kind"], "azure-local-instance");
        let why = record["why"].as_str().unwrap();
        assert!(
            why.starts_with("no currentVersion: Resource Graph has no update summary for it"),
            "{why}"
        );
        assert!(
            why.contains("its updates list as installed 10.2408.0.29"),
            "{why}"
        );
        assert!(why.ends_with("its AKS Arc cluster /subscriptions/s/resourceGroups/apps/providers/Microsoft.Kubernetes/connectedClusters/k not judged either"), "{why}");
    }

    #[test]
    fn names_are_made_unique() {
        let a = instance("s", "rg-1", "site", "12.2604.1003.1006");
        let b = instance("s", "rg-2", "site", "12.2604.1003.1006");
        let k1 = cluster("s", "apps-1", "k", Some("rg-1"), "1.30.4");
        let k2 = cluster("s", "apps-2", "k", Some("rg-1"), "1.30.4");
        let mut k3 = cluster("s", "apps-3", "v", Some("rg-1"), "");
        k3["arcKubernetesVersion"] = json!("");
        let mut unnamed = instance("s", "rg-3", "from-its-id", " 12.2604.1003.1006 ");
        unnamed["name"] = json!(" ");
        let (records, summary) = records(answers(&[a, b, unnamed], None, &[k1, k2, k3]));
        assert_eq!(records[3]["deployment"]["name"], "from-its-id");
        assert_eq!(records[3]["deployment"]["version"], "12.2604.1003.1006");
        assert_eq!(records[0]["deployment"]["name"], "site (rg-1)");
        assert_eq!(records[2]["deployment"]["name"], "site (rg-2)");
        let names: Vec<&str> = records[0]["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["k (apps-1)", "k (apps-2)"]);
        // A cluster without a Kubernetes version cannot be in an inventory:
        // its record follows its instance's.
        assert_eq!(records[1]["notCollected"]["name"], "v");
        let problems = records[0]["provenance"]["problems"].to_string();
        assert!(
            problems.contains("is in no inventory: no Kubernetes version"),
            "{problems}"
        );
        assert_eq!(summary.records, 4);
    }
}
