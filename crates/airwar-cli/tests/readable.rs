//! Text output a person reads: lines within 100 columns, nothing cut, medians beside means.

use assert_cmd::Command;
use unicode_width::UnicodeWidthStr;

fn stdout(args: &[&str]) -> String {
    let out = Command::cargo_bin("airwar")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn assert_within_100_columns(args: &[&str]) -> String {
    let text = stdout(args);
    for line in text.lines() {
        assert!(
            line.width() <= 100,
            "{args:?}: a line of {} columns:\n{line}",
            line.width()
        );
    }
    text
}

#[test]
fn every_line_of_run_battle_and_validate_is_within_100_columns() {
    let china = assert_within_100_columns(&["run", "--runs", "5"]);
    let korea = assert_within_100_columns(&["run", "korea-1950", "--runs", "5"]);
    let battle = assert_within_100_columns(&["battle", "--runs", "500"]);
    let raid = assert_within_100_columns(&["battle", "taiwan-raid-1938-02-23", "--runs", "500"]);
    let validate = assert_within_100_columns(&[
        "validate",
        "--runs",
        "100",
        "--campaign-validation-runs",
        "2",
    ]);
    // Names are wrapped, never cut.
    for text in [&battle, &validate] {
        assert!(!text.contains('~'), "{text}");
    }
    assert!(battle.contains("Soviet"), "{battle}");
    // Medians beside means, units named, plain words.
    for text in [&china, &korea, &battle] {
        assert!(text.contains("median"), "{text}");
    }
    assert!(
        korea.contains("aircraft") && korea.contains("pilots"),
        "{korea}"
    );
    assert!(battle.contains("combat rounds"), "{battle}");
    // A row that does not apply is left out: Korea has no loans, the Wuhan battle no parked
    // aircraft; the raid on an airfield has them.
    assert!(!korea.contains("\n debt end"), "{korea}");
    assert!(korea.contains("0 in every replication"), "{korea}");
    assert!(!battle.contains("on the ground"), "{battle}");
    assert!(raid.contains("of them on the ground"), "{raid}");
}

#[test]
fn counts_are_printed_as_whole_numbers() {
    let battle = stdout(&["battle", "--runs", "500"]);
    let row = battle
        .lines()
        .find(|l| l.trim_start().starts_with("Imperial Japanese Navy"))
        .unwrap();
    // aircraft at the start, then mean (one decimal), median and 5-95% (whole numbers).
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[3], "45", "{row}");
    assert!(!cells[5].contains('.') && !cells[6].contains('.'), "{row}");
}

#[test]
fn show_prints_a_battles_inputs_with_citations_and_doubtful_marks() {
    let wuhan = assert_within_100_columns(&["show", "wuhan-1938-04-29"]);
    for want in [
        "Imperial Japanese Navy (attacker",
        "A5M",
        "27",
        "warning",
        "270 min",
        "raid altitude",
        "4,500 m",
        "hakan-kozlov, 31 May 1938 (doubtful)",
        "what history recorded",
    ] {
        assert!(wuhan.contains(want), "{want}: {wuhan}");
    }
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/example-engagement.toml"
    );
    let example = assert_within_100_columns(&["show", file, "--set", "context.warning_minutes=5"]);
    assert!(example.contains("5 min"), "{example}");
    assert!(example.contains("uncited"), "{example}");
    assert!(example.contains("parked"), "{example}");
    let json = stdout(&["show", "wuhan-1938-04-29", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["id"], "wuhan-1938-04-29");
}

