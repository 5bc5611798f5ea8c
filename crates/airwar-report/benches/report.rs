//! What a report costs beyond the simulation: building the HTML page (and, apart, the
//! `--figures` files) from results already computed. The china-1937 campaign is run 100 times
//! and its battles 4,000 times each (`airwar report`'s defaults) once, before timing.
//!
//! `cargo bench -p airwar-report --bench report`

use criterion::{criterion_group, criterion_main, Criterion};

use airwar_campaign::{run_campaign, Campaign};
use airwar_engine::RunConfig;
use airwar_report::{BattleResult, CampaignReportInput};
use airwar_scenario::Library;

fn report(c: &mut Criterion) {
    let library = Library::load().expect("built-in data loads");
    let params = airwar_calibration::record::default_parameters()
        .expect("embedded parameters")
        .0;
    let cparams = airwar_calibration::campaign_fit::default_campaign_parameters()
        .expect("embedded campaign parameters");
    let theatre = library.theatre("china-1937").expect("built in").clone();
    let campaign = Campaign::new(&theatre, &library, &params, &cparams).expect("compiles");
    let results =
        run_campaign(&campaign, RunConfig::new(100, 1, None), false, &|_| {}).expect("runs");
    let battles = airwar_report::run_battles(&library, &params, &theatre, 4000, 1, None)
        .expect("battles run");
    let provenance = serde_json::json!({"command": "airwar report china-1937", "seed": 1});
    let input = CampaignReportInput {
        theatre: &theatre,
        campaign: &campaign,
        results: &results,
        battles: battles
            .iter()
            .map(|(engagement, results)| BattleResult {
                engagement,
                results,
            })
            .collect(),
        validation: None,
        sources: &library.sources,
        provenance: Some(&provenance),
    };
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.bench_function("china-1937 campaign report, 100 runs (HTML)", |b| {
        b.iter(|| airwar_report::campaign_report(&input).expect("renders"))
    });
    let figures = airwar_report::campaign_figures(&input).expect("renders");
    group.bench_function("china-1937 figures as SVG and PNG (--figures)", |b| {
        b.iter(|| airwar_report::png::figure_files(&figures).expect("renders"))
    });
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
