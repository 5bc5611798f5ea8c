//! The command line as users expect of one: completions, a manual page, exit codes in the help,
//! and changes that combine.

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn airwar() -> Command {
    Command::cargo_bin("airwar").expect("the airwar binary is built")
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        airwar()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(contains("airwar"))
            .stdout(contains("counterfactual"));
    }
    airwar()
        .args(["completions", "tcsh"])
        .assert()
        .code(1)
        .stderr(contains("possible values"));
}

#[test]
fn a_manual_page_is_printed_in_roff() {
    airwar()
        .arg("man")
        .assert()
        .success()
        .stdout(predicates::str::starts_with(".ie"))
        .stdout(contains(".TH airwar"))
        .stdout(contains("Exit codes"));
}

#[test]
fn help_documents_the_exit_codes() {
    airwar()
        .arg("--help")
        .assert()
        .success()
        .stdout(contains("Exit codes: 0 fine; 1 bad input"))
        .stdout(contains("2 a file could not be read or written"));
}

#[test]
fn set_combines_with_a_counterfactual_in_compare_and_run() {
    let out = airwar()
        .args([
            "compare",
            "korea-1950",
            "--counterfactual",
            "korea-no-coast-rule",
        ])
        .args(["--set", "params.lethality=0.01", "--runs", "2", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let changes = v["provenance"]["changes"].as_array().unwrap();
    assert_eq!(changes[0], "params.lethality=0.01");
    assert!(changes.len() > 1, "{changes:?}");
    airwar()
        .args([
            "run",
            "korea-1950",
            "--counterfactual",
            "korea-no-coast-rule",
        ])
        .args(["--set", "params.lethality=0.01", "--runs", "2", "--json"])
        .assert()
        .success()
        .stdout(contains("korea-no-coast-rule").or(contains("coast")));
}

#[test]
fn no_color_is_kept_and_nothing_writes_escape_codes() {
    for args in [
        &["battle", "--runs", "20"][..],
        &["validate", "--runs", "20"][..],
    ] {
        let out = airwar().args(args).env("NO_COLOR", "1").output().unwrap();
        assert!(out.status.success());
        assert!(!out.stdout.contains(&0x1b), "{args:?} wrote an escape code");
        assert!(!out.stderr.contains(&0x1b), "{args:?} wrote an escape code");
    }
}
