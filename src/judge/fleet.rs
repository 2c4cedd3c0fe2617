//! The loop that judges a fleet on all cores, streaming its results.
//!
//! Each input goes through three [`Stages`]: `judge` (read, parse, evaluate)
//! and `finish` (render its part of the reports) on any worker, and between
//! them `in_order`, which runs for one input at a time in input order (the
//! comparison with a baseline, which pairs inventories in order). Workers
//! take inputs in input order, and the caller's sink gets each result in
//! input order as soon as it and those before it are done, so the output is
//! byte-identical to a serial run (`RAYON_NUM_THREADS=1`) and nothing but
//! a few results in flight is held: a fleet runs in constant memory.
//!
//! Memory is bounded per run, not per input: the workers share one [`Budget`]
//! of `--max-input-bytes` of inventory text (an inventory alone larger than
//! what is free waits until it is alone), and at most a few results per
//! worker wait for an earlier one to finish. A single input is judged on the
//! calling thread, with no worker started.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex, MutexGuard};

use crate::input;
use crate::input::sources::{is_stdin, ndjson_lines, origin_of, Input, NdjsonLines, Unit};

/// What the loop needs besides the stages.
#[derive(Debug, Clone, Copy)]
pub struct LoopOptions {
    pub max_input_bytes: u64,
    /// Workers; `None`: `RAYON_NUM_THREADS` when set (the knob of the loop
    /// before it had its own workers), else one per core.
    pub threads: Option<usize>,
}

/// How each input is judged (see the module documentation).
pub trait Stages: Sync {
    type Judged: Send;
    type Done: Send;
    /// Reads and judges one input; its text is dropped by the end.
    fn judge(&self, unit: Unit) -> Self::Judged;
    /// Runs for one input at a time, in input order.
    fn in_order(&self, judged: &mut Self::Judged);
    /// What the sink gets.
    fn finish(&self, judged: Self::Judged) -> Self::Done;
}

/// Judges every inventory of `inputs` with `stages`, and gives each result
/// to `sink` in input order (NDJSON lines in line order).
pub fn judge_all<S: Stages>(
    inputs: &[Input],
    options: LoopOptions,
    stages: &S,
    sink: &mut dyn FnMut(S::Done),
) {
    let threads = options.threads.unwrap_or_else(default_threads).max(1);
    let mut source = Source::new(inputs, options.max_input_bytes);
    let single = inputs.len() == 1 && inputs.iter().all(|i| !i.ndjson);
    if threads == 1 || single {
        while let Some(pending) = source.next() {
            let mut judged = stages.judge(pending.into_unit(options.max_input_bytes));
            stages.in_order(&mut judged);
            sink(stages.finish(judged));
        }
        return;
    }
    Pipeline {
        source: Mutex::new((source, 0)),
        taken: Condvar::new(),
        written: AtomicUsize::new(0),
        window: threads * 4,
        turn: Mutex::new(0),
        turned: Condvar::new(),
        budget: Budget::new(options.max_input_bytes),
        max_input_bytes: options.max_input_bytes,
        stopped: AtomicBool::new(false),
    }
    .run(threads, stages, sink);
}

/// One worker per core, or as many as `RAYON_NUM_THREADS` says.
fn default_threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|n| n.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1)
}

/// The shared state of the workers.
struct Pipeline<'i> {
    /// The inputs left, and the index of the next one.
    source: Mutex<(Source<'i>, usize)>,
    /// Signalled when the sink has taken a result (the window moved).
    taken: Condvar,
    /// Results given to the sink so far.
    written: AtomicUsize,
    /// How far ahead of the sink the workers may take inputs.
    window: usize,
    /// The index of the input whose `in_order` runs next.
    turn: Mutex<usize>,
    turned: Condvar,
    budget: Budget,
    max_input_bytes: u64,
    /// A worker panicked: the others stop waiting.
    stopped: AtomicBool,
}

