//! Dates: parsed once when a file is checked (an impossible day is refused where it is
//! written), and every dated row the model reads refers to a day of its theatre's period.

use airwar_scenario::{DataError, Date, Library};

fn lib() -> Library {
    match Library::load() {
        Ok(l) => l,
        Err(e) => panic!("built-in data failed to load:\n{e}"),
    }
}

/// A theatre of 1938 with one covert force, one host force, an enemy and a base.
const HEAD: &str = r#"id = "t"
title = "t"
start = "1938-01-01"
end = "1938-12-31"

[[forces]]
id = "svg"
name = "Volunteers"
nation = "USSR"
markings = "China"
covert = true

[[forces]]
id = "japan"
name = "Japan"
nation = "Japan"
markings = "Japan"

[[bases]]
id = "hankou"
name = "Hankou"
latitude = 30.6
longitude = 114.3
owner = "svg"
"#;

fn theatre(extra: &str) -> String {
    // Tables of the base's own (owner changes) go right after it; other rows after that.
    format!("{HEAD}{extra}")
}

/// The errors of a theatre file that must be refused.
fn refused(text: &str) -> Vec<DataError> {
    match lib().load_theatre("t.toml", text, false) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.0,
    }
}

fn accepted(text: &str) -> airwar_scenario::Theatre {
    match lib().load_theatre("t.toml", text, false) {
        Ok(t) => t,
        Err(e) => panic!("refused: {e}\n{text}"),
    }
}

/// 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not in the text"))
        + 1
}

/// The one error refusing `text`, checked to be on the line holding `needle`.
fn the_error(text: &str, needle: &str) -> DataError {
    let errors = refused(text);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = errors.into_iter().next().unwrap();
    assert_eq!(e.file, "t.toml");
    assert_eq!(e.line, line_of(text, needle), "{e}");
    assert!(e.suggestion.is_some(), "{e}");
    e
}

#[test]
fn the_minimal_theatre_loads_with_typed_dates() {
    let t = accepted(&theatre(""));
    assert_eq!(t.start.value, Date::parse("1938-01-01").unwrap());
    assert_eq!(t.end.value.day_number() - t.start.value.day_number(), 364);
}

#[test]
fn an_impossible_theatre_date_is_refused_where_it_is_written() {
    let text = theatre("").replace("end = \"1938-12-31\"", "end = \"1938-02-31\"");
    let errors = refused(&text);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0];
    assert_eq!((e.line, e.column), (4, 7), "{e}");
    assert!(e.message.contains("exists in the calendar"), "{e}");
    assert!(e.message.contains("1938-02-31"), "{e}");
}

#[test]
fn an_impossible_battle_date_is_refused_where_it_is_written() {
    let (_, text) = airwar_scenario::builtin::embedded_files("battles/wuhan-1938-04-29.toml")
        .next()
        .expect("the battle is built in");
    let bad = text.replacen("value = \"1938-04-29\"", "value = \"1938-04-31\"", 1);
    assert_ne!(bad, text);
    let e = lib()
        .load_engagement("b.toml", &bad, false)
        .expect_err("30 days hath April")
        .0;
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].line, line_of(&bad, "1938-04-31"));
    assert!(e[0].message.contains("exists in the calendar"), "{}", e[0]);
}

#[test]
fn a_misshapen_observed_date_is_refused_where_it_is_written() {
    let text = theatre(
        "\n[[observed]]\nmetric = \"claims\"\nforce = \"svg\"\nto = \"1938-6-30\"\nvalue = 10\nsource = \"soviet-volunteer-group\"\nsection = \"x\"\n",
    );
    let errors = refused(&text);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, line_of(&text, "1938-6-30"));
    assert!(errors[0].message.contains("YYYY-MM-DD"), "{}", errors[0]);
}

