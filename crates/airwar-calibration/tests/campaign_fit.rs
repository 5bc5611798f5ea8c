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
