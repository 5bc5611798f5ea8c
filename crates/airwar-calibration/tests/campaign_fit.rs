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

/// A run of `theatre` with the embedded parameters and `cparams`: `runs` replications, seed 11.
fn run_embedded(
    lib: &Library,
    theatre: &airwar_scenario::Theatre,
    cparams: &CampaignParameters,
    runs: u64,
) -> (airwar_campaign::Campaign, airwar_campaign::CampaignResults) {
    let (params, _) = airwar_calibration::record::default_parameters().unwrap();
    let c = airwar_campaign::Campaign::new(theatre, lib, &params, cparams).unwrap();
    let cfg = airwar_engine::RunConfig {
        runs,
        seed: 11,
        threads: None,
        replications: None,
    };
    let r = airwar_campaign::run_campaign(&c, cfg, false, &|_| {}).unwrap();
    (c, r)
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
    use airwar_campaign::{totals::totals, TOTALS};
    let lib = Library::load().unwrap();
    let cparams = airwar_calibration::campaign_fit::default_campaign_parameters().unwrap();
    assert!(cparams.posterior.len() > 1);
    cparams.validate().unwrap();
    let theatre = lib.theatre("korea-1950").unwrap();
    let (c, r) = run_embedded(&lib, theatre, &cparams, 80);
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

/// The embedded fit gives China's 1937-38 fighting its weight (issue 8's goals, 80
/// replications, fixed seed): the mean of the claims by 31 May 1938 lies between the
/// Nationalist tally for that date (about 240) and the founding article's 625, and the 236
/// pilots killed in 1937-1940 fall inside the model's 90% interval.
#[test]
fn the_embedded_fit_gives_china_its_1938_fighting() {
    use airwar_campaign::totals::observed_totals;
    use airwar_campaign::Total;
    let lib = Library::load().unwrap();
    let cparams = airwar_calibration::campaign_fit::default_campaign_parameters().unwrap();
    let theatre = lib.theatre("china-1937").unwrap();
    let (c, r) = run_embedded(&lib, theatre, &cparams, 80);
    let observed = observed_totals(&c, theatre, &r);
    let find = |total: Total, to: &str| {
        observed
            .iter()
            .find(|(t, _, o)| *t == total && o.to.as_deref() == Some(to))
            .map(|(_, _, o)| o.clone())
            .unwrap_or_else(|| panic!("no {total:?} by {to}"))
    };
    let claims = find(Total::Claims, "1938-05-31");
    assert!(
        (240.0..=625.0).contains(&claims.model_mean),
        "claims by May 1938: mean {}",
        claims.model_mean
    );
    let killed = find(Total::PilotsKilled, "1940-12-31");
    assert!(
        killed.inside_90,
        "pilots killed: 236 outside [{}, {}]",
        killed.model_p05, killed.model_p95
    );
}

/// The campaign fit scores only recorded totals from sources not marked doubtful: China's
/// Nationalist tally of claims (a forum post) is validated but not fitted.
#[test]
fn doubtful_totals_are_not_fitted() {
    use airwar_calibration::campaign_fit::fitted_snapshots;
    use airwar_campaign::Campaign;
    let lib = Library::load().unwrap();
    let theatre = lib.theatre("china-1937").unwrap();
    let c = Campaign::new(
        theatre,
        &lib,
        &ModelParameters::default(),
        &CampaignParameters::default(),
    )
    .unwrap();
    let fitted = fitted_snapshots(theatre, &c);
    assert_eq!(fitted.len(), c.snapshots.len());
    let rows: Vec<_> = theatre
        .observed
        .iter()
        .filter(|o| {
            airwar_campaign::totals::model_total(&o.metric, &o.force, &c.covert_id).is_some()
        })
        .collect();
    assert!(rows.iter().any(|o| o.value.doubtful));
    for (o, fitted) in rows.iter().zip(&fitted) {
        if o.value.doubtful {
            assert!(!fitted, "{} by {:?} is doubtful", o.metric, o.to);
        }
    }
    assert!(fitted.iter().any(|f| *f));
}

/// The record's discrepancy (`record_discrepancy_sd`) is part of the comparison with the
/// record, never of the simulation: a run gives the same totals, day by day, whatever its value.
#[test]
fn the_simulation_never_reads_the_record_discrepancy() {
    use airwar_campaign::Campaign;
    let lib = Library::load().unwrap();
    let (params, _) = airwar_calibration::record::default_parameters().unwrap();
    let mut cparams = airwar_calibration::campaign_fit::default_campaign_parameters().unwrap();
    cparams.posterior.clear();
    for id in ["china-1937", "korea-1950"] {
        let theatre = lib.theatre(id).unwrap();
        let run = |sd: f64| {
            let mut p = cparams.clone();
            p.record_discrepancy_sd = sd;
            let c = Campaign::new(theatre, &lib, &params, &p).unwrap();
            (0..3).map(|i| c.simulate(5, i)).collect::<Vec<_>>()
        };
        let (none, wide) = (run(0.0), run(0.9));
        assert!(none.iter().all(|o| !o.observed.is_empty()), "{id}");
        assert_eq!(none, wide, "{id}");
    }
}

/// Issue 8's campaign goal on the embedded fit: at least three quarters of the 14 recorded
/// totals the model produces fall inside the 90% intervals of what a source would record (the
/// model's totals spread by the fitted record's discrepancy), the fitted figures as well as the
/// predicted ones. 200 replications a theatre and a fixed seed: a regression guard on the
/// committed fit, which refits with other seeds put at 10 to 12 (docs/decisions.md).
#[test]
fn the_embedded_fit_puts_three_quarters_of_the_campaign_totals_inside() {
    use airwar_calibration::campaign_validate::{campaign_items, record_discrepancy_draws};
    let lib = Library::load().unwrap();
    let cparams = airwar_calibration::campaign_fit::default_campaign_parameters().unwrap();
    let discrepancy = record_discrepancy_draws(&cparams);
    assert!(discrepancy.iter().any(|(w, sd)| *w > 0.0 && *sd > 0.0));
    let mut items = Vec::new();
    for theatre in &lib.theatres {
        let (c, r) = run_embedded(&lib, theatre, &cparams, 200);
        items.extend(campaign_items(&c, theatre, &r, true, &discrepancy));
    }
    assert_eq!(items.len(), 14, "the theatres' modelled totals");
    let inside = items.iter().filter(|i| i.inside_90).count();
    let outside: Vec<String> = items
        .iter()
        .filter(|i| !i.inside_90)
        .map(|i| format!("{} {} {}: {:?}", i.id, i.metric, i.observed, i.simulated))
        .collect();
    assert!(
        4 * inside >= 3 * items.len(),
        "{inside} inside; outside: {outside:?}"
    );
}
