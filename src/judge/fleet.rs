//! The loop that judges a fleet on all cores, streaming its results.
//!
//! Each input goes through three [`Stages`]: `judge` (read, parse, evaluate)
//! and `finish` (render its part of the reports) on any worker, and between
//! them `in_order`, which runs for one input at a time in input order (the
//! comparison with a baseline, which pairs inventories in order). Workers
//! take inputs in input order, and the caller's sink gets each result in
//! input order as soon as it and those before it are done, so the output is
//! byte-identical to a serial run (`--threads 1`) and nothing but
//! the few inputs in flight (four per worker at most) is held: a fleet runs
//! in constant memory. The calling thread is one of the workers.
//!
//! Memory is bounded per run, not per input: the workers share one [`Budget`]
//! of `--max-input-bytes` of inventory text (an inventory alone larger than
//! what is free waits until it is alone), and at most a few results per
//! worker wait for an earlier one to finish. A single input is judged on the
//! calling thread, with no worker started.

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

use crate::input;
use crate::input::sources::{
    is_stdin, ndjson_lines, origin_of, sniff_stdin, BuildSaved, Input, NdjsonLines, Sniffed, Unit,
};

/// What the loop needs besides the stages.
#[derive(Clone, Copy)]
pub struct LoopOptions<'a> {
    pub max_input_bytes: u64,
    /// Workers; `None`: one per core (the face reads `--threads`).
    pub threads: Option<usize>,
    /// How an input of saved outputs becomes an inventory; `None`: such an
    /// input is an error (no caller gives one without this).
    pub build_saved: Option<BuildSaved<'a>>,
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
    options: LoopOptions<'_>,
    stages: &S,
    sink: &mut (dyn FnMut(S::Done) + Send),
) {
    let threads = options.threads.unwrap_or_else(default_threads).max(1);
    let mut source = Source::new(inputs, options.max_input_bytes);
    // Standard input may turn out to be a stream.
    let single = inputs.len() == 1 && inputs.iter().all(|i| !i.ndjson && !is_stdin(&i.path));
    if threads == 1 || single {
        while let Some(pending) = source.next() {
            let mut judged = stages.judge(pending.into_unit(options));
            stages.in_order(&mut judged);
            sink(stages.finish(judged));
        }
        return;
    }
    let pipeline = Pipeline {
        source: Mutex::new((source, 0)),
        plan: Mutex::new(Plan {
            reserved: 0,
            written: 0,
            total: None,
            turn: 0,
            judged: BTreeMap::new(),
            ready: VecDeque::new(),
        }),
        wake: Condvar::new(),
        results: Mutex::new(Results {
            next: 0,
            done: BTreeMap::new(),
            sink,
        }),
        window: threads * 4,
        budget: Budget::new(options.max_input_bytes),
        options,
        stopped: AtomicBool::new(false),
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|| pipeline.work(stages));
        }
        pipeline.work(stages);
    });
}

/// One worker per core.
fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// What the workers share. Nobody waits for a turn: whoever judges the
/// input that completes the run of inputs judged in order runs their
/// `in_order` (and whoever finishes the result that completes the run of
/// results in order gives them to the sink), so workers block only when
/// there is nothing to do.
struct Pipeline<'i, 's, S: Stages> {
    /// The inputs left, and the index of the next one.
    source: Mutex<(Source<'i>, usize)>,
    plan: Mutex<Plan<S::Judged>>,
    /// Signalled when there is work, when the window moves, or at the end.
    wake: Condvar,
    results: Mutex<Results<'s, S::Done>>,
    /// How many inputs may be in flight (taken and not yet given to the sink).
    window: usize,
    budget: Budget,
    options: LoopOptions<'i>,
    /// A worker panicked: the others stop.
    stopped: AtomicBool,
}

/// What is to be done next.
struct Plan<J> {
    /// Inputs taken or being taken.
    reserved: usize,
    /// Results given to the sink.
    written: usize,
    /// How many inputs there are, once the source is exhausted.
    total: Option<usize>,
    /// The index of the next input whose `in_order` runs.
    turn: usize,
    /// Judged inputs waiting for their turn.
    judged: BTreeMap<usize, J>,
    /// Inputs past their turn, waiting for `finish`.
    ready: VecDeque<(usize, J)>,
}

/// Finished results waiting for those before them, and the sink.
struct Results<'s, D> {
    next: usize,
    done: BTreeMap<usize, D>,
    sink: &'s mut (dyn FnMut(D) + Send),
}

