//! Invariants of the engagement model over randomly built engagements: every aircraft ends in
//! exactly one fate, losses never exceed forces, crews are accounted for, and a replication is
//! fully determined by its stream.

use airwar_model::engagement::{prepare, simulate, Workspace};
use airwar_model::rng::stream;
use airwar_model::ModelParameters;
use airwar_scenario::Library;
use proptest::prelude::*;

const TYPES: &[&str] = &[
    "I-15bis",
    "I-16 type 10",
    "A5M",
    "Ki-27",
    "SB",
    "G3M",
    "TB-3",
    "MiG-15bis",
    "F-86E",
    "B-29",
    "F-80C",
    "Il-10",
    "UTI-4",
];
const ROLES: &[&str] = &["interceptor", "escort", "sweep", "bomber", "attack"];

#[derive(Debug, Clone)]
struct ForceSpec {
    ty: usize,
    count: u32,
    role: usize,
    quality: f64,
}

fn force_strategy() -> impl Strategy<Value = ForceSpec> {
    (0..TYPES.len(), 0u32..30, 0..ROLES.len(), 0.0f64..=1.0).prop_map(
        |(ty, count, role, quality)| ForceSpec {
            ty,
            count,
            role,
            quality,
        },
    )
}

/// The context of a generated engagement.
struct Context<'a> {
    mission: &'a str,
    warning: f64,
    altitude: f64,
    parked: u32,
    language: bool,
    line: Option<f64>,
    /// How far the raid flies to its target (sets the round in which it bombs).
    target_km: f64,
}

