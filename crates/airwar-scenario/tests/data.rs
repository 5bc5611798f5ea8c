//! The shipped data and the documented example load, strictly, and bad files are located.

use airwar_scenario::{Library, Role};

fn lib() -> Library {
    match Library::load() {
        Ok(l) => l,
        Err(e) => panic!("built-in data failed to load:\n{e}"),
    }
}

#[test]
fn every_builtin_file_loads_with_every_figure_cited() {
    let lib = lib();
    assert!(
        lib.aircraft.types.len() >= 24,
        "{} types",
        lib.aircraft.types.len()
    );
    assert!(lib.battles.len() >= 3);
}

#[test]
fn the_issue_names_every_type() {
    let lib = lib();
    for name in [
        "I-15",
        "I-15bis",
        "I-16 type 5",
        "I-16 type 10",
        "UTI-4",
        "UT-4",
        "SB",
        "TB-3",
        "DB-3",
        "A5M",
        "Ki-27",
        "G3M",
        "Ki-21",
        "MiG-15",
        "MiG-15bis",
        "Yak-9P",
        "Il-10",
        "La-11",
        "F-86A",
        "F-86E",
        "F-80C",
        "F-84E",
        "F9F",
        "Meteor F.8",
        "B-29",
    ] {
        assert!(lib.aircraft.get(name).is_some(), "missing type {name}");
    }
}

#[test]
fn the_zero_mustang_invader_and_corsair_are_built_in() {
    let lib = lib();
    for (name, id) in [
        ("A6M2", "A6M2"),
        ("Zero", "A6M2"),
        ("F-51D", "F-51D"),
        ("Mustang", "F-51D"),
        ("B-26", "B-26"),
        ("A-26", "B-26"),
        ("F4U", "F4U"),
        ("F4U-4", "F4U"),
    ] {
        let t = lib
            .aircraft
            .get(name)
            .unwrap_or_else(|| panic!("missing type {name}"));
        assert_eq!(t.id, id);
        assert!(t.climb.is_some() && t.range_km.is_some() && t.loaded_weight_kg.is_some());
        assert!(!t.guns.is_empty(), "{id} has no guns");
    }
    assert!(!lib.aircraft.get("B-26").unwrap().defensive_guns.is_empty());
}

#[test]
fn the_three_china_battles_are_built_in() {
    let lib = lib();
    for id in [
        "taiwan-raid-1938-02-23",
        "wuhan-1938-04-29",
        "wuhan-1938-05-31",
    ] {
        let b = lib.battle(id).unwrap_or_else(|| panic!("missing {id}"));
        assert_eq!(b.sides.len(), 2);
        assert!(!b.observed.is_empty(), "{id} has no observed outcome");
    }
    // The April battle keeps the article's date beside the default.
    let april = lib.battle("wuhan-1938-04-29").unwrap();
    assert!(april
        .date
        .alternatives
        .iter()
        .any(|a| a.value.to_string() == "1938-04-28"));
}

#[test]
fn the_documented_example_loads() {
    let mut lib = lib();
    let text = include_str!("../../../docs/example-engagement.toml");
    let e = lib
        .load_engagement("docs/example-engagement.toml", text, false)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(e.sides[1].forces[0].role, Role::Interceptor);
    assert_eq!(e.sides[1].forces[0].count.alternatives.len(), 1);
    // It deliberately has bare figures, so strict mode rejects it and names them.
    let strict = lib
        .load_engagement("example.toml", text, true)
        .expect_err("bare figures must fail --strict");
    assert!(strict.0.iter().all(|e| e.message.contains("no citation")));
}

fn error_for(text: &str) -> airwar_scenario::DataError {
    let mut lib = lib();
    let errs = lib
        .load_engagement("bad.toml", text, false)
        .expect_err("this file must be rejected");
    errs.0[0].clone()
}