impl Pipeline<'_> {
    fn run<S: Stages>(&self, threads: usize, stages: &S, sink: &mut dyn FnMut(S::Done)) {
        let (sender, results) = mpsc::channel::<(usize, S::Done)>();
        std::thread::scope(|scope| {
            for _ in 0..threads {
                let sender = sender.clone();
                scope.spawn(move || {
                    let _stop = StopOnPanic(self);
                    self.work(stages, &sender);
                });
            }
            drop(sender);
            // Results in input order: each as soon as those before it came.
            let mut waiting: BTreeMap<usize, S::Done> = BTreeMap::new();
            for (index, done) in results {
                waiting.insert(index, done);
                while let Some(done) = waiting.remove(&self.written.load(Ordering::Acquire)) {
                    sink(done);
                    let _source = lock(&self.source);
                    self.written.fetch_add(1, Ordering::Release);
                    self.taken.notify_all();
                }
            }
        });
    }

    fn work<S: Stages>(&self, stages: &S, sender: &mpsc::Sender<(usize, S::Done)>) {
        while let Some((index, pending, held)) = self.take() {
            // A file is read by its worker, once its size fits the budget.
            let held = match held {
                Some(held) => held,
                None => self.budget.hold(pending.bytes(self.max_input_bytes)),
            };
            let mut judged = stages.judge(pending.into_unit(self.max_input_bytes));
            drop(held);
            if !self.in_turn(index, || stages.in_order(&mut judged)) {
                return;
            }
            if sender.send((index, stages.finish(judged))).is_err() {
                return;
            }
        }
    }

    /// The next input, its index and, for text already read (a stream's
    /// line), the budget it holds; `None` when there is none or the loop stopped.
    fn take(&self) -> Option<(usize, Pending, Option<Held<'_>>)> {
        let mut source = lock(&self.source);
        loop {
            if self.stopped.load(Ordering::Acquire) {
                return None;
            }
            if source.1 < self.written.load(Ordering::Acquire) + self.window {
                break;
            }
            source = self
                .taken
                .wait(source)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        let pending = source.0.next()?;
        let index = source.1;
        source.1 += 1;
        // Read text is held from now on: wait for the budget before anyone
        // reads more (the stream waits with it).
        let held = matches!(pending, Pending::Read(_))
            .then(|| self.budget.hold(pending.bytes(self.max_input_bytes)));
        Some((index, pending, held))
    }

    /// Runs `f` when every input before `index` has had its turn; false
    /// when the loop stopped.
    fn in_turn(&self, index: usize, f: impl FnOnce()) -> bool {
        let mut turn = lock(&self.turn);
        while *turn != index {
            if self.stopped.load(Ordering::Acquire) {
                return false;
            }
            turn = self
                .turned
                .wait(turn)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        f();
        *turn += 1;
        self.turned.notify_all();
        true
    }
}

/// Wakes every waiting worker when one panics, so the panic reaches the
/// caller instead of the others waiting for its turn for ever.
struct StopOnPanic<'p, 'i>(&'p Pipeline<'i>);

impl Drop for StopOnPanic<'_, '_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stopped.store(true, Ordering::Release);
            let _source = lock(&self.0.source);
            self.0.taken.notify_all();
            drop(_source);
            let _turn = lock(&self.0.turn);
            self.0.turned.notify_all();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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

/// The inputs in order, one unit of work at a time; an NDJSON stream is
/// read a line at a time, when a worker takes it.
struct Source<'i> {
    inputs: std::slice::Iter<'i, Input>,
    stream: Option<NdjsonLines>,
    max_input_bytes: u64,
}

impl<'i> Source<'i> {
    fn new(inputs: &'i [Input], max_input_bytes: u64) -> Self {
        Self {
            inputs: inputs.iter(),
            stream: None,
            max_input_bytes,
        }
    }

    fn next(&mut self) -> Option<Pending> {
        loop {
            if let Some(stream) = &mut self.stream {
                match stream.next() {
                    Some(unit) => return Some(Pending::Read(unit)),
                    None => self.stream = None,
                }
            }
            let input = self.inputs.next()?;
            let path = input.path();
            if let Some(text) = &input.built {
                return Some(Pending::Read(Unit {
                    origin: origin_of(path),
                    line_of: None,
                    text: Ok(text.clone()),
                }));
            } else if input.ndjson {
                self.stream = Some(ndjson_lines(input, self.max_input_bytes));
            } else if is_stdin(path) {
                return Some(Pending::Read(Unit {
                    origin: origin_of(path),
                    line_of: None,
                    text: input::read_text(path, self.max_input_bytes),
                }));
            } else {
                return Some(Pending::File(input.path.clone(), input.listed));
            }
        }
    }
}

