//! The progress bar of a long `check` on a terminal.

use crate::input::sources::Input;

/// Shows progress on standard error for long runs on a terminal; silent otherwise.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

/// Fewer inputs than this finish before a bar would help.
const PROGRESS_MIN_INPUTS: usize = 50;

impl Progress {
    pub fn new(inputs: &[Input]) -> Self {
        use std::io::IsTerminal;
        let streams = inputs.iter().any(|i| i.ndjson);
        let long = streams || inputs.len() >= PROGRESS_MIN_INPUTS;
        if !long || !std::io::stderr().is_terminal() {
            return Self { bar: None };
        }
        let bar = if streams {
            indicatif::ProgressBar::new_spinner()
        } else {
            indicatif::ProgressBar::new(inputs.len() as u64)
        };
        let template = if streams {
            "{spinner} {pos} inventories judged ({per_sec}) {msg}"
        } else {
            "{bar:40} {pos}/{len} inventories ({per_sec}, eta {eta}) {msg}"
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        Self { bar: Some(bar) }
    }

    /// Counts one inventory judged (from any worker).
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Runs `f` (which writes to standard error) with the bar out of the way.
    pub fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