fn engagement_text(c: &Context, attackers: &[ForceSpec], defenders: &[ForceSpec]) -> String {
    let Context {
        mission,
        warning,
        altitude,
        parked,
        language,
        line,
        target_km,
    } = *c;
    let mut t = format!(
        "id = \"prop\"\ntitle = \"t\"\ndate = \"1938-01-01\"\nmission = \"{mission}\"\n\
         [context]\nplace = \"p\"\nlatitude = 30.0\nlongitude = 114.0\nwarning_minutes = {warning}\n\
         raid_altitude_m = {altitude}\nground_below = \"Blue\"\ntarget_distance_km = {target_km}\n"
    );
    for (name, posture, forces) in [
        ("Red", "attacker", attackers),
        ("Blue", "defender", defenders),
    ] {
        t += &format!(
            "[[sides]]\nname = \"{name}\"\nnation = \"n\"\nmarkings = \"m\"\nposture = \"{posture}\"\n\
             shares_radio_language = {language}\n"
        );
        if let (Some(l), "Blue") = (line, name) {
            t += &format!("no_pursuit_line_km = {l}\n");
        }
        for f in forces {
            t += &format!(
                "[[sides.forces]]\ntype = \"{}\"\ncount = {}\nquality = {}\nrole = \"{}\"\n",
                TYPES[f.ty], f.count, f.quality, ROLES[f.role]
            );
        }
        if name == "Blue" && parked > 0 {
            t += &format!("[[sides.parked]]\ntype = \"SB\"\ncount = {parked}\n");
        }
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn aircraft_are_conserved_and_losses_bounded(
        mission in prop::sample::select(vec!["intercept", "airfield-strike", "strike", "sweep"]),
        warning in 0.0f64..60.0,
        altitude in 0.0f64..12000.0,
        attackers in prop::collection::vec(force_strategy(), 1..4),
        defenders in prop::collection::vec(force_strategy(), 1..4),
        parked in 0u32..40,
        language in any::<bool>(),
        line in prop::option::of(0.0f64..300.0),
        seed in any::<u64>(),
    ) {
        let mut lib = Library::load().expect("built-in data");
        let text = engagement_text(&Context { mission, warning, altitude, parked, language, line, target_km: 30.0 }, &attackers, &defenders);
        // A side with no aircraft at all is refused by the loader, and only then.
        let red_empty = attackers.iter().all(|f| f.count == 0);
        let blue_empty = defenders.iter().all(|f| f.count == 0) && parked == 0;
        let e = match lib.load_engagement("prop.toml", &text, false) {
            Err(e) if e.to_string().contains("has no aircraft") => {
                prop_assert!(red_empty || blue_empty, "{}", e);
                return Ok(());
            }
            other => other.map_err(|e| TestCaseError::fail(e.to_string()))?,
        };
        prop_assert!(!red_empty && !blue_empty);
        let p = prepare(&e, &lib.aircraft, &ModelParameters::default()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut ws = Workspace::new();
        let out = simulate(&p, &mut stream(seed, 0), &mut ws);

        // Every aircraft ends in exactly one fate.
        for (counts, force) in out.forces.iter().zip(&p.forces) {
            prop_assert_eq!(counts.total(), force.count);
            prop_assert!(counts.damaged <= counts.survived);
            prop_assert!(counts.losses() <= force.count);
        }
        for (counts, group) in out.parked.iter().zip(&p.parked) {
            prop_assert_eq!(counts.total(), group.3);
        }
        // Losses never exceed forces, per side.
        for side in 0..2 {
            let initial: u32 = p.forces.iter().filter(|f| f.side == side).map(|f| f.count).sum::<u32>()
                + p.parked.iter().filter(|g| g.0 == side).map(|g| g.3).sum::<u32>();
            prop_assert!(out.side_losses(&p, side) <= initial);
            // Crews of lost aircraft are all accounted for.
            let crews_lost: u32 = out.forces.iter().zip(&p.forces).filter(|(_, f)| f.side == side)
                .map(|(c, f)| (c.losses() - c.destroyed_on_ground) * f.crew).sum();
            let c = out.crews[side];
            prop_assert_eq!(c.killed + c.captured + c.recovered, crews_lost);
        }
        // Claims split by the type claimed add up to each side's air claims.
        for side in 0..2 {
            let against: u32 = out.claims_against.iter().zip(&p.forces)
                .filter(|(_, f)| f.side != side).map(|(c, _)| *c).sum();
            prop_assert_eq!(against, out.claims[side]);
        }
        // Captured crews only come down over the enemy's ground.
        prop_assert_eq!(out.crews[1].captured, 0, "Blue's ground lies below");
        // The same stream gives the same outcome.
        let again = simulate(&p, &mut stream(seed, 0), &mut ws);
        prop_assert_eq!(&out, &again);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    /// The quiet stretches of a fight (an approach no fighter can meet, a wait for late
    /// defenders, a tail that only burns fuel) are counted instead of flown, and the lists of
    /// who is in the fight are kept while they hold, and the circling rounds of fighters with
    /// no enemy in reach only draw their friendly-fire chances: no shortcut may change a draw
    /// or an outcome, whatever the engagement and the parameters (each fails this test if its
    /// stretch runs one round too far).
    #[test]
    fn counting_quiet_rounds_changes_nothing(
        mission in prop::sample::select(vec!["intercept", "airfield-strike", "strike", "sweep"]),
        warning in 0.0f64..90.0,
        altitude in 0.0f64..12000.0,
        attackers in prop::collection::vec(force_strategy(), 1..3),
        defenders in prop::collection::vec(force_strategy(), 1..3),
        parked in 0u32..10,
        language in any::<bool>(),
        line in prop::option::of(0.0f64..300.0),
        target_km in 0.0f64..800.0,
        round_minutes in 0.25f64..3.0,
        scramble_minutes in 0.0f64..40.0,
        // Exactly zero makes a side leave at the end of the first round, before any loss.
        break_off in prop_oneof![Just(0.0f64), 0.0f64..1.0],
        seed in any::<u64>(),
    ) {
        let mut lib = Library::load().expect("built-in data");
        let context = Context { mission, warning, altitude, parked, language, line, target_km };
        let text = engagement_text(&context, &attackers, &defenders);
        let Ok(e) = lib.load_engagement("quiet.toml", &text, false) else {
            // A side with no aircraft (checked by the test above).
            return Ok(());
        };
        let params = ModelParameters {
            round_minutes,
            scramble_minutes,
            break_off_loss_share: break_off,
            ..ModelParameters::default()
        };
        let p = prepare(&e, &lib.aircraft, &params).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (mut counting, mut flying) = (Workspace::new(), Workspace::flying_every_round());
        for i in 0..8 {
            let (mut a, mut b) = (stream(seed, i), stream(seed, i));
            let counted = simulate(&p, &mut a, &mut counting);
            let flown = simulate(&p, &mut b, &mut flying);
            prop_assert_eq!(&counted, &flown);
            // The streams end in the same place: the same numbers were drawn.
            prop_assert_eq!(a, b);
        }
    }
}

#[test]
fn a_surprise_raid_destroys_parked_aircraft_and_meets_no_fighters() {
    let mut lib = Library::load().expect("built-in data");
    let bombers = [ForceSpec {
        ty: 4,
        count: 28,
        role: 3,
        quality: 0.7,
    }];
    let defenders = [ForceSpec {
        ty: 2,
        count: 10,
        role: 0,
        quality: 0.7,
    }];
    let context = Context {
        mission: "airfield-strike",
        warning: 0.0,
        altitude: 4000.0,
        parked: 40,
        language: true,
        line: None,
        target_km: 30.0,
    };
    let text = engagement_text(&context, &bombers, &defenders);
    let e = lib.load_engagement("surprise.toml", &text, false).unwrap();
    let p = prepare(&e, &lib.aircraft, &ModelParameters::default()).unwrap();
    let mut ws = Workspace::new();
    let (mut destroyed, mut bombers_lost) = (0, 0);
    for i in 0..200 {
        let out = simulate(&p, &mut stream(3, i), &mut ws);
        destroyed += out.parked[0].destroyed_on_ground;
        bombers_lost += out.forces[0].losses();
    }
    assert!(destroyed > 0, "bombs must destroy some parked aircraft");
    // With no warning the defenders climb after the bombs fall and catch few bombers.
    assert!((bombers_lost as f64 / 200.0) < 28.0 * 0.25);
}

#[test]
fn warning_helps_the_defender() {
    let mut lib = Library::load().expect("built-in data");
    let attackers = [
        ForceSpec {
            ty: 5,
            count: 18,
            role: 3,
            quality: 0.7,
        },
        ForceSpec {
            ty: 2,
            count: 27,
            role: 1,
            quality: 0.7,
        },
    ];
    let defenders = [ForceSpec {
        ty: 1,
        count: 40,
        role: 0,
        quality: 0.7,
    }];
    // With warning the defenders meet the raid at altitude, with position and full tanks; without
    // it they climb after the raid and must chase it, burning fuel.
    let mut mean_attacker_losses = |warning: f64| {
        let context = Context {
            mission: "strike",
            warning,
            altitude: 4500.0,
            parked: 0,
            language: true,
            line: None,
            target_km: 30.0,
        };
        let text = engagement_text(&context, &attackers, &defenders);
        let e = lib.load_engagement("w.toml", &text, false).unwrap();
        let p = prepare(&e, &lib.aircraft, &ModelParameters::default()).unwrap();
        let mut ws = Workspace::new();
        let n = 2000;
        let total: u32 = (0..n)
            .map(|i| simulate(&p, &mut stream(5, i), &mut ws).side_losses(&p, 0))
            .sum();
        total as f64 / n as f64
    };
    let (none, ample) = (mean_attacker_losses(0.0), mean_attacker_losses(60.0));
    assert!(
        ample > none,
        "attackers lost: no warning {none}, ample warning {ample}"
    );
}

/// A campaign prepares an engagement once and then changes its pilots' quality and how far
/// they fly home; the changed engagement must be exactly the one prepared with those values.
#[test]
fn changing_quality_and_home_distance_equals_preparing_anew() {
    let lib = Library::load().expect("built-in data");
    let params = ModelParameters::default();
    let battle = lib.battle("wuhan-1938-04-29").expect("built-in battle");
    let mut reused = prepare(battle, &lib.aircraft, &params).unwrap();
    reused.set_side_quality(1, 0.83);
    reused.set_home_distance(1, 312.0);
    let mut changed = battle.clone();
    for force in &mut changed.sides[1].forces {
        force.quality.value.value = 0.83;
    }
    changed.sides[1].home_distance_km = Some(airwar_scenario::Figure::uncited(312.0));
    let fresh = prepare(&changed, &lib.aircraft, &params).unwrap();
    let mut ws = Workspace::new();
    for i in 0..200 {
        assert_eq!(
            simulate(&reused, &mut stream(9, i), &mut ws),
            simulate(&fresh, &mut stream(9, i), &mut ws)
        );
    }
    let bits = |p: &airwar_model::engagement::PreparedEngagement| {
        p.pass
            .iter()
            .flat_map(|c| {
                c.hit_logit
                    .iter()
                    .chain(c.return_logit.iter())
                    .map(|x| x.to_bits())
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(&reused), bits(&fresh));
    assert_eq!(
        reused.sides[1].lost_on_way_home.to_bits(),
        fresh.sides[1].lost_on_way_home.to_bits()
    );
}

/// A raid's bombing luck (`bombing_sd`) spreads the parked aircraft it destroys far beyond the
/// binomial spread of independent bombs, and touches nothing in a fight without an airfield raid
/// (the luck is drawn only when bombs fall on one, so such fights use the same random numbers).
#[test]
fn a_raids_bombing_luck_spreads_its_ground_losses_and_nothing_else() {
    let mut lib = Library::load().expect("built-in data");
    let bombers = [ForceSpec {
        ty: 4,
        count: 12,
        role: 3,
        quality: 0.7,
    }];
    let defenders = [ForceSpec {
        ty: 2,
        count: 9,
        role: 0,
        quality: 0.7,
    }];
    let mut run = |mission: &str, bombing_sd: f64| {
        let context = Context {
            mission,
            warning: 0.0,
            altitude: 5000.0,
            parked: if mission == "airfield-strike" { 40 } else { 0 },
            language: true,
            line: None,
            target_km: 30.0,
        };
        let text = engagement_text(&context, &bombers, &defenders);
        let e = lib.load_engagement("luck.toml", &text, false).unwrap();
        let params = ModelParameters {
            bombing_sd,
            ..ModelParameters::default()
        };
        let p = prepare(&e, &lib.aircraft, &params).unwrap();
        let mut ws = Workspace::new();
        (0..400)
            .map(|i| simulate(&p, &mut stream(11, i), &mut ws))
            .collect::<Vec<_>>()
    };
    let variance = |outs: &[airwar_model::engagement::EngagementOutcome]| {
        let x: Vec<f64> = outs
            .iter()
            .map(|o| o.parked[0].destroyed_on_ground as f64)
            .collect();
        let mean = x.iter().sum::<f64>() / x.len() as f64;
        let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (x.len() - 1) as f64;
        (mean, var)
    };
    let (mean_even, var_even) = variance(&run("airfield-strike", 0.0));
    let (mean_lucky, var_lucky) = variance(&run("airfield-strike", 1.0));
    assert!(
        mean_even > 1.0 && mean_lucky > 1.0,
        "{mean_even} {mean_lucky}"
    );
    // With 400 replications a sample variance is within about 15% of its expectation (two
    // standard errors of sqrt(2 / 399) for normal data, more for skewed); luck of log-sd 1
    // multiplies the spread many times over, so a factor of 2 cannot be met by chance.
    assert!(
        var_lucky > 2.0 * var_even,
        "variance without luck {var_even}, with {var_lucky}"
    );
    assert_eq!(run("strike", 0.0), run("strike", 1.5));
}
