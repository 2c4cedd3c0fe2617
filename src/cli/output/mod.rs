//! Writing what a command produced, without ever destroying a file that was
//! not asked for (issue 12, "Files destroyed or exposed"). The API every
//! command uses (`check`, `plan`, `catalog`, and `collect`), one job a file:
//!
//! - [`check_outputs`] (`clash.rs`) before anything is read or written:
//!   refuses two outputs naming the same file, and an output naming an
//!   input (a usage error, exit 2), whatever the spelling (`./a`, a symbolic
//!   link, a hard link).
//! - [`write_output`] (or [`print`]; `stream.rs`): standard output for `None`,
//!   `-` and `/dev/stdout` (a closed pipe is not an error, a closed standard
//!   output is; `stdout.rs`, with the width text may take); else
//!   [`write_file`]. [`Output`] is the same, open while a command streams
//!   into it (`check` writes each inventory's part as it is judged).
//! - [`write_file`] (`file.rs`): a regular file is replaced atomically: a
//!   temporary file created exclusively (`O_EXCL`, a random name) in the
//!   target's own directory, given the old file's permissions and owner,
//!   synced, then renamed over the target. A symbolic link stays a link: the
//!   file it points to is replaced. A character device or a pipe
//!   (`/dev/null`, `/dev/full`, `/dev/tty`, `/dev/fd/3`, a FIFO) is written
//!   in place, as the user means; a directory, a block device or a socket is
//!   refused.
//! - [`check_links`] (`links.rs`), on every path written or removed: a
//!   symbolic link that another user planted in a sticky world-writable
//!   directory (`/tmp`) is never followed, the rule of the kernel's
//!   `fs.protected_symlinks` applied whatever that setting says (akspol
//!   resolves a final link itself to replace its target, so the kernel never
//!   gets to apply it). A link the user made, or one in a directory that is
//!   not shared that way, is followed.
//! - [`remove_stale`] (`stale.rs`): when a run judged nothing, the reports an
//!   earlier run left are removed, so that they are not taken for this
//!   run's: only a regular file at the named path (never through a link)
//!   that begins as akspol's reports begin.
//! - [`FileSpool`] (`spool.rs`): where a streaming report keeps what follows
//!   its head, its failures named as the spool's.
//! - [`append_to`] (`append.rs`): GitHub's step summary, added to.

mod append;
mod clash;
mod file;
mod links;
mod spool;
mod stale;
mod stdout;
mod stream;

pub use append::append_to;
pub use clash::{check_outputs, Named};
pub use file::{write_file, TEMP_SUFFIX};
pub use links::{check_links, write_target};
pub use spool::{output_failure, FileSpool, SpoolError};
pub use stale::{remove_stale, Stale, HEAD_BYTES};
pub use stdout::{guard_standard_streams, is_stdout, stdout_width, table_width};
pub use stream::{print, write_output, Output};
