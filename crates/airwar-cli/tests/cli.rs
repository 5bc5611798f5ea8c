//! The `airwar` binary on real files: JSON contracts, determinism, Lanchester accuracy, and
//! located errors with a non-zero exit for bad input.

use assert_cmd::Command;
use serde_json::Value;

fn airwar() -> Command {
    Command::cargo_bin("airwar").expect("the airwar binary is built")
}

fn json(args: &[&str]) -> Value {
    let out = airwar().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "airwar {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// Pretty JSON text without its top-level `provenance` block (re-serialising would round the
/// floats' last digits).
fn without_provenance(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line == "  \"provenance\": {" {
            skipping = true;
            continue;
        }
        if skipping {
            skipping = !line.starts_with("  }");
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn example() -> String {
    format!(
        "{}/../../docs/example-engagement.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn battles_json_lists_id_date_title() {
    let v = json(&["battles", "--json"]);
    let list = v.as_array().unwrap();
    assert!(list.len() >= 3);
    for b in list {
        for k in ["id", "date", "title"] {
            assert!(b[k].is_string(), "{k} missing in {b}");
        }
    }
}

#[test]
fn battle_json_contract() {
    let v = json(&["battle", "wuhan-1938-04-29", "--runs", "300", "--json"]);
    assert_eq!(v["runs"], 300);
    assert_eq!(v["seed"], 1);
    let sides = v["sides"].as_array().unwrap();
    assert_eq!(sides.len(), 2);
    for s in sides {
        assert!(s["name"].is_string());
        assert!(s["initial"].as_u64().unwrap() > 0);
        for metric in ["losses", "claims"] {
            for k in ["mean", "sd", "p05", "p50", "p95"] {
                assert!(s[metric][k].is_number(), "{metric}.{k} in {s}");
            }
        }
        let by_type = s["by_type"].as_object().unwrap();
        assert!(!by_type.is_empty());
        for t in by_type.values() {
            assert!(t["initial"].is_u64());
            assert!(t["losses"]["mean"].is_number());
        }
        // Losses never exceed what the side had.
        assert!(
            s["losses"]["p95"].as_f64().unwrap()
                <= (s["initial"].as_f64().unwrap() + s["parked"].as_f64().unwrap())
        );
    }
    assert!(v["observed"].as_array().is_some_and(|o| !o.is_empty()));
}

#[test]
fn engage_runs_a_user_file() {
    let v = json(&["engage", &example(), "--runs", "200", "--json"]);
    assert_eq!(v["runs"], 200);
    assert_eq!(v["sides"][0]["name"], "Japanese Navy");
}

#[test]
fn same_seed_same_bytes_on_one_and_two_threads() {
    let run = |threads: &str, seed: &str| {
        airwar()
            .args([
                "battle",
                "wuhan-1938-04-29",
                "--runs",
                "2000",
                "--seed",
                seed,
                "--threads",
                threads,
                "--json",
            ])
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1", "42");
    assert!(!one.is_empty());
    assert_eq!(one, run("2", "42"));
    assert_ne!(
        one,
        run("2", "43"),
        "different seeds must give different results"
    );
}

#[test]
fn lanchester_exact_matches_a_hand_computed_case() {
    let v = json(&[
        "lanchester",
        "--blue",
        "2",
        "--red",
        "1",
        "--blue-rate",
        "1",
        "--red-rate",
        "1",
        "--exact",
        "--json",
    ]);
    assert!((v["p_blue_wins"].as_f64().unwrap() - 5.0 / 6.0).abs() < 1e-12);
    assert!((v["blue_losses_mean"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    assert!((v["red_losses_mean"].as_f64().unwrap() - 5.0 / 6.0).abs() < 1e-12);
}

#[test]
fn lanchester_monte_carlo_agrees_with_exact_within_four_standard_errors() {
    let base = [
        "lanchester",
        "--blue",
        "60",
        "--red",
        "54",
        "--blue-rate",
        "0.05",
        "--red-rate",
        "0.06",
        "--blue-break",
        "20",
        "--red-break",
        "15",
    ];
    let exact = json(&[&base[..], &["--exact", "--json"]].concat());
    let mc = json(&[&base[..], &["--runs", "40000", "--seed", "7", "--json"]].concat());
    assert_eq!(mc["runs"], 40000);
    for side in ["blue", "red"] {
        let m = mc[format!("{side}_losses_mean")].as_f64().unwrap();
        let se = mc[format!("{side}_losses_se")].as_f64().unwrap();
        let e = exact[format!("{side}_losses_mean")].as_f64().unwrap();
        assert!(se > 0.0);
        assert!((m - e).abs() < 4.0 * se, "{side}: MC {m} ± {se}, exact {e}");
    }
    let p = exact["p_blue_wins"].as_f64().unwrap();
    let pm = mc["p_blue_wins"].as_f64().unwrap();
    assert!((p - pm).abs() < 4.0 * mc["p_blue_wins_se"].as_f64().unwrap());
}

#[test]
fn lanchester_needs_a_method_and_valid_rates() {
    airwar()
        .args([
            "lanchester",
            "--blue",
            "2",
            "--red",
            "1",
            "--blue-rate",
            "1",
            "--red-rate",
            "1",
        ])
        .assert()
        .failure();
    airwar()
        .args([
            "lanchester",
            "--blue",
            "2",
            "--red",
            "1",
            "--blue-rate",
            "-1",
            "--red-rate",
            "1",
            "--exact",
        ])
        .assert()
        .failure();
}

#[test]
fn check_accepts_the_example_and_strict_rejects_bare_figures() {
    airwar().args(["check", &example()]).assert().success();
    airwar()
        .args(["check", "--strict", &example()])
        .assert()
        .failure();
}

fn bad_file(name: &str, from: &str, to: &str) -> (tempfile::TempDir, String) {
    let text = std::fs::read_to_string(example()).unwrap();
    assert!(text.contains(from), "{from}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    let p = path.display().to_string();
    (dir, p)
}

fn assert_located_failure(name: &str, from: &str, to: &str, expect: &str) {
    let (_dir, path) = bad_file(name, from, to);
    for cmd in ["check", "engage"] {
        let out = airwar().args([cmd, &path]).output().unwrap();
        assert!(!out.status.success(), "{cmd} {name} should fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("{path}:")), "no location in: {err}");
        assert!(err.contains(expect), "expected '{expect}' in: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(out.stdout.is_empty() || cmd == "check");
    }
}

#[test]
fn bad_input_is_located_and_fails() {
    assert_located_failure(
        "syntax.toml",
        "mission = \"airfield-strike\"",
        "mission = airfield-strike\"",
        "",
    );
    assert_located_failure(
        "type.toml",
        "type = \"I-15bis\"",
        "type = \"I-15bs\"",
        "did you mean `I-15bis`",
    );
    assert_located_failure("negative.toml", "count = 20", "count = -20", "0 or more");
    assert_located_failure(
        "missing.toml",
        "posture = \"defender\"\n",
        "\n",
        "missing field `posture`",
    );
    assert_located_failure(
        "unknown.toml",
        "nation = \"USSR\"",
        "nation = \"USSR\"\ncolour = \"red\"",
        "unknown field `colour`",
    );
}

#[test]
fn unknown_battle_and_type_get_suggestions() {
    let out = airwar()
        .args(["battle", "wuhan-1938-04-30"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean"));
    let out = airwar().args(["types", "MiG-15bs"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("MiG-15bis"));
}

#[test]
fn types_show_citations() {
    let out = airwar().args(["types", "I-16 type 10"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("http"), "{text}");
    let v = json(&["types", "--json"]);
    assert!(v.as_array().unwrap().len() >= 24);
}

#[test]
fn missing_file_and_bad_params_fail_cleanly() {
    airwar()
        .args(["engage", "/nonexistent/file.toml"])
        .assert()
        .failure();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.toml");
    std::fs::write(&p, "lethalty = 0.3\n").unwrap();
    let out = airwar()
        .args([
            "battle",
            "--runs",
            "10",
            "--params",
            &p.display().to_string(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `lethality`"));
}

fn stdout(args: &[&str]) -> String {
    let out = airwar().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

// Snapshots of output that is the product: a change to the model or the data shows up here as a
// reviewed diff (`INSTA_UPDATE=always cargo test` rewrites them; CI fails on a mismatch).

#[test]
fn snapshot_engagement_json_of_the_documented_example() {
    let text = stdout(&[
        "engage",
        &example(),
        "--runs",
        "400",
        "--seed",
        "3",
        "--threads",
        "1",
        "--json",
    ]);
    // The provenance names this machine's path to the file and the data's hash: checked here,
    // left out of the snapshot.
    let v: Value = serde_json::from_str(&text).unwrap();
    let command = v["provenance"]["command"].as_str().unwrap();
    assert!(command.starts_with("airwar engage "), "{command}");
    assert!(!command.contains("--threads"), "{command}");
    insta::assert_snapshot!("example_engagement_json", without_provenance(&text));
}

#[test]
fn snapshot_engagement_table_of_the_documented_example() {
    let text = stdout(&["engage", &example(), "--runs", "400", "--seed", "3"]);
    insta::assert_snapshot!("example_engagement_table", text);
}

#[test]
fn snapshot_one_type_with_its_citations() {
    insta::assert_snapshot!("type_i16_type_10", stdout(&["types", "I-16 type 10"]));
}

#[test]
fn validate_json_contract() {
    let v = json(&["validate", "--runs", "200", "--json"]);
    let items = v["items"].as_array().unwrap();
    assert!(items.len() >= 20, "{} items", items.len());
    for i in items {
        assert!(i["id"].is_string() && i["metric"].is_string() && i["source"].is_string());
        assert!(i["observed"].is_u64());
        for k in ["mean", "p05", "p95"] {
            assert!(i["simulated"][k].is_number(), "{k} in {i}");
        }
        assert!(i["inside_90"].is_boolean());
    }
    let coverage = v["coverage_90"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&coverage));
    // The built-in parameters were fitted to the built-in battles: their figures are in-sample;
    // the campaign rows the campaign fit did not score (personnel) are predictions.
    assert!(items
        .iter()
        .filter(|i| i["kind"] != "campaign")
        .all(|i| i["fitted"] == true));
    assert!(items
        .iter()
        .any(|i| i["kind"] == "campaign" && i["fitted"] == false));
    // Claims and acknowledged losses are scored apart.
    assert!(v["losses"]["figures"].as_u64().unwrap() > 0);
    assert!(v["claims"]["figures"].as_u64().unwrap() > 0);
    // ... and so are the battle figures from doubtful sources and the rest: the two halves
    // partition the battle figures.
    let figures = |k: &str| v[k]["figures"].as_u64().unwrap();
    let doubtful = items
        .iter()
        .filter(|i| i["kind"] != "campaign" && i["doubtful"] == true)
        .count() as u64;
    assert!(doubtful > 0);
    assert_eq!(figures("battle_doubtful"), doubtful);
    assert_eq!(
        figures("battle_not_doubtful") + figures("battle_doubtful"),
        figures("all")
    );
}

#[test]
fn validate_a_battle_file_that_is_not_built_in() {
    let v = json(&[
        "validate",
        "--only-files",
        "--battle-file",
        &example(),
        "--runs",
        "200",
        "--json",
    ]);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i["id"] == "example-wuhan-1938-05-31"));
    // A bad battle file is a located error.
    let (_dir, bad) = bad_file("bad.toml", "count = 20", "count = -1");
    let out = airwar()
        .args(["validate", "--battle-file", &bad])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("{bad}:")));
}

#[test]
fn calibrate_writes_a_parameter_file_with_its_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fitted.toml");
    let out_s = out.display().to_string();
    let small = ["--particles", "8", "--moves", "1", "--fit-runs", "20"];
    let file = example();
    let args = [
        &[
            "calibrate",
            "--only-files",
            "--battle-file",
            &file,
            "--out",
            &out_s,
        ][..],
        &small[..],
    ]
    .concat();
    airwar().args(&args).assert().success();
    let text = std::fs::read_to_string(&out).unwrap();
    for needle in [
        "[parameters]",
        "[calibration]",
        "example-wuhan-1938-05-31",
        "airwar_version",
        "seed = 1",
    ] {
        assert!(
            text.contains(needle),
            "{needle} missing from the parameter file"
        );
    }
    // Every command accepts it.
    airwar()
        .args(["battle", "--runs", "50", "--params", &out_s])
        .assert()
        .success();
    // No partial file is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    // Leave-one-out runs the same fit and reports its own mode.
    let args = [
        &[
            "validate",
            "--leave-one-out",
            "--json",
            "--campaign-validation-runs",
            "0",
        ][..],
        &small[..],
    ]
    .concat();
    assert_eq!(json(&args)["mode"], "leave-one-out");
}

#[test]
fn aggregation_fits_a_lanchester_ratio() {
    let v = json(&["aggregation", "wuhan-1938-04-29", "--runs", "200", "--json"]);
    let c = &v[0];
    assert_eq!(c["id"], "wuhan-1938-04-29");
    assert!(c["rate_ratio"].as_f64().unwrap() > 0.0);
    assert!(c["relative_error_total"].as_f64().unwrap().is_finite());
}

#[test]
fn unknown_scenario_is_refused() {
    let out = airwar().args(["validate", "narnia-1940"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("china-1937"));
}

#[test]
fn run_json_contract_and_observed_totals() {
    let v = json(&["run", "korea-1950", "--runs", "8", "--json"]);
    assert_eq!(v["runs"], 8);
    assert_eq!(v["scenario"], "korea-1950");
    let totals = v["totals"].as_array().unwrap();
    for t in totals {
        assert!(t["metric"].is_string());
        for k in ["mean", "p05", "p95"] {
            assert!(t[k].is_number(), "{k} in {t}");
        }
    }
    let observed: Vec<&Value> = totals
        .iter()
        .filter(|t| t.get("observed").is_some())
        .collect();
    assert!(
        observed.len() >= 3,
        "claims, losses and pilots killed are set beside the record"
    );
    assert!(observed.iter().all(|t| t["observed"]["source"].is_string()));
}

#[test]
fn repayments_split_by_commodity_where_shares_or_quantities_are_given() {
    // The built-in record cites no split, so the JSON lists none ...
    let v = json(&["run", "--runs", "2", "--json"]);
    assert_eq!(v["commodities"].as_array().unwrap().len(), 0);
    // ... and a share and a price given with --set split the repayments.
    let v = json(&[
        "run",
        "--runs",
        "2",
        "--json",
        "--set",
        "commodities[name=tea].share=0.25",
        "--set",
        "commodities[name=tea].price_usd=400",
    ]);
    let split = v["commodities"].as_array().unwrap();
    assert_eq!(split.len(), 1);
    assert_eq!(split[0]["name"], "tea");
    let repaid = v["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["metric"] == "repaid_thousand_usd")
        .unwrap()["mean"]
        .as_f64()
        .unwrap();
    let value = split[0]["value_thousand_usd"].as_f64().unwrap();
    assert!((value - repaid * 0.25).abs() < 1e-6);
    let tonnes = split[0]["quantity"].as_f64().unwrap();
    assert!((tonnes - value * 1000.0 / 400.0).abs() < 1e-6);
}

#[test]
fn run_writes_whole_files_and_is_thread_independent() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out_s = out.display().to_string();
    let a = stdout(&[
        "run",
        "--runs",
        "6",
        "--threads",
        "1",
        "--json",
        "--out",
        &out_s,
    ]);
    let b = stdout(&["run", "--runs", "6", "--threads", "2", "--json"]);
    // The provenance records the command, which differs by --out alone.
    assert_eq!(without_provenance(&a), without_provenance(&b));
    assert_ne!(a, b);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "replications.csv",
            "summary.json",
            "timeseries.csv",
            "totals.csv"
        ]
    );
    let rows = std::fs::read_to_string(out.join("replications.csv")).unwrap();
    assert_eq!(
        rows.lines().count(),
        7,
        "a header and one row per replication"
    );
    assert!(rows.starts_with("replication,"));
    let series = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    assert!(series.starts_with("date,metric,mean,sd,p05,p50,p95\n1937-10-01,aircraft_covert,"));
    // Every main series carries its 90% band, in order, around its median.
    for row in series.lines().skip(1).filter(|r| !r.contains("on_hand.")) {
        let cells: Vec<f64> = row.split(',').skip(4).map(|x| x.parse().unwrap()).collect();
        assert!(cells[0] <= cells[1] && cells[1] <= cells[2], "{row}");
    }
    assert!(series.contains("on_hand.covert.SB") || series.contains("on_hand.host.SB"));
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["runs"], 6);
}

#[test]
fn compare_json_contract_with_a_named_counterfactual() {
    let v = json(&[
        "compare",
        "korea-1950",
        "--counterfactual",
        "korea-no-coast-rule",
        "--runs",
        "6",
        "--json",
    ]);
    assert_eq!(v["runs"], 6);
    let effects = v["effects"].as_array().unwrap();
    assert!(!effects.is_empty());
    for e in effects {
        assert!(e["metric"].is_string() && e["base"].is_number() && e["alternative"].is_number());
        let d = &e["difference"];
        assert!(d["lo"].as_f64().unwrap() <= d["mean"].as_f64().unwrap());
        assert!(d["mean"].as_f64().unwrap() <= d["hi"].as_f64().unwrap());
    }
    let captured = effects
        .iter()
        .find(|e| e["metric"] == "pilots_captured")
        .unwrap();
    assert_eq!(
        captured["base"], 0.0,
        "under the rule no pilot comes down over enemy ground"
    );
}

#[test]
fn counterfactuals_list_their_questions_and_bad_sets_are_refused() {
    let v = json(&["counterfactuals", "--json"]);
    assert_eq!(v.as_array().unwrap().len(), 4);
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["question"].as_str().unwrap().ends_with('?')));
    for (set, expect) in [
        ("params.lethalty=0.1", "did you mean `lethality`"),
        ("routs.transit_days=3", "did you mean `routes`"),
        ("campaign.repayment_years=-1", "out of range"),
        ("nonsense", "PATH=VALUE"),
    ] {
        let out = airwar()
            .args(["run", "--runs", "2", "--set", set])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{set}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{set}: {err}");
    }
    // A set that produces a bad theatre is checked like a file.
    let out = airwar()
        .args(["run", "--runs", "2", "--set", "start=\"1937-13-01\""])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
}

/// Inputs and targets apart: a theatre with every `[[observed]]` row removed runs to the same
/// totals, byte for byte, as the built-in one (no recorded outcome feeds the simulation).
#[test]
fn removing_every_observed_row_leaves_the_totals_unchanged() {
    for id in ["china-1937", "korea-1950"] {
        let path = format!(
            "{}/../../data/scenarios/{id}.toml",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        // Drop every [[observed]] table and its [[observed.alternatives]] tables.
        let mut kept = String::new();
        let mut skipping = false;
        for line in text.lines() {
            let t = line.trim_start();
            if t.starts_with("[[") || (t.starts_with('[') && !t.starts_with("[[")) {
                skipping = t.starts_with("[[observed");
            }
            if !skipping {
                kept.push_str(line);
                kept.push('\n');
            }
        }
        assert!(text.contains("\n[[observed]]"));
        assert!(!kept
            .lines()
            .any(|l| l.trim_start().starts_with("[[observed")));
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join(format!("{id}-unobserved.toml"));
        std::fs::write(&copy, kept).unwrap();
        let strip = |v: Value| -> Vec<String> {
            v["totals"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| format!("{} {} {} {}", t["metric"], t["mean"], t["p05"], t["p95"]))
                .collect()
        };
        let builtin = strip(json(&["run", id, "--runs", "12", "--seed", "5", "--json"]));
        let unobserved = strip(json(&[
            "run",
            &copy.display().to_string(),
            "--runs",
            "12",
            "--seed",
            "5",
            "--json",
        ]));
        assert_eq!(builtin, unobserved, "{id}");
    }
}

/// `airwar params` explains every parameter, and a partial `--params` file keeps the
/// calibrated values of the parameters it does not set.
#[test]
fn params_are_commented_and_a_partial_file_keeps_the_calibrated_rest() {
    let text = stdout(&["params"]);
    assert!(text.contains("# Length of one combat round"));
    let calibrated = json(&["battle", "--runs", "200", "--json"]);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.toml");
    // Set one parameter to the value it already has: the battle must not change.
    let line = text
        .lines()
        .find(|l| l.starts_with("burst_seconds"))
        .unwrap()
        .to_string();
    std::fs::write(&p, format!("{line}\n")).unwrap();
    let partial = json(&[
        "battle",
        "--runs",
        "200",
        "--json",
        "--params",
        &p.display().to_string(),
    ]);
    assert_eq!(calibrated["sides"], partial["sides"]);
    std::fs::write(&p, "[parameters\n").unwrap();
    airwar()
        .args(["battle", "--params", &p.display().to_string()])
        .assert()
        .failure();
}

/// The leave-one-out contract: coverage, per-kind blocks with sharpness and skill, each item
/// with its CRPS, interval and whether a fit used it, the baseline, the folds' diagnostics;
/// every observed battle figure modelled.
#[test]
fn validate_leave_one_out_json_contract() {
    let v = json(&[
        "validate",
        "--leave-one-out",
        "--particles",
        "12",
        "--moves",
        "1",
        "--fit-runs",
        "30",
        "--campaign-validation-runs",
        "0",
        "--json",
    ]);
    assert!(v["coverage_90"].is_number());
    assert_eq!(v["not_modelled"].as_u64(), Some(0));
    assert!(v["baseline"]["mean_crps"].as_f64().unwrap() > 0.0);
    assert!(v["skill"].is_number());
    for kind in ["losses", "claims", "all"] {
        let k = &v[kind];
        for f in ["coverage_90", "mean_crps", "mean_width_90", "skill"] {
            assert!(k[f].is_number(), "{kind}.{f}");
        }
        let pit: f64 = k["pit_histogram"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .sum();
        assert!((pit - 1.0).abs() < 1e-9, "{kind} PIT sums to {pit}");
    }
    for i in v["items"].as_array().unwrap() {
        assert!(i["crps"].is_number() && i["simulated"]["p95"].is_number());
        assert_eq!(
            i["fitted"].as_bool(),
            Some(false),
            "leave-one-out is held out"
        );
    }
    let folds = v["folds"].as_array().unwrap();
    assert!(folds.len() >= 10);
    assert!(folds.iter().all(|f| f["refitted"].is_boolean()));
}

/// docs/validation.md is exactly what the command in its header writes: the evidence in the
/// repository is current. Run that command again when this fails.
#[test]
fn the_committed_validation_report_is_current() {
    let repo = format!("{}/../..", env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(format!("{repo}/docs/validation.md")).unwrap();
    let command = committed
        .lines()
        .find_map(|l| l.strip_prefix("Generated by `"))
        .and_then(|l| l.split('`').next())
        .expect("the report names the command that wrote it");
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    assert!(args.contains(&"docs/validation.md"), "{command}");
    // Every figure the model gives no chance says which gap in the model it shows.
    assert!(
        !committed.contains("No explanation recorded yet."),
        "a figure with a 0-0 interval has no `Model gap:` note in its battle file"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    let out = airwar()
        .args(&args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{command}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh = std::fs::read_to_string(dir.path().join("docs/validation.md")).unwrap();
    assert!(
        fresh == committed,
        "docs/validation.md is stale: run `{command}` from the repository root"
    );
}

/// A built-in aircraft file renamed into a user's type: a new id and no aliases, every figure
/// and citation kept.
fn user_type(builtin: &str, id: &str) -> String {
    let path = format!(
        "{}/../../data/aircraft/{builtin}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .map(|l| {
            if l.starts_with("id = ") {
                format!("id = \"{id}\"")
            } else if l.starts_with("aliases = ") {
                "aliases = []".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The example engagement with its escorts flying `escort_type`.
fn example_with_escort(escort_type: &str) -> String {
    std::fs::read_to_string(example()).unwrap().replacen(
        "type = \"A5M\"",
        &format!("type = \"{escort_type}\""),
        1,
    )
}

#[test]
fn a_user_aircraft_type_from_a_file_or_an_inline_table_replays_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let aircraft = dir.path().join("a6m2-user.toml");
    std::fs::write(&aircraft, user_type("a6m2.toml", "A6M2-user")).unwrap();
    let plain = dir.path().join("zero-escort.toml");
    std::fs::write(&plain, example_with_escort("A6M2-user")).unwrap();

    // Without the type the file is refused, naming it.
    let out = airwar()
        .args(["engage", plain.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown aircraft type `A6M2-user`"));

    // With --aircraft: `check` knows the file's kind, `types` lists it, the battle replays.
    airwar()
        .args(["check", aircraft.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::contains("aircraft type A6M2-user"));
    let ty = json(&[
        "types",
        "A6M2-user",
        "--json",
        "--aircraft",
        aircraft.to_str().unwrap(),
    ]);
    assert_eq!(ty["id"], "A6M2-user");
    let args = ["--runs", "300", "--seed", "5", "--json"];
    let from_file = airwar()
        .args(["--aircraft", aircraft.to_str().unwrap(), "engage"])
        .arg(&plain)
        .args(args)
        .output()
        .unwrap();
    assert!(
        from_file.status.success(),
        "{}",
        String::from_utf8_lossy(&from_file.stderr)
    );

    // The same type declared inside the engagement file gives the same bytes.
    let table: toml::Table = toml::from_str(&user_type("a6m2.toml", "A6M2-user")).unwrap();
    let mut inline_doc = toml::Table::new();
    inline_doc.insert(
        "aircraft".into(),
        toml::Value::Array(vec![toml::Value::Table(table)]),
    );
    let inline = dir.path().join("zero-escort-inline.toml");
    std::fs::write(
        &inline,
        example_with_escort("A6M2-user") + "\n" + &toml::to_string(&inline_doc).unwrap(),
    )
    .unwrap();
    airwar()
        .args(["check", inline.to_str().unwrap()])
        .assert()
        .success();
    let from_inline = airwar()
        .arg("engage")
        .arg(&inline)
        .args(args)
        .output()
        .unwrap();
    assert!(
        from_inline.status.success(),
        "{}",
        String::from_utf8_lossy(&from_inline.stderr)
    );
    let strip_file = |bytes: &[u8]| {
        let mut v: Value = serde_json::from_slice(bytes).unwrap();
        // The provenance names the command and the user files, which differ here.
        v.as_object_mut().unwrap().remove("provenance");
        v
    };
    assert_eq!(
        strip_file(&from_file.stdout),
        strip_file(&from_inline.stdout)
    );
    // And the Zero escorts change the fight against the A5M escorts of the example.
    let with_a5m = airwar()
        .arg("engage")
        .arg(example())
        .args(args)
        .output()
        .unwrap();
    assert_ne!(strip_file(&with_a5m.stdout), strip_file(&from_file.stdout));
}

#[test]
fn a_user_type_may_not_reuse_a_known_name() {
    let dir = tempfile::tempdir().unwrap();
    let clash = dir.path().join("clash.toml");
    // The A5M's figures under a new id but with its aliases: `Claude` is taken.
    let text = user_type("a5m.toml", "A5M-copy").replace("aliases = []", "aliases = [\"Claude\"]");
    std::fs::write(&clash, text).unwrap();
    let out = airwar()
        .args(["check", clash.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already defined"), "{err}");
    assert!(err.contains("clash.toml:"), "located: {err}");
}

/// Every file of a folder, by name, with `summary.json`'s provenance taken out.
fn folder_without_provenance(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().to_string();
            let mut text = std::fs::read_to_string(e.path()).unwrap();
            if name == "summary.json" {
                let mut v: Value = serde_json::from_str(&text).unwrap();
                assert!(v["provenance"]["data_sha256"].is_string());
                v.as_object_mut().unwrap().remove("provenance");
                text = v.to_string();
            }
            (name, text)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_campaign_run_in_four_shards_merges_into_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    let common = ["run", "korea-1950", "--runs", "10", "--seed", "7"];
    airwar()
        .args(common)
        .args(["--threads", "2", "--out", whole.to_str().unwrap()])
        .assert()
        .success();
    let mut shards = Vec::new();
    for (k, range) in ["0..3", "3..4", "4..9", "9..10"].iter().enumerate() {
        let shard = dir.path().join(format!("shard{k}"));
        airwar()
            .args(common)
            .args(["--threads", "1", "--replications", range])
            .args(["--out", shard.to_str().unwrap()])
            .assert()
            .success();
        shards.push(shard);
    }
    let merged = dir.path().join("merged");
    // Out of order on purpose: the merge sorts the shards by their ranges.
    airwar()
        .arg("merge")
        .args([&shards[2], &shards[0], &shards[3], &shards[1]])
        .args(["--out", merged.to_str().unwrap()])
        .assert()
        .success();
    let whole_files = folder_without_provenance(&whole);
    let names: Vec<&str> = whole_files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "replications.csv",
            "summary.json",
            "timeseries.csv",
            "totals.csv"
        ]
    );
    assert_eq!(folder_without_provenance(&merged), whole_files);
    // One row per replication, the first column its index.
    let rows = &whole_files[0].1;
    assert_eq!(rows.lines().count(), 11);
    assert!(rows.starts_with("replication,"));
    assert!(rows.lines().nth(10).unwrap().starts_with("9,"));

    // A gap or an overlap is refused, naming it.
    let out = airwar()
        .arg("merge")
        .args([&shards[0], &shards[2], &shards[3]])
        .args(["--out", dir.path().join("gap").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no shard holds replications 3..4"));
    let out = airwar()
        .arg("merge")
        .args([&shards[0], &shards[0], &shards[1], &shards[2], &shards[3]])
        .args(["--out", dir.path().join("twice").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("overlaps"));
    assert!(!dir.path().join("twice").exists());
}

#[test]
fn a_battle_run_in_shards_merges_into_the_whole_run_and_carries_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    let common = ["battle", "wuhan-1938-04-29", "--runs", "600", "--seed", "3"];
    let v = json(&[&common[..], &["--json", "--out", whole.to_str().unwrap()]].concat());
    let p = &v["provenance"];
    assert_eq!(p["seed"], 3);
    assert!(p["command"].as_str().unwrap().contains("wuhan-1938-04-29"));
    assert_eq!(p["data_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(p["params_sha256"].as_str().unwrap().len(), 64);
    assert!(p["version"].is_string());
    assert!(p["changes"].is_array());
    let mut shards = Vec::new();
    for (k, range) in ["0..250", "250..600"].iter().enumerate() {
        let shard = dir.path().join(format!("s{k}"));
        airwar()
            .args(common)
            .args(["--replications", range, "--out", shard.to_str().unwrap()])
            .assert()
            .success();
        shards.push(shard);
    }
    let merged = dir.path().join("merged");
    airwar()
        .arg("merge")
        .args(&shards)
        .args(["--out", merged.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        folder_without_provenance(&merged),
        folder_without_provenance(&whole)
    );
    let rows = std::fs::read_to_string(whole.join("replications.csv")).unwrap();
    assert_eq!(rows.lines().count(), 601);
    // A range outside the runs is refused before anything is written.
    let out = airwar()
        .args(common)
        .args(["--replications", "500..700", "--out"])
        .arg(dir.path().join("outside"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!dir.path().join("outside").exists());
}

/// Every field of the provenance block, and the changes it lists.
fn assert_provenance(v: &Value, changes: &[&str]) {
    let p = &v["provenance"];
    for k in ["version", "data_sha256", "command", "params_sha256"] {
        assert!(p[k].is_string(), "provenance.{k} in {p}");
    }
    assert!(p["seed"].is_u64(), "{p}");
    let listed: Vec<&str> = p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(listed, changes);
}

#[test]
fn validate_and_calibrate_outputs_carry_their_provenance() {
    let v = json(&[
        "validate",
        "--runs",
        "50",
        "--campaign-validation-runs",
        "0",
        "--json",
    ]);
    assert_provenance(&v, &[]);
    assert!(v["provenance"]["command"]
        .as_str()
        .unwrap()
        .starts_with("airwar validate"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fitted.toml");
    let v = json(&[
        "calibrate",
        "--only-files",
        "--battle-file",
        &example(),
        "--particles",
        "8",
        "--moves",
        "1",
        "--fit-runs",
        "20",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_provenance(&v, &[]);
    assert_eq!(v["calibration"]["battles"][0], "example-wuhan-1938-05-31");
    assert!(v["parameters"]["lethality"].is_number());
    // The file written says what produced it too, and still reads as a parameter file.
    let text = std::fs::read_to_string(&out).unwrap();
    let file: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(
        file["provenance"]["data_sha256"].as_str(),
        v["provenance"]["data_sha256"].as_str()
    );
    airwar()
        .args(["battle", "--runs", "20", "--params", out.to_str().unwrap()])
        .assert()
        .success();
}

const A5M: &str = "sides[0].forces[type=A5M].count";

#[test]
fn battle_set_changes_the_battle_and_is_listed_in_the_provenance() {
    let base = json(&["battle", "--runs", "2000", "--json"]);
    let set = format!("{A5M}=54");
    let doubled = json(&["battle", "--runs", "2000", "--json", "--set", &set]);
    let claims = |v: &Value| v["sides"][0]["claims"]["mean"].as_f64().unwrap();
    assert!(
        claims(&doubled) > claims(&base),
        "twice the escorts claim more: {} against {}",
        claims(&doubled),
        claims(&base)
    );
    assert_eq!(doubled["sides"][0]["by_type"]["A5M"]["initial"], 54);
    assert_provenance(&doubled, &[&set]);
    assert_provenance(&base, &[]);
    // A model parameter is set the same way.
    let p = json(&[
        "battle",
        "--runs",
        "200",
        "--json",
        "--set",
        "params.lethality=0.05",
    ]);
    assert_provenance(&p, &["params.lethality=0.05"]);
    // An engagement file takes changes too.
    let e = json(&[
        "engage",
        &example(),
        "--runs",
        "200",
        "--json",
        "--set",
        "sides[1].forces[type=I-15bis].count=40",
    ]);
    assert_eq!(e["sides"][1]["by_type"]["I-15bis"]["initial"], 40);
}

#[test]
fn battle_set_errors_name_the_change_or_the_line_of_the_file() {
    // A bad path gets a "did you mean".
    let out = airwar()
        .args([
            "battle",
            "--runs",
            "10",
            "--set",
            "sides[0].forcs[type=A5M].count=5",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean `forces`"), "{err}");
    // A bad value is reported as coming from the change, not from a line of a copy.
    let set = format!("{A5M}=-5");
    let out = airwar()
        .args(["battle", "--runs", "10", "--set", &set])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("--set {set}: ")), "{err}");
    // An error the change did not cause keeps its line in the user's file, though the change
    // removed a line above it (line 33) and rewrote another (line 37).
    let (_dir, bad) = bad_file("bad.toml", "count = 20", "count = -1");
    let out = airwar()
        .args(["engage", &bad, "--runs", "10"])
        .args(["--set", "sides[0].home_distance_km=none"])
        .args(["--set", "sides[0].forces[type=G3M].count=20"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{bad}:66:")), "{err}");
    assert!(!err.contains("--set"), "{err}");
}

#[test]
fn theatre_set_errors_name_the_change_or_the_line_of_the_file() {
    let out = airwar()
        .args(["run", "--runs", "2", "--set", "start=\"1937-13-01\""])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--set start=\"1937-13-01\": "), "{err}");
    // An error below a change that removed lines is still at its line in the file.
    let path = format!(
        "{}/../../data/scenarios/korea-1950.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let line = 1 + text
        .lines()
        .position(|l| l.contains("value = \"1953-07-27\""))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("korea.toml");
    std::fs::write(&copy, text.replace("\"1953-07-27\"", "\"1953-07-32\"")).unwrap();
    let copy = copy.display().to_string();
    let out = airwar()
        .args(["run", &copy, "--runs", "1"])
        .args(["--set", "rules[kind=no-fly-area]=none"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{copy}:{line}:")), "{err}");
}

#[test]
fn compare_battle_gives_paired_effects_on_common_random_numbers() {
    let set = format!("{A5M}=54");
    let args = ["compare", "--battle", "wuhan-1938-04-29", "--runs", "300"];
    let v = json(&[&args[..], &["--set", &set, "--json"]].concat());
    assert_eq!(v["runs"], 300);
    assert_eq!(v["battle"], "wuhan-1938-04-29");
    assert_provenance(&v, &[&set]);
    let effects = v["effects"].as_array().unwrap();
    let claims = effects
        .iter()
        .find(|e| e["metric"] == "Imperial Japanese Navy.claims")
        .unwrap();
    let d = &claims["difference"];
    assert!(d["mean"].as_f64().unwrap() > 0.0, "{claims}");
    assert!(d["lo"].as_f64().unwrap() <= d["mean"].as_f64().unwrap());
    for e in effects {
        for k in ["base", "alternative", "width_paired", "width_independent"] {
            assert!(e[k].is_number(), "{k} in {e}");
        }
    }
    // Setting a figure to the value it has changes nothing, exactly.
    let same = format!("{A5M}=27");
    let v = json(&[&args[..], &["--set", &same, "--json"]].concat());
    for e in v["effects"].as_array().unwrap() {
        let d = &e["difference"];
        assert_eq!(
            (d["mean"].as_f64(), d["lo"].as_f64(), d["hi"].as_f64()),
            (Some(0.0), Some(0.0), Some(0.0)),
            "{e}"
        );
    }
    // A shard of the comparison pairs the same replications.
    let v = json(
        &[
            &args[..],
            &["--set", &set, "--replications", "0..100", "--json"],
        ]
        .concat(),
    );
    assert_eq!(
        v["provenance"]["replications"],
        serde_json::json!({"start": 0, "end": 100})
    );
}

#[test]
fn run_ends_with_sparklines_when_asked_and_never_in_pipes_by_default() {
    let text = |extra: &[&str]| {
        let out = airwar()
            .args(["run", "korea-1950", "--runs", "4"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let forced = text(&["--sparklines", "always"]);
    assert!(
        forced.contains("Daily median of 4 replications, 1950-11-01"),
        "{forced}"
    );
    let section = &forced[forced.find("Daily median").unwrap()..];
    for series in [
        "aircraft_covert",
        "covert_losses",
        "claims",
        "debt_thousand_usd",
    ] {
        let line = section
            .lines()
            .find(|l| l.starts_with(series))
            .unwrap_or_else(|| panic!("no sparkline of {series}: {forced}"));
        let bars: String = line.chars().filter(|c| ('▁'..='█').contains(c)).collect();
        assert_eq!(bars.chars().count(), 48, "{line}");
        assert!(line.contains(" min ") && line.contains(" max ") && line.contains(" last "));
    }
    // Claims pile up over the war: the line ends on its highest block, with the unit.
    let claims = section.lines().find(|l| l.starts_with("claims ")).unwrap();
    assert!(claims.contains("█  min 0"), "{claims}");
    assert!(claims.ends_with(" aircraft"), "{claims}");
    // stdout here is a pipe: auto shows none, and neither does never.
    assert!(!text(&[]).contains('▁'));
    assert!(!text(&["--sparklines", "never"]).contains('▁'));
    // JSON stays JSON.
    let json = text(&["--sparklines", "always", "--json"]);
    serde_json::from_str::<Value>(&json).expect("only JSON on stdout");
}

/// A folder's files by name (see [`folder_without_provenance`]).
type Files = Vec<(String, String)>;

/// Run `compare` whole and in shards, merge the shards, and return both folders' files
/// (provenance aside).
fn compare_whole_and_merged(common: &[&str], ranges: &[&str]) -> (Files, Files) {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    airwar()
        .args(common)
        .args(["--threads", "2", "--out", whole.to_str().unwrap()])
        .assert()
        .success();
    let mut shards = Vec::new();
    for (k, range) in ranges.iter().enumerate() {
        let shard = dir.path().join(format!("shard{k}"));
        airwar()
            .args(common)
            .args(["--threads", "1", "--replications", range])
            .args(["--out", shard.to_str().unwrap()])
            .assert()
            .success();
        assert!(shard.join("shard.json").is_file());
        shards.push(shard);
    }
    shards.reverse();
    let merged = dir.path().join("merged");
    airwar()
        .arg("merge")
        .args(&shards)
        .args(["--out", merged.to_str().unwrap()])
        .assert()
        .success();
    (
        folder_without_provenance(&whole),
        folder_without_provenance(&merged),
    )
}

#[test]
fn a_campaign_comparison_in_four_shards_merges_into_the_whole_comparison() {
    let common = [
        "compare",
        "korea-1950",
        "--counterfactual",
        "korea-no-coast-rule",
        "--runs",
        "8",
        "--seed",
        "5",
    ];
    let (whole, merged) = compare_whole_and_merged(&common, &["0..2", "2..3", "3..7", "7..8"]);
    let names: Vec<&str> = whole.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["effects.csv", "replications.csv", "summary.json"]);
    assert_eq!(merged, whole);
    // Both arms, every replication, in order.
    let rows = &whole[1].1;
    assert!(rows.starts_with("replication,arm,"));
    assert_eq!(rows.lines().count(), 1 + 2 * 8);
    assert!(rows.lines().nth(8).unwrap().starts_with("7,base,"));
    assert!(rows.lines().nth(9).unwrap().starts_with("0,changed,"));
    let summary: Value = serde_json::from_str(&whole[2].1).unwrap();
    assert!(summary["effects"].as_array().unwrap().len() > 5);
}

#[test]
fn a_battle_comparison_in_shards_merges_into_the_whole_comparison() {
    let common = [
        "compare",
        "--battle",
        "wuhan-1938-04-29",
        "--set",
        "sides[0].forces[type=A5M].count=54",
        "--runs",
        "300",
    ];
    let (whole, merged) = compare_whole_and_merged(&common, &["0..100", "100..300"]);
    assert_eq!(merged, whole);
    let effects = &whole[0].1;
    assert!(effects.starts_with("metric,base,changed,difference,"));
}
