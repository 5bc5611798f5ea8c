//! `airwar report`: a campaign's and a battle's HTML file, written whole.

use assert_cmd::Command;

fn airwar() -> Command {
    Command::cargo_bin("airwar").expect("the binary is built")
}

#[test]
fn a_campaign_report_is_written_with_its_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("korea.html");
    airwar()
        .args(["report", "korea-1950", "--runs", "4", "--battle-runs", "50"])
        .args(["--set", "params.lethality=0.02", "--out"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("id=\"map\""));
    assert!(html.contains("id=\"chart-aircraft\""));
    assert!(html.contains("id=\"forest\""));
    // The provenance block: the command line and the change.
    assert!(html.contains("params.lethality=0.02"));
    assert!(html.contains("report korea-1950"));
    // Nothing but the report is left in the folder (the temporary file was renamed).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_battle_report_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("wuhan.html");
    airwar()
        .args([
            "report",
            "--battle",
            "wuhan-1938-04-29",
            "--runs",
            "300",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("id=\"fig-battle-wuhan-1938-04-29-0\""));
}

#[test]
fn an_unknown_battle_writes_nothing_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.html");
    airwar()
        .args(["report", "--battle", "wuhan-1938-04-30", "--out"])
        .arg(&out)
        .assert()
        .failure();
    assert!(!out.exists());
}

#[test]
fn battle_replications_are_checked_before_the_campaign_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.html");
    for runs in ["0", "100000001"] {
        let assert = airwar()
            .args(["report", "--battle-runs", runs, "--out"])
            .arg(&out)
            .assert()
            .failure();
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(stderr.contains("replications of each battle"), "{stderr}");
        assert!(!out.exists());
    }
}
