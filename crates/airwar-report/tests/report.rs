//! The report: self-contained, every figure present, the map complete, the same bytes twice,
//! and one small chart's SVG pinned by a snapshot.

use std::sync::OnceLock;

use airwar_campaign::{run_campaign, Campaign, CampaignResults};
use airwar_engine::{EngagementResults, RunConfig};
use airwar_report::charts::{time_chart, Line, TimeChart};
use airwar_report::{
    battle_report, campaign_figures, campaign_report, map, BattleReportInput, BattleResult,
    CampaignReportInput, ForestRow,
};
use airwar_scenario::{Engagement, Library, Theatre};

struct China {
    library: Library,
    theatre: Theatre,
    campaign: Campaign,
    results: CampaignResults,
    battles: Vec<(Engagement, EngagementResults)>,
}

/// The built-in china-1937 campaign, 20 replications, and its battles 400 times each.
fn china() -> &'static China {
    static CHINA: OnceLock<China> = OnceLock::new();
    CHINA.get_or_init(|| {
        let library = Library::load().expect("built-in data loads");
        let params = airwar_calibration::record::default_parameters()
            .expect("embedded parameters")
            .0;
        let cparams = airwar_calibration::campaign_fit::default_campaign_parameters()
            .expect("embedded campaign parameters");
        let theatre = library.theatre("china-1937").expect("built in").clone();
        let campaign = Campaign::new(&theatre, &library, &params, &cparams).expect("compiles");
        let results =
            run_campaign(&campaign, RunConfig::new(20, 1, Some(2)), false, &|_| {}).expect("runs");
        let battles = airwar_report::run_battles(&library, &params, &theatre, 400, 1, Some(2))
            .expect("battles run");
        China {
            library,
            theatre,
            campaign,
            results,
            battles,
        }
    })
}

fn input(c: &China) -> CampaignReportInput<'_> {
    CampaignReportInput {
        theatre: &c.theatre,
        campaign: &c.campaign,
        results: &c.results,
        battles: c
            .battles
            .iter()
            .map(|(engagement, results)| BattleResult {
                engagement,
                results,
            })
            .collect(),
        validation: None,
        sources: &c.library.sources,
        provenance: None,
    }
}

fn provenance() -> serde_json::Value {
    serde_json::json!({
        "version": "0.1.0",
        "data_sha256": "abc123",
        "command": "airwar report china-1937 --runs 20",
        "seed": 1,
        "changes": ["campaign.repayment_years=5"],
        "params_sha256": "def456"
    })
}

/// Nothing is loaded from anywhere: no script, style sheet, import, font or image address.
fn assert_self_contained(html: &str) {
    let lower = html.to_lowercase();
    for banned in [
        "<script",
        "<link",
        "@import",
        "url(http",
        "url(//",
        "<img",
        "@font-face",
        "<iframe",
        "<object",
        "<embed",
        "xlink:href",
    ] {
        assert!(!lower.contains(banned), "the report contains {banned}");
    }
    // Nothing has a source attribute, and the only references are links to cited sources
    // (`<a href=...>`) and the map's clip path (`url(#map-clip)`, inside the document).
    assert!(!lower.contains("src="), "the report loads something");
    for (i, _) in lower.match_indices("href=") {
        assert!(
            lower[..i].ends_with("<a "),
            "a reference outside a link: …{}…",
            &html[i.saturating_sub(40)..(i + 40).min(html.len())]
        );
    }
    for (i, _) in lower.match_indices("url(") {
        assert!(
            lower[i..].starts_with("url(#"),
            "an outside url(): …{}…",
            &html[i..(i + 40).min(html.len())]
        );
    }
}

