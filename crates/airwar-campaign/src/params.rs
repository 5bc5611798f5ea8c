//! The campaign model's global parameters, in one place (docs/model.md, "Campaign model").
//!
//! Like the engagement model's, none describes a particular theatre: theatre facts (deliveries,
//! dates, rates of engagement, tours, the share handed over) come from the cited theatre file;
//! these numbers fill what the record does not give and say how the model turns events into
//! exposure.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CampaignParameters {
    /// Share of aircraft on hand serviceable on a given day (the rest in repair).
    pub serviceable_share: f64,
    /// Probability that a covert aircraft taking part in an engagement is lost in an accident
    /// (take-off, landing, weather, navigation) on that sortie.
    pub accident_rate_per_sortie: f64,
    /// Quality (0-1) of pilots newly arrived in the theatre.
    pub new_pilot_quality: f64,
    /// Quality a pilot gains with each engagement he fights; the force's mean quality rises by
    /// this times the share of its pilots that fought.
    pub experience_per_engagement: f64,
    /// Highest quality experience can bring pilots to.
    pub max_pilot_quality: f64,
    /// Days a tour lasts when the theatre file gives none.
    pub default_tour_days: f64,
    /// Covert pilots present when the theatre file gives no figure.
    pub default_pilots: f64,
    /// Engagements a day per covert aircraft on hand, when the theatre file does not give the
    /// force's engagements and strength. The default is Korea's record: about 2,000 air
    /// engagements over the 999 days from November 1950 to the armistice, at a strength of
    /// 320 aircraft (2000 / (999 × 320)); both figures are cited in `korea-1950.toml`.
    pub engagements_per_aircraft_day: f64,
    /// Probability that a covert pilot captured alive becomes public proof of involvement.
    pub proof_per_capture: f64,
    /// Probability that a covert aircraft wrecked on enemy ground becomes public proof.
    pub proof_per_wreck: f64,
    /// Probability that one engagement's radio traffic, heard in the covert force's own
    /// language, becomes public proof (it is deniable: the odds are small).
    pub proof_per_radio_slip: f64,
    /// Probability that, under a rule forbidding the own language on the radio, a pilot slips
    /// into it under stress in one engagement and is heard.
    pub radio_slip_per_engagement: f64,
    /// Probability that one engagement's radio traffic is heard when the pilots speak their own
    /// language openly (the rule lifted).
    pub radio_heard_when_allowed: f64,
    /// Share of engagements that end beyond a forbidden line (over the sea or the enemy's
    /// ground) when a no-pursuit rule is lifted.
    pub beyond_line_share: f64,
    /// Years over which a loan is repaid in commodities where the theatre file gives no
    /// schedule for it.
    pub repayment_years: f64,
    /// Share of a drawn engagement's forces (at the typical size) that actually fight: most
    /// aircraft counted in an engagement never fire. Fitted by `airwar calibrate --campaign`.
    pub contact_share: f64,
    /// Aircraft a month a supply route carries when the theatre file cites no capacity for it.
    /// Unknown for the Alma Ata route: fitted by `airwar calibrate --campaign` (prior: uniform
    /// on the logarithm from 10 to 300).
    pub route_capacity_aircraft_per_month: f64,
    /// Share of the aircraft the covert force and its host lose that the supplier replaces,
    /// sent over the theatre's most used supply route (theatres supplied over routes only).
    /// Unknown: fitted by `airwar calibrate --campaign` (prior: uniform from 0 to 1).
    pub loss_replacement_share: f64,
    /// How many times more often the covert force fights while one of the theatre's cited major
    /// air operations is under way (the defence of Nanjing and of Wuhan, the Lanzhou raids,
    /// ...) than on other days. Unknown: fitted by `airwar calibrate --campaign` (prior:
    /// uniform on the logarithm from 1 to 30); theatres that list no operations do not use it.
    pub operation_rate_multiplier: f64,
    /// How fast the covert force's rate of engagement falls with its distance from the front:
    /// the rate is multiplied by exp(−(d − d_min) / this), where d is the distance (km) from
    /// the friendly base nearest the front to the nearest place the enemy has taken, and d_min
    /// the smallest such distance of the theatre's period. Unknown: fitted by `airwar
    /// calibrate --campaign` (prior: uniform on the logarithm from 50 to 5,000 km); theatres
    /// that record no front line do not use it.
    pub front_distance_scale_km: f64,
    /// How far, on the logarithm, a recorded total may stand from what the model makes of the
    /// same history: the sd of a normal ε with recorded = modelled × exp(ε). It gathers what
    /// the model leaves out and the record's own errors (its sources disagree: 2,000 or 700
    /// Soviet pilots in China, 1,097 or 1,300 claims in Korea). The simulation never reads it:
    /// only the campaign fit's likelihood and validation's predictive distributions of the
    /// recorded totals do. Unknown: fitted by `airwar calibrate --campaign` (prior: uniform on
    /// the logarithm from 0.01 to 1); 0 means a total is compared with the model's as it is.
    pub record_discrepancy_sd: f64,
    /// The fitted posterior of the parameters `airwar calibrate --campaign` fits, as weighted
    /// draws: each replication draws one and uses its values, so the campaign's intervals carry
    /// the fit's uncertainty. Empty: every replication uses the values above.
    pub posterior: Vec<PosteriorDraw>,
    /// Enemy aircraft per covert aircraft in a drawn engagement. Famous battles are chosen by
    /// their outcome, so their odds are not typical; with no record of typical odds, even
    /// numbers are the neutral assumption.
    pub drawn_enemy_per_friendly: f64,
    /// Ground crew and other staff (everyone but the pilots) per covert aircraft on hand. From
    /// the Soviet air force's 1941 mobilisation plan, 536,894 people for 32,628 aircraft
    /// (16.5 an aircraft, every trade and rear service included), less the 1.24 pilots per
    /// aircraft of a 1941 fighter regiment (78 for 63 aircraft); sources in docs/model.md.
    pub ground_crew_per_aircraft: f64,
    /// Airmen the covert force keeps for each crew seat of the aircraft it holds: an air unit
    /// carries more aircrew than seats, so that aircraft can fly while men rest, are sick or
    /// wounded. 1.24 is a 1941 Soviet fighter regiment's 78 pilots for 63 aircraft, the figure
    /// `ground_crew_per_aircraft` already takes away from the 16.5 people an aircraft; sources
    /// in docs/model.md.
    pub airmen_per_crew_seat: f64,
    /// People a truck working a supply road brings: its driver. A road's trucks are cited in
    /// its theatre (`trucks`); the drivers count among the covert force's people from the day
    /// the road opened. One a truck is a floor: the staging points' staff are not counted.
    pub drivers_per_truck: f64,
}

