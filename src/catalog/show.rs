//! `akspol catalog show`: the catalog in use, for people, one product line at
//! a time.

use std::io::{self, Write};

use super::{Catalog, Release};
use crate::base::dates::{Precision, When};
use crate::base::grid::{Column, Grid};
use crate::base::product::Product;
use crate::base::sanitize::clean;
use crate::base::version::KubeVersion;
use crate::base::wrap::{hanging, wrap};
use crate::inventory::HostOs;

fn list(versions: &[KubeVersion]) -> String {
    versions
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Kubernetes column: the complete list, or the versions seen (partial).
fn kubernetes(full: Option<&Vec<KubeVersion>>, seen: Option<&Vec<KubeVersion>>) -> String {
    match (full, seen) {
        (Some(full), _) => list(full),
        (None, Some(seen)) => format!("seen: {} (partial)", list(seen)),
        (None, None) => "(not in catalog)".to_string(),
    }
}

/// A date with its precision when it is not one day: `2026-07 (month)`,
/// `2026-03-28..2026-05-13 (window)`, `~2025-10-08`.
fn date(when: When) -> String {
    match when.precision() {
        Precision::Month | Precision::Window => {
            format!("{when} ({})", when.precision().as_str())
        }
        Precision::Day | Precision::Estimate => when.to_string(),
    }
}

/// `2608 (third-party)`: a release only third parties attest.
fn release_name(r: &Release) -> String {
    match r.confidence.as_deref() {
        Some(confidence) if confidence != "microsoft" => {
            format!("{} ({})", r.version, clean(confidence))
        }
        _ => r.version.to_string(),
    }
}

/// Narrower than this, nothing fits anyway: lay out as if this wide.
const MIN_WIDTH: usize = 40;

/// One product line of the catalog as tables that fit `width` columns.
pub fn render(
    catalog: &Catalog,
    product: Product,
    width: u16,
    out: &mut dyn Write,
) -> io::Result<()> {
    let width = usize::from(width).max(MIN_WIDTH);
    let releases = catalog.line(product);
    let mut lines = wrap(
        &format!(
            "catalog: {} (generated {}, {} {})",
            clean(&catalog.source.to_string()),
            catalog.generated,
            releases.len(),
            product.releases()
        ),
        width,
    );
    if let Some(known) = catalog.known_through(product) {
        let text = format!(
            "{} known through {}{}{}",
            product.releases(),
            known.date,
            if known.date.is_month() {
                ", to the month"
            } else {
                ""
            },
            known
                .fact
                .as_deref()
                .map(|f| format!(" ({})", clean(f)))
                .unwrap_or_default()
        );
        lines.extend(hanging(&text, "", "  ", width));
    }
    for line in lines {
        writeln!(out, "{line}")?;
    }
    let table = match product {
        Product::AksHybrid => hybrid_releases(releases),
        Product::AksArc => azure_local_releases(releases),
    };
    writeln!(out)?;
    table.write(width, out)?;
    let hosts = platforms(catalog, product);
    if !hosts.is_empty() {
        writeln!(out)?;
        hosts.write(width, out)?;
    }
    if product == Product::AksArc && !catalog.node_os.is_empty() {
        let mut skus = Grid::new(&[
            Column::whole("node OS SKU"),
            Column::whole("image").named(),
            Column::whole("end of support").named(),
        ]);
        for n in &catalog.node_os {
            skus.push([
                clean(&n.os_sku).into_owned(),
                clean(n.image.as_deref().unwrap_or("")).into_owned(),
                n.end_of_support
                    .map_or("(none published)".to_string(), date),
            ]);
        }
        writeln!(out)?;
        skus.write(width, out)?;
    }
    writeln!(out)?;
    for line in wrap(
        "~ marks an estimated date; a month (2026-07) or a window (a..b) is a date no source gives to the day: a verdict resting on it holds on every day of it or is unknown. `akspol catalog update` fetches publication dates (AKS hybrid line) and the builds Azure Local's update manifest lists.",
        width,
    ) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The AksHci line: a release per row, with its name and date.
fn hybrid_releases(releases: &[Release]) -> Grid {
    let mut table = Grid::new(&[
        Column::whole("version"),
        Column::whole("name"),
        Column::whole("released").named(),
        Column::whole("date basis").named(),
        Column::prose("kubernetes versions").named(),
    ]);
    for r in releases {
        table.push([
            r.version.to_string(),
            clean(r.name.as_deref().unwrap_or("")).into_owned(),
            date(r.released),
            r.date_basis.as_str().to_string(),
            kubernetes(
                r.kubernetes_versions.as_ref(),
                r.kubernetes_versions_seen.as_ref(),
            ),
        ]);
    }
    table
}

/// Azure Local: a release per row, with its builds one per line.
fn azure_local_releases(releases: &[Release]) -> Grid {
    let mut table = Grid::new(&[
        Column::whole("release"),
        Column::whole("released").named(),
        Column::prose("builds").named(),
        Column::prose("kubernetes versions").named(),
    ]);
    let builds = |builds: &[super::Build]| {
        builds
            .iter()
            .map(|b| {
                let mut about = match (&b.alias_of, b.available) {
                    (Some(of), _) => vec![format!("= {}", clean(of))],
                    (None, Some(d)) => vec![d.to_string()],
                    (None, None) => vec!["no date".to_string()],
                };
                about.extend(
                    b.confidence
                        .as_deref()
                        .filter(|c| *c != "microsoft")
                        .map(|c| clean(c).into_owned()),
                );
                format!("{} ({})", b.version, about.join("; "))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    for r in releases {
        table.push([
            release_name(r),
            date(r.released),
            builds(&r.builds),
            kubernetes(
                r.kubernetes_versions.as_ref(),
                r.kubernetes_versions_seen.as_ref(),
            ),
        ]);
    }
    table
}

/// The host platforms of the line: Windows Server for AksHci, Azure Local
/// for AKS Arc.
fn platforms(catalog: &Catalog, product: Product) -> Grid {
    let mut platforms = Grid::new(&[
        Column::whole("host"),
        Column::whole("version"),
        Column::whole("end of support").named(),
        Column::whole("AKS hybrid").named(),
    ]);
    let hosts = catalog
        .platforms
        .iter()
        .filter(|p| (p.os == HostOs::AzureLocal) == (product == Product::AksArc));
    for p in hosts {
        let eos = p
            .end_of_support
            .map_or("(none published)".to_string(), date);
        let aks = match (p.aks_hybrid_supported, p.aks_hybrid_retirement) {
            (false, _) => "not available".to_string(),
            (true, Some(d)) => format!("retires {}", date(d)),
            (true, None) => "supported".to_string(),
        };
        platforms.push([p.os.to_string(), clean(&p.version).into_owned(), eos, aks]);
    }
    platforms
}
