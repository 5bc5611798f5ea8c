//! What the command shows beside the library's own rendering: JSON on stdout, progress on a
//! terminal's stderr, "did you mean".

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use airwar_engine::Replications;
use anyhow::Result;

/// Print the JSON or the text; the command succeeded.
pub fn emit(
    json: bool,
    value: impl FnOnce() -> serde_json::Value,
    text: impl FnOnce() -> String,
) -> Result<ExitCode> {
    if json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &value())?;
        writeln!(out)?;
    } else {
        show(&text())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Write `text` to stdout. Errors come back (never a panic): a closed pipe is then a quiet
/// success in `main`, as for other command-line tools (`airwar sources --bibtex | head`).
pub fn show(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Whether an error is a write to a pipe whose reader has gone.
pub fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

/// A bar over `arms` runs' replications (worth `scale` steps each) on a terminal; long runs only.
pub struct Bar(Option<indicatif::ProgressBar>, u64);

impl Bar {
    pub fn new(range: Option<Replications>, runs: u64, arms: u64, scale: u64) -> Bar {
        let steps = range.map_or(runs, |r| r.end - r.start) * arms * scale;
        let bar = (std::io::stderr().is_terminal() && steps >= 20_000).then(|| {
            let style = "{bar:40} {pos}/{len} replications ({eta} left)";
            indicatif::ProgressBar::new(steps).with_style(
                indicatif::ProgressStyle::with_template(style)
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            )
        });
        Bar(bar, scale)
    }

    /// `done` replications have finished.
    pub fn set(&self, done: u64) {
        if let Some(b) = &self.0 {
            b.set_position(done * self.1);
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
    let bar = std::io::stderr().is_terminal().then(|| {
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

/// `--threads`: at least 1 (leaving it out uses every core, the same everywhere).
pub fn threads(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("at least 1 (leave --threads out to use every core)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("a whole number of threads, not `{text}`")),
    }
}