#[test]
fn the_china_campaign_report_renders_whole_and_self_contained() {
    let c = china();
    let prov = provenance();
    let mut input = input(c);
    input.provenance = Some(&prov);
    let html = campaign_report(&input).expect("renders");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.ends_with("</html>\n"));
    assert_self_contained(&html);
    for id in [
        "map",
        "timeline",
        "chart-aircraft",
        "chart-cumulative",
        "chart-monthly",
        "chart-exchange",
        "chart-money",
        "chart-exposure",
        "chart-personnel",
        "forest",
    ] {
        assert!(
            html.contains(&format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\""
            )),
            "no chart {id}"
        );
    }
    // A histogram for every observed figure of every battle the model produces.
    for (e, r) in &c.battles {
        for (i, o) in r.observed.iter().enumerate() {
            if o.is_some() {
                assert!(
                    html.contains(&format!("id=\"battle-{}-{i}\"", e.id)),
                    "{} {i}",
                    e.id
                );
            }
        }
    }
    // And one for every recorded total.
    for k in 0..c.campaign.snapshots.len() {
        assert!(
            html.contains(&format!("id=\"total-china-1937-{k}\"")),
            "total {k}"
        );
    }
    // The provenance block shows every field.
    for v in [
        "abc123",
        "def456",
        "airwar report china-1937 --runs 20",
        "campaign.repayment_years=5",
    ] {
        assert!(html.contains(v), "provenance lacks {v}");
    }
    // Every element id is used once (anchors, clip paths, titles).
    let mut ids: Vec<&str> = html
        .match_indices(" id=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "an id is used twice");
    // The two founding articles are among the sources cited, with their addresses.
    assert!(html.contains("<code>soviet-volunteer-group</code>"));
    assert!(html.contains("href=\"https://en.wikipedia.org/wiki/Soviet_Volunteer_Group\""));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let c = china();
    let a = campaign_report(&input(c)).unwrap();
    let b = campaign_report(&input(c)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn every_figure_is_also_a_standalone_svg_with_a_unique_id() {
    let c = china();
    let figures = campaign_figures(&input(c)).unwrap();
    let mut ids: Vec<&str> = figures.iter().map(|f| f.id.as_str()).collect();
    for f in &figures {
        assert!(
            f.svg
                .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{}",
            f.id
        );
        assert!(f.svg.trim_end().ends_with("</svg>"), "{}", f.id);
        assert!(!f.caption.is_empty(), "{}", f.id);
    }
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "figure ids repeat");
}

/// The SVG of one figure, cut out of the report.
fn svg_of<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\" class=\"chart\""))
        .unwrap_or_else(|| panic!("no {id}"));
    let end = html[start..].find("</svg>").expect("closed") + start;
    &html[start..end]
}

#[test]
fn the_maps_draw_coastlines_and_every_base_and_battle() {
    let lib = Library::load().unwrap();
    for id in ["china-1937", "korea-1950"] {
        let t = lib.theatre(id).unwrap();
        let battles: Vec<&Engagement> = t.battles.iter().filter_map(|b| lib.battle(b)).collect();
        assert_eq!(battles.len(), t.battles.len());
        let f = map::theatre_map(t, &battles).unwrap();
        let coast = f.svg.matches("<polyline").count();
        assert!(coast > 10, "{id}: {coast} polylines");
        for b in &t.bases {
            assert!(
                f.svg.contains(&format!("data-base=\"{}\"", b.id)),
                "{id}: base {}",
                b.id
            );
        }
        assert_eq!(
            f.svg.matches("class=\"battle\"").count(),
            battles.len(),
            "{id}"
        );
        // Every route is drawn through its stops.
        assert_eq!(
            f.svg.matches("class=\"route\"").count(),
            t.routes.len(),
            "{id}"
        );
        // A base that changed hands names every owner in its tooltip.
        for b in t.bases.iter().filter(|b| !b.owner_changes.is_empty()) {
            let at = f.svg.find(&format!("data-base=\"{}\"", b.id)).unwrap();
            let tip = &f.svg[at..at + f.svg[at..].find("</title>").unwrap()];
            for ch in &b.owner_changes {
                assert!(
                    tip.contains(&ch.date.value.to_string()),
                    "{id} {}: {}",
                    b.id,
                    ch.date.value
                );
            }
        }
    }
}

#[test]
fn korea_map_shows_the_forbidden_places_with_their_sources() {
    let lib = Library::load().unwrap();
    let t = lib.theatre("korea-1950").unwrap();
    let battles: Vec<&Engagement> = t.battles.iter().filter_map(|b| lib.battle(b)).collect();
    let f = map::theatre_map(t, &battles).unwrap();
    let no_fly: Vec<_> = t
        .rules
        .iter()
        .filter(|r| r.kind == airwar_scenario::theatre::RuleKind::NoFlyArea)
        .collect();
    assert!(!no_fly.is_empty());
    assert_eq!(f.svg.matches("class=\"rule\"").count(), no_fly.len());
    for r in no_fly {
        let cited = format!("[{}, {}]", r.citation.source, r.citation.section);
        assert!(f.svg.contains(&airwar_report::svg::esc(&cited)), "{cited}");
    }
    // The pursuit limits the battle files give are drawn as circles.
    let limits = battles
        .iter()
        .flat_map(|e| &e.sides)
        .filter(|s| s.no_pursuit_line_km.is_some())
        .count();
    assert!(limits > 0);
    assert_eq!(f.svg.matches("class=\"forbidden\"").count(), limits);
    // Korea's battles lie in a corner of the theatre: a closer map shows them, with the limits.
    let close = map::battle_area_map(t, &battles)
        .unwrap()
        .expect("a closer map");
    assert_eq!(close.id, "map-battles");
    assert_eq!(close.svg.matches("class=\"forbidden\"").count(), limits);
    // China's battles spread over the theatre: no closer map.
    let china = lib.theatre("china-1937").unwrap();
    let china_battles: Vec<&Engagement> =
        china.battles.iter().filter_map(|b| lib.battle(b)).collect();
    assert!(map::battle_area_map(china, &china_battles)
        .unwrap()
        .is_none());
}

