//! `airwar report`: a campaign's and a battle's HTML file, written whole.

use assert_cmd::Command;

fn airwar() -> Command {
    Command::cargo_bin("airwar").expect("the binary is built")
}

/// The page loads nothing from outside: no `src=`, no `@import`, no `url(` but to its own
/// elements, and every `href=` is a link (`<a href>`) to a cited source.
fn assert_self_contained(html: &str) {
    let lower = html.to_lowercase();
    for banned in ["src=", "@import", "url(http", "url(//", "<link", "<script"] {
        assert!(!lower.contains(banned), "the report has {banned}");
    }
    for (i, _) in lower.match_indices("href=") {
        assert!(
            lower[..i].ends_with("<a "),
            "a reference outside a link at {i}"
        );
    }
    for (i, _) in lower.match_indices("url(") {
        assert!(lower[i..].starts_with("url(#"), "an outside url() at {i}");
    }
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
    assert_self_contained(&html);
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
    assert_self_contained(&html);
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

fn example_engagement() -> String {
    format!(
        "{}/../../docs/example-engagement.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn a_battle_report_is_written_for_an_engagement_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mine.html");
    airwar()
        .args(["report", "--battle", &example_engagement(), "--runs", "300"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert_self_contained(&html);
    assert!(html.contains("Example: the second Wuhan raid as the founding article tells it"));
    assert!(html.contains("id=\"fig-battle-example-wuhan-1938-05-31-0\""));
    assert!(html.contains("300 replications"));
    // A file that is not there is a clear error, and nothing is written.
    let missing = dir.path().join("no-such-battle.toml");
    let out2 = dir.path().join("none.html");
    let assert = airwar()
        .args(["report", "--battle"])
        .arg(&missing)
        .arg("--out")
        .arg(&out2)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("no-such-battle.toml"), "{stderr}");
    assert!(!out2.exists());
}

/// Every figure `figures.json` lists is in the folder as SVG and as a PNG that decodes and is
/// not blank.
fn assert_figures(dir: &std::path::Path, expected: &[&str]) -> Vec<String> {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("figures.json")).unwrap()).unwrap();
    let figures = manifest["figures"].as_array().unwrap();
    let ids: Vec<String> = figures
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    for id in expected {
        assert!(ids.iter().any(|i| i == id), "no figure {id} in {ids:?}");
    }
    for f in figures {
        let id = f["id"].as_str().unwrap();
        assert!(!f["caption"].as_str().unwrap().is_empty(), "{id}");
        let svg = std::fs::read_to_string(dir.join(f["svg"].as_str().unwrap())).unwrap();
        assert!(svg.starts_with("<?xml"), "{id}");
        assert!(svg.contains(&format!("id=\"{id}\"")), "{id}");
        let png = std::fs::read(dir.join(f["png"].as_str().unwrap())).unwrap();
        let stats = airwar_report::png::png_stats(&png).unwrap_or_else(|| panic!("{id} decodes"));
        assert!(stats.width >= 400 && stats.height >= 200, "{id}: {stats:?}");
        assert!(stats.colours > 16, "{id} is nearly blank: {stats:?}");
        assert!(stats.ink > 0.01, "{id} is nearly blank: {stats:?}");
    }
    // Nothing but the listed files and the manifest.
    assert_eq!(
        std::fs::read_dir(dir).unwrap().count(),
        2 * figures.len() + 1
    );
    ids
}

#[test]
fn figures_are_written_as_svg_and_png_for_a_battle() {
    let dir = tempfile::tempdir().unwrap();
    let figures = dir.path().join("figures");
    airwar()
        .args(["report", "--battle", "wuhan-1938-04-29", "--runs", "300"])
        .arg("--figures")
        .arg(&figures)
        .assert()
        .success();
    assert_figures(&figures, &["map", "battle-wuhan-1938-04-29-0", "forest"]);
    // No HTML was asked for, so none was written.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn figures_are_written_for_a_campaign_and_rewritten_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let (out, figures) = (dir.path().join("korea.html"), dir.path().join("fig"));
    let run = || {
        let mut c = airwar();
        c.args(["report", "korea-1950", "--runs", "4", "--battle-runs", "50"])
            .arg("--out")
            .arg(&out)
            .arg("--figures")
            .arg(&figures);
        c
    };
    run().assert().success();
    assert_self_contained(&std::fs::read_to_string(&out).unwrap());
    let ids = assert_figures(
        &figures,
        &[
            "map",
            "timeline",
            "chart-aircraft",
            "chart-cumulative",
            "forest",
        ],
    );
    // Every figure of the page is among the files.
    let html = std::fs::read_to_string(&out).unwrap();
    for id in &ids {
        assert!(html.contains(&format!("id=\"fig-{id}\"")), "{id}");
    }
    let first = std::fs::read(figures.join("chart-aircraft.png")).unwrap();
    // A second run replaces the folder it wrote (its manifest vouches for the files) and gives
    // the same bytes.
    run().assert().success();
    assert_eq!(
        std::fs::read(figures.join("chart-aircraft.png")).unwrap(),
        first
    );
    // A folder holding a file airwar did not write is refused before anything runs.
    std::fs::write(figures.join("notes.txt"), "mine").unwrap();
    let assert = run().assert().failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("notes.txt"), "{stderr}");
}

#[test]
fn a_report_needs_an_html_file_or_a_figures_folder() {
    airwar()
        .args(["report", "korea-1950", "--runs", "4"])
        .assert()
        .failure();
}

#[test]
fn a_validation_file_adds_its_rows_and_a_bad_one_stops_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let file = example_engagement();
    let validation = dir.path().join("v.json");
    let out = airwar()
        .args([
            "validate",
            "--only-files",
            "--battle-file",
            &file,
            "--runs",
            "200",
        ])
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(&validation, &out.stdout).unwrap();
    let html = dir.path().join("mine.html");
    airwar()
        .args(["report", "--battle", &file, "--runs", "200", "--validation"])
        .arg(&validation)
        .arg("--out")
        .arg(&html)
        .assert()
        .success();
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("example-wuhan-1938-05-31 [validate]"),
        "no validation row"
    );
    assert!(page.contains("mode <code>parameters</code>"));
    // A file that is not a validation is refused, naming it, before anything runs.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"items\": []}").unwrap();
    let html2 = dir.path().join("none.html");
    let assert = airwar()
        .args(["report", "--battle", &file, "--validation"])
        .arg(&bad)
        .arg("--out")
        .arg(&html2)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("bad.json") && stderr.contains("mode"),
        "{stderr}"
    );
    assert!(!html2.exists());
}
