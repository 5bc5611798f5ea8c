//! The command line's definition as its users meet it: every command, option and argument
//! described in the help, and a definition clap accepts.

use assert_cmd::Command;

fn airwar() -> Command {
    Command::cargo_bin("airwar").expect("the airwar binary is built")
}

fn stdout(args: &[&str]) -> String {
    let out = airwar().args(args).output().unwrap();
    assert!(out.status.success(), "airwar {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The entries of a help section (`Commands:`, `Arguments:`, `Options:`): each entry's name and
/// its description (empty when it has none; clap's `[default: …]` notes are no description).
/// clap puts a description beside its entry, or (when the entries are long) on the lines below.
fn entries(help: &str, section: &str) -> Vec<(String, String)> {
    let described = |text: &str| match text.starts_with('[') {
        true => String::new(),
        false => text.to_string(),
    };
    let lines = help.lines().skip_while(|l| *l != section).skip(1);
    let mut out: Vec<(String, String)> = Vec::new();
    for line in lines.take_while(|l| l.is_empty() || l.starts_with(' ')) {
        let indent = line.len() - line.trim_start().len();
        let line = line.trim();
        match out.last_mut() {
            _ if line.is_empty() => {}
            Some((_, description)) if indent >= 8 && description.is_empty() => {
                *description = described(line);
            }
            _ if indent >= 8 => {}
            _ => {
                let (name, description) = line.split_once("  ").unwrap_or((line, ""));
                out.push((name.to_string(), described(description.trim_start())));
            }
        }
    }
    out
}

#[test]
fn every_command_option_and_argument_has_a_description() {
    let top = stdout(&["--help"]);
    let commands = entries(&top, "Commands:");
    assert!(
        commands.len() > 20,
        "the walk found the commands: {commands:?}"
    );
    let mut bare = Vec::new();
    for (name, about) in &commands {
        if about.is_empty() {
            bare.push(format!("airwar {name}"));
        }
        let help = stdout(&["help", name]);
        for section in ["Arguments:", "Options:"] {
            for (arg, description) in entries(&help, section) {
                if description.is_empty() {
                    bare.push(format!("airwar {name} {arg}"));
                }
            }
        }
    }
    let global = entries(&top, "Options:");
    bare.extend(
        global
            .iter()
            .filter(|(_, d)| d.is_empty())
            .map(|(a, _)| a.clone()),
    );
    assert!(bare.is_empty(), "without a description: {bare:?}");
}

#[test]
fn a_bare_option_is_found_beside_or_below_its_entry() {
    let bare = |help: &str| -> Vec<String> {
        let found = entries(help, "Options:");
        assert_eq!(found.len(), 3, "{found:?}");
        (found.into_iter().filter(|(_, d)| d.is_empty()))
            .map(|(a, _)| a)
            .collect()
    };
    let beside = "Options:\n      --seed <SEED>  Seed [default: 1]\n      --bare <X>\n      --noted  [default: 2]\n";
    assert_eq!(bare(beside), ["--bare <X>", "--noted"]);
    let below = "Options:\n      --seed <SEED>\n          Seed\n\n          [default: 1]\n\n      --bare <X>\n\n      --noted\n          [default: 2]\n\nStart here.\n";
    assert_eq!(bare(below), ["--bare <X>", "--noted"]);
}

/// clap checks a definition's consistency (conflicts, groups, ids) when it builds the whole
/// command tree, as generating completions and the manual page does; the binary the tests run
/// is a debug build, whose clap asserts, so an inconsistent definition fails here.
#[test]
fn the_command_line_definition_is_consistent() {
    for page in [&["completions", "bash"][..], &["man"][..]] {
        airwar().args(page).assert().success();
    }
}