fn example() -> String {
    include_str!("../../../docs/example-engagement.toml").to_string()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn syntax_error_is_located() {
    let text = example().replace(
        "mission = \"airfield-strike\"",
        "mission = \"airfield-strike",
    );
    let e = error_for(&text);
    assert_eq!(e.line, line_of(&text, "mission = "));
}

#[test]
fn unknown_type_gets_a_suggestion() {
    let text = example().replace("type = \"I-16 type 10\"", "type = \"I-16 typ 10\"");
    let e = error_for(&text);
    assert_eq!(e.line, line_of(&text, "I-16 typ 10"));
    assert!(e.message.contains("unknown aircraft type"));
    assert!(e.suggestion.unwrap().contains("I-16 type 10"));
}

#[test]
fn negative_count_is_located() {
    let text = example().replace("count = 20", "count = -3");
    let e = error_for(&text);
    assert_eq!(e.line, line_of(&text, "count = -3"));
    assert!(e.message.contains("0 or more"), "{}", e.message);
}

#[test]
fn missing_field_is_named() {
    let text = example().replace(
        "role = \"escort\"\n\n[[sides.parked]]",
        "\n[[sides.parked]]",
    );
    let e = error_for(&text);
    assert!(e.message.contains("missing field `role`"), "{}", e.message);
    assert!(e.line > 1);
}

#[test]
fn unknown_field_gets_did_you_mean() {
    let text = example().replace(
        "markings = \"Chinese Air Force\"",
        "markngs = \"Chinese Air Force\"",
    );
    let e = error_for(&text);
    assert_eq!(e.line, line_of(&text, "markngs"));
    assert_eq!(e.suggestion.as_deref(), Some("did you mean `markings`?"));
}

#[test]
fn unknown_side_and_source_are_reported() {
    let text = example().replace(
        "ground_below = \"Soviet Volunteer Group\"",
        "ground_below = \"Soviet Volunter Group\"",
    );
    let e = error_for(&text);
    assert!(e.suggestion.unwrap().contains("Soviet Volunteer Group"));
    let text = example().replace(
        "source = \"soviet-volunteer-group\", section = \"Operation\" }\nmission",
        "source = \"soviet-volunter-group\", section = \"Operation\" }\nmission",
    );
    let e = error_for(&text);
    assert!(e.message.contains("unknown source"), "{}", e.message);
}

#[test]
fn both_theatres_load_and_every_battle_belongs_to_one() {
    let lib = lib();
    let china = lib.theatre("china-1937").expect("china-1937");
    let korea = lib.theatre("korea-1950").expect("korea-1950");
    assert!(china.battles.len() >= 9 && korea.battles.len() >= 8);
    for b in &lib.battles {
        let owners = lib
            .theatres
            .iter()
            .filter(|t| t.battles.contains(&b.id))
            .count();
        assert_eq!(owners, 1, "{} belongs to {owners} theatres", b.id);
    }
    // The figures of the founding articles the model can use are there, cited to the article.
    let cited_to = |t: &airwar_scenario::Theatre, metric: &str, value: f64, source: &str| {
        t.observed.iter().any(|o| {
            o.metric == metric
                && (o.value.value == value
                    && o.value
                        .citation
                        .as_ref()
                        .is_some_and(|c| c.source == source)
                    || o.value
                        .alternatives
                        .iter()
                        .any(|a| a.value == value && a.citation.source == source))
        })
    };
    assert!(cited_to(
        china,
        "aircraft-delivered",
        885.0,
        "soviet-volunteer-group"
    ));
    assert!(
        china.loans.len() == 3
            && china
                .loans
                .iter()
                .all(|l| l.annual_interest_percent.value == 3.0)
    );
    assert!(china.rules.len() >= 4 && korea.rules.len() >= 4);
    assert!(cited_to(
        korea,
        "claims",
        1106.0,
        "soviet-union-in-the-korean-war"
    ));
}

#[test]
fn a_theatre_with_a_bad_reference_is_located() {
    let mut lib = lib();
    let text = "id = \"t\"\ntitle = \"t\"\nstart = \"1938-01-01\"\nend = \"1939-01-01\"\nbattles = [\"wuhan-1938-04-30\"]\n";
    let e = lib
        .load_theatre("t.toml", text, false)
        .expect_err("unknown battle");
    assert_eq!(e.0[0].line, 5);
    assert!(e.0[0]
        .suggestion
        .as_deref()
        .unwrap()
        .contains("did you mean `wuhan-1938-"));
}

#[test]
fn opponents_are_checked_by_type_and_by_total_share() {
    let mut lib = lib();
    let head = "id = \"t\"\ntitle = \"t\"\nstart = \"1951-01-01\"\nend = \"1952-01-01\"\n";
    let unknown = format!("{head}[[doctrine.opponents]]\ntype = \"F-86X\"\nshare = 0.5\n");
    let e = lib
        .load_theatre("t.toml", &unknown, false)
        .expect_err("unknown type");
    assert_eq!(e.0[0].line, 6);
    assert!(e.0[0].suggestion.as_deref().unwrap().contains("F-86"));
    let too_much = format!(
        "{head}[[doctrine.opponents]]\ntype = \"F-86E\"\nshare = 0.7\n\n[[doctrine.opponents]]\ntype = \"B-29\"\nshare = 0.4\n"
    );
    let e = lib
        .load_theatre("t.toml", &too_much, false)
        .expect_err("shares above 1");
    assert_eq!(e.0[0].line, 11);
    assert!(e.0[0].message.contains("more than 1"));
    let fine = format!(
        "{head}[[doctrine.opponents]]\ntype = \"F-86E\"\nshare = 0.7\n\n[[doctrine.opponents]]\ntype = \"B-29\"\nshare = 0.3\n"
    );
    let t = lib.load_theatre("t.toml", &fine, false).unwrap();
    assert_eq!(t.doctrine.opponents.len(), 2);
    assert_eq!(t.doctrine.opponents[0].type_id, "F-86E");
}

/// Citations a reader can follow: no data file points at a file users do not have (the
/// project's private reference notes or local copies of the articles).
#[test]
fn no_citation_points_at_a_file_users_do_not_have() {
    for (path, text) in airwar_scenario::builtin::embedded_files("") {
        for needle in ["figures.md", "shared/sources", "shared/reference"] {
            assert!(
                !text.contains(needle),
                "data/{path} mentions {needle}: cite the public address instead"
            );
        }
    }
    let lib = lib();
    for id in ["soviet-volunteer-group", "soviet-union-in-the-korean-war"] {
        let s = lib.sources.sources.iter().find(|s| s.id == id).unwrap();
        assert!(
            s.url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://en.wikipedia.org/wiki/")),
            "{id} has no public address"
        );
    }
}

/// The same address is doubtful everywhere or nowhere: every declared source with a `url`
/// carries one `doubtful` flag across all the files that declare it.
#[test]
fn a_source_is_marked_doubtful_the_same_way_in_every_file() {
    let lib = lib();
    let mut seen: std::collections::BTreeMap<String, (bool, String)> = Default::default();
    let declared = lib
        .sources
        .sources
        .iter()
        .map(|s| ("sources.toml".to_string(), s))
        .chain(
            lib.theatres
                .iter()
                .flat_map(|t| t.sources.iter().map(move |s| (t.id.clone(), s))),
        )
        .chain(
            lib.battles
                .iter()
                .flat_map(|b| b.sources.iter().map(move |s| (b.id.clone(), s))),
        );
    for (file, s) in declared {
        let Some(url) = &s.url else { continue };
        match seen.get(url) {
            Some((d, other)) => assert_eq!(
                *d,
                s.doubtful,
                "{url}: doubtful in {} but not in the other ({file} / {other})",
                if *d { other } else { &file }
            ),
            None => {
                seen.insert(url.clone(), (s.doubtful, file));
            }
        }
    }
    assert!(seen.len() > 50);
}

/// One row per figure: no theatre records the same metric of the same force over the same
/// period twice (other sources' values are alternatives of one row).
#[test]
fn each_recorded_figure_is_one_row() {
    for t in &lib().theatres {
        let mut seen = std::collections::BTreeSet::new();
        for o in &t.observed {
            let key = (o.metric.clone(), o.force.clone(), o.from, o.to);
            assert!(seen.insert(key.clone()), "{}: {key:?} recorded twice", t.id);
        }
    }
}

/// The A5M's file as a user's `[[aircraft]]` table under a new id and no aliases.
fn inline_copy_of_a5m(id: &str) -> String {
    let text = include_str!("../../../data/aircraft/a5m.toml").replacen(
        "id = \"A5M\"",
        &format!("id = \"{id}\""),
        1,
    );
    let mut table: toml::Table = toml::from_str(&text).unwrap();
    table.insert("aliases".into(), toml::Value::Array(Vec::new()));
    let mut doc = toml::Table::new();
    doc.insert(
        "aircraft".into(),
        toml::Value::Array(vec![toml::Value::Table(table)]),
    );
    toml::to_string(&doc).unwrap()
}

#[test]
fn an_engagement_may_declare_its_own_aircraft_types() {
    let mut lib = lib();
    let known = lib.aircraft.types.len();
    let text = include_str!("../../../docs/example-engagement.toml").replacen(
        "type = \"A5M\"",
        "type = \"A5M-user\"",
        1,
    ) + "\n"
        + &inline_copy_of_a5m("A5M-user");
    let e = lib
        .load_engagement("user.toml", &text, true)
        .expect_err("the example has bare figures")
        .0;
    assert!(e.iter().all(|e| e.message.contains("no citation")), "{e:?}");
    let e = lib
        .load_engagement("user.toml", &text, false)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(e.aircraft.len(), 1);
    assert_eq!(lib.aircraft.types.len(), known + 1);
    let escort = &e.sides[0].forces[1];
    assert_eq!(escort.type_id, "A5M-user");
    assert_eq!(escort.type_index, known);
    // Loading the same file again reuses the type rather than refusing it.
    lib.load_engagement("user.toml", &text, false)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lib.aircraft.types.len(), known + 1);
}

