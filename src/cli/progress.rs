//! The progress bar of a long `check` on a terminal.

use crate::input::sources::Input;

/// Shows progress on standard error for long runs on a terminal; silent otherwise.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

/// Fewer inputs than this finish before a bar would help.
const PROGRESS_MIN_INPUTS: usize = 50;

impl Progress {
    /// `enabled` is false with `--no-progress`.
    pub fn new(inputs: &[Input], enabled: bool) -> Self {
        use std::io::IsTerminal;
        // Standard input may be a stream without `--ndjson`.
        let streams = inputs
            .iter()
            .any(|i| i.ndjson || crate::input::sources::is_stdin(i.path()));
        let long = streams || inputs.len() >= PROGRESS_MIN_INPUTS;
        if !enabled || !long || !std::io::stderr().is_terminal() {
            return Self { bar: None };
        }
        let bar = if streams {
            indicatif::ProgressBar::new_spinner()
        } else {
            indicatif::ProgressBar::new(inputs.len() as u64)
        };
        let template = if streams {
            "{spinner} {pos} judged ({rate}) {msg}"
        } else {
            "{bar:40} {pos}/{len} judged ({rate}, eta {eta}) {msg}"
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            // indicatif's own `{per_sec}` prints four decimals.
            bar.set_style(style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{}", rate_text(state.per_sec()));
                },
            ));
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

/// `1,234 inventories/s`, rounded: `0.4/s` below one, whole numbers above.
pub fn rate_text(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec <= 0.0 {
        return "… inventories/s".to_string();
    }
    if per_sec < 10.0 {
        return format!("{per_sec:.1} inventories/s");
    }
    let whole = per_sec.round() as u64;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped} inventories/s")
}

#[cfg(test)]
mod tests {
    use super::rate_text;

    #[test]
    fn the_rate_is_rounded() {
        assert_eq!(rate_text(1234.5678), "1,235 inventories/s");
        assert_eq!(rate_text(2.46), "2.5 inventories/s");
        assert_eq!(rate_text(999_999.6), "1,000,000 inventories/s");
        assert_eq!(rate_text(f64::NAN), "… inventories/s");
    }
}
