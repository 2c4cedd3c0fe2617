//! How many errors of inputs that could not be judged are said one by one,
//! and where the rest are (issue 22: 50,000 bad NDJSON lines gave 50,000
//! lines and annotations).

use crate::base::sanitize::clean;
use crate::cli::args::CheckArgs;
use crate::findings::FileProblem;
use crate::input::InputError;
use crate::report::Format;

/// Errors of inputs that could not be judged shown on standard error (and
/// annotated) per kind: those of one NDJSON stream are one kind, those of
/// whole files another. Past [`ErrorCap::SHOWN`] of a kind, the rest are
/// counted and said in one line at the end; the JSON report has them all.
#[derive(Default)]
pub(super) struct ErrorCap {
    /// By kind (`None`: whole files): shown, and those not shown (the
    /// first few of their places, and how many).
    kinds: std::collections::BTreeMap<Option<String>, (usize, Vec<String>, usize)>,
}

impl ErrorCap {
    const SHOWN: usize = 20;
    /// Places of errors not shown that the summary names.
    const NAMED: usize = 5;

    /// Whether this error is shown, counting it.
    pub(super) fn shown(&mut self, stream: Option<&str>, error: &InputError) -> bool {
        let (shown, named, hidden) = self.kinds.entry(stream.map(str::to_string)).or_default();
        if *shown < Self::SHOWN {
            *shown += 1;
            return true;
        }
        if named.len() < Self::NAMED {
            named.push(place_of(error));
        }
        *hidden += 1;
        false
    }

    /// One line (and one annotation) per kind with errors not shown.
    pub(super) fn summaries(&self, json_report: &str) -> Vec<(String, FileProblem)> {
        self.kinds
            .iter()
            .filter(|(_, (_, _, hidden))| *hidden > 0)
            .map(|(stream, (shown, named, hidden))| {
                let what = match stream {
                    Some(stream) => format!("{} more lines of {}", hidden, clean(stream)),
                    None => format!("{hidden} more inputs"),
                };
                let more = if *hidden > named.len() { ", …" } else { "" };
                let line = format!(
                    "{what} could not be judged, not shown here (the first {shown} are above; the next at {}{more}): {json_report}",
                    named.iter().map(|p| clean(p).into_owned()).collect::<Vec<_>>().join(", ")
                );
                let problem = FileProblem {
                    file: stream.clone().unwrap_or_default(),
                    line: None,
                    column: None,
                    message: line.clone(),
                };
                (line, problem)
            })
            .collect()
    }
}

/// Where an input error points: `file:LINE:COLUMN`, or the file.
fn place_of(error: &InputError) -> String {
    match error {
        InputError::Invalid {
            origin, problems, ..
        } => match problems.first() {
            Some(p) => format!("{origin}:{}:{}", p.line, p.column),
            None => origin.clone(),
        },
        other => other.origin().to_string(),
    }
}

/// Where the JSON report of this run is, to say where every error is.
pub(super) fn json_report_of(args: &CheckArgs) -> String {
    let file = if args.format == Format::Json {
        Some(args.output.as_ref().map_or_else(
            || "standard output".to_string(),
            |p| clean(&p.display().to_string()).into_owned(),
        ))
    } else {
        args.reports
            .iter()
            .find(|r| r.format == Format::Json)
            .map(|r| clean(&r.path.display().to_string()).into_owned())
    };
    match file {
        Some(file) => format!("the JSON report ({file}) lists every one under inputErrors"),
        None => "the JSON report (--format json, or --report json=FILE) lists every one under inputErrors".to_string(),
    }
}
