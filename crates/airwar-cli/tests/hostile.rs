//! Hostile and careless input: each test is one case that once crashed, hung or misled, named
//! after what it checks. Every refusal comes before any simulation, with a message that names
//! what is wrong and exit code 1 (bad input) or 2 (input or output failed).

use std::io::Read;
use std::process::{Command as Process, Stdio};

use assert_cmd::Command;

fn airwar() -> Command {
    Command::cargo_bin("airwar").expect("the airwar binary is built")
}

/// Run `airwar args`; (exit code, stderr).
fn refused(args: &[&str]) -> (Option<i32>, String) {
    let out = airwar().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ends_quietly_with_success() {
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("airwar"))
        .args(["sources", "--bibtex"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    let mut stdout = child.stdout.take().unwrap();
    stdout.read_exact(&mut first).unwrap();
    // The reader goes away, as `| head` does, long before the bibliography is written.
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn zero_threads_is_refused_not_taken_to_mean_one_or_all() {
    let (code, err) = refused(&["battle", "--threads", "0", "--runs", "10"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("at least 1"), "{err}");
}

#[test]
fn runs_above_the_limit_are_refused_before_running() {
    let (code, err) = refused(&["battle", "--runs", "18446744073709551615"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("limit") && err.contains("--replications"),
        "{err}"
    );
    let (code, err) = refused(&["run", "korea-1950", "--runs", "1000000000"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("limit"), "{err}");
}

#[test]
fn fit_sizes_above_the_limit_are_refused() {
    let (code, err) = refused(&["calibrate", "--fit-runs", "99999999999"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("limit"), "{err}");
}

#[test]
fn validate_with_zero_runs_is_refused_not_scored() {
    let (code, err) = refused(&["validate", "--runs", "0"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("at least 1"), "{err}");
}

#[test]
fn stdin_is_read_once_and_checked() {
    let text = airwar_scenario::builtin::embedded_files("battles/wuhan-1938-04-29.toml")
        .next()
        .unwrap()
        .1;
    airwar()
        .args(["check", "/dev/stdin"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(predicates::str::contains("wuhan-1938-04-29"));
}

#[test]
fn a_file_past_the_size_limit_is_refused_not_read_forever() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    let limit = airwar_scenario::limits::MAX_FILE_BYTES as usize;
    std::fs::write(&big, vec![b'#'; limit + 1]).unwrap();
    let (code, err) = refused(&["check", big.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("limit"), "{err}");
}

#[test]
fn a_missing_file_is_an_input_failure_with_exit_2() {
    let (code, err) = refused(&["engage", "/no/such/file.toml"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("cannot read /no/such/file.toml"), "{err}");
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
}

#[test]
fn a_side_without_aircraft_is_refused() {
    let (code, err) = refused(&[
        "battle",
        "wuhan-1938-04-29",
        "--runs",
        "10",
        "--set",
        "sides[1].forces.count.value=0",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("has no aircraft"), "{err}");
}

#[test]
fn an_observed_value_past_32_bits_is_refused_not_wrapped() {
    let (code, err) = refused(&[
        "battle",
        "wuhan-1938-04-29",
        "--runs",
        "10",
        "--set",
        "observed[0].value=5000000000",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("4294967295"), "{err}");
}

#[test]
fn a_theatre_period_past_the_limit_is_refused_not_capped() {
    let (code, err) = refused(&[
        "run",
        "china-1937",
        "--runs",
        "2",
        "--set",
        "end.value=2100-12-31",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("the limit is 40000"), "{err}");
}

#[test]
fn a_delivery_after_the_period_is_refused_not_moved() {
    let (code, err) = refused(&[
        "run",
        "china-1937",
        "--runs",
        "2",
        "--set",
        "end.value=1937-12-31",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("after the theatre's period"), "{err}");
}