#[test]
fn compare_prints_its_effects_as_a_table_within_100_columns() {
    let campaign = assert_within_100_columns(&[
        "compare",
        "korea-1950",
        "--counterfactual",
        "korea-no-coast-rule",
        "--runs",
        "3",
    ]);
    let battle = assert_within_100_columns(&[
        "compare",
        "--battle",
        "wuhan-1938-04-29",
        "--set",
        "context.warning_minutes=5",
        "--runs",
        "200",
    ]);
    for text in [&campaign, &battle] {
        let header = text.lines().find(|l| l.contains("figure")).unwrap();
        for column in ["unit", "base", "changed", "effect", "width"] {
            assert!(header.contains(column), "{column}: {text}");
        }
        // comfy-table's rule under the header; names wrap, never cut.
        assert!(text.lines().any(|l| l.starts_with("-----")), "{text}");
        assert!(!text.contains('~'), "{text}");
    }
    // Units named; counts of replications grouped; each side's figures under its name.
    assert!(campaign.contains("pilots killed") && campaign.contains("pilots"));
    assert!(campaign.contains("(3 replications per arm"), "{campaign}");
    assert!(battle.contains("crew killed") && battle.contains(" crew "));
    assert!(battle.contains("losses of A5M"), "{battle}");
    assert!(battle.contains("firing passes"), "{battle}");
    let row = battle.lines().find(|l| l.starts_with(" claims")).unwrap();
    assert!(row.contains("aircraft") && row.contains(" to "), "{row}");
}

#[test]
fn types_and_scenarios_print_tables_within_100_columns_with_whole_names() {
    let types = assert_within_100_columns(&["types"]);
    assert!(
        types.contains("top speed") && types.contains("km/h"),
        "{types}"
    );
    assert!(!types.contains('~'), "{types}");
    // The longest ids are printed whole (they were cut at 14 characters).
    let long = types
        .lines()
        .skip(3)
        .filter_map(|l| l.split_whitespace().next())
        .map(str::len)
        .max()
        .unwrap();
    assert!(long > 6, "{types}");
    let list = assert_within_100_columns(&["scenarios"]);
    assert!(
        list.contains("china-1937") && list.contains("korea-1950"),
        "{list}"
    );
    for id in ["china-1937", "korea-1950"] {
        let theatre = assert_within_100_columns(&["scenarios", id]);
        assert!(!theatre.contains('~'), "{theatre}");
        assert!(theatre.contains("observed totals"), "{theatre}");
        assert!(theatre.contains("recorded"), "{theatre}");
    }
    let battles = assert_within_100_columns(&["battles"]);
    assert!(battles.contains("wuhan-1938-04-29"), "{battles}");
}

#[test]
fn validate_shows_the_models_median_beside_its_mean() {
    let text = stdout(&[
        "validate",
        "--runs",
        "100",
        "--campaign-validation-runs",
        "0",
    ]);
    let header: Vec<&str> = text.lines().take(2).collect();
    assert!(
        header[0].contains("model") && header[1].contains("mean") && header[1].contains("median"),
        "{text}"
    );
    // The median is a whole number of aircraft.
    let first = text.lines().nth(3).unwrap();
    let cells: Vec<&str> = first.split_whitespace().collect();
    let median = cells[cells.len() - 4];
    assert!(median.parse::<u64>().is_ok(), "{first}");
    let v: serde_json::Value = serde_json::from_str(&stdout(&[
        "validate",
        "--runs",
        "100",
        "--campaign-validation-runs",
        "0",
        "--json",
    ]))
    .unwrap();
    let item = &v["items"][0];
    assert!(item["median"].as_f64().is_some(), "{item}");
}

#[test]
fn aggregation_prints_whole_battle_ids_within_100_columns() {
    let out = assert_within_100_columns(&["aggregation", "--runs", "50"]);
    // Ids are never cut (the table drawn by hand cut them at 26 characters).
    for id in [
        "mig-alley-1951-08-29",
        "taiwan-raid-1938-02-23",
        "sinuiju-1951-04-12",
    ] {
        if out.contains(&id[..10]) {
            assert!(out.contains(id), "{id} cut in:\n{out}");
        }
    }
    assert!(!out.contains('~'), "nothing is cut:\n{out}");
    assert!(out.contains("entity / Lanchester"), "{out}");
}
