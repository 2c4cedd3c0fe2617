//! `akspol rules` and `akspol explain`: what akspol checks.

use super::args::CatalogFormat;
use super::exit::Failure;
use super::output::print;
use crate::rules::registry;

pub fn rules(format: CatalogFormat) -> Result<u8, Failure> {
    print(|out| match format {
        CatalogFormat::Json => {
            let list: Vec<_> = registry::RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code, "name": r.name, "scope": r.scope.as_str(),
                        "section": r.section.title, "url": r.section.url(), "summary": r.summary(),
                    })
                })
                .collect();
            crate::base::json::write_pretty(&list, out)
        }
        CatalogFormat::Table => {
            let mut table = crate::base::wrap::table(
                super::output::stdout_width(),
                &["code", "name", "scope", "policy section"],
                &[0, 1, 2],
            );
            for r in registry::RULES {
                table.add_row([r.code, r.name, r.scope.as_str(), r.section.title]);
            }
            writeln!(out, "{table}")
        }
    })
}

pub fn explain(code: &str) -> Result<u8, Failure> {
    let Some(rule) = registry::find(code) else {
        let codes: Vec<&str> = registry::RULES.iter().map(|r| r.code).collect();
        return Err(Failure::Usage(format!(
            "no rule `{}`; the rules are {}",
            crate::base::sanitize::clean(code),
            codes.join(", ")
        )));
    };
    print(|out| {
        writeln!(out, "{} {}", rule.code, rule.name)?;
        writeln!(out, "scope: {}", rule.scope.as_str())?;
        writeln!(
            out,
            "policy: {} <{}>",
            rule.section.title,
            rule.section.url()
        )?;
        writeln!(out)?;
        writeln!(out, "{}", rule.explanation())
    })
}
