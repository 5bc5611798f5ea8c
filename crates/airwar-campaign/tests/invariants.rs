//! Campaign invariants: aircraft, pilots, ground crew and drivers are conserved through delivery, loss, handover and
//! rotation; debt never goes negative; exposure never decreases; a run is determined by its
//! seed whatever the thread count.

use airwar_campaign::counterfactual::{apply_parameter_changes, apply_theatre_changes, Change};
use airwar_campaign::{run_campaign, Campaign, CampaignParameters};
use airwar_engine::RunConfig;
use airwar_model::ModelParameters;
use airwar_scenario::Library;
use proptest::prelude::*;

fn campaign(lib: &mut Library, id: &str, changes: &[&str]) -> Campaign {
    let changes: Vec<Change> = changes.iter().map(|c| c.parse().unwrap()).collect();
    let (mut p, mut c) = (ModelParameters::default(), CampaignParameters::default());
    let rest = apply_parameter_changes(&changes, &mut p, &mut c).unwrap();
    let (_, text) = airwar_scenario::builtin::embedded_files(&format!("scenarios/{id}.toml"))
        .next()
        .unwrap();
    let theatre = apply_theatre_changes(lib, id, text, &rest).unwrap();
    Campaign::new(&theatre, lib, &p, &c).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn conservation_debt_and_exposure(
        scenario in prop::sample::select(vec!["china-1937", "korea-1950"]),
        seed in any::<u64>(),
        replication in 0u64..1000,
        lift_rules in any::<bool>(),
    ) {
        let mut lib = Library::load().unwrap();
        let changes: &[&str] = if lift_rules {
            &["rules[kind=no-fly-area]=none", "campaign.accident_rate_per_sortie=0.02"]
        } else {
            &[]
        };
        let changes: Vec<&str> = changes
            .iter()
            .copied()
            .filter(|c| scenario == "korea-1950" || !c.starts_with("rules"))
            .collect();
        let c = campaign(&mut lib, scenario, &changes);
        let o = c.simulate(seed, replication);
        let l = &o.ledger;
        // Aircraft: everything sent arrived, was lost in transit, or is still in transit ...
        prop_assert_eq!(l.dispatched, l.arrived + l.ferry_lost + l.in_transit_at_end);
        // ... and everything that arrived is on hand with one owner or was lost.
        prop_assert_eq!(l.arrived, l.on_hand_at_end[0] + l.on_hand_at_end[1] + l.lost[0] + l.lost[1]);
        // Pilots: every pilot who came is still there, went home, was killed or captured.
        prop_assert_eq!(l.pilots_arrived, l.pilots_present_at_end + l.pilots_rotated + l.pilots_killed + l.pilots_captured);
        // Ground crew: every one who came is still there or went home.
        prop_assert_eq!(l.ground_crew_arrived, l.ground_crew_present_at_end + l.ground_crew_rotated);
        // Drivers: every one who came is still there or left with the force; no more came
        // than the cited trucks need (China's road: 750, Korea: no road is cited with trucks).
        prop_assert_eq!(l.drivers_arrived, l.drivers_present_at_end + l.drivers_withdrawn);
        let trucks: u64 = if scenario == "china-1937" { 750 } else { 0 };
        prop_assert!(l.drivers_arrived <= trucks);
        prop_assert!(l.debt_never_negative);
        prop_assert!(l.exposure_never_fell);
        // Daily series: cumulative counts never fall.
        for s in ["engagements", "covert_losses", "claims", "delivered", "exposure_per_10k"] {
            let k = airwar_campaign::SERIES.iter().position(|x| *x == s).unwrap();
            prop_assert!(o.series[k].windows(2).all(|w| w[0] <= w[1]), "{} fell", s);
        }
        // Same seed, same outcome.
        prop_assert_eq!(&o, &c.simulate(seed, replication));
    }
}

#[test]
fn results_do_not_depend_on_threads() {
    let mut lib = Library::load().unwrap();
    let c = campaign(&mut lib, "china-1937", &[]);
    let run = |threads| {
        run_campaign(
            &c,
            RunConfig {
                runs: 40,
                seed: 5,
                threads: Some(threads),
                replications: None,
            },
            true,
            &|_| {},
        )
        .unwrap()
    };
    let (one, two) = (run(1), run(2));
    assert_eq!(one.totals, two.totals);
    assert_eq!(one.series, two.series);
    assert_eq!(one.per_replication, two.per_replication);
}

#[test]
fn lifting_the_coast_rule_exposes_the_covert_force_more() {
    // The rule keeps fights over friendly ground, so no pilot is captured and no wreck is left on
    // the enemy's ground; lifting it must raise exposure (a check the model could fail).
    let mut lib = Library::load().unwrap();
    let base = campaign(&mut lib, "korea-1950", &[]);
    let lifted = campaign(&mut lib, "korea-1950", &["rules[kind=no-fly-area]=none"]);
    assert!(base.rules().0);
    assert!(!lifted.rules().0);
    let cfg = RunConfig {
        runs: 30,
        seed: 2,
        threads: None,
        replications: None,
    };
    let a = run_campaign(&base, cfg, false, &|_| {}).unwrap();
    let b = run_campaign(&lifted, cfg, false, &|_| {}).unwrap();
    let captured =
        |r: &airwar_campaign::CampaignResults| r.total("pilots_captured").unwrap().mean();
    let exposure =
        |r: &airwar_campaign::CampaignResults| r.total("exposure_per_10k").unwrap().mean();
    assert_eq!(captured(&a), 0.0);
    assert!(captured(&b) > 0.0);
    assert!(exposure(&b) > exposure(&a));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// No `--set` text makes the program panic: it is applied, or refused with a message.
    #[test]
    fn arbitrary_changes_never_panic(path in "[a-z_\\[\\]=.\\-]{0,30}", value in "[a-z0-9\"\\-. ]{0,12}") {
        let mut lib = Library::load().unwrap();
        if let Ok(change) = format!("{path}={value}").parse::<Change>() {
            let (mut p, mut c) = (ModelParameters::default(), CampaignParameters::default());
            if let Ok(rest) = apply_parameter_changes(std::slice::from_ref(&change), &mut p, &mut c) {
                let (_, text) = airwar_scenario::builtin::embedded_files("scenarios/china-1937.toml").next().unwrap();
                let _ = apply_theatre_changes(&mut lib, "china-1937", text, &rest);
            }
        }
    }
}

/// Legal but extreme values (loans near the limit of docs/limits.md, almost no fighting, an army of ground crew per
/// aircraft) once made the totals' histograms grow to gigabytes. Every histogram now has a
/// bounded number of bins whatever the values.
#[test]
fn memory_is_bounded_whatever_the_values() {
    let mut lib = Library::load().unwrap();
    let c = campaign(
        &mut lib,
        "china-1937",
        &[
            "campaign.ground_crew_per_aircraft=999999",
            "campaign.engagements_per_aircraft_day=0.000001",
            "loans.amount_million_usd.value=300000",
        ],
    );
    let r = run_campaign(&c, RunConfig::new(40, 3, Some(2)), false, &|_| {}).unwrap();
    let personnel = r.total("personnel_peak").unwrap();
    assert!(personnel.mean() > 1e8, "the extreme value is in force");
    for t in &r.totals {
        assert!(t.histogram().len() <= airwar_statistics::DEFAULT_MAX_BINS as usize);
    }
    for s in &r.series {
        for day in &s.days {
            assert!(day.histogram().len() <= airwar_campaign::results::SERIES_MAX_BINS as usize);
        }
    }
}
