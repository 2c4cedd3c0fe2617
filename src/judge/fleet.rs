//! The loop that judges a fleet on all cores.
//!
//! Order and memory: inventories are judged in batches; within a batch rayon's
//! workers each read, parse, evaluate and drop one inventory at a time, and the
//! batch's results come back in input order, so the output is byte-identical to
//! a serial run (`RAYON_NUM_THREADS=1`). Only the results outlive a batch; an
//! NDJSON stream is read a bounded number of bytes ahead of the workers.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::input;
use crate::input::sources::{is_stdin, origin_of, read_ndjson, Input, Unit};

/// What the loop needs besides the judging function.
#[derive(Debug, Clone, Copy)]
pub struct LoopOptions {
    pub max_input_bytes: u64,
}

/// Work not yet done: a file is read by the worker that judges it.
enum Pending {
    File(PathBuf),
    Read(Unit),
}

impl Pending {
    fn into_unit(self, max_bytes: u64) -> Unit {
        match self {
            Pending::Read(unit) => unit,
            Pending::File(path) => Unit {
                origin: origin_of(&path),
                line_of: None,
                text: input::read_text(&path, max_bytes),
            },
        }
    }
}

/// Collects work and hands it to rayon in bounded batches.
struct Batcher<'a, R, J, S> {
    pending: Vec<Pending>,
    bytes: usize,
    max_input_bytes: u64,
    judge: &'a J,
    sink: &'a mut S,
    _result: std::marker::PhantomData<R>,
}

/// Enough units per batch to keep every worker busy past uneven sizes.
const BATCH_UNITS: usize = 256;
/// Bytes of NDJSON read ahead of the workers at most (one longer line still
/// goes through on its own).
const BATCH_BYTES: usize = 64 * 1024 * 1024;

impl<R, J, S> Batcher<'_, R, J, S>
where
    R: Send,
    J: Fn(Unit) -> R + Sync,
    S: FnMut(R),
{
    fn push(&mut self, pending: Pending) {
        if let Pending::Read(unit) = &pending {
            self.bytes += unit.text.as_ref().map_or(0, String::len);
        }
        self.pending.push(pending);
        if self.pending.len() >= BATCH_UNITS || self.bytes >= BATCH_BYTES {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let batch = std::mem::take(&mut self.pending);
        self.bytes = 0;
        let max = self.max_input_bytes;
        let judge = self.judge;
        let results: Vec<R> = batch
            .into_par_iter()
            .with_max_len(1)
            .map(|p| judge(p.into_unit(max)))
            .collect();
        for r in results {
            (self.sink)(r);
        }
    }
}

/// Judges every inventory of `inputs` with `judge` on rayon's pool, and gives
/// each result to `sink` in input order (NDJSON lines in line order).
pub fn judge_all<R, J, S>(inputs: &[Input], options: LoopOptions, judge: &J, sink: &mut S)
where
    R: Send,
    J: Fn(Unit) -> R + Sync,
    S: FnMut(R),
{
    let mut batcher = Batcher {
        pending: Vec::new(),
        bytes: 0,
        max_input_bytes: options.max_input_bytes,
        judge,
        sink,
        _result: std::marker::PhantomData,
    };
    for input in inputs {
        match input {
            Input::Document(path) if is_stdin(path) => batcher.push(Pending::Read(Unit {
                origin: origin_of(path),
                line_of: None,
                text: input::read_text(path, options.max_input_bytes),
            })),
            Input::Document(path) => batcher.push(Pending::File(path.clone())),
            Input::Built { origin, text } => batcher.push(Pending::Read(Unit {
                origin: origin.clone(),
                line_of: None,
                text: Ok(text.clone()),
            })),
            Input::Ndjson(path) => {
                read_ndjson(path, options.max_input_bytes, &mut |unit| {
                    batcher.push(Pending::Read(unit));
                });
            }
        }
    }
    batcher.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut inputs = Vec::new();
        for i in 0..600 {
            let path = dir.path().join(format!("{i:04}.json"));
            std::fs::write(&path, i.to_string()).unwrap();
            inputs.push(Input::Document(path));
        }
        let mut seen = Vec::new();
        judge_all(
            &inputs,
            LoopOptions {
                max_input_bytes: 100,
            },
            &|unit: Unit| unit.text.unwrap(),
            &mut |text| seen.push(text),
        );
        let expected: Vec<String> = (0..600).map(|i| i.to_string()).collect();
        assert_eq!(seen, expected);
    }
}
