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
        print!("{}", text());
    }
    Ok(ExitCode::SUCCESS)
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