impl Default for CampaignParameters {
    fn default() -> Self {
        CampaignParameters {
            serviceable_share: 0.7,
            accident_rate_per_sortie: 0.004,
            new_pilot_quality: 0.55,
            experience_per_engagement: 0.01,
            max_pilot_quality: 0.9,
            default_tour_days: 180.0,
            default_pilots: 200.0,
            engagements_per_aircraft_day: 0.0063,
            proof_per_capture: 0.5,
            proof_per_wreck: 0.02,
            proof_per_radio_slip: 0.001,
            radio_slip_per_engagement: 0.2,
            radio_heard_when_allowed: 0.9,
            beyond_line_share: 0.25,
            repayment_years: 10.0,
            contact_share: 1.0,
            route_capacity_aircraft_per_month: 60.0,
            loss_replacement_share: 0.5,
            operation_rate_multiplier: 1.0,
            front_distance_scale_km: 5000.0,
            record_discrepancy_sd: 0.0,
            posterior: Vec::new(),
            drawn_enemy_per_friendly: 1.0,
            ground_crew_per_aircraft: 15.2,
            airmen_per_crew_seat: 1.24,
            drivers_per_truck: 1.0,
        }
    }
}

/// One weighted draw from the posterior of the fitted campaign parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PosteriorDraw {
    pub weight: f64,
    /// The fitted parameters' values, by name.
    pub values: BTreeMap<String, f64>,
    /// This draw's log-likelihood of each theatre's recorded totals (by theatre id), kept so
    /// that a theatre can be left out by reweighting.
    #[serde(default)]
    pub log_likelihood: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("campaign parameter `{name}` = {value} is out of range: expected {expected}")]
