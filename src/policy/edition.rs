//! Editions of the support policy: one embedded data file each
//! (`data/editions/*.json`), written from `data/sources/policy-editions.md`.
//! An edition says which product line it is for, from when it was in force,
//! its page (URL, source commit, date), its parameters (the numbers a
//! [`super::Policy`] is built from), and the rules it states, each with the
//! section of its page a finding cites and the statement it rests on. A rule
//! an edition does not list does not run under it: not stated is not a pass.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::base::dates::{parse_day, Day};
use crate::base::embedded::{self, documents, Token};
use crate::base::product::Product;

/// The editions, each decoded at build time from its file (`build.rs`).
const EDITION_FILES: [(&str, &[Token]); 3] = [
    ("h22", &documents::EDITION_H22),
    ("ws25", &documents::EDITION_WS25),
    ("al25", &documents::EDITION_AL25),
];

/// A page of the policy (or one it links to for its numbers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub title: String,
    pub url: String,
    /// Repository, path and commit (or the page and its date) it was read from.
    pub source: String,
    /// The page's `ms.date`.
    pub date: Day,
}

/// A later revision of the page that akspol does not model: akspol lacks
/// its text, but knows which statements of this edition it withdrew.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    pub date: Day,
    pub note: String,
    /// Its name (`the May 2023 revision of ...`), for notices.
    pub revision: Option<String>,
    pub source: Option<String>,
    /// The rules whose statements it withdrew.
    pub withdraws: Vec<String>,
    /// What those statements are, in words.
    pub withdrawn: Option<String>,
}

impl Replaced {
    /// `the May 2023 revision of ...`, or the note when it has no name.
    pub fn name(&self) -> &str {
        self.revision
            .as_deref()
            .unwrap_or("a later revision of the page")
    }
}

/// The ways a parameter's statement is read where the page leaves it open
/// (the six-month rule does not say from when the months count), the one in
/// use being the parameter's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterReadings {
    pub parameter: String,
    /// What the page leaves open.
    pub question: String,
    pub source: String,
    pub readings: Vec<Reading>,
}

/// One reading: its id (the parameter's value that selects it), who reads
/// the statement so, and the rule it makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub id: String,
    pub who: String,
    pub rule: String,
    pub source: Option<String>,
    /// Whether akspol judges with it (otherwise it is recorded only).
    pub implemented: bool,
}

/// A rule as an edition states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionRule {
    pub code: String,
    /// The section of the page a finding cites, and its URL.
    pub section: String,
    pub url: String,
    /// The statement the rule rests on: key words, with the row of
    /// `policy-editions.md` they come from.
    pub statement: String,
    /// Wording a rule takes from its edition (what must happen).
    pub says: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// `h22`, `ws25`, `al25`: what `--policy-edition` takes.
    pub id: String,
    pub title: String,
    pub product: Product,
    /// The day the page was published (its `ms.date`).
    pub in_force_from: Day,
    /// The edition a product line is judged against without `--policy-edition`.
    pub default: bool,
    pub page: Page,
    pub linked_pages: Vec<Page>,
    pub replaced: Option<Replaced>,
    /// The numbers and lists of this edition, as written (see [`super::Policy`]).
    pub parameters: serde_json::Map<String, serde_json::Value>,
    /// Which parameters are akspol's own rather than the page's.
    pub parameter_notes: serde_json::Map<String, serde_json::Value>,
    /// The readings of the parameters whose statement can be read several ways.
    pub parameter_readings: Vec<ParameterReadings>,
    pub rules: Vec<EditionRule>,
}

impl Edition {
    pub fn rule(&self, code: &str) -> Option<&EditionRule> {
        self.rules.iter().find(|r| r.code == code)
    }

    /// The recorded readings of a parameter, if its statement has several.
    pub fn readings(&self, parameter: &str) -> Option<&ParameterReadings> {
        self.parameter_readings
            .iter()
            .find(|r| r.parameter == parameter)
    }

    /// Whether the edition states the rule (and so whether it runs).
    pub fn states(&self, code: &str) -> bool {
        self.rule(code).is_some()
    }