fn observed(metric: &str, from: &str, to: &str) -> String {
    theatre(&format!(
        "\n[[observed]]\nmetric = \"{metric}\"\nforce = \"svg\"\nfrom = \"{from}\"\nto = \"{to}\"\nvalue = 10\nsource = \"soviet-volunteer-group\"\nsection = \"x\"\n"
    ))
}

#[test]
fn an_observed_total_dated_after_the_period_is_refused() {
    let text = observed("claims", "1939-02-01", "1939-03-01");
    let e = the_error(&text, "from = ");
    assert!(e.message.contains("outside the theatre's period"), "{e}");
    assert!(e.message.contains("1939-02-01"), "{e}");
}

#[test]
fn an_observed_total_dated_before_the_period_is_refused() {
    let text = observed("losses", "1937-01-01", "1937-12-31");
    let e = the_error(&text, "to = ");
    assert!(e.message.contains("outside the theatre's period"), "{e}");
}

#[test]
fn an_observed_total_reaching_into_the_period_is_kept() {
    // A whole-war total: from before the covert force came to after it left.
    let t = accepted(&observed("claims", "1937-07-07", "1945-09-02"));
    assert_eq!(t.observed[0].to, Some(Date::parse("1945-09-02").unwrap()));
}

#[test]
fn a_record_only_figure_may_lie_outside_the_period() {
    accepted(&observed("aircraft-ordered", "1937-09-01", "1937-09-30"));
}

#[test]
fn an_observed_span_that_ends_before_it_starts_is_refused() {
    let errors = refused(&observed("aircraft-ordered", "1938-09-01", "1938-08-01"));
    assert!(errors[0]
        .message
        .contains("ends (1938-08-01) before it starts (1938-09-01)"));
}

#[test]
fn a_battle_dated_outside_the_period_is_refused() {
    let text = theatre("").replace(
        "end = \"1938-12-31\"\n",
        "end = \"1938-12-31\"\nbattles = [\"wuhan-1938-04-29\", \"hankou-1939-10-03\"]\n",
    );
    let e = the_error(&text, "battles = ");
    assert!(
        e.message
            .contains("battle `hankou-1939-10-03` is dated 1939-10-03"),
        "{e}"
    );
    assert!(e.message.contains("outside the theatre's period"), "{e}");
    assert_eq!(e.column, line_of_column(&text, "\"hankou-1939-10-03\""));
    let inside = theatre("").replace(
        "end = \"1938-12-31\"\n",
        "end = \"1938-12-31\"\nbattles = [\"wuhan-1938-04-29\"]\n",
    );
    assert_eq!(accepted(&inside).battles, ["wuhan-1938-04-29"]);
}

/// 1-based column of `needle` on its line.
fn line_of_column(text: &str, needle: &str) -> usize {
    let line = text.lines().find(|l| l.contains(needle)).unwrap();
    line[..line.find(needle).unwrap()].chars().count() + 1
}

fn event(kind: &str, date: &str) -> String {
    theatre(&format!(
        "\n[[events]]\ndate = \"{date}\"\nkind = \"{kind}\"\ndescription = \"x\"\n"
    ))
}

#[test]
fn a_withdrawal_dated_after_the_period_is_refused() {
    let text = event("withdrawal", "1939-06-01");
    let e = the_error(&text, "1939-06-01");
    assert!(
        e.message.contains("withdrawal event is dated 1939-06-01"),
        "{e}"
    );
    assert!(e.message.contains("outside the theatre's period"), "{e}");
}

#[test]
fn a_handover_dated_before_the_period_is_refused() {
    let text = event("handover", "1937-06-01");
    let e = the_error(&text, "1937-06-01");
    assert!(e.message.contains("handover event"), "{e}");
}

#[test]
fn an_event_the_model_does_not_act_on_may_lie_outside_the_period() {
    accepted(&event("agreement", "1937-08-21"));
    accepted(&event("other", "1953-09-21"));
    assert_eq!(
        accepted(&event("withdrawal", "1938-12-31")).events[0]
            .date
            .value
            .to_string(),
        "1938-12-31"
    );
}

