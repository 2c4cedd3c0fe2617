//! How a report is written while the run goes, whatever its format.
//!
//! Every format streams, so a fleet is written in constant memory: what the
//! run knows first ([`Run`]) heads it, each inventory's part ([`Piece`]) is
//! rendered by the worker that judged it ([`Emitter::piece`], through
//! [`Layout::piece`]) and written in input order as it comes
//! ([`Emitter::push`], through [`Assembly::push`]), and the totals
//! ([`Totals`]) close it ([`Emitter::finish`]). A format whose head needs
//! the totals (Markdown's verdict line, JUnit's counts, HTML's fleet view,
//! SARIF's notifications, GitHub's order of annotations) keeps its pieces in
//! a [`Spool`] (a temporary file) and writes them after the head at the
//! end: the same bytes as when the whole report is held at once
//! ([`Format::render`](super::Format::render)).
//!
//! A format is one [`Emitter`]; [`Layout`] and [`Assembly`] hold it behind a
//! pointer, so that the run (`cli/check.rs`, `judge/fleet.rs`) handles every
//! format alike.

use std::any::Any;
use std::io::{self, BufRead, Write};
use std::sync::Arc;

use super::{Format, RenderOptions};
use crate::findings::{InventoryReport, Run, Totals};

/// One output format of `check`: what it needs judged, each inventory's
/// piece, and how the pieces are assembled in input order between a head
/// and an end. One is made per output, before the first inventory is
/// judged, and shared by the workers that render the pieces; the
/// [`State`](Emitter::State) of the output is held by the one thread that
/// writes it.
///
/// A new format is a file of `src/report/` that implements this trait and
/// its line in `formats!` (`src/report/mod.rs`); `docs/architecture.md`
/// says how.
pub trait Emitter: Send + Sync + Sized + 'static {
    /// Its name: `--format NAME`, `--report NAME=FILE`.
    const NAME: &'static str;
    /// What the judge must work out for it besides the findings.
    const NEEDS: Needs = Needs::FINDINGS;
    /// What the assembly needs to know of a piece besides its bytes (where
    /// its parts are, counts for the head); `()` when nothing.
    type Meta: Send + 'static;
    /// What the output keeps from one piece to the next: its spools, what
    /// it counts, where each spooled part is.
    type State: Send + 'static;

    /// The emitter of one output, with its options.
    fn new(options: &RenderOptions, run: &Run) -> Self;

    /// One inventory's part of the output; `ordinal` is its place among the
    /// judged inventories. Runs on any worker, so it only renders.
    fn piece(&self, run: &Run, ordinal: usize, inventory: &InventoryReport) -> Piece<Self::Meta>;

    /// A new output's state; `spools` makes the spools it keeps pieces in
    /// until the end.
    fn open(&self, spools: &mut SpoolMaker<'_>) -> io::Result<Self::State>;

    /// What comes before the first piece, written when it comes (or at the
    /// end, when no inventory was judged). Nothing, unless the format
    /// writes its head first (JSON).
    fn start(&self, _state: &mut Self::State, _run: &Run, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// The next piece, in input order: written to `out`, or kept in a spool.
    fn push(
        &self,
        state: &mut Self::State,
        piece: Piece<Self::Meta>,
        out: &mut dyn Write,
    ) -> io::Result<()>;

    /// What follows the last piece, with the run's totals (for a format that
    /// spools: its head, then the spooled pieces, then its end).
    fn finish(
        &self,
        state: Self::State,
        run: &Run,
        totals: &Totals,
        out: &mut dyn Write,
    ) -> io::Result<()>;

    /// Whether `head`, the first bytes of a file (4 KiB are enough), begins
    /// as this format's reports do: the mark that lets `check` remove a
    /// stale report it wrote, and only such a report. The format's own head
    /// is the mark, so a report carries nothing extra; a format without one
    /// (the table) is never removed.
    fn is_own_report(_head: &[u8]) -> bool {
        false
    }

    /// The Markdown the run appends to GitHub's step summary, when the
    /// format writes one (GitHub's commands).
    fn step_summary(&self, _state: &Self::State, _run: &Run, _totals: &Totals) -> Option<String> {
        None
    }
}

/// What a format needs the judge to work out besides the findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    /// The line of each finding's object in the inventory file (the format
    /// points into it).
    pub lines: bool,
    /// Each cluster's support coverage.
    pub coverage: bool,
    /// The upgrade plan (its calendar, its steps).
    pub plan: bool,
}

impl Needs {
    /// The findings alone.
    pub const FINDINGS: Needs = Needs {
        lines: false,
        coverage: false,
        plan: false,
    };
}

/// One inventory's part of an output: its bytes, and what the format's
/// assembly needs to know of them (`M`, its [`Emitter::Meta`]; the run
/// carries it boxed, whatever the format).
#[derive(Debug)]
pub struct Piece<M = Box<dyn Any + Send>> {
    pub(super) bytes: Vec<u8>,
    pub(super) meta: M,
}

impl<M> Piece<M> {
    pub(super) fn new(bytes: Vec<u8>, meta: M) -> Self {
        Self { bytes, meta }
    }
}

/// Where a format keeps what it writes later than it comes: written while
/// the run goes, read back at its end. `check` spools to a temporary file.
pub trait Spool: Write + Send {
    /// Bytes written so far: where the next write lands.
    fn position(&self) -> u64;
    /// Writes the bytes `range` of what was written to `out`.
    fn copy_to(&mut self, range: std::ops::Range<u64>, out: &mut dyn Write) -> io::Result<()>;
    /// Everything written, from the start.
    fn read_back(&mut self) -> io::Result<Box<dyn BufRead + '_>>;
}