#[test]
fn a_battle_report_renders() {
    let c = china();
    let (e, r) = c
        .battles
        .iter()
        .find(|(e, _)| e.id == "wuhan-1938-04-29")
        .expect("a battle of the theatre");
    let prov = provenance();
    let html = battle_report(&BattleReportInput {
        battle: BattleResult {
            engagement: e,
            results: r,
        },
        theatre: Some(&c.theatre),
        sources: &c.library.sources,
        provenance: Some(&prov),
        validation: None,
    })
    .unwrap();
    assert_self_contained(&html);
    // Within its theatre, the map shows the theatre's bases near the site (Hankou is Wuhan's).
    assert!(svg_of(&html, "map").contains("data-base=\"hankou\""));
    assert!(html.contains("id=\"map\""));
    assert!(html.contains("id=\"forest\""));
    let observed = r.observed.iter().filter(|o| o.is_some()).count();
    assert!(observed > 0);
    assert_eq!(
        html.matches("<figure id=\"fig-battle-wuhan-1938-04-29-")
            .count(),
        observed
    );
    let forest = svg_of(&html, "forest");
    assert_eq!(forest.matches("class=\"row\"").count(), observed);
}

#[test]
fn forest_rows_say_inside_or_outside_by_colour() {
    let row = |observed: f64, inside: bool| ForestRow {
        id: "b".into(),
        date: "1938-01-01".parse().unwrap(),
        metric: "losses air X".into(),
        kind: "losses".into(),
        observed,
        bound: airwar_scenario::Bound::Exact,
        mean: 5.0,
        p05: 2.0,
        p95: 9.0,
        inside_90: inside,
        fitted: false,
        source: "src".into(),
        section: "sec".into(),
    };
    let f = airwar_report::forest::forest_plot("forest", "t", &[row(4.0, true), row(30.0, false)]);
    assert!(f.svg.contains("1 of 2 recorded figures inside"));
    let observed: Vec<&str> = f
        .svg
        .match_indices("class=\"observed\"")
        .map(|(i, _)| &f.svg[i..(i + 80).min(f.svg.len())])
        .collect();
    assert!(observed[0].contains("#0072B2"), "{}", observed[0]);
    assert!(observed[1].contains("#D55E00"), "{}", observed[1]);
    // The axis reaches past the largest value.
    assert!(f.svg.contains(">50</text>"));
}

#[test]
fn a_small_chart_snapshot() {
    let d0 = airwar_scenario::Date::parse("1938-01-01")
        .unwrap()
        .day_number();
    let chart = TimeChart {
        id: "chart-test".into(),
        title: "Aircraft on hand".into(),
        y_label: "aircraft".into(),
        d0,
        d1: d0 + 59,
        lines: vec![Line {
            label: "covert force".into(),
            colour: airwar_report::svg::colour(0),
            points: vec![
                (d0 as f64, 10.0),
                ((d0 + 30) as f64, 14.0),
                ((d0 + 59) as f64, 12.0),
            ],
            band: vec![
                (d0 as f64, 8.0, 12.0),
                ((d0 + 30) as f64, 11.0, 18.0),
                ((d0 + 59) as f64, 9.0, 16.0),
            ],
            dashed: false,
        }],
        marks: vec![(
            (d0 + 45) as f64,
            15.0,
            airwar_report::svg::colour(1),
            "recorded 15 [src, sec]".into(),
        )],
        caption: "synthetic".into(),
    };
    let f = time_chart(&chart);
    insta::assert_snapshot!(f.svg);
}

#[test]
fn battles_take_the_runs_parameter_changes_and_nothing_else() {
    let base = airwar_calibration::record::default_parameters().unwrap().0;
    let changed = airwar_report::with_parameter_changes(
        base.clone(),
        &[
            "params.lethality=0.01".to_string(),
            "campaign.repayment_years=5".to_string(),
            "bases[id=nanjing].owner=japan".to_string(),
        ],
    )
    .unwrap();
    assert_eq!(changed.lethality, 0.01);
    assert_eq!(
        airwar_report::with_parameter_changes(base.clone(), &[]).unwrap(),
        base
    );
    assert!(
        airwar_report::with_parameter_changes(base.clone(), &["params.lethality=x".into()])
            .is_err()
    );
    assert!(airwar_report::with_parameter_changes(base, &["params.no_such=1".into()]).is_err());
}