/// What a worker does next.
enum Task<J> {
    Finish(usize, J),
    Take,
}

impl<S: Stages> Pipeline<'_, '_, S> {
    fn work(&self, stages: &S) {
        let _stop = StopOnPanic(&self.stopped, &self.wake, &self.plan);
        while let Some(task) = self.next_task() {
            match task {
                Task::Finish(index, judged) => self.deliver(index, stages.finish(judged)),
                Task::Take => self.take_and_judge(stages),
            }
        }
    }

    /// Waits for something to do; `None` at the end.
    fn next_task(&self) -> Option<Task<S::Judged>> {
        let mut plan = lock(&self.plan);
        loop {
            if self.stopped.load(Ordering::Acquire) {
                return None;
            }
            if let Some((index, judged)) = plan.ready.pop_front() {
                return Some(Task::Finish(index, judged));
            }
            if plan.total.is_none() && plan.reserved - plan.written < self.window {
                plan.reserved += 1;
                return Some(Task::Take);
            }
            if plan.total == Some(plan.written) {
                return None;
            }
            plan = self
                .wake
                .wait(plan)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    /// Takes the next input (if any is left), judges it, and runs the
    /// turns it completes.
    fn take_and_judge(&self, stages: &S) {
        let taken = {
            let mut source = lock(&self.source);
            match source.0.next() {
                None => Err(source.1),
                Some(pending) => {
                    let index = source.1;
                    source.1 += 1;
                    // Text already read is held from now on: wait for the
                    // budget before anyone reads more.
                    let held = matches!(pending, Pending::Read(_)).then(|| {
                        self.budget
                            .hold(pending.bytes(self.options.max_input_bytes))
                    });
                    Ok((index, pending, held))
                }
            }
        };
        let (index, pending, held) = match taken {
            Ok(taken) => taken,
            Err(total) => {
                let mut plan = lock(&self.plan);
                plan.reserved -= 1;
                plan.total = Some(total);
                self.wake.notify_all();
                return;
            }
        };
        // A file is read (saved outputs built) by its worker, once its size
        // fits the budget.
        let held = match held {
            Some(held) => held,
            None => self
                .budget
                .hold(pending.bytes(self.options.max_input_bytes)),
        };
        let judged = stages.judge(pending.into_unit(self.options));
        drop(held);
        let mut plan = lock(&self.plan);
        plan.judged.insert(index, judged);
        let mut any = false;
        loop {
            let turn = plan.turn;
            let Some(mut judged) = plan.judged.remove(&turn) else {
                break;
            };
            stages.in_order(&mut judged);
            plan.ready.push_back((turn, judged));
            plan.turn += 1;
            any = true;
        }
        if any {
            self.wake.notify_all();
        }
    }

    /// Gives results to the sink in input order, as far as they go.
    fn deliver(&self, index: usize, done: S::Done) {
        let mut results = lock(&self.results);
        results.done.insert(index, done);
        let mut written = 0;
        loop {
            let next = results.next;
            let Some(done) = results.done.remove(&next) else {
                break;
            };
            (results.sink)(done);
            results.next += 1;
            written += 1;
        }
        drop(results);
        if written > 0 {
            lock(&self.plan).written += written;
            self.wake.notify_all();
        }
    }
}

/// Stops the other workers when one panics, so the panic reaches the
/// caller instead of the others waiting for ever.
struct StopOnPanic<'p, T>(&'p AtomicBool, &'p Condvar, &'p Mutex<T>);

impl<T> Drop for StopOnPanic<'_, T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, Ordering::Release);
            let _plan = lock(self.2);
            self.1.notify_all();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Work not yet done: a file is read, and saved outputs are built, by the
/// worker that judges them.
enum Pending {
    /// A file, and whether it was found by listing a directory.
    File(PathBuf, bool),
    /// A folder or zip archive of saved command outputs.
    Saved(PathBuf),
    Read(Unit),
}

impl Pending {
    /// The bytes of text this work holds once read: a file's size (all of the
    /// budget when unknown, as for a pipe), or the text already read. Saved
    /// outputs take all of it: they are read within one budget of that size,
    /// and then an inventory is built of them, so bundles are built and
    /// judged one at a time, whatever their number.
    fn bytes(&self, budget: u64) -> u64 {
        match self {
            Pending::Read(unit) => unit.text.as_ref().map_or(0, |t| t.len() as u64),
            Pending::Saved(_) => budget,
            Pending::File(path, _) => std::fs::metadata(path)
                .ok()
                .filter(std::fs::Metadata::is_file)
                .map_or(budget, |m| m.len()),
        }
    }

