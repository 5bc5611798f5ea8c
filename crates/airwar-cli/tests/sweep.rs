//! `airwar sweep` on the Korean theatre and a battle: the files' shape, the same bytes on 1
//! and 2 threads, and shards merged into the whole sweep.

use std::path::Path;

use airwar::sweep::table::Table;
use assert_cmd::Command;

fn airwar() -> Command {
    Command::cargo_bin("airwar").expect("the airwar binary is built")
}

const SWEEP: &[&str] = &[
    "sweep",
    "korea-1950",
    "--vary",
    "campaign.contact_share=0.05:0.3",
    "--vary",
    "params.lethality=0.01:0.03",
    "--points",
    "4",
    "--runs",
    "3",
    "--seed",
    "7",
];

fn sweep(out: &Path, extra: &[&str]) {
    let o = airwar()
        .args(SWEEP)
        .args(extra)
        .args(["--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "sweep failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// summary.json without its provenance (the command line names the folder).
fn summary(dir: &Path) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(&read(dir, "summary.json")).unwrap();
    v.as_object_mut().unwrap().remove("provenance");
    v
}

#[test]
fn a_korean_sweep_writes_its_rows_and_indices_the_same_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    sweep(&one, &["--threads", "1"]);
    sweep(&two, &["--threads", "2"]);
    for name in ["sweep.parquet", "sensitivity.csv"] {
        assert_eq!(read(&one, name), read(&two, name), "{name} differs");
    }
    assert_eq!(summary(&one), summary(&two));

    // 4 base points over 2 inputs: 4·(2+2) = 16 design points, 3 replications each.
    let t = Table::from_parquet(read(&one, "sweep.parquet")).unwrap();
    let totals = airwar_campaign::TOTALS;
    assert_eq!(t.rows(), 48);
    assert_eq!(
        t.inputs.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        ["campaign.contact_share", "params.lethality"]
    );
    assert_eq!(
        t.totals.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        totals
    );
    assert_eq!(t.point[..4], [0, 0, 0, 1]);
    assert_eq!(t.replication[..4], [0, 1, 2, 0]);
    let share = &t.inputs[0].1;
    assert!(share.iter().all(|v| (0.05..0.3).contains(v)), "{share:?}");
    // Design point 2 is AB_1: the first input from B (point 1), the second from A (point 0).
    assert_eq!(share[6], share[3]);
    assert_eq!(t.inputs[1].1[6], t.inputs[1].1[0]);
    // Claims depend on the inputs: not every point gives the same.
    let claims = &t.totals[totals.iter().position(|m| *m == "claims").unwrap()].1;
    assert!(claims.iter().any(|c| *c != claims[0]));
    assert!(t.metadata.iter().any(|(k, _)| k == "airwar.provenance"));

    let csv = String::from_utf8(read(&one, "sensitivity.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("parameter,metric,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2 * totals.len());
    let claims_share = rows
        .iter()
        .find(|r| r[0] == "campaign.contact_share" && r[1] == "claims")
        .unwrap();
    let st: f64 = claims_share[5].parse().unwrap();
    assert!(st.is_finite());

    let s = summary(&one);
    assert_eq!(s["design_points"], 16);
    assert_eq!(s["scenario"], "korea-1950");
    assert!(s["sensitivity"].as_str().unwrap().contains("AB_i"));
    let p: serde_json::Value = serde_json::from_slice(&read(&one, "summary.json")).unwrap();
    assert_eq!(p["provenance"]["seed"], 7);
    assert!(p["provenance"]["changes"][0]
        .as_str()
        .unwrap()
        .starts_with("vary campaign.contact_share"));
}

#[test]
fn sweep_shards_merge_into_the_whole_sweep_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    sweep(&whole, &[]);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    sweep(&b, &["--points-range", "5..16"]);
    // Over a whole sweep's folder: its indices must not stay beside the shard's rows.
    sweep(&a, &[]);
    sweep(&a, &["--points-range", "0..5"]);
    assert!(
        !a.join("sensitivity.csv").exists(),
        "a shard has no indices"
    );
    assert_eq!(
        Table::from_parquet(read(&a, "sweep.parquet"))
            .unwrap()
            .rows(),
        15
    );
    let merged = dir.path().join("merged");
    let o = airwar()
        .arg("merge")
        .args([&b, &a])
        .args(["--out", merged.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for name in ["sweep.parquet", "sensitivity.csv"] {
        assert_eq!(read(&merged, name), read(&whole, name), "{name} differs");
    }
    assert_eq!(summary(&merged), summary(&whole));
    assert!(!merged.join("sweep-shard.json").exists());

    // A missing shard is named, not papered over.
    let o = airwar()
        .arg("merge")
        .arg(&b)
        .args(["--out", dir.path().join("bad").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no shard holds design point 0"), "{err}");
    // Shards of another sweep do not merge.
    let c = dir.path().join("c");
    let other: Vec<&str> = SWEEP
        .iter()
        .map(|a| if *a == "7" { "8" } else { a })
        .collect();
    let o = airwar()
        .args(other)
        .args(["--points-range", "0..5", "--out"])
        .arg(&c)
        .output()
        .unwrap();
    assert!(o.status.success());
    let o = airwar()
        .arg("merge")
        .args([&c, &b])
        .args(["--out", dir.path().join("bad").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("different sweeps"));

    // A whole sweep written over a shard's folder does not leave it looking like a shard.
    sweep(&b, &[]);
    assert!(!b.join("sweep-shard.json").exists());
}

#[test]
fn a_battle_sweep_has_the_battles_columns_and_bad_ranges_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b");
    let o = airwar()
        .args([
            "sweep",
            "--battle",
            "wuhan-1938-04-29",
            "--vary",
            "params.lethality=0.01:0.03",
            "--vary",
            "sides[0].forces[type=A5M].count=20:50",
            "--design",
            "lhs",
            "--points",
            "3",
            "--runs",
            "50",
            "--json",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["battle"], "wuhan-1938-04-29");
    assert_eq!(s["design_points"], 12);
    let t = Table::from_parquet(read(&out, "sweep.parquet")).unwrap();
    assert_eq!(t.rows(), 12 * 50);
    assert!(t.totals.iter().any(|c| c.0.ends_with(".losses")));
    // Whole numbers for a count.
    assert!(t.inputs[1]
        .1
        .iter()
        .all(|v| v.fract() == 0.0 && (20.0..=50.0).contains(v)));

    for (args, message) in [
        (vec!["--points-range", "10..20"], "outside the design"),
        (vec!["--vary", "params.lethality=0.3:0.1"], "is empty"),
    ] {
        let o = airwar()
            .args(SWEEP)
            .args(&args)
            .args(["--out", dir.path().join("x").to_str().unwrap()])
            .output()
            .unwrap();
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(message), "{err}");
    }
}
