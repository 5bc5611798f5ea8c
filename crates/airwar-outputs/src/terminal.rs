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

/// A bar counting the replications of `arms` runs on a terminal, for runs of at least
/// `shown_from` replications (a quick run needs none).
pub struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    pub fn new(range: Option<Replications>, runs: u64, arms: u64, shown_from: u64) -> Bar {
        let replications = range.map_or(runs, |r| r.end - r.start) * arms;
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