#[test]
fn a_declared_type_may_not_take_a_known_name_with_other_figures() {
    let mut lib = lib();
    let text = include_str!("../../../docs/example-engagement.toml").to_string()
        + "\n"
        + &inline_copy_of_a5m("MiG-15");
    let errors = lib
        .load_engagement("clash.toml", &text, false)
        .expect_err("MiG-15 is a built-in type")
        .0;
    let clash = errors
        .iter()
        .find(|e| e.message.contains("already defined"))
        .unwrap_or_else(|| panic!("{errors:?}"));
    assert!(clash.message.contains("`MiG-15`"), "{}", clash.message);
    assert!(
        clash.line > 60,
        "located at the declared id: line {}",
        clash.line
    );
}

/// A running total cannot fall: for one force and metric, a recorded total over a period that
/// holds another's period is at least as large. Only figures from sources not marked doubtful
/// are held to it (a doubtful tally may disagree; it is kept as a record and not fitted), and
/// only where the two can contradict each other: the earlier a value or a lower bound, the
/// later a value or an upper bound. This is what 885 aircraft "by 1941" broke against 985 by
/// September 1939, both once fitted.
#[test]
fn recorded_running_totals_never_fall() {
    use airwar_scenario::theatre::MODELLED_OBSERVED_METRICS;
    use airwar_scenario::Bound;
    // Every total the campaign model produces is a running total or a running peak.
    const RUNNING: &[&str] = MODELLED_OBSERVED_METRICS;
    let lib = lib();
    for t in &lib.theatres {
        let start = t.start.value;
        let end = t.end.value;
        let rows: Vec<_> = t
            .observed
            .iter()
            .filter(|o| RUNNING.contains(&o.metric.as_str()) && !o.value.doubtful)
            .collect();
        for early in &rows {
            for late in &rows {
                let (e_from, e_to) = (early.from.unwrap_or(start), early.to.unwrap_or(end));
                let (l_from, l_to) = (late.from.unwrap_or(start), late.to.unwrap_or(end));
                let holds = l_from <= e_from && l_to >= e_to && (l_from, l_to) != (e_from, e_to);
                let early_floor = matches!(
                    early.value.bound,
                    Bound::Exact | Bound::AtLeast | Bound::MoreThan
                );
                let late_ceiling = matches!(
                    late.value.bound,
                    Bound::Exact | Bound::AtMost | Bound::LessThan
                );
                if early.metric == late.metric
                    && early.force == late.force
                    && holds
                    && early_floor
                    && late_ceiling
                {
                    assert!(
                        late.value.value >= early.value.value,
                        "{}: {} {} by {l_to} is less than {} by {e_to}",
                        t.id,
                        late.metric,
                        late.value.value,
                        early.value.value
                    );
                }
            }
        }
    }
}
