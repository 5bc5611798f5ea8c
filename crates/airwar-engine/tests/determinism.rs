//! The runner's promises: results depend on (inputs, seed) only, never on the thread count;
//! memory does not grow with replications.

use airwar_engine::{run_engagement, run_lanchester, RunConfig};
use airwar_model::engagement::prepare;
use airwar_model::lanchester::LanchesterBattle;
use airwar_model::ModelParameters;
use airwar_scenario::Library;

fn summary_bits(r: &airwar_engine::EngagementResults) -> Vec<u64> {
    r.sides
        .iter()
        .flat_map(|s| {
            let mut v = Vec::new();
            for c in [&s.losses, &s.claims, &s.crew_killed, &s.ground_losses] {
                let m = c.summary();
                v.extend([m.mean, m.sd, m.p05, m.p50, m.p95].map(f64::to_bits));
            }
            v
        })
        .collect()
}

#[test]
fn engagement_results_do_not_depend_on_threads() {
    let lib = Library::load().unwrap();
    let b = lib.battle("wuhan-1938-04-29").unwrap();
    let p = prepare(b, &lib.aircraft, &ModelParameters::default()).unwrap();
    let run = |threads, seed| {
        let config = RunConfig {
            runs: 1500,
            seed,
            threads: Some(threads),
            replications: None,
        };
        run_engagement(&p, config, &|_| {}).unwrap()
    };
    let one = run(1, 9);
    let two = run(2, 9);
    let three = run(3, 9);
    assert_eq!(one.runs, 1500);
    assert_eq!(summary_bits(&one), summary_bits(&two));
    assert_eq!(summary_bits(&one), summary_bits(&three));
    assert_eq!(one.passes, two.passes);
    assert_ne!(summary_bits(&one), summary_bits(&run(2, 10)));
}

#[test]
fn lanchester_results_do_not_depend_on_threads() {
    let b = LanchesterBattle {
        blue: 20,
        red: 18,
        blue_rate: 1.0,
        red_rate: 1.1,
        blue_break: 5,
        red_break: 4,
    };
    let run = |threads| {
        run_lanchester(
            &b,
            RunConfig {
                runs: 5000,
                seed: 3,
                threads: Some(threads),
                replications: None,
            },
            &|_| {},
        )
        .unwrap()
    };
    let (one, two) = (run(1), run(2));
    assert_eq!(one.blue_losses, two.blue_losses);
    assert_eq!(one.blue_wins, two.blue_wins);
}

#[test]
fn zero_runs_is_an_error_not_a_panic() {
    let b = LanchesterBattle {
        blue: 2,
        red: 2,
        blue_rate: 1.0,
        red_rate: 1.0,
        blue_break: 0,
        red_break: 0,
    };
    assert!(run_lanchester(
        &b,
        RunConfig {
            runs: 0,
            seed: 1,
            threads: Some(1),
            replications: None,
        },
        &|_| {}
    )
    .is_err());
}

#[test]
fn memory_is_flat_in_replications() {
    // The histograms behind every statistic are sized by the largest outcome, not by the
    // number of replications: 100 and 20,000 replications hold the same bytes (± the few
    // extra buckets a rarer, larger outcome may add).
    let b = LanchesterBattle {
        blue: 30,
        red: 30,
        blue_rate: 1.0,
        red_rate: 1.0,
        blue_break: 0,
        red_break: 0,
    };
    let bytes = |runs| {
        let r = run_lanchester(
            &b,
            RunConfig {
                runs,
                seed: 1,
                threads: Some(2),
                replications: None,
            },
            &|_| {},
        )
        .unwrap();
        r.blue_losses.heap_bytes() + r.red_losses.heap_bytes()
    };
    let (small, large) = (bytes(100), bytes(20_000));
    // Two histograms of at most 31 values each; a Vec's capacity may round up to twice that.
    let bound = 2 * 2 * 31 * std::mem::size_of::<u64>();
    assert!(large <= bound, "{large} bytes for 20,000 replications");
    assert!(
        large <= 2 * small,
        "{small} bytes for 100, {large} for 20,000"
    );
}

#[test]
fn shards_merged_give_the_whole_run() {
    use airwar_engine::{Accumulator, Replications};
    let lib = Library::load().unwrap();
    let b = lib.battle("wuhan-1938-04-29").unwrap();
    let p = prepare(b, &lib.aircraft, &ModelParameters::default()).unwrap();
    let run = |replications| {
        let config = RunConfig {
            runs: 1000,
            seed: 4,
            threads: Some(2),
            replications,
        };
        run_engagement(&p, config, &|_| {}).unwrap()
    };
    let whole = run(None);
    // Cuts that fall inside blocks, not on their edges.
    let mut merged = run(Some(Replications { start: 0, end: 333 }));
    for (start, end) in [(333, 334), (334, 1000)] {
        merged.merge(run(Some(Replications { start, end })));
    }
    assert_eq!(merged.runs, 1000);
    assert_eq!(summary_bits(&merged), summary_bits(&whole));
    assert_eq!(merged.passes, whole.passes);
    // A shard outside the runs is refused.
    let config = RunConfig {
        runs: 10,
        seed: 4,
        threads: None,
        replications: Some(Replications { start: 5, end: 11 }),
    };
    assert!(run_engagement(&p, config, &|_| {}).is_err());
}