#[test]
fn reports_are_written_whole_or_not_at_all() {
    let dir = std::env::temp_dir().join(format!("airwar-report-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("r.html");
    airwar_report::write_atomic(&path, "first").unwrap();
    airwar_report::write_atomic(&path, "second").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "second");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        vec![std::ffi::OsString::from("r.html")],
        "a temporary file was left"
    );
    let missing = dir.join("no-such-folder").join("r.html");
    let e = airwar_report::write_atomic(&missing, "x").unwrap_err();
    assert!(e.to_string().contains("no-such-folder"), "{e}");
    assert!(std::error::Error::source(&e).is_some(), "the cause is kept");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_report_of_a_run_replays_the_battles_under_its_changes() {
    let c = china();
    let params = airwar_calibration::record::default_parameters().unwrap().0;
    let prov = serde_json::json!({"seed": 1, "changes": ["params.hit_logit_base=-12", "params.gunner_hit_logit=-12"]});
    let html = airwar_report::campaign_report_of_run(&airwar_report::CampaignRunParts {
        library: &c.library,
        params: &params,
        theatre: &c.theatre,
        campaign: &c.campaign,
        results: &c.results,
        provenance: &prov,
        battle_runs: 50,
        validation: None,
        seed: 1,
        threads: Some(1),
    })
    .unwrap();
    assert!(html.contains("params.hit_logit_base=-12"));
    // When no pass can hit, the Wuhan battle of 29 April loses almost nothing in the air:
    // its forest row's interval sits at 0 (the calibrated run's does not).
    let row = |html: &str| {
        let at = html
            .find("wuhan-1938-04-29 (1938-04-29), losses air Imperial Japanese Navy A5M:")
            .expect("row");
        html[at..at + 200].to_string()
    };
    assert!(row(&html).contains("90% interval 0 to 0"), "{}", row(&html));
    let calibrated = campaign_report(&input(c)).unwrap();
    assert!(
        !row(&calibrated).contains("90% interval 0 to 0"),
        "{}",
        row(&calibrated)
    );
}

/// `airwar validate --json` as it comes, cut to three items: a battle of China, a battle of
/// Korea and a total of China.
fn validation_json() -> serde_json::Value {
    let item = |id: &str, date: &str, kind: &str, metric: &str, observed: u32| {
        serde_json::json!({
            "id": id, "date": date, "metric": metric, "kind": kind, "observed": observed,
            "simulated": {"mean": 20.5, "p05": 7.0, "p95": 41.0},
            "inside_90": true, "outside_by": 0.0, "crps": 3.1, "width_90": 34.0,
            "pit": [0.4, 0.5], "fitted": false, "source": "soviet-volunteer-group",
            "section": "Wuhan", "doubtful": false
        })
    };
    serde_json::json!({
        "mode": "leave-one-out",
        "items": [
            item("wuhan-1938-04-29", "1938-04-29", "losses", "losses air Imperial Japanese Navy", 21),
            item("korea-1951-04-12", "1951-04-12", "losses", "losses air United States", 10),
            item("china-1937", "1938-05-31", "campaign", "campaign claims", 625),
        ],
        "coverage_90": 1.0
    })
}

#[test]
fn held_out_rows_of_a_validation_join_the_forest_plot() {
    let c = china();
    let v = airwar_report::forest::validation_rows(&validation_json()).unwrap();
    assert_eq!(v.mode, "leave-one-out");
    assert_eq!(v.rows.len(), 3);
    assert_eq!(v.rows[0].p95, 41.0);
    let mut with = input(c);
    with.validation = Some(v);
    let rows = airwar_report::forest_rows(&with);
    let held: Vec<&str> = rows
        .iter()
        .filter(|r| r.id.ends_with("[held out]"))
        .map(|r| r.id.as_str())
        .collect();
    // This theatre's battle and total; not Korea's battle.
    assert_eq!(
        held,
        ["wuhan-1938-04-29 [held out]", "china-1937 [held out]"]
    );
    // They come after every row of this run, which are all still there.
    let without = airwar_report::forest_rows(&input(c));
    assert_eq!(rows.len(), without.len() + 2);
    assert_eq!(rows[..without.len()], without[..]);
    let html = campaign_report(&with).unwrap();
    assert!(html.contains("wuhan-1938-04-29 [held out]"));
    assert!(html.contains("<code>airwar validate --leave-one-out --json</code>"));
    // Without one, the page says why there are no held-out rows and how to add them.
    let plain = campaign_report(&input(c)).unwrap();
    assert!(plain.contains("No leave-one-out rows"));
    assert!(!plain.contains(" [held out]"));
    // Anything else is refused with what is missing.
    let e = airwar_report::forest::validation_rows(&serde_json::json!({"items": []})).unwrap_err();
    assert!(e.to_string().contains("mode"), "{e}");
    let mut broken = validation_json();
    broken["items"][1]["simulated"] = serde_json::json!(null);
    let e = airwar_report::forest::validation_rows(&broken).unwrap_err();
    assert!(e.to_string().contains("item 1"), "{e}");
}
