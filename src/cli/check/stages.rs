//! How `check` judges each input on the fleet loop (`judge::fleet`): the
//! stages a worker runs, and what each hands the next. The order of the
//! results, and so every report's bytes, does not depend on the workers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::catalog::CatalogView;
use crate::cli::progress::Progress;
use crate::findings::{InventoryReport, Run};
use crate::input::sources::{self, Unit};
use crate::input::InputError;
use crate::judge::{self, JudgeOptions};
use crate::report::{Layout, Piece};

/// How `check` judges each input: parse, evaluate and waive on any worker;
/// compare with the baseline in input order; then mark what fails the run,
/// digest it for the totals and render its piece of every output, on any
/// worker again.
pub(super) struct CheckStages<'a> {
    pub(super) view: &'a CatalogView<'a>,
    pub(super) policies: &'a crate::policy::Policies,
    pub(super) selected: &'a [&'static crate::rules::Rule],
    pub(super) options: JudgeOptions,
    pub(super) run: &'a Run,
    pub(super) waivers: judge::waivers::WaiverSet,
    pub(super) baseline: Option<Mutex<judge::baseline::Baseline>>,
    pub(super) layouts: &'a [Layout],
    pub(super) progress: Progress,
    /// Inventories judged so far, in input order: the next one's place.
    pub(super) judged: AtomicUsize,
}

/// An input judged: its report (and later its place among the judged), or
/// why it could not be judged; the warnings of reading it; the NDJSON
/// stream it is a line of.
pub(super) struct Judged {
    origin: String,
    report: Result<(InventoryReport, usize), InputError>,
    warnings: Vec<String>,
    account: Vec<String>,
    stream: Option<String>,
}

/// What the sink gets of an input: its digest and its pieces, or why it
/// could not be judged; the warnings of reading it and, for saved outputs,
/// the account of their files.
pub(super) struct Done {
    /// The input as reports name it: a path, `<stdin>`, `file:LINE`.
    pub(super) origin: String,
    pub(super) judged: Result<(judge::totals::Digest, Vec<Piece>), InputError>,
    pub(super) warnings: Vec<String>,
    pub(super) account: Vec<String>,
    pub(super) stream: Option<String>,
}

impl judge::fleet::Stages for CheckStages<'_> {
    type Judged = Judged;
    type Done = Done;

    fn judge(&self, unit: Unit) -> Judged {
        let Unit {
            origin,
            line_of,
            text,
            warnings: read_warnings,
            account,
            notices,
        } = unit;
        let stream = line_of.as_ref().map(|at| at.stream.clone());
        let result = text.and_then(|text| {
            judge::judge(
                &origin,
                text,
                self.view,
                self.policies,
                self.selected,
                self.options,
            )
            .map_err(|error| sources::locate_error(line_of.as_ref(), error))
        });
        self.progress.inc();
        match result {
            Ok((mut report, warnings)) => {
                // What the verdict cannot show goes with it into every format.
                report.notices = notices;
                self.waivers.apply(&mut report);
                let mut all = read_warnings;
                all.extend(
                    warnings
                        .into_iter()
                        .map(|w| sources::locate_warning(line_of.as_ref(), &origin, w)),
                );
                Judged {
                    origin,
                    report: Ok((report, 0)),
                    warnings: all,
                    account,
                    stream,
                }
            }
            Err(error) => Judged {
                origin,
                report: Err(error),
                warnings: read_warnings,
                account,
                stream,
            },
        }
    }

    fn in_order(&self, judged: &mut Judged) {
        let Ok((report, ordinal)) = &mut judged.report else {
            return;
        };
        *ordinal = self.judged.fetch_add(1, Ordering::Relaxed);
        if let Some(baseline) = &self.baseline {
            let evaluated = |code: &str| self.selected.iter().any(|rule| rule.code == code);
            baseline
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .compare(self.run.as_of, report, &evaluated);
        }
    }

    fn finish(&self, judged: Judged) -> Done {
        let run = self.run;
        Done {
            origin: judged.origin,
            judged: judged.report.map(|(mut report, ordinal)| {
                judge::gate::mark(run.gate, run.as_of, &mut report);
                let digest = judge::totals::digest(run.as_of, &report);
                let pieces = self
                    .layouts
                    .iter()
                    .map(|layout| layout.piece(run, ordinal, &report))
                    .collect();
                (digest, pieces)
            }),
            warnings: judged.warnings,
            account: judged.account,
            stream: judged.stream,
        }
    }
}
