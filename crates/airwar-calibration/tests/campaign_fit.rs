//! The campaign fit samples inside its priors, keeps each draw's likelihood per theatre, and
//! writes a file that reads back; the embedded fit reproduces the record it was fitted to.

use airwar_calibration::campaign_fit::{
    fit_campaign, parse_campaign_parameters, to_toml, CampaignFitConfig, CAMPAIGN_FITTED,
};
use airwar_campaign::CampaignParameters;
use airwar_model::ModelParameters;
use airwar_scenario::Library;

#[test]
fn campaign_fit_stays_in_its_priors_and_reads_back() {
    let lib = Library::load().unwrap();
    let config = CampaignFitConfig {
        particles: 8,
        moves: 1,
        runs: 3,
        seed: 1,
    };
    let fit = fit_campaign(
        &lib,
        &ModelParameters::default(),
        &CampaignParameters::default(),
        config,
        &[],
    )
    .unwrap();
    for p in CAMPAIGN_FITTED {
        let r = &fit.record.ranges[p.name];
        assert!(
            p.lo <= r.p05 && r.p05 <= r.p50 && r.p50 <= r.p95 && r.p95 <= p.hi * 1.000001,
            "{}: {r:?}",
            p.name
        );
    }
    assert_eq!(fit.parameters.posterior.len(), 8);
    for d in &fit.parameters.posterior {
        for t in &lib.theatres {
            assert!(d.log_likelihood.contains_key(&t.id), "{} missing", t.id);
        }
    }
    let text = to_toml(&fit).unwrap();
    let (back, record) =
        parse_campaign_parameters("fit.toml", &text, &CampaignParameters::default()).unwrap();
    assert_eq!(back, fit.parameters);
    assert_eq!(record.unwrap(), fit.record);
    // Fitting one theatre only keeps only that theatre's likelihoods.
    let korea = fit_campaign(
        &lib,
        &ModelParameters::default(),
        &CampaignParameters::default(),
        config,
        &["korea-1950".to_string()],
    )
    .unwrap();
    assert_eq!(korea.theatre_ids, vec!["korea-1950".to_string()]);
}

/// A parameter file with only some values set keeps the base values for the rest; a file that
/// does not parse, or sets an unknown field, is an error that names the file.
#[test]
fn a_partial_campaign_parameter_file_keeps_the_rest() {
    let base = airwar_calibration::campaign_fit::default_campaign_parameters().unwrap();
    let (p, _) =
        parse_campaign_parameters("mine.toml", "[parameters]\ncontact_share = 0.2\n", &base)
            .unwrap();
    assert_eq!(p.contact_share, 0.2);
    assert_eq!(p.posterior, base.posterior);
    assert_eq!(p.operation_rate_multiplier, base.operation_rate_multiplier);
    let bad = parse_campaign_parameters("mine.toml", "[parameters\n", &base).unwrap_err();
    assert!(bad.to_string().starts_with("mine.toml"), "{bad}");
    let unknown =
        parse_campaign_parameters("mine.toml", "[parameters]\ncontact_shar = 0.2\n", &base)
            .unwrap_err();
    assert!(unknown.to_string().contains("contact_shar"), "{unknown}");
}

/// The embedded campaign parameters are a fit (with its posterior), and the model they give
/// stays close to the Korean totals it was fitted to (80 replications, fixed seed): losses and
/// pilots killed inside the 90% interval; claims inside the central 98% interval. Claims get
/// the wider band because the fit is a compromise: the contact share is shared with China,
/// whose record pulls it up, and leaves Korea's 1,097 claims at the lower edge of the 90%
/// interval (inside with some seeds, just outside with others; docs/validation.md). A
/// regression guard against a fit that moves them further, not a test of prediction.
#[test]
fn the_embedded_fit_stays_close_to_the_korean_record() {
    use airwar_campaign::{run_campaign, totals::totals, Campaign, TOTALS};
    use airwar_engine::RunConfig;
    let lib = Library::load().unwrap();
    let cparams = airwar_calibration::campaign_fit::default_campaign_parameters().unwrap();
    assert!(cparams.posterior.len() > 1);
    cparams.validate().unwrap();
    let theatre = lib.theatre("korea-1950").unwrap();
    let (params, _) = airwar_calibration::record::default_parameters().unwrap();
    let c = Campaign::new(theatre, &lib, &params, &cparams).unwrap();
    let cfg = RunConfig {
        runs: 80,
        seed: 11,
        threads: None,
        replications: None,
    };
    let r = run_campaign(&c, cfg, false, &|_| {}).unwrap();
    for metric in ["covert_aircraft_lost", "pilots_killed"] {
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
    let claims = TOTALS.iter().position(|t| *t == "claims").unwrap();
    let (lo, hi) = (
        r.totals[claims].quantile(0.01),
        r.totals[claims].quantile(0.99),
    );
    assert!(
        (lo..=hi).contains(&1097.0),
        "claims: 1097 outside the 98% interval [{lo}, {hi}]"
    );
}