pub struct CampaignParameterError {
    pub name: &'static str,
    pub value: f64,
    pub expected: &'static str,
}

impl CampaignParameters {
    /// The contact share replication `u` (a uniform draw) uses: a draw from the fitted
    /// posterior, or the fixed value.
    /// The parameters one replication uses: `self` with the values of the posterior draw that
    /// `u` (uniform in [0, 1)) picks by weight; `self` unchanged when there is no posterior.
    pub fn for_replication(&self, u: f64) -> CampaignParameters {
        let total: f64 = self.posterior.iter().map(|d| d.weight).sum();
        // Every other field is a number: copy them, not the posterior (it runs once a
        // replication).
        let mut p = CampaignParameters {
            posterior: Vec::new(),
            ..*self
        };
        if total <= 0.0 {
            return p;
        }
        let mut acc = 0.0;
        let chosen = self
            .posterior
            .iter()
            .find(|d| {
                acc += d.weight / total;
                u < acc
            })
            .or(self.posterior.last());
        if let Some(draw) = chosen {
            for (name, v) in &draw.values {
                p.set_fitted(name, *v);
            }
        }
        p
    }

    /// Set a parameter calibration fits by its name; false for any other name.
    pub fn set_fitted(&mut self, name: &str, value: f64) -> bool {
        let slot = match name {
            "contact_share" => &mut self.contact_share,
            "route_capacity_aircraft_per_month" => &mut self.route_capacity_aircraft_per_month,
            "loss_replacement_share" => &mut self.loss_replacement_share,
            "operation_rate_multiplier" => &mut self.operation_rate_multiplier,
            "front_distance_scale_km" => &mut self.front_distance_scale_km,
            "record_discrepancy_sd" => &mut self.record_discrepancy_sd,
            _ => return false,
        };
        *slot = value;
        true
    }

    /// A fitted parameter set by hand is fixed: its fitted spread no longer applies.
    pub fn fix(&mut self, name: &str) {
        for d in &mut self.posterior {
            d.values.remove(name);
        }
    }

