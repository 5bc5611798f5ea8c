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

#[test]
fn an_output_folder_is_checked_before_the_run_and_never_replaces_the_users_files() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = dir.path().join("notes");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("thesis.tex"), "mine").unwrap();
    // Refused at once (a run of this size would take minutes), with the user's file intact.
    let (code, err) = refused(&[
        "battle",
        "--runs",
        "50000000",
        "--out",
        theirs.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("thesis.tex"), "{err}");
    assert_eq!(
        std::fs::read_to_string(theirs.join("thesis.tex")).unwrap(),
        "mine"
    );
}

#[test]
fn a_symlink_or_device_is_never_replaced_by_output() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("link.md");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    let (code, err) = refused(&[
        "validate",
        "--runs",
        "10",
        "--report",
        link.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("symbolic link"), "{err}");
    let (code, err) = refused(&["calibrate", "--out", "/dev/null"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("not a regular file"), "{err}");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn an_out_path_through_dot_dot_leaves_no_stray_folder_and_no_staging() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stray/../results");
    airwar()
        .args(["battle", "--runs", "20", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["results"], "no `stray`, no staging folder left");
    // A second run replaces the set whole.
    airwar()
        .args(["battle", "--runs", "30", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    let summary = std::fs::read_to_string(dir.path().join("results/summary.json")).unwrap();
    assert!(summary.contains("\"runs\": 30"), "{summary}");
}

#[test]
fn quiet_silences_notes_but_not_errors() {
    let dir = tempfile::tempdir().unwrap();
    let shard = |range: &str, name: &str| {
        let out = dir.path().join(name);
        airwar()
            .args(["battle", "--runs", "20", "--replications", range, "--out"])
            .arg(&out)
            .assert()
            .success();
        out
    };
    let (a, b) = (shard("0..10", "a"), shard("10..20", "b"));
    let merge = |quiet: bool, name: &str| {
        let mut cmd = airwar();
        cmd.arg("merge")
            .arg(&a)
            .arg(&b)
            .arg("--out")
            .arg(dir.path().join(name));
        if quiet {
            cmd.arg("--quiet");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(merge(false, "m1").contains("merged 2 shards"));
    assert_eq!(merge(true, "m2"), "");
    let (code, err) = refused(&["battle", "--quiet", "--threads", "0"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("at least 1"), "{err}");
}

#[test]
fn a_counterfactual_of_the_other_theatre_says_which_theatre_it_belongs_to() {
    let (code, err) = refused(&[
        "compare",
        "korea-1950",
        "--counterfactual",
        "china-early-withdrawal",
        "--runs",
        "2",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("a question about china-1937"), "{err}");
}

#[test]
fn a_file_in_the_working_folder_never_shadows_a_built_in_scenario() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("korea-1950"), "not a theatre").unwrap();
    airwar()
        .args(["run", "korea-1950", "--runs", "2"])
        .current_dir(dir.path())
        .assert()
        .success();
}

#[test]
fn a_misspelt_base_owner_and_a_route_without_stops_are_refused() {
    let text = airwar_scenario::builtin::embedded_files("scenarios/china-1937.toml")
        .next()
        .unwrap()
        .1;
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let owner = text.replacen("owner = \"china\"", "owner = \"chian\"", 1);
    std::fs::write(&bad, owner).unwrap();
    let (code, err) = refused(&["check", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("chian") && err.contains("did you mean"),
        "{err}"
    );
    let no_stops = regex_free_replace_stops(text);
    std::fs::write(&bad, no_stops).unwrap();
    let (code, err) = refused(&["check", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("stops"), "{err}");
}

/// The first route's `stops = [...]` emptied.
fn regex_free_replace_stops(text: &str) -> String {
    let start = text.find("stops = [").expect("a route with stops");
    let end = start + text[start..].find(']').unwrap() + 1;
    format!("{}stops = []{}", &text[..start], &text[end..])
}

#[test]
fn nan_or_negative_spreads_are_refused() {
    for bad in ["nan", "-0.5", "inf"] {
        let set = format!("params.fortune_sd={bad}");
        let (code, err) = refused(&["battle", "--runs", "10", "--set", &set]);
        assert_eq!(code, Some(1), "{bad}");
        assert!(err.contains("fortune_sd"), "{bad}: {err}");
    }
}

#[test]
fn an_observed_type_that_is_not_in_the_battle_is_refused_with_the_sides_types() {
    let (code, err) = refused(&["battle", "--runs", "10", "--set", "observed[1].type=SB"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("flies no `SB`"), "{err}");
    assert!(err.contains("A5M, G3M"), "{err}");
    // A claim names the other side's type: the Chinese claiming their own I-16 is a slip.
    let (code, err) = refused(&[
        "battle",
        "--runs",
        "10",
        "--set",
        "observed[0].type=I-16 type 10",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("claimed by"), "{err}");
}

#[test]
fn an_observed_side_or_battle_metric_misspelt_gets_did_you_mean() {
    let (code, err) = refused(&[
        "battle",
        "--runs",
        "10",
        "--set",
        "observed[0].side=Imperial Japanes Navy",
    ]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("did you mean `Imperial Japanese Navy`?"),
        "{err}"
    );
    let (code, err) = refused(&[
        "battle",
        "--runs",
        "10",
        "--set",
        "observed[0].metric=claim",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("did you mean `claims`?"), "{err}");
}

#[test]
fn a_theatre_metric_one_slip_from_a_modelled_one_is_refused_not_kept_as_record_only() {
    let (code, err) = refused(&[
        "run",
        "korea-1950",
        "--runs",
        "2",
        "--set",
        "observed[0].metric=claim",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("did you mean `claims`?"), "{err}");
}

#[test]
fn a_modelled_theatre_figure_dated_before_the_period_is_refused() {
    let (code, err) = refused(&[
        "run",
        "korea-1950",
        "--runs",
        "2",
        "--set",
        "observed[0].to=1949-01-01",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("outside the theatre's period"), "{err}");
    assert!(err.contains("ends (1949-01-01) before it starts"), "{err}");
}

/// The Korean theatre file with `rows` copies of `table` appended.
fn korea_with(table: &str, rows: usize) -> tempfile::NamedTempFile {
    let text = airwar_scenario::builtin::embedded_files("scenarios/korea-1950.toml")
        .next()
        .unwrap()
        .1;
    let file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    std::fs::write(file.path(), format!("{text}\n{}", table.repeat(rows))).unwrap();
    file
}

#[test]
fn theatre_sums_of_aircraft_people_and_money_are_checked_not_wrapped() {
    let aircraft = "[[deliveries]]\nto = \"iak64\"\ntype = \"MiG-15\"\nwhat = \"aircraft\"\n\
                    date = \"1951-01-01\"\ncount = 100000\n\n";
    let file = korea_with(aircraft, 101);
    let (code, err) = refused(&["check", file.path().to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("aircraft delivered to the theatre add up to more than 10000000"),
        "{err}"
    );
    let money = "[[loans]]\nlender = \"USSR\"\nborrower = \"China\"\nrepaid_in = []\n\
                 date = \"1951-01-01\"\namount_million_usd = 600000\n\
                 annual_interest_percent = 1\n\n";
    let file = korea_with(money, 2);
    let (code, err) = refused(&["check", file.path().to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("loans (million US dollars) add up"), "{err}");
}

#[test]
fn a_toml_syntax_error_without_words_still_says_what_was_found() {
    // Found by the property test: toml gives some syntax errors an empty message.
    let file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    std::fs::write(file.path(), "id = \"x\"\nfamily =").unwrap();
    let (code, err) = refused(&["check", file.path().to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains(":2:9"), "located: {err}");
    assert!(err.contains("found the end of the file"), "{err}");
}