/// The bytes of inventory text the workers may hold at once.
struct Budget {
    capacity: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

impl Budget {
    fn new(capacity: u64) -> Self {
        Self {
            capacity,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Takes `bytes` (at most the capacity) once they are free, or at once
    /// when nothing else is held; returns what was taken, for [`Budget::release`].
    fn acquire(&self, bytes: u64) -> u64 {
        let bytes = bytes.min(self.capacity);
        let mut used = lock(&self.used);
        while *used > 0 && used.saturating_add(bytes) > self.capacity {
            used = self
                .freed
                .wait(used)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        *used += bytes;
        bytes
    }

    fn release(&self, bytes: u64) {
        let mut used = lock(&self.used);
        *used = used.saturating_sub(bytes);
        self.freed.notify_all();
    }

    /// [`Budget::acquire`], released when the guard is dropped (a panicking
    /// worker too releases what it holds).
    fn hold(&self, bytes: u64) -> Held<'_> {
        Held {
            budget: self,
            bytes: self.acquire(bytes),
        }
    }
}

/// Bytes of the budget held until dropped.
struct Held<'b> {
    budget: &'b Budget,
    bytes: u64,
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.budget.release(self.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each stage records what it saw; the text is the result.
    struct Recording {
        order: Mutex<Vec<String>>,
    }

    impl Stages for Recording {
        type Judged = String;
        type Done = String;
        fn judge(&self, unit: Unit) -> String {
            unit.text.unwrap_or_default()
        }
        fn in_order(&self, judged: &mut String) {
            lock(&self.order).push(judged.clone());
        }
        fn finish(&self, judged: String) -> String {
            judged
        }
    }

    fn files(dir: &std::path::Path, n: usize, text: impl Fn(usize) -> String) -> Vec<Input> {
        (0..n)
            .map(|i| {
                let path = dir.join(format!("{i:04}.json"));
                std::fs::write(&path, text(i)).unwrap();
                Input::document(path)
            })
            .collect()
    }

    #[test]
    fn results_and_turns_come_in_input_order() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = files(dir.path(), 600, |i| i.to_string());
        let expected: Vec<String> = (0..600).map(|i| i.to_string()).collect();
        for threads in [1, 2, 8] {
            let stages = Recording {
                order: Mutex::new(Vec::new()),
            };
            let mut seen = Vec::new();
            judge_all(
                &inputs,
                LoopOptions {
                    max_input_bytes: 100,
                    threads: Some(threads),
                },
                &stages,
                &mut |text| seen.push(text),
            );
            assert_eq!(seen, expected, "{threads} threads");
            assert_eq!(*lock(&stages.order), expected, "{threads} threads");
        }
    }

    #[test]
    fn a_stream_is_read_a_line_at_a_time_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fleet.ndjson");
        let lines: Vec<String> = (0..300).map(|i| format!("{{\"n\":{i}}}")).collect();
        std::fs::write(&path, lines.join("\n")).unwrap();
        let inputs = vec![Input {
            ndjson: true,
            ..Input::document(path)
        }];
        let stages = Recording {
            order: Mutex::new(Vec::new()),
        };
        let mut seen = Vec::new();
        judge_all(
            &inputs,
            LoopOptions {
                max_input_bytes: 1000,
                threads: Some(4),
            },
            &stages,
            &mut |text| seen.push(text),
        );
        assert_eq!(seen, lines);
    }

    /// Issue 12, item 8: workers multiplied the memory of one input. With
    /// one budget, the text held at once never exceeds it.
    #[test]
    fn workers_share_one_budget() {
        struct Holding {
            held: AtomicUsize,
            peak: AtomicUsize,
        }
        impl Stages for Holding {
            type Judged = ();
            type Done = ();
            fn judge(&self, unit: Unit) {
                let n = unit.text.map(|t| t.len()).unwrap_or(0);
                let now = self.held.fetch_add(n, Ordering::SeqCst) + n;
                self.peak.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(2));
                self.held.fetch_sub(n, Ordering::SeqCst);
            }
            fn in_order(&self, _: &mut ()) {}
            fn finish(&self, _: ()) {}
        }
        let dir = tempfile::tempdir().unwrap();
        let inputs = files(dir.path(), 64, |_| "x".repeat(400));
        let stages = Holding {
            held: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        };
        judge_all(
            &inputs,
            LoopOptions {
                max_input_bytes: 1000,
                threads: Some(8),
            },
            &stages,
            &mut |()| {},
        );
        let peak = stages.peak.load(Ordering::SeqCst);
        assert!(
            peak <= 1000,
            "held {peak} bytes at once with a budget of 1000"
        );
        assert!(peak >= 400);
    }

    /// A worker that panics stops the others instead of leaving them
    /// waiting for its turn; the panic reaches the caller.
    #[test]
    fn a_panic_ends_the_loop() {
        struct Panicking;
        impl Stages for Panicking {
            type Judged = String;
            type Done = ();
            #[allow(clippy::panic)]
            fn judge(&self, unit: Unit) -> String {
                let text = unit.text.unwrap_or_default();
                if text == "13" {
                    panic!("on purpose");
                }
                text
            }
            fn in_order(&self, _: &mut String) {}
            fn finish(&self, _: String) {}
        }
        let dir = tempfile::tempdir().unwrap();
        let inputs = files(dir.path(), 200, |i| i.to_string());
        let caught = std::panic::catch_unwind(|| {
            judge_all(
                &inputs,
                LoopOptions {
                    max_input_bytes: 100,
                    threads: Some(4),
                },
                &Panicking,
                &mut |()| {},
            )
        });
        assert!(caught.is_err());
    }
}
