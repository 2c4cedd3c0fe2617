//! The lines that say what a verdict rests on: the policy edition it was
//! judged against (and a notice when a reader would expect another one), and
//! the catalog with the date its facts reach and their age. Each format puts
//! them in its own header; they are small functions so any layout can reuse
//! them.

use crate::base::dates::Day;
use crate::base::sanitize::clean;
use crate::findings::{CatalogLine, InventoryReport, Run, Totals};

/// `note: a newer edition was in force on …`, when there is something to note.
pub fn notice_line(inventory: &InventoryReport) -> Option<String> {
    inventory
        .policy
        .notice
        .as_ref()
        .map(|notice| format!("note: {notice}"))
}

/// `warning: …`, one per notice of the inventory: what its verdict cannot
/// show (saved outputs not read, a deployment judged with no cluster).
pub fn notice_warnings(inventory: &InventoryReport) -> Vec<String> {
    inventory
        .notices
        .iter()
        .map(|notice| format!("warning: {}", clean(notice)))
        .collect()
}

/// `AKS hybrid releases known through ~2025-10-08, 411 days before the as-of
/// date (more than …)`: how far the catalog's facts of a line reach, and how
/// precisely (`2026-10 (to the month)`, `37 to 67 days`).
pub fn catalog_age(line: &CatalogLine, _as_of: Day) -> String {
    let product = line.product.releases();
    let Some(known) = line.known_through_text() else {
        return format!("no {product} in the catalog");
    };
    if line.after_as_of {
        return format!("{product} known through {known}, after the as-of date");
    }
    let age = line.age_text().unwrap_or_default();
    match line.max_age_days {
        _ if line.too_old => format!(
            "{product} known through {known}, {age} before the as-of date: more than the line's {}-day release cadence, so a pass that needs the latest release is unknown (run `akspol catalog update` or pass --catalog)",
            line.max_age_days.unwrap_or_default()
        ),
        Some(max) => format!(
            "{product} known through {known}, {age} before the as-of date (within the line's {max}-day release cadence)"
        ),
        None => format!("{product} known through {known}, {age} before the as-of date (age check off)"),
    }
}

/// One warning per product line the judged inventories use whose catalog
/// facts are older than the line's cadence (the reports say it too; this is
/// for standard error and GitHub's annotations).
pub fn too_old_warnings(run: &Run, totals: &Totals) -> Vec<String> {
    run.catalog
        .lines
        .iter()
        .filter(|line| line.too_old && totals.editions.iter().any(|e| e.product == line.product))
        .map(|line| {
            format!(
                "the catalog in use ({}) knows {} up to {}, {} before the as-of date {} (more than {}): a pass that needs the latest release is reported unknown; run `akspol catalog update` or pass --catalog",
                clean(&run.catalog.source),
                line.product.releases(),
                line.known_through_text().unwrap_or_default(),
                line.age_text().unwrap_or_default(),
                run.as_of,
                line.max_age_days.unwrap_or_default()
            )
        })
        .collect()
}

/// The same facts, short, for the table's header: `policy h22, Support
/// policies for AKS hybrid (2022)` and `catalog embedded, known through
/// ~2025-10-08 (411 days)` are parts to pack beside the release; what needs a
/// sentence (a newer edition, a catalog older than the line's cadence) comes
/// back as notes, each a line of its own.
pub fn short_parts(run: &Run, inventory: &InventoryReport) -> (Vec<String>, Vec<String>) {
    let p = &inventory.policy;
    let mut parts = vec![format!("policy {}, {}", p.edition, p.title)];
    let mut notes: Vec<String> = notice_line(inventory).into_iter().collect();
    notes.extend(notice_warnings(inventory));
    let source = clean(&run.catalog.source);
    match run.catalog.line(inventory.product) {
        Some(line) => {
            let latest = line
                .latest
                .as_deref()
                .map(|v| format!(", latest {v}"))
                .unwrap_or_default();
            let known = line.known_through_text().map(|known| {
                match line.age_text().filter(|_| !line.after_as_of) {
                    // `2026-10 (to the month)` takes the age in its parentheses.
                    Some(age) => match known.strip_suffix(')') {
                        Some(open) => format!(", known through {open}, {age})"),
                        None => format!(", known through {known} ({age})"),
                    },
                    None => format!(", known through {known}"),
                }
            });
            parts.push(format!(
                "catalog {source}{latest}{}",
                known.unwrap_or_default()
            ));
            if line.too_old {
                notes.push(format!(
                    // What it leaves unknown says so in its own message.
                    "note: catalog past the {}-day release cadence (akspol catalog update)",
                    line.max_age_days.unwrap_or_default()
                ));
            }
        }
        None => parts.push(format!(
            "catalog {source} (no {})",
            inventory.product.releases()
        )),
    }
    (parts, notes)
}