    /// A one-line notice for a judgement as of `as_of` against this edition:
    /// a newer edition of the line was in force, this page had been replaced by
    /// a revision akspol does not model, or it was not published yet.
    pub fn notice(&self, as_of: Day) -> Option<String> {
        if let Some(newer) = in_force(self.product, as_of)
            .ok()
            .flatten()
            .filter(|e| e.in_force_from > self.in_force_from)
        {
            return Some(format!(
                "a newer edition was in force on {as_of}: {} ({}, from {}); judge against it with --policy-edition current",
                newer.title, newer.id, newer.in_force_from
            ));
        }
        if let Some(replaced) = self.replaced.as_ref().filter(|r| r.date <= as_of) {
            return Some(match &replaced.revision {
                Some(revision) => format!(
                    "this page was replaced on {} by {revision}, which {}; akspol lacks its text: with --policy-edition current no withdrawn statement is applied",
                    replaced.date,
                    replaced
                        .withdrawn
                        .as_deref()
                        .map_or_else(|| replaced.note.clone(), |w| format!("withdrew {w}"))
                ),
                None => format!("this page was replaced on {}: {}", replaced.date, replaced.note),
            });
        }
        (self.in_force_from > as_of).then(|| {
            format!(
                "this edition was published on {}, after the as-of date; akspol models no earlier edition of the {} line",
                self.in_force_from, self.product
            )
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EditionFile {
    edition_version: u32,
    id: String,
    title: String,
    product: Product,
    in_force_from: String,
    default: bool,
    page: PageFile,
    #[serde(default)]
    linked_pages: Vec<PageFile>,
    replaced: Option<ReplacedFile>,
    parameters: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    parameter_notes: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    parameter_readings: Vec<ParameterReadingsFile>,
    rules: Vec<RuleFile>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ParameterReadingsFile {
    parameter: String,
    question: String,
    source: String,
    readings: Vec<ReadingFile>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ReadingFile {
    id: String,
    who: String,
    rule: String,
    source: Option<String>,
    implemented: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PageFile {
    title: String,
    url: String,
    source: String,
    date: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ReplacedFile {
    date: String,
    note: String,
    revision: Option<String>,
    source: Option<String>,
    #[serde(default)]
    withdraws: Vec<String>,
    withdrawn: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RuleFile {
    code: String,
    section: String,
    url: String,
    statement: String,
    says: Option<String>,
}

fn page(origin: &str, file: PageFile) -> Result<Page, String> {
    Ok(Page {
        date: parse_day(&file.date).map_err(|why| format!("{origin}: page date: {why}"))?,
        title: file.title,
        url: file.url,
        source: file.source,
    })
}

fn read(origin: &str, file: EditionFile) -> Result<Edition, String> {
    if file.edition_version != 1 {
        return Err(format!(
            "{origin}: editionVersion {} (this akspol reads 1)",
            file.edition_version
        ));
    }
    let mut codes: Vec<&str> = file.rules.iter().map(|r| r.code.as_str()).collect();
    codes.sort_unstable();
    if codes.windows(2).any(|w| w.first() == w.get(1)) {
        return Err(format!("{origin}: a rule is listed twice"));
    }
    super::parameters::check_edition(
        &file.parameters,
        &file.parameter_notes,
        file.parameter_readings.iter().map(|p| p.parameter.as_str()),
    )
    .map_err(|why| format!("{origin}: {why}"))?;
    Ok(Edition {
        in_force_from: parse_day(&file.in_force_from)
            .map_err(|why| format!("{origin}: inForceFrom: {why}"))?,
        page: page(origin, file.page)?,
        linked_pages: file
            .linked_pages
            .into_iter()
            .map(|p| page(origin, p))
            .collect::<Result<_, _>>()?,
        replaced: file
            .replaced
            .map(|r| {
                Ok::<_, String>(Replaced {
                    date: parse_day(&r.date).map_err(|why| format!("{origin}: replaced: {why}"))?,
                    note: r.note,
                    revision: r.revision,
                    source: r.source,
                    withdraws: r.withdraws,
                    withdrawn: r.withdrawn,
                })
            })
            .transpose()?,
        id: file.id,
        title: file.title,
        product: file.product,
        default: file.default,
        parameter_readings: file
            .parameter_readings
            .into_iter()
            .map(|p| {
                let used = file.parameters.get(&p.parameter).and_then(|v| v.as_str());
                if !p.readings.iter().any(|r| Some(r.id.as_str()) == used) {
                    return Err(format!(
                        "{origin}: parameterReadings of {}: the parameter's value is none of its readings",
                        p.parameter
                    ));
                }
                Ok(ParameterReadings {
                    parameter: p.parameter,
                    question: p.question,
                    source: p.source,
                    readings: p
                        .readings
                        .into_iter()
                        .map(|r| Reading {
                            id: r.id,
                            who: r.who,
                            rule: r.rule,
                            source: r.source,
                            implemented: r.implemented,
                        })
                        .collect(),
                })
            })
            .collect::<Result<_, String>>()?,
        parameters: file.parameters,
        parameter_notes: file.parameter_notes,
        rules: file
            .rules
            .into_iter()
            .map(|r| EditionRule {
                code: r.code,
                section: r.section,
                url: r.url,
                statement: r.statement,
                says: r.says,
            })
            .collect(),
    })
}

fn load() -> Result<Vec<Edition>, String> {
    let mut editions = Vec::new();
    for (id, tokens) in EDITION_FILES {
        let origin = format!("embedded policy edition {id}");
        let file = embedded::read(tokens).map_err(|e| format!("{origin}: {e}"))?;
        let edition = read(&origin, file)?;
        if edition.id != id {
            return Err(format!(
                "the embedded edition file {id} names itself {}",
                edition.id
            ));
        }
        editions.push(edition);
    }
    for product in Product::ALL {
        let defaults = editions
            .iter()
            .filter(|e| e.product == product && e.default)
            .count();
        if defaults != 1 {
            return Err(format!(
                "the {product} line has {defaults} default editions: expected one"
            ));
        }
    }
    Ok(editions)
}

/// Every edition akspol knows, read once from the embedded files.
pub fn editions() -> Result<&'static [Edition], String> {
    static EDITIONS: OnceLock<Result<Vec<Edition>, String>> = OnceLock::new();
    EDITIONS
        .get_or_init(load)
        .as_ref()
        .map(Vec::as_slice)
        .map_err(Clone::clone)
}

/// The edition a product line is judged against by default.
pub fn default_for(product: Product) -> Result<&'static Edition, String> {
    editions()?
        .iter()
        .find(|e| e.product == product && e.default)
        .ok_or_else(|| format!("no default edition for {product}"))
}

/// The newest edition of the line in force on `as_of`; `None` before the first.
pub fn in_force(product: Product, as_of: Day) -> Result<Option<&'static Edition>, String> {
    Ok(editions()?
        .iter()
        .filter(|e| e.product == product && e.in_force_from <= as_of)
        .max_by_key(|e| e.in_force_from))
}

/// What `--policy-edition` asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum EditionChoice {
    /// Each line's default edition.
    #[default]
    Default,
    /// The edition in force on the as-of date for the inventory's line.
    Current,
    /// An edition by id.
    Named(String),
}

impl EditionChoice {
    /// `current` or an edition id (checked against the editions akspol knows).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("current") {
            return Ok(EditionChoice::Current);
        }
        let editions = editions()?;
        match editions.iter().find(|e| e.id.eq_ignore_ascii_case(text)) {
            Some(e) => Ok(EditionChoice::Named(e.id.clone())),
            None => Err(format!(
                "`{}` is not a policy edition; the editions are {}, or `current`",
                crate::base::sanitize::clean(text),
                editions
                    .iter()
                    .map(|e| format!("{} ({}, {})", e.id, e.product, e.title))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The edition this choice gives a deployment of `product` as of `as_of`.
    /// An edition of the other line is an error that names both lines.
    pub fn resolve(&self, product: Product, as_of: Day) -> Result<&'static Edition, String> {
        match self {
            EditionChoice::Default => default_for(product),
            EditionChoice::Current => match in_force(product, as_of)? {
                Some(edition) => Ok(edition),
                // Before the line's first edition: the earliest one, with its notice.
                None => editions()?
                    .iter()
                    .filter(|e| e.product == product)
                    .min_by_key(|e| e.in_force_from)
                    .ok_or_else(|| format!("no edition for {product}")),
            },
            EditionChoice::Named(id) => {
                let edition = editions()?
                    .iter()
                    .find(|e| e.id == *id)
                    .ok_or_else(|| format!("`{id}` is not a policy edition"))?;
                if edition.product == product {
                    return Ok(edition);
                }
                let own: Vec<&str> = editions()?
                    .iter()
                    .filter(|e| e.product == product)
                    .map(|e| e.id.as_str())
                    .collect();
                Err(format!(
                    "--policy-edition {id} is an edition for the {} line ({}); this deployment is {} ({}): its editions are {}, or `current`",
                    edition.product,
                    edition.product.title(),
                    product,
                    product.title(),
                    own.join(", ")
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        parse_day(s).unwrap()
    }

    #[test]
    fn the_decoded_editions_are_the_json() {
        let texts = [
            include_str!("../../data/editions/h22.json"),
            include_str!("../../data/editions/ws25.json"),
            include_str!("../../data/editions/al25.json"),
        ];
        for ((id, _), text) in EDITION_FILES.iter().zip(texts) {
            let file: EditionFile = crate::input::parse_json(id, text).unwrap();
            let from_text = read(id, file).unwrap();
            let decoded = editions().unwrap().iter().find(|e| e.id == *id).unwrap();
            assert_eq!(&from_text, decoded, "{id}");
        }
    }

    #[test]
    fn the_embedded_editions_read_and_each_line_has_one_default() {
        let all = editions().unwrap();
        let ids: Vec<&str> = all.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["h22", "ws25", "al25"]);
        assert_eq!(default_for(Product::AksHybrid).unwrap().id, "h22");
        assert_eq!(default_for(Product::AksArc).unwrap().id, "al25");
    }

    #[test]
    fn current_is_the_edition_in_force_on_the_as_of_date() {
        let current = |product, d| {
            EditionChoice::Current
                .resolve(product, day(d))
                .unwrap()
                .id
                .clone()
        };
        assert_eq!(current(Product::AksHybrid, "2025-04-02"), "h22");
        assert_eq!(current(Product::AksHybrid, "2025-04-03"), "ws25");
        assert_eq!(current(Product::AksHybrid, "2026-12-01"), "ws25");
        assert_eq!(current(Product::AksArc, "2026-03-01"), "al25");
        // Before the line's first edition: the earliest, which says so.
        assert_eq!(current(Product::AksArc, "2024-01-01"), "al25");
        let al25 = default_for(Product::AksArc).unwrap();
        assert!(al25
            .notice(day("2024-01-01"))
            .unwrap()
            .contains("after the as-of date"));
    }

    #[test]
    fn notices_name_a_newer_edition_or_an_unmodeled_revision() {
        let h22 = default_for(Product::AksHybrid).unwrap();
        assert_eq!(h22.notice(day("2023-05-02")), None);
        assert!(h22
            .notice(day("2023-05-03"))
            .unwrap()
            .contains("replaced on 2023-05-03"));
        let notice = h22.notice(day("2026-11-23")).unwrap();
        assert!(
            notice.contains("ws25") && notice.contains("--policy-edition current"),
            "{notice}"
        );
        let ws25 = EditionChoice::Named("ws25".into())
            .resolve(Product::AksHybrid, day("2026-11-23"))
            .unwrap();
        assert_eq!(ws25.notice(day("2026-11-23")), None);
    }

    #[test]
    fn an_edition_of_the_other_line_is_an_error_naming_both() {
        let error = EditionChoice::parse("WS25")
            .unwrap()
            .resolve(Product::AksArc, day("2026-03-01"))
            .unwrap_err();
        assert!(
            error.contains("aks-hybrid") && error.contains("aks-arc") && error.contains("al25"),
            "{error}"
        );
        assert!(EditionChoice::parse("h23")
            .unwrap_err()
            .contains("h22 (aks-hybrid"));
        assert_eq!(
            EditionChoice::parse(" Current ").unwrap(),
            EditionChoice::Current
        );
    }
}