    pub fn validate(&self) -> Result<(), CampaignParameterError> {
        let p = self;
        for d in &p.posterior {
            if !(d.weight >= 0.0 && d.weight.is_finite()) {
                return Err(CampaignParameterError {
                    name: "posterior",
                    value: d.weight,
                    expected: "weights of 0 or more",
                });
            }
            // Every field but the posterior is a number: copying them (not cloning the
            // posterior, draw by draw) keeps this linear in the number of draws.
            let mut drawn = CampaignParameters {
                posterior: Vec::new(),
                ..*p
            };
            for (name, v) in &d.values {
                if !drawn.set_fitted(name, *v) {
                    return Err(CampaignParameterError {
                        name: "posterior",
                        value: *v,
                        expected: "values of parameters calibration fits",
                    });
                }
            }
            drawn.validate()?;
        }
        for (name, v) in [
            ("serviceable_share", p.serviceable_share),
            ("accident_rate_per_sortie", p.accident_rate_per_sortie),
            ("new_pilot_quality", p.new_pilot_quality),
            ("experience_per_engagement", p.experience_per_engagement),
            ("max_pilot_quality", p.max_pilot_quality),
            ("proof_per_capture", p.proof_per_capture),
            ("proof_per_wreck", p.proof_per_wreck),
            ("proof_per_radio_slip", p.proof_per_radio_slip),
            ("radio_slip_per_engagement", p.radio_slip_per_engagement),
            ("radio_heard_when_allowed", p.radio_heard_when_allowed),
            ("beyond_line_share", p.beyond_line_share),
            ("contact_share", p.contact_share),
            ("loss_replacement_share", p.loss_replacement_share),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(CampaignParameterError {
                    name,
                    value: v,
                    expected: "0 to 1",
                });
            }
        }
        // At most the prior's upper end: validation spreads each total over exp(±5 sd) times
        // itself, so a larger sd would only cost memory and time for a meaningless interval.
        if !(0.0..=1.0).contains(&p.record_discrepancy_sd) {
            return Err(CampaignParameterError {
                name: "record_discrepancy_sd",
                value: p.record_discrepancy_sd,
                expected: "0 to 1",
            });
        }
        for (name, v) in [
            ("default_tour_days", p.default_tour_days),
            ("default_pilots", p.default_pilots),
            (
                "engagements_per_aircraft_day",
                p.engagements_per_aircraft_day,
            ),
            ("repayment_years", p.repayment_years),
            ("drawn_enemy_per_friendly", p.drawn_enemy_per_friendly),
            ("ground_crew_per_aircraft", p.ground_crew_per_aircraft),
            ("airmen_per_crew_seat", p.airmen_per_crew_seat),
            ("drivers_per_truck", p.drivers_per_truck),
            (
                "route_capacity_aircraft_per_month",
                p.route_capacity_aircraft_per_month,
            ),
            ("operation_rate_multiplier", p.operation_rate_multiplier),
            ("front_distance_scale_km", p.front_distance_scale_km),
        ] {
            if !(v.is_finite() && v > 0.0 && v < 1e6) {
                return Err(CampaignParameterError {
                    name,
                    value: v,
                    expected: "above 0",
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replications_draw_the_fitted_parameters_by_their_weights() {
        let draw = |w: f64, cs: f64, cap: f64| PosteriorDraw {
            weight: w,
            values: BTreeMap::from([
                ("contact_share".to_string(), cs),
                ("route_capacity_aircraft_per_month".to_string(), cap),
            ]),
            log_likelihood: BTreeMap::new(),
        };
        let p = CampaignParameters {
            contact_share: 0.07,
            posterior: vec![draw(1.0, 0.05, 20.0), draw(3.0, 0.1, 90.0)],
            ..CampaignParameters::default()
        };
        assert_eq!(p.for_replication(0.0).contact_share, 0.05);
        assert_eq!(p.for_replication(0.249).contact_share, 0.05);
        assert_eq!(
            p.for_replication(0.249).route_capacity_aircraft_per_month,
            20.0
        );
        assert_eq!(p.for_replication(0.251).contact_share, 0.1);
        assert_eq!(
            p.for_replication(0.999_999)
                .route_capacity_aircraft_per_month,
            90.0
        );
        let mut fixed = p.clone();
        fixed.contact_share = 0.3;
        fixed.fix("contact_share");
        assert_eq!(fixed.for_replication(0.5).contact_share, 0.3);
        assert_eq!(
            fixed.for_replication(0.5).route_capacity_aircraft_per_month,
            90.0
        );
        let bad = CampaignParameters {
            posterior: vec![draw(1.0, 1.5, 20.0)],
            ..CampaignParameters::default()
        };
        assert!(bad.validate().is_err());
        let unknown = CampaignParameters {
            posterior: vec![PosteriorDraw {
                weight: 1.0,
                values: BTreeMap::from([("lethality".to_string(), 0.1)]),
                log_likelihood: BTreeMap::new(),
            }],
            ..CampaignParameters::default()
        };
        assert!(unknown.validate().is_err());
    }
}
