//! What the command adds to `airwar_outputs::terminal`: a view printed as the command's
//! success, `--threads` parsed, and the completion script and manual page.

use std::process::ExitCode;

use airwar_outputs::terminal::{print, show};
use airwar_outputs::view::View;
use anyhow::Result;

/// Print the view's JSON or its text; the command succeeded.
pub fn emit(json: bool, view: &dyn View) -> Result<ExitCode> {
    print(json, view)?;
    Ok(ExitCode::SUCCESS)
}

/// `--threads`: at least 1 (leaving it out uses every core, the same everywhere).
pub fn threads(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("at least 1 (leave --threads out to use every core)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("a whole number of threads, not `{text}`")),
    }
}

/// `airwar completions SHELL` (a shell given) or `airwar man`: the completion script or the
/// manual page (roff) on stdout.
pub fn generated(mut cli: clap::Command, shell: Option<clap_complete::Shell>) -> Result<ExitCode> {
    let mut out = Vec::new();
    match shell {
        Some(shell) => clap_complete::generate(shell, &mut cli, "airwar", &mut out),
        None => clap_mangen::Man::new(cli).render(&mut out)?,
    }
    show(&String::from_utf8_lossy(&out))?;
    Ok(ExitCode::SUCCESS)
}
