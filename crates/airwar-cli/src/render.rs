//! What the command adds to `airwar_outputs::terminal`: JSON or text on stdout, a closed pipe
//! told apart from a failure, and `--threads` parsed.

use std::process::ExitCode;

use airwar::commands::View;
use airwar_outputs::terminal::{show, show_json};
use anyhow::Result;

/// Print the view's JSON or its text; the command succeeded.
pub fn emit(json: bool, view: &dyn View) -> Result<ExitCode> {
    if json {
        show_json(&view.json())?;
    } else {
        show(&view.text())?;
    }
    Ok(ExitCode::SUCCESS)
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

/// `--threads`: at least 1 (leaving it out uses every core, the same everywhere).
pub fn threads(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("at least 1 (leave --threads out to use every core)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("a whole number of threads, not `{text}`")),
    }
}

/// `airwar completions SHELL`: the completion script on stdout.
pub fn completions(mut cli: clap::Command, shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cli, "airwar", &mut out);
    show(&String::from_utf8_lossy(&out))?;
    Ok(ExitCode::SUCCESS)
}

/// `airwar man`: the manual page (roff) on stdout.
pub fn man(cli: clap::Command) -> Result<ExitCode> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cli).render(&mut out)?;
    show(&String::from_utf8_lossy(&out))?;
    Ok(ExitCode::SUCCESS)
}
