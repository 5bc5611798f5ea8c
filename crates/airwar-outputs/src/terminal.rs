//! Terminal rendering for a command-line front end: output to stdout that reports a closed
//! pipe instead of panicking, progress bars on a terminal's stderr (never in pipes or logs),
//! and notes that `--quiet` silences.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use airwar_engine::Replications;

static PROGRESS: AtomicBool = AtomicBool::new(true);
static NOTES: AtomicBool = AtomicBool::new(true);

/// No progress bars from now on (`--no-progress`); with `notes` false, no notes either
/// (`--quiet`).
pub fn silence(notes: bool) {
    PROGRESS.store(false, Ordering::Relaxed);
    NOTES.store(notes, Ordering::Relaxed);
}

/// A line for the user on stderr (a stage reached, a file written), unless `--quiet`.
pub fn note(text: impl std::fmt::Display) {
    if NOTES.load(Ordering::Relaxed) {
        eprintln!("{text}");
    }
}

/// Whether stdout is a person's terminal and `--quiet` was not given: where extras for a
/// reader (the sparklines after `airwar run`) belong by default.
pub fn reader_on_stdout() -> bool {
    NOTES.load(Ordering::Relaxed) && std::io::stdout().is_terminal()
}

/// The choices of when to add an extra for a reader, e.g. `--sparklines`.
pub const WHEN: [&str; 3] = ["auto", "always", "never"];

/// Whether to add an extra for a reader: `always`, `never`, or `auto` (any other) when
/// [`reader_on_stdout`].
pub fn wanted(when: &str) -> bool {
    match when {
        "always" => true,
        "never" => false,
        _ => reader_on_stdout(),
    }
}

/// Print the lines of the files that were good on stdout and the errors of the others on
/// stderr (`airwar check`); the exit code, 1 if there were errors.
pub fn checked(good: &str, errors: &str) -> std::io::Result<u8> {
    show(good)?;
    eprint!("{errors}");
    Ok(u8::from(!errors.is_empty()))
}

fn progress_shown() -> bool {
    PROGRESS.load(Ordering::Relaxed) && std::io::stderr().is_terminal()
}

/// Write `text` to stdout. Errors come back (never a panic), so that a closed pipe can end the
/// command quietly, as for other command-line tools (`airwar sources --bibtex | head`).
pub fn show(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Write `value` as pretty JSON to stdout, errors coming back as for [`show`].
pub fn show_json(value: &serde_json::Value) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()
}

/// Print the view's JSON (`json`) or its text to stdout, errors coming back as for [`show`].
pub fn print(json: bool, view: &dyn crate::view::View) -> std::io::Result<()> {
    if json {
        show_json(&view.json())
    } else {
        show(&view.text())
    }
}

/// Whether an error (or any error under it) is a write to a pipe whose reader has gone: the
/// command then ends quietly, as other command-line tools do.
pub fn is_closed_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    let closed = |e: &(dyn std::error::Error + 'static)| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    };
    std::iter::successors(Some(e), |e| e.source()).any(closed)
}

/// End a command that failed with `e`: say why on stderr and give the exit code. A closed
/// pipe ends quietly (0); `located` problems in data files are printed as they are (1); any
/// other error is printed with its causes, and is 2 when input or output failed (an I/O error
/// under it), otherwise 1 (bad input).
pub fn fail(e: &(dyn std::error::Error + 'static), located: Option<&dyn std::fmt::Display>) -> u8 {
    if is_closed_pipe(e) {
        return 0;
    }
    if let Some(located) = located {
        eprintln!("{located}");
        return 1;
    }
    eprintln!("error: {}", with_causes(e));
    let chain = || std::iter::successors(Some(e), |e| e.source());
    1 + u8::from(chain().any(|c| c.is::<std::io::Error>()))
}

/// An error and each cause under it, joined by `: `.
pub fn with_causes(e: &(dyn std::error::Error + 'static)) -> String {
    let chain = std::iter::successors(Some(e), |e| e.source());
    chain.map(|e| e.to_string()).collect::<Vec<_>>().join(": ")
}

/// Whose replications a bar counts: a battle's are quick (a bar is drawn from 20,000 of
/// them), a campaign's slow (from 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replicating {
    Battle,
    Campaign,
}

/// A bar counting the replications of `arms` runs on a terminal, unless they are too few to
/// need one.
pub struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    pub fn new(range: Option<Replications>, runs: u64, arms: u64, of: Replicating) -> Bar {
        let replications = range.map_or(runs, |r| r.end - r.start) * arms;
        let shown_from = match of {
            Replicating::Battle => 20_000,
            Replicating::Campaign => 100,
        };
        let bar = (progress_shown() && replications >= shown_from).then(|| {
            let style = "{bar:40} {pos}/{len} replications ({eta} left)";
            indicatif::ProgressBar::new(replications).with_style(
                indicatif::ProgressStyle::with_template(style)
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            )
        });
        Bar(bar)
    }

    /// `done` replications have finished.
    pub fn set(&self, done: u64) {
        if let Some(b) = &self.0 {
            b.set_position(done);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// A note at each tenth of a sweep's design points done, and at the last.
pub fn points_done(done: u64, of: u64) {
    if done == of || done * 10 / of != (done - 1) * 10 / of {
        note(format!("{done}/{of} design points"));
    }
}

/// A spinner counting the parameter sets a fit has scored (on a terminal).
pub fn scored_progress(label: &'static str) -> impl Fn(usize) + Sync {
    let bar = progress_shown().then(|| {
        let style = "{spinner} {msg}: {pos} parameter sets scored ({elapsed})";
        indicatif::ProgressBar::new_spinner()
            .with_style(
                indicatif::ProgressStyle::with_template(style)
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            )
            .with_message(label)
    });
    move |done| {
        if let Some(b) = &bar {
            b.set_position(done as u64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error wrapping another, as a context would.
    #[derive(Debug)]
    struct Writing(std::io::Error);

    impl std::fmt::Display for Writing {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "writing the table")
        }
    }

    impl std::error::Error for Writing {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn an_error_is_shown_with_its_causes_and_io_failures_exit_with_2() {
        let full = || std::io::Error::other("disk full");
        assert_eq!(
            with_causes(&Writing(full())),
            "writing the table: disk full"
        );
        assert_eq!(fail(&Writing(full()), None), 2);
        let bad = std::fmt::Error;
        assert_eq!(fail(&bad, None), 1);
        assert_eq!(fail(&bad, Some(&"file.toml:3: bad")), 1);
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert_eq!(fail(&Writing(pipe), Some(&"not shown")), 0);
    }

    #[test]
    fn always_and_never_are_kept_and_auto_asks_the_terminal() {
        assert!(wanted("always"));
        assert!(!wanted("never"));
        assert_eq!(wanted("auto"), reader_on_stdout());
        assert_eq!(checked("", "").unwrap(), 0);
        assert_eq!(checked("", "a.toml:1: bad\n").unwrap(), 1);
    }

    #[test]
    fn a_closed_pipe_is_found_under_other_errors_and_nothing_else_is_one() {
        let pipe = || std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert!(is_closed_pipe(&pipe()));
        assert!(is_closed_pipe(&Writing(pipe())));
        let json = serde_json::Error::io(pipe());
        assert!(is_closed_pipe(&json));
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert!(!is_closed_pipe(&Writing(full)));
    }
}