/// Makes the spools an output needs.
pub type SpoolMaker<'a> = dyn FnMut() -> io::Result<Box<dyn Spool>> + 'a;

/// A spool in memory, for a report held at once.
#[derive(Debug, Default)]
pub struct MemorySpool(Vec<u8>);

impl Write for MemorySpool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Spool for MemorySpool {
    fn position(&self) -> u64 {
        self.0.len() as u64
    }
    fn copy_to(&mut self, range: std::ops::Range<u64>, out: &mut dyn Write) -> io::Result<()> {
        let start = usize::try_from(range.start).unwrap_or(usize::MAX);
        let end = usize::try_from(range.end).unwrap_or(usize::MAX);
        out.write_all(self.0.get(start..end).unwrap_or_default())
    }
    fn read_back(&mut self) -> io::Result<Box<dyn BufRead + '_>> {
        Ok(Box::new(self.0.as_slice()))
    }
}

/// One output of a run: its format's emitter, made once (with what it works
/// out once, such as the HTML page's rule explanations) and shared by the
/// workers, each rendering the piece of the inventory it judged.
pub struct Layout {
    pub format: Format,
    emitter: Arc<dyn AnyEmitter>,
}

impl std::fmt::Debug for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Layout")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl Layout {
    pub fn new(format: Format, options: RenderOptions, run: &Run) -> Self {
        Self {
            emitter: format.emitter(&options, run),
            format,
        }
    }

    /// One inventory's part of this output; `ordinal` is its place among
    /// the judged inventories.
    pub fn piece(&self, run: &Run, ordinal: usize, inventory: &InventoryReport) -> Piece {
        self.emitter.piece(run, ordinal, inventory)
    }
}

/// An output as it is written: its head when the first piece comes, the
/// pieces in input order, its end with the totals.
pub struct Assembly {
    started: bool,
    output: Box<dyn AnyAssembly>,
}

impl Assembly {
    pub fn new(layout: &Layout, spools: &mut SpoolMaker<'_>) -> io::Result<Self> {
        Ok(Self {
            started: false,
            output: Arc::clone(&layout.emitter).assembly(spools)?,
        })
    }

    /// Writes the next inventory's piece (the head first, before the first).
    pub fn push(&mut self, run: &Run, piece: Piece, out: &mut dyn Write) -> io::Result<()> {
        self.start(run, out)?;
        self.output.push(piece, out)
    }

    /// Writes what follows the last piece, with the run's totals.
    pub fn finish(mut self, run: &Run, totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
        self.start(run, out)?;
        self.output.finish(run, totals, out)
    }

    fn start(&mut self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        if std::mem::replace(&mut self.started, true) {
            return Ok(());
        }
        self.output.start(run, out)
    }

    /// The GitHub step summary of the run, when this output writes one.
    pub fn step_summary(&self, run: &Run, totals: &Totals) -> Option<String> {
        self.output.step_summary(run, totals)
    }
}

/// An [`Emitter`] of any format, as [`Layout`] holds it.
pub(super) trait AnyEmitter: Send + Sync {
    fn piece(&self, run: &Run, ordinal: usize, inventory: &InventoryReport) -> Piece;
    /// A new output of this emitter.
    fn assembly(self: Arc<Self>, spools: &mut SpoolMaker<'_>) -> io::Result<Box<dyn AnyAssembly>>;
}

impl<E: Emitter> AnyEmitter for E {
    fn piece(&self, run: &Run, ordinal: usize, inventory: &InventoryReport) -> Piece {
        let Piece { bytes, meta } = Emitter::piece(self, run, ordinal, inventory);
        Piece::new(bytes, Box::new(meta))
    }

    fn assembly(self: Arc<Self>, spools: &mut SpoolMaker<'_>) -> io::Result<Box<dyn AnyAssembly>> {
        let state = self.open(spools)?;
        Ok(Box::new(Output {
            emitter: self,
            state,
        }))
    }
}

/// An output of any format, as [`Assembly`] holds it.
pub(super) trait AnyAssembly: Send {
    fn start(&mut self, run: &Run, out: &mut dyn Write) -> io::Result<()>;
    fn push(&mut self, piece: Piece, out: &mut dyn Write) -> io::Result<()>;
    fn finish(self: Box<Self>, run: &Run, totals: &Totals, out: &mut dyn Write) -> io::Result<()>;
    fn step_summary(&self, run: &Run, totals: &Totals) -> Option<String>;
}

/// An output of the format `E`: its emitter and its state.
struct Output<E: Emitter> {
    emitter: Arc<E>,
    state: E::State,
}

impl<E: Emitter> AnyAssembly for Output<E> {
    fn start(&mut self, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        self.emitter.start(&mut self.state, run, out)
    }

    fn push(&mut self, piece: Piece, out: &mut dyn Write) -> io::Result<()> {
        // A piece comes from the layout this output was made of, so its
        // meta is of this format.
        let meta = piece.meta.downcast::<E::Meta>().map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("a piece of another format given to the {} report", E::NAME),
            )
        })?;
        self.emitter
            .push(&mut self.state, Piece::new(piece.bytes, *meta), out)
    }

    fn finish(self: Box<Self>, run: &Run, totals: &Totals, out: &mut dyn Write) -> io::Result<()> {
        let Output { emitter, state } = *self;
        emitter.finish(state, run, totals, out)
    }

    fn step_summary(&self, run: &Run, totals: &Totals) -> Option<String> {
        self.emitter.step_summary(&self.state, run, totals)
    }
}
