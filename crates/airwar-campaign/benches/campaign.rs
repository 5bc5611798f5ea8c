//! Cost of one campaign replication, reported per campaign-year (criterion throughput: one
//! element = one year of the theatre simulated).

use airwar_campaign::{Campaign, CampaignParameters};
use airwar_model::ModelParameters;
use airwar_scenario::builtin::embedded_parameters;
use airwar_scenario::Library;
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn campaigns(c: &mut Criterion) {
    let lib = Library::load().expect("built-in data");
    let params: ModelParameters =
        embedded_parameters("parameters.toml").expect("fitted parameters");
    let cparams: CampaignParameters =
        embedded_parameters("campaign-parameters.toml").expect("fitted campaign parameters");
    let mut g = c.benchmark_group("campaign");
    g.sample_size(10);
    for id in ["china-1937", "korea-1950"] {
        let theatre = lib.theatre(id).expect("theatre");
        let campaign = Campaign::new(theatre, &lib, &params, &cparams).expect("campaign");
        // Ten replications per iteration; throughput in campaign-years.
        let years = campaign.days as f64 / 365.25 * 10.0;
        g.throughput(Throughput::Elements(years.round().max(1.0) as u64));
        g.bench_with_input(
            BenchmarkId::new("ten_replications", id),
            &campaign,
            |b, campaign| {
                // As a run does: one scratch per thread, reused from replication to replication.
                let mut scratch = campaign.scratch();
                b.iter(|| {
                    for i in 0..10 {
                        black_box(campaign.simulate_with(1, i, &mut scratch));
                    }
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, campaigns);
criterion_main!(benches);
