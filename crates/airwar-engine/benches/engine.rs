//! Criterion benchmarks for the quality targets (docs/benchmarks.md): Lanchester Monte Carlo cost per
//! event; the April 1938 Wuhan battle per replication and per aircraft-pass on 1 and 2 threads;
//! the engagement model's cost per aircraft as forces grow ×1, ×4, ×16; and the cost of the
//! random draws the models are made of (a chance, a normal, a log-normal), from which the
//! least a model's draws alone can cost is worked out.
//!
//! Run with `cargo bench -p airwar-engine`; each figure is reported as time per element
//! (criterion's throughput), so ns per event, per replication or per aircraft can be read off.

use airwar_engine::{run_engagement, RunConfig};
use airwar_model::engagement::prepare;
use airwar_model::lanchester::LanchesterBattle;
use airwar_model::rng::{chance, mean_one_lognormal, normal, stream};
use airwar_model::ModelParameters;
use airwar_scenario::builtin::embedded_parameters;
use airwar_scenario::Library;
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn lanchester(c: &mut Criterion) {
    // 60 against 54, equal rates, fought to the end: the NumPy comparison's case.
    let battle = LanchesterBattle {
        blue: 60,
        red: 54,
        blue_rate: 1.0,
        red_rate: 1.0,
        blue_break: 0,
        red_break: 0,
    };
    let exact = battle.exact().expect("valid battle");
    let runs = 10_000u64;
    let events = (exact.blue_losses_mean + exact.red_losses_mean) * runs as f64;
    let mut g = c.benchmark_group("lanchester");
    g.throughput(Throughput::Elements(events.round() as u64));
    g.bench_function("jump_chain_60v54_per_event_1_thread", |b| {
        b.iter(|| {
            let mut total = 0u32;
            battle.simulate_range(1, 0..runs, |x, y| total += x + y);
            black_box(total)
        })
    });
    g.finish();
}

fn scaled(lib: &Library, id: &str, factor: u32) -> airwar_scenario::Engagement {
    let mut e = lib.battle(id).expect("built-in battle").clone();
    for s in &mut e.sides {
        for f in &mut s.forces {
            f.count.value *= factor;
        }
        for p in &mut s.parked {
            p.count.value *= factor;
        }
    }
    e
}

fn engagement(c: &mut Criterion) {
    let lib = Library::load().expect("built-in data");
    // The fitted parameters `airwar battle` uses (the code's defaults fight differently: their
    // higher lethality ends the battle sooner).
    let params: ModelParameters =
        embedded_parameters("parameters.toml").expect("fitted parameters");
    let battle = lib.battle("wuhan-1938-04-29").expect("built-in battle");
    let p = prepare(battle, &lib.aircraft, &params).expect("prepared");
    let runs = 2048u64;
    let mut g = c.benchmark_group("wuhan-1938-04-29");
    g.sample_size(20);
    for threads in [1usize, 2] {
        let config = RunConfig {
            runs,
            seed: 1,
            threads: Some(threads),
            replications: None,
        };
        g.throughput(Throughput::Elements(runs));
        g.bench_with_input(
            BenchmarkId::new("per_replication", threads),
            &config,
            |b, config| {
                b.iter(|| black_box(run_engagement(&p, *config, &|_| {}).expect("runs").passes))
            },
        );
        // The same work, counted per aircraft-pass (one firing pass by one aircraft).
        let passes = run_engagement(&p, config, &|_| {}).expect("runs").passes;
        g.throughput(Throughput::Elements(passes));
        g.bench_with_input(
            BenchmarkId::new("per_aircraft_pass", threads),
            &config,
            |b, config| {
                b.iter(|| black_box(run_engagement(&p, *config, &|_| {}).expect("runs").passes))
            },
        );
    }
    g.finish();

    // Cost per aircraft as forces grow: flat means linear cost.
    let mut g = c.benchmark_group("scaling");
    g.sample_size(10);
    for factor in [1u32, 4, 16] {
        let e = scaled(&lib, "wuhan-1938-04-29", factor);
        let p = prepare(&e, &lib.aircraft, &params).expect("prepared");
        let runs = 4096 / factor as u64;
        let config = RunConfig {
            runs,
            seed: 1,
            threads: Some(1),
            replications: None,
        };
        let aircraft = e.airborne() as u64 * runs;
        g.throughput(Throughput::Elements(aircraft));
        g.bench_with_input(
            BenchmarkId::new("per_aircraft", factor),
            &config,
            |b, config| {
                b.iter(|| black_box(run_engagement(&p, *config, &|_| {}).expect("runs").passes))
            },
        );
    }
    g.finish();
}

/// One draw of each kind the models make, in a loop of many: the floor under any model built
/// of them (docs/benchmarks.md sets them beside the draws a replication makes).
fn draws(c: &mut Criterion) {
    let n = 100_000u64;
    let mut g = c.benchmark_group("draws");
    g.throughput(Throughput::Elements(n));
    g.bench_function("chance_per_draw", |b| {
        let mut rng = stream(1, 0);
        b.iter(|| {
            let mut hits = 0u32;
            for _ in 0..n {
                hits += u32::from(chance(&mut rng, black_box(0.3)));
            }
            black_box(hits)
        })
    });
    g.bench_function("normal_per_draw", |b| {
        let mut rng = stream(1, 0);
        b.iter(|| {
            let mut sum = 0.0;
            for _ in 0..n {
                sum += normal(&mut rng);
            }
            black_box(sum)
        })
    });
    g.bench_function("lognormal_per_draw", |b| {
        let mut rng = stream(1, 0);
        b.iter(|| {
            let mut sum = 0.0;
            for _ in 0..n {
                sum += mean_one_lognormal(&mut rng, black_box(0.7));
            }
            black_box(sum)
        })
    });
    g.finish();
}

criterion_group!(benches, lanchester, engagement, draws);
criterion_main!(benches);