    fn into_unit(self, options: LoopOptions<'_>) -> Unit {
        let max_bytes = options.max_input_bytes;
        match self {
            Pending::Read(unit) => unit,
            Pending::File(path, listed) => Unit::new(
                origin_of(&path),
                None,
                if listed {
                    input::read_listed(&path, max_bytes)
                } else {
                    input::read_text(&path, max_bytes)
                },
            ),
            Pending::Saved(path) => {
                let origin = origin_of(&path);
                match options.build_saved {
                    Some(build) => {
                        let saved = build(&path, max_bytes);
                        Unit {
                            warnings: saved.warnings,
                            account: saved.account,
                            notices: saved.notices,
                            ..Unit::new(origin, None, saved.text)
                        }
                    }
                    None => Unit::new(
                        origin.clone(),
                        None,
                        Err(input::InputError::file(
                            &origin,
                            "saved command outputs, which this command does not read",
                        )),
                    ),
                }
            }
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
            if input.saved {
                return Some(Pending::Saved(input.path.clone()));
            } else if input.ndjson {
                self.stream = Some(ndjson_lines(input, self.max_input_bytes));
            } else if is_stdin(path) {
                match sniff_stdin(self.max_input_bytes) {
                    Sniffed::Document(text) => {
                        return Some(Pending::Read(Unit::new(origin_of(path), None, text)))
                    }
                    Sniffed::Stream(lines) => self.stream = Some(lines),
                }
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
    use std::sync::atomic::AtomicUsize;

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
                    build_saved: None,
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
                build_saved: None,
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
                build_saved: None,
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

    /// Issue 22, item 9: the face built every bundle of saved outputs
    /// before the loop began, and held them all (64 zips: 2 GB). They are
    /// built by the worker that judges them, in turn, one at a time.
    #[test]
    fn saved_outputs_are_built_in_the_loop_one_at_a_time() {
        static BUILDING: AtomicUsize = AtomicUsize::new(0);
        static PEAK: AtomicUsize = AtomicUsize::new(0);
        fn build(path: &std::path::Path, _: u64) -> input::sources::Saved {
            let now = BUILDING.fetch_add(1, Ordering::SeqCst) + 1;
            PEAK.fetch_max(now, Ordering::SeqCst);
            let name = path.display().to_string();
            input::sources::Saved {
                text: Ok(name.clone()),
                warnings: vec![format!("{name}: built")],
                account: Vec::new(),
                notices: Vec::new(),
            }
        }
        /// Judging a built inventory ends its life: it is no longer held.
        struct Judging;
        impl Stages for Judging {
            type Judged = (String, Vec<String>);
            type Done = (String, Vec<String>);
            fn judge(&self, unit: Unit) -> Self::Judged {
                std::thread::sleep(std::time::Duration::from_millis(1));
                BUILDING.fetch_sub(1, Ordering::SeqCst);
                (unit.text.unwrap(), unit.warnings)
            }
            fn in_order(&self, _: &mut Self::Judged) {}
            fn finish(&self, judged: Self::Judged) -> Self::Done {
                judged
            }
        }
        let inputs: Vec<Input> = (0..64)
            .map(|i| Input {
                saved: true,
                ..Input::document(format!("site-{i:02}.zip").into())
            })
            .collect();
        let mut seen = Vec::new();
        judge_all(
            &inputs,
            LoopOptions {
                max_input_bytes: 1000,
                threads: Some(8),
                build_saved: Some(&build),
            },
            &Judging,
            &mut |done| seen.push(done),
        );
        assert_eq!(PEAK.load(Ordering::SeqCst), 1, "bundles held at once");
        let expected: Vec<(String, Vec<String>)> = (0..64)
            .map(|i| {
                let name = format!("site-{i:02}.zip");
                (name.clone(), vec![format!("{name}: built")])
            })
            .collect();
        assert_eq!(seen, expected);
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
                    build_saved: None,
                },
                &Panicking,
                &mut |()| {},
            )
        });
        assert!(caught.is_err());
    }
}
