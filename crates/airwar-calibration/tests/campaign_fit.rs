//! The campaign fit searches its grid, reports a range inside it, and predicts every theatre's
//! recorded totals from the other theatres.

use airwar_calibration::campaign_fit::{fit_campaign, GRID_HI, GRID_LO};
use airwar_campaign::CampaignParameters;
use airwar_model::ModelParameters;
use airwar_scenario::Library;

#[test]
fn campaign_fit_reports_a_range_and_held_out_predictions() {
    let lib = Library::load().unwrap();
    let fit = fit_campaign(
        &lib,
        &ModelParameters::default(),
        &CampaignParameters::default(),
        3,
        1,
    )
    .unwrap();
    let r = &fit.record;
    assert!(GRID_LO <= r.contact_share_p05 && r.contact_share_p05 <= r.contact_share_p95);
    assert!(r.contact_share_p95 <= GRID_HI * 1.000001);
    assert!(r.contact_share_mean > 0.0 && r.contact_share_mean <= GRID_HI);
    assert_eq!(fit.parameters.contact_share, r.contact_share_mean);
    for t in &lib.theatres {
        assert!(
            fit.held_out.iter().any(|h| h.theatre == t.id),
            "{} not predicted",
            t.id
        );
    }
    assert!(fit
        .held_out
        .iter()
        .all(|h| h.p05 <= h.mean && h.mean <= h.p95 + 1e-9));
    assert!(airwar_calibration::campaign_fit::to_toml(&fit).contains("contact_share"));
}

/// The embedded campaign parameters are a fit (with its posterior), and the model they give
/// reproduces the Korean totals it was fitted to: each recorded figure inside the 90% interval
/// of 80 replications (fixed seed). A regression guard, not a test of prediction (the
/// held-out predictions are in the note and docs/model.md).
#[test]
fn the_embedded_fit_reproduces_the_korean_record() {
    use airwar_campaign::{run_campaign, totals::totals, Campaign};
    use airwar_engine::RunConfig;
    let lib = Library::load().unwrap();
    let cparams = airwar_calibration::campaign_fit::default_campaign_parameters();
    assert!(cparams.contact_share_posterior.len() > 1);
    cparams.validate().unwrap();
    let theatre = lib.theatre("korea-1950").unwrap();
    let (params, _) = airwar_calibration::record::default_parameters();
    let c = Campaign::new(theatre, &lib, &params, &cparams).unwrap();
    let cfg = RunConfig {
        runs: 80,
        seed: 11,
        threads: None,
    };
    let r = run_campaign(&c, cfg, false, &|_| {}).unwrap();
    for metric in ["claims", "covert_aircraft_lost", "pilots_killed"] {
        let t = totals(&c, theatre, &r)
            .into_iter()
            .find(|t| t.metric == metric)
            .unwrap();
        let o = t.observed.unwrap();
        assert!(
            o.inside_90,
            "{metric}: {} outside [{}, {}]",
            o.value, o.model_p05, o.model_p95
        );
    }
}
