//! The loop that judges a fleet on all cores.
//!
//! Order and memory: inventories are judged in batches; within a batch rayon's
//! workers each read, parse, evaluate and drop one inventory at a time, and the
//! batch's results come back in input order, so the output is byte-identical to
//! a serial run (`RAYON_NUM_THREADS=1`). Only the results outlive a batch; an
//! NDJSON stream is read a bounded number of bytes ahead of the workers.
//!
//! Memory is bounded per run, not per input: the workers share one [`Budget`]
//! of `--max-input-bytes`, so two cores (or sixty-four) never hold more
//! inventory text at once than one input may have (an inventory alone larger
//! than what is free waits until it is alone).

use std::path::PathBuf;
use std::sync::{Condvar, Mutex};

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
    /// A file, and whether it was found by listing a directory.
    File(PathBuf, bool),
    Read(Unit),
}

impl Pending {
    /// The bytes of text this work holds once read: a file's size (all of the
    /// budget when unknown, as for a pipe), or the text already read.
    fn bytes(&self, budget: u64) -> u64 {
        match self {
            Pending::Read(unit) => unit.text.as_ref().map_or(0, |t| t.len() as u64),
            Pending::File(path, _) => std::fs::metadata(path)
                .ok()
                .filter(std::fs::Metadata::is_file)
                .map_or(budget, |m| m.len()),
        }
    }

    fn into_unit(self, max_bytes: u64) -> Unit {
        match self {
            Pending::Read(unit) => unit,
            Pending::File(path, listed) => Unit {
                origin: origin_of(&path),
                line_of: None,
                text: if listed {
                    input::read_listed(&path, max_bytes)
                } else {
                    input::read_text(&path, max_bytes)
                },
            },
        }
    }
}

/// The bytes of inventory text the workers may hold at once.
pub struct Budget {
    capacity: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

impl Budget {
    pub fn new(capacity: u64) -> Self {
        Self {
            capacity,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Takes `bytes` (at most the capacity) once they are free, or at once
    /// when nothing else is held; returns what was taken, for [`Budget::release`].
    pub fn acquire(&self, bytes: u64) -> u64 {
        let bytes = bytes.min(self.capacity);
        let mut used = self
            .used
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        while *used > 0 && used.saturating_add(bytes) > self.capacity {
            used = self
                .freed
                .wait(used)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        *used += bytes;
        bytes
    }

    pub fn release(&self, bytes: u64) {
        let mut used = self
            .used
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *used = used.saturating_sub(bytes);
        self.freed.notify_all();
    }
}

/// Collects work and hands it to rayon in bounded batches.
struct Batcher<'a, R, J, S> {
    pending: Vec<Pending>,
    bytes: usize,
    max_input_bytes: u64,
    budget: Budget,
    judge: &'a J,
    sink: &'a mut S,
    _result: std::marker::PhantomData<R>,
}

/// Enough units per batch to keep every worker busy past uneven sizes.
const BATCH_UNITS: usize = 256;
/// Bytes of NDJSON read ahead of the workers at most (one longer line goes
/// through on its own).
const BATCH_BYTES: usize = 64 * 1024 * 1024;

impl<R, J, S> Batcher<'_, R, J, S>
where
    R: Send,
    J: Fn(Unit) -> R + Sync,
    S: FnMut(R),
{
    fn push(&mut self, pending: Pending) {
        let read = match &pending {
            Pending::Read(unit) => unit.text.as_ref().map_or(0, String::len),
            Pending::File(..) => 0,
        };
        // The read-ahead stays under its bound: judge what is pending first.
        if !self.pending.is_empty() && self.bytes.saturating_add(read) > BATCH_BYTES {
            self.flush();
        }
        self.bytes += read;
        self.pending.push(pending);
        if self.pending.len() >= BATCH_UNITS {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let batch = std::mem::take(&mut self.pending);
        self.bytes = 0;
        let max = self.max_input_bytes;
        let judge = self.judge;
        let budget = &self.budget;
        let results: Vec<R> = batch
            .into_par_iter()
            .with_max_len(1)
            .map(|p| {
                let held = budget.acquire(p.bytes(max));
                let result = judge(p.into_unit(max));
                budget.release(held);
                result
            })
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
        budget: Budget::new(options.max_input_bytes),
        judge,
        sink,
        _result: std::marker::PhantomData,
    };
    for input in inputs {
        if let Some(text) = &input.built {
            batcher.push(Pending::Read(Unit {
                origin: origin_of(input.path()),
                line_of: None,
                text: Ok(text.clone()),
            }));
        } else if input.ndjson {
            read_ndjson(input, options.max_input_bytes, &mut |unit| {
                batcher.push(Pending::Read(unit));
            });
        } else if is_stdin(input.path()) {
            batcher.push(Pending::Read(Unit {
                origin: origin_of(input.path()),
                line_of: None,
                text: input::read_text(input.path(), options.max_input_bytes),
            }));
        } else {
            batcher.push(Pending::File(input.path.clone(), input.listed));
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
            inputs.push(Input::document(path));
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

    /// Issue 12, item 8: workers multiplied the memory of one input. With
    /// one budget, the text held at once never exceeds it.
    #[test]
    fn workers_share_one_budget() {
        use std::sync::atomic::{AtomicU64, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let inputs: Vec<Input> = (0..64)
            .map(|i| {
                let path = dir.path().join(format!("{i:02}.json"));
                std::fs::write(&path, "x".repeat(400)).unwrap();
                Input::document(path)
            })
            .collect();
        let held = AtomicU64::new(0);
        let peak = AtomicU64::new(0);
        let judge = |unit: Unit| {
            let n = unit.text.map(|t| t.len() as u64).unwrap_or(0);
            let now = held.fetch_add(n, Ordering::SeqCst) + n;
            peak.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(2));
            held.fetch_sub(n, Ordering::SeqCst);
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(8)
            .build()
            .unwrap();
        pool.install(|| {
            judge_all(
                &inputs,
                LoopOptions {
                    max_input_bytes: 1000,
                },
                &judge,
                &mut |()| {},
            )
        });
        let peak = peak.load(Ordering::SeqCst);
        assert!(
            peak <= 1000,
            "held {peak} bytes at once with a budget of 1000"
        );
        assert!(peak >= 400);
    }
}
