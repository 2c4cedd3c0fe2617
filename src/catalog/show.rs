//! `akspol catalog show`: the catalog in use, for people.

use std::io::{self, Write};

use super::Catalog;
use crate::base::sanitize::clean;
use crate::base::wrap::table;

/// The catalog as tables that fit `width` columns.
pub fn render(catalog: &Catalog, width: u16, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "catalog: {} (generated {}, {} releases)",
        clean(&catalog.source.to_string()),
        catalog.generated,
        catalog.releases.len()
    )?;
    let mut releases = table(
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
    for r in &catalog.releases {
        let kube = r.kubernetes_versions.as_ref().map_or_else(
            || "(not in catalog)".to_string(),
            |list| {
                list.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        );
        let released = format!(
            "{}{}",
            if r.date_basis.is_estimate() { "~" } else { "" },
            r.released
        );
        releases.add_row([
            r.version.to_string(),
            clean(r.name.as_deref().unwrap_or("")).into_owned(),
            released,
            r.date_basis.as_str().to_string(),
            kube,
        ]);
    }
    writeln!(out, "{releases}")?;
    if !catalog.platforms.is_empty() {
        let mut platforms = table(
            width,
            &["host", "version", "end of support", "AKS hybrid"],
            &[0, 2],
        );
        for p in &catalog.platforms {
            let eos = p
                .end_of_support
                .map_or("(none published)".to_string(), |d| {
                    format!("{}{d}", if p.end_of_support_estimated { "~" } else { "" })
                });
            let aks = match (p.aks_hybrid_supported, p.aks_hybrid_retirement) {
                (false, _) => "not available".to_string(),
                (true, Some(d)) => format!("retires ~{d}"),
                (true, None) => "supported".to_string(),
            };
            platforms.add_row([p.os.to_string(), clean(&p.version).into_owned(), eos, aks]);
        }
        writeln!(out, "{platforms}")?;
    }
    writeln!(
        out,
        "~ marks an estimated date; `akspol catalog update` fetches publication dates."
    )
}