#[test]
fn a_base_change_dated_after_the_period_is_refused() {
    let change = |date: &str| {
        theatre(&format!(
            "\n[[bases.owner_changes]]\ndate = \"{date}\"\nowner = \"japan\"\n"
        ))
    };
    let text = change("1939-03-27");
    let e = the_error(&text, "1939-03-27");
    assert!(
        e.message
            .contains("change of a base's owner is dated 1939-03-27"),
        "{e}"
    );
    assert!(e
        .message
        .contains("after the theatre's period (1938-01-01 to 1938-12-31)"));
    // Before the period: the owner on its first day.
    accepted(&change("1937-12-13"));
}

#[test]
fn a_front_point_taken_after_the_period_is_refused() {
    let front = |date: &str| {
        theatre(&format!(
            "\n[[front]]\nplace = \"Nanchang\"\ntaken = \"{date}\"\nlatitude = 28.6\nlongitude = 115.9\n"
        ))
    };
    let text = front("1939-03-27");
    let e = the_error(&text, "1939-03-27");
    assert!(e.message.contains("front point is dated 1939-03-27"), "{e}");
    accepted(&front("1937-12-13"));
}

#[test]
fn an_operation_wholly_outside_the_period_is_refused() {
    let operation = |from: &str, to: &str| {
        theatre(&format!(
            "\n[[operations]]\nid = \"o\"\nname = \"o\"\nfrom = \"{from}\"\nto = \"{to}\"\nlatitude = 30.6\nlongitude = 114.3\n"
        ))
    };
    let text = operation("1937-11-21", "1937-12-13");
    let e = the_error(&text, "to = ");
    assert!(
        e.message.contains("wholly outside the theatre's period"),
        "{e}"
    );
    let text = operation("1939-01-02", "1939-02-01");
    the_error(&text, "from = ");
    // Partly inside: the model has its days inside the period.
    accepted(&operation("1937-12-01", "1938-01-31"));
}

#[test]
fn a_loan_dated_after_the_period_is_refused() {
    let loan = |date: &str| {
        theatre(&format!(
            "\n[[loans]]\ndate = \"{date}\"\nlender = \"USSR\"\nborrower = \"China\"\namount_million_usd = 50\nannual_interest_percent = 3\n"
        ))
    };
    let text = loan("1939-06-13");
    let e = the_error(&text, "1939-06-13");
    assert!(e
        .message
        .contains("this loan is dated 1939-06-13, after the theatre's period"));
    accepted(&loan("1937-03-01"));
}

#[test]
fn every_built_in_battle_falls_inside_its_theatres_period() {
    let lib = lib();
    assert_eq!(lib.theatres.len(), 2);
    for t in &lib.theatres {
        assert!(t.start.value < t.end.value, "{}", t.id);
        for id in &t.battles {
            let b = lib.battle(id).unwrap();
            assert!(
                (t.start.value..=t.end.value).contains(&b.date.value),
                "{id} in {}",
                t.id
            );
        }
    }
    // The battles are listed in calendar order.
    assert!(lib
        .battles
        .windows(2)
        .all(|w| w[0].date.value <= w[1].date.value));
}

#[test]
fn a_checked_date_is_written_out_as_the_text_it_was_read_from() {
    let lib = lib();
    let china = lib.theatre("china-1937").unwrap();
    let json = serde_json::to_value(china).unwrap();
    assert_eq!(json["start"]["value"], "1937-10-01");
    let wuhan = serde_json::to_value(lib.battle("wuhan-1938-04-29").unwrap()).unwrap();
    assert_eq!(wuhan["date"]["value"], "1938-04-29");
    let alternatives = wuhan["date"]["alternatives"].as_array().unwrap();
    assert!(alternatives.iter().any(|a| a["value"] == "1938-04-28"));
}
