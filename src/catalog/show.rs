//! `akspol catalog show`: the catalog in use, for people, one product line at
//! a time.

use std::io::{self, Write};

use super::{Catalog, Release};
use crate::base::dates::{Precision, When};
use crate::base::product::Product;
use crate::base::sanitize::clean;
use crate::base::version::KubeVersion;
use crate::base::wrap::table as fitted_table;
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

/// One product line of the catalog as tables that fit `width` columns.
pub fn render(
    catalog: &Catalog,
    product: Product,
    width: u16,
    out: &mut dyn Write,
) -> io::Result<()> {
    let releases = catalog.line(product);
    writeln!(
        out,
        "catalog: {} (generated {}, {} {})",
        clean(&catalog.source.to_string()),
        catalog.generated,
        releases.len(),
        product.releases()
    )?;
    if let Some(known) = catalog.known_through(product) {
        writeln!(
            out,
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
        )?;
    }
    let table = match product {
        Product::AksHybrid => {
            let mut table = fitted_table(
                width,
                &[
                    "version",
                    "name",
                    "released",
                    "date basis",
                    "kubernetes versions",
                ],
                &[0, 1, 2, 3],
            );
            for r in releases {
                table.add_row([
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
        Product::AksArc => {
            let mut table = fitted_table(
                width,
                &["release", "released", "builds", "kubernetes versions"],
                &[0, 1, 2],
            );
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
                table.add_row([
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
    };
    writeln!(out, "{table}")?;
    let hosts: Vec<_> = catalog
        .platforms
        .iter()
        .filter(|p| (p.os == HostOs::AzureLocal) == (product == Product::AksArc))
        .collect();
    if !hosts.is_empty() {
        let mut platforms = fitted_table(
            width,
            &["host", "version", "end of support", "AKS hybrid"],
            &[0, 2],
        );
        for p in hosts {
            let eos = p
                .end_of_support
                .map_or("(none published)".to_string(), date);
            let aks = match (p.aks_hybrid_supported, p.aks_hybrid_retirement) {
                (false, _) => "not available".to_string(),
                (true, Some(d)) => format!("retires {}", date(d)),
                (true, None) => "supported".to_string(),
            };
            platforms.add_row([p.os.to_string(), clean(&p.version).into_owned(), eos, aks]);
        }
        writeln!(out, "{platforms}")?;
    }
    if product == Product::AksArc && !catalog.node_os.is_empty() {
        let mut skus = fitted_table(width, &["node OS SKU", "image", "end of support"], &[0, 2]);
        for n in &catalog.node_os {
            skus.add_row([
                clean(&n.os_sku).into_owned(),
                clean(n.image.as_deref().unwrap_or("")).into_owned(),
                n.end_of_support
                    .map_or("(none published)".to_string(), date),
            ]);
        }
        writeln!(out, "{skus}")?;
    }
    writeln!(
        out,
        "~ marks an estimated date; a month (2026-07) or a window (a..b) is a date no source gives to the day: a verdict resting on it holds on every day of it or is unknown. `akspol catalog update` fetches publication dates (AKS hybrid line) and the builds Azure Local's update manifest lists."
    )
}
