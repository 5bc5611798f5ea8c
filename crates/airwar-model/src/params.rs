//! The model parameters: every global number of the engagement model, in one place.
//!
//! Nothing here describes a particular battle. Each parameter is either grounded in aircraft data
//! and reasoning (see `docs/model.md`, which gives each one's meaning, default and basis) or meant
//! to be fitted by calibration. A parameter file is TOML with the same field names; fields left
//! out keep their defaults, unknown fields are errors.

use serde::{Deserialize, Serialize};

/// The global parameters of the engagement model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ModelParameters {
    // ---- time and endurance
    /// Length of one combat round, in minutes: each fighter makes at most one firing pass a round.
    pub round_minutes: f64,
    /// Minutes from the warning to a defending fighter's take-off (mean; each aircraft varies
    /// uniformly from half to one and a half times this).
    pub scramble_minutes: f64,
    /// Share of a type's endurance (range at 70% of top speed) available for combat.
    pub combat_fuel_share: f64,
    /// Seconds of fire in one firing pass (sets how many passes the ammunition allows).
    pub burst_seconds: f64,

    // ---- the firing pass
    /// Log-odds that a pass between equal aircraft and equal pilots, neither with position,
    /// scores effective hits.
    pub hit_logit_base: f64,
    /// Log-odds added per unit of pilot-quality advantage (quality is on a 0-1 scale).
    pub quality_weight: f64,
    /// Log-odds added per unit of relative speed advantage of the shooter over its target.
    pub speed_weight: f64,
    /// Log-odds added for attacking from position (height and surprise) and taken away when the
    /// target has it.
    pub position_weight: f64,
    /// Expected lethal damage, per unit of firepower over toughness, of a pass that hits.
    pub lethality: f64,
    /// Toughness grows as loaded weight (relative to 2,000 kg) to this power.
    pub toughness_exponent: f64,
    /// Of the hits that do not destroy, the share that damage the target enough to send it home.
    pub damage_share: f64,
    /// Probability that a fighter attacked this round turns to fight its attacker next round
    /// (this is how escorts screen their bombers).
    pub tie_up_probability: f64,
    /// Standard deviation of a side's fortune in one engagement: a normal shift of the log-odds
    /// of every pass its pilots and gunners make, drawn once per side per replication. It
    /// stands for what the inputs do not describe (weather, tactics, leadership, luck) and
    /// widens the predicted distribution accordingly.
    pub fortune_sd: f64,

    // ---- bombers' defensive fire
    /// Log-odds that a bomber's gunners hit a fighter making a pass on it.
    pub gunner_hit_logit: f64,
    /// Extra defensive firepower from neighbouring bombers in formation, as a multiple of the
    /// target's own guns.
    pub formation_support: f64,

    // ---- breaking off and going home
    /// A side's fighters break off once the side has lost this share of its airborne aircraft.
    pub break_off_loss_share: f64,
    /// Mean distance (km) a damaged aircraft can still fly: it is lost on the way home with
    /// probability 1 - exp(-distance home / this).
    pub damaged_mean_range_km: f64,
    /// Distance home (km) assumed when a side's file gives none.
    pub default_home_distance_km: f64,

    // ---- friendly fire
    /// Probability that a pass goes at a friendly aircraft, for a side with no shared radio
    /// language and no IFF, when the enemy flies a type of the same silhouette family.
    pub friendly_fire_base: f64,
    /// Multiplier on friendly fire when the enemy has no type of a similar silhouette.
    pub friendly_fire_dissimilar: f64,
    /// Multiplier on friendly fire when the side's pilots share a radio language.
    pub friendly_fire_shared_language: f64,
    /// Multiplier on friendly fire when the side carries IFF.
    pub friendly_fire_iff: f64,

    // ---- crews
    /// Probability that a crew member of an aircraft shot down survives (bails out or lands).
    pub crew_survival: f64,

    // ---- claims
    /// Probability that a pilot claims a kill when the target was destroyed.
    pub claim_when_destroyed: f64,
    /// Probability that a pilot claims a kill when the target was only damaged.
    pub claim_when_damaged: f64,
    /// Probability that a pilot claims a kill from a pass that missed.
    pub claim_when_missed: f64,
    /// Multiplier on every claim probability for bombers' gunners.
    pub gunner_claim_factor: f64,
    /// Standard deviation of the log of a side's claim propensity in one engagement (a
    /// log-normal multiplier with mean 1 on its claim probabilities, drawn once per side per
    /// replication): how confused the fight was, and how claims were vetted, varies.
    pub claim_sd: f64,

    // ---- strikes on airfields
    /// Share of a target airfield's parked aircraft destroyed per tonne of bombs aimed at it,
    /// from a bomber at the reference altitude with no fighter interference (the first tonne;
    /// coverage saturates as 1 - exp(-k t)).
    pub lethal_share_per_tonne: f64,
    /// Altitude (m) at which bombing accuracy falls to half of its low-level value.
    pub bombing_reference_altitude_m: f64,
    /// Factor on bombing accuracy for bombers under fighter attack in the bombing round.
    pub bombing_under_attack: f64,
    /// Standard deviation of the log of a raid's bombing luck (a log-normal multiplier with
    /// mean 1 on its effective tonnage, drawn once per raid per replication): where the sticks
    /// fell, on the parked rows or in the fields beside them, varies from raid to raid.
    pub bombing_sd: f64,
}

/// Each parameter's meaning, by name (the field docs above, for `airwar params`). A test checks
/// that every parameter has one.
pub const DESCRIPTIONS: &[(&str, &str)] = &[
    ("round_minutes", "Length of one combat round, in minutes: each fighter makes at most one firing pass a round."),
    ("scramble_minutes", "Minutes from the warning to a defending fighter's take-off (mean; each aircraft varies uniformly from half to one and a half times this)."),
    ("combat_fuel_share", "Share of a type's endurance (range at 70% of top speed) available for combat."),
    ("burst_seconds", "Seconds of fire in one firing pass (sets how many passes the ammunition allows)."),
    ("hit_logit_base", "Log-odds that a pass between equal aircraft and equal pilots, neither with position, scores effective hits."),
    ("quality_weight", "Log-odds added per unit of pilot-quality advantage (quality is on a 0-1 scale)."),
    ("speed_weight", "Log-odds added per unit of relative speed advantage of the shooter over its target."),
    ("position_weight", "Log-odds added for attacking from position (height and surprise) and taken away when the target has it."),
    ("lethality", "Expected lethal damage, per unit of firepower over toughness, of a pass that hits."),
    ("toughness_exponent", "Toughness grows as loaded weight (relative to 2,000 kg) to this power."),
    ("damage_share", "Of the hits that do not destroy, the share that damage the target enough to send it home."),
    ("tie_up_probability", "Probability that a fighter attacked this round turns to fight its attacker next round (this is how escorts screen their bombers)."),
    ("fortune_sd", "Standard deviation of a side's fortune in one engagement: a normal shift of the log-odds of every pass its pilots and gunners make, drawn once per side per replication. It stands for what the inputs do not describe (weather, tactics, leadership, luck) and widens the predicted distribution accordingly."),
    ("gunner_hit_logit", "Log-odds that a bomber's gunners hit a fighter making a pass on it."),
    ("formation_support", "Extra defensive firepower from neighbouring bombers in formation, as a multiple of the target's own guns."),
    ("break_off_loss_share", "A side's fighters break off once the side has lost this share of its airborne aircraft."),
    ("damaged_mean_range_km", "Mean distance (km) a damaged aircraft can still fly: it is lost on the way home with probability 1 - exp(-distance home / this)."),
    ("default_home_distance_km", "Distance home (km) assumed when a side's file gives none."),
    ("friendly_fire_base", "Probability that a pass goes at a friendly aircraft, for a side with no shared radio language and no IFF, when the enemy flies a type of the same silhouette family."),
    ("friendly_fire_dissimilar", "Multiplier on friendly fire when the enemy has no type of a similar silhouette."),
    ("friendly_fire_shared_language", "Multiplier on friendly fire when the side's pilots share a radio language."),
    ("friendly_fire_iff", "Multiplier on friendly fire when the side carries IFF."),
    ("crew_survival", "Probability that a crew member of an aircraft shot down survives (bails out or lands)."),
    ("claim_when_destroyed", "Probability that a pilot claims a kill when the target was destroyed."),
    ("claim_when_damaged", "Probability that a pilot claims a kill when the target was only damaged."),
    ("claim_when_missed", "Probability that a pilot claims a kill from a pass that missed."),
    ("gunner_claim_factor", "Multiplier on every claim probability for bombers' gunners."),
    ("claim_sd", "Standard deviation of the log of a side's claim propensity in one engagement (a log-normal multiplier with mean 1 on its claim probabilities, drawn once per side per replication): how confused the fight was, and how claims were vetted, varies."),
    ("lethal_share_per_tonne", "Share of a target airfield's parked aircraft destroyed per tonne of bombs aimed at it, from a bomber at the reference altitude with no fighter interference (the first tonne; coverage saturates as 1 - exp(-k t))."),
    ("bombing_reference_altitude_m", "Altitude (m) at which bombing accuracy falls to half of its low-level value."),
    ("bombing_under_attack", "Factor on bombing accuracy for bombers under fighter attack in the bombing round."),
    ("bombing_sd", "Standard deviation of the log of a raid's bombing luck (a log-normal multiplier with mean 1 on its effective tonnage, drawn once per raid per replication): where the sticks fell, on the parked rows or in the fields beside them, varies from raid to raid."),
];

impl ModelParameters {
    /// The parameters as TOML with each one's meaning as a comment above it.
    pub fn to_commented_toml(&self) -> String {
        let mut out = String::new();
        for line in self.to_toml().lines() {
            let name = line.split('=').next().unwrap_or("").trim();
            if let Some((_, d)) = DESCRIPTIONS.iter().find(|(n, _)| *n == name) {
                out.push('\n');
                for chunk in wrap(d, 96) {
                    out.push_str("# ");
                    out.push_str(&chunk);
                    out.push('\n');
                }
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() && last.len() + 1 + word.len() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

impl Default for ModelParameters {
    fn default() -> Self {
        ModelParameters {
            round_minutes: 1.0,
            scramble_minutes: 4.0,
            combat_fuel_share: 0.25,
            burst_seconds: 2.0,

            hit_logit_base: -1.4,
            quality_weight: 2.0,
            speed_weight: 2.0,
            position_weight: 1.0,
            lethality: 0.04,
            toughness_exponent: 0.5,
            damage_share: 0.5,
            tie_up_probability: 0.6,
            fortune_sd: 0.5,

            gunner_hit_logit: -2.5,
            formation_support: 1.0,

            break_off_loss_share: 0.3,
            damaged_mean_range_km: 400.0,
            default_home_distance_km: 100.0,

            friendly_fire_base: 0.04,
            friendly_fire_dissimilar: 0.15,
            friendly_fire_shared_language: 0.25,
            friendly_fire_iff: 0.25,

            crew_survival: 0.6,

            claim_when_destroyed: 0.9,
            claim_when_damaged: 0.6,
            claim_when_missed: 0.03,
            gunner_claim_factor: 2.0,
            claim_sd: 0.5,

            lethal_share_per_tonne: 0.03,
            bombing_reference_altitude_m: 4000.0,
            bombing_under_attack: 0.6,
            bombing_sd: 0.5,
        }
    }
}

/// A parameter value out of its allowed range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("model parameter `{name}` = {value} is out of range: expected {expected}")]
pub struct ParameterError {
    pub name: &'static str,
    pub value: f64,
    pub expected: &'static str,
}

impl ModelParameters {
    /// Read a parameter file (TOML); fields left out keep their defaults.
    pub fn from_toml(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Check every parameter's range.
    pub fn validate(&self) -> Result<(), ParameterError> {
        let check = |name: &'static str, value: f64, lo: f64, hi: f64, expected: &'static str| {
            if value.is_finite() && value >= lo && value <= hi {
                Ok(())
            } else {
                Err(ParameterError {
                    name,
                    value,
                    expected,
                })
            }
        };
        let p = self;
        check("round_minutes", p.round_minutes, 0.1, 10.0, "0.1 to 10")?;
        check("scramble_minutes", p.scramble_minutes, 0.0, 60.0, "0 to 60")?;
        check(
            "combat_fuel_share",
            p.combat_fuel_share,
            0.01,
            1.0,
            "0.01 to 1",
        )?;
        check("burst_seconds", p.burst_seconds, 0.1, 30.0, "0.1 to 30")?;
        for (name, v) in [
            ("hit_logit_base", p.hit_logit_base),
            ("quality_weight", p.quality_weight),
            ("speed_weight", p.speed_weight),
            ("position_weight", p.position_weight),
            ("gunner_hit_logit", p.gunner_hit_logit),
        ] {
            check(name, v, -20.0, 20.0, "-20 to 20")?;
        }
        check("lethality", p.lethality, 0.0, 100.0, "0 to 100")?;
        check(
            "toughness_exponent",
            p.toughness_exponent,
            0.0,
            3.0,
            "0 to 3",
        )?;
        check(
            "formation_support",
            p.formation_support,
            0.0,
            10.0,
            "0 to 10",
        )?;
        check(
            "damaged_mean_range_km",
            p.damaged_mean_range_km,
            1.0,
            1e6,
            "1 or more",
        )?;
        check(
            "default_home_distance_km",
            p.default_home_distance_km,
            0.0,
            5000.0,
            "0 to 5000",
        )?;
        check(
            "gunner_claim_factor",
            p.gunner_claim_factor,
            0.0,
            20.0,
            "0 to 20",
        )?;
        check(
            "lethal_share_per_tonne",
            p.lethal_share_per_tonne,
            0.0,
            10.0,
            "0 to 10",
        )?;
        check(
            "bombing_reference_altitude_m",
            p.bombing_reference_altitude_m,
            1.0,
            1e5,
            "1 or more",
        )?;
        for (name, v) in [
            ("damage_share", p.damage_share),
            ("tie_up_probability", p.tie_up_probability),
            ("break_off_loss_share", p.break_off_loss_share),
            ("friendly_fire_base", p.friendly_fire_base),
            ("friendly_fire_dissimilar", p.friendly_fire_dissimilar),
            (
                "friendly_fire_shared_language",
                p.friendly_fire_shared_language,
            ),
            ("friendly_fire_iff", p.friendly_fire_iff),
            ("crew_survival", p.crew_survival),
            ("claim_when_destroyed", p.claim_when_destroyed),
            ("claim_when_damaged", p.claim_when_damaged),
            ("claim_when_missed", p.claim_when_missed),
            ("bombing_under_attack", p.bombing_under_attack),
        ] {
            check(name, v, 0.0, 1.0, "a probability from 0 to 1")?;
        }
        // Spreads: finite and not negative (NaN or infinity would poison every draw).
        check("fortune_sd", p.fortune_sd, 0.0, 5.0, "0 to 5")?;
        check("claim_sd", p.claim_sd, 0.0, 5.0, "0 to 5")?;
        check("bombing_sd", p.bombing_sd, 0.0, 5.0, "0 to 5")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_must_be_finite_and_not_negative() {
        for bad in [f64::NAN, f64::INFINITY, -0.1, 50.0] {
            let p = ModelParameters {
                fortune_sd: bad,
                ..ModelParameters::default()
            };
            assert_eq!(p.validate().map_err(|e| e.name), Err("fortune_sd"), "{bad}");
            let p = ModelParameters {
                claim_sd: bad,
                ..ModelParameters::default()
            };
            assert_eq!(p.validate().map_err(|e| e.name), Err("claim_sd"), "{bad}");
            let p = ModelParameters {
                bombing_sd: bad,
                ..ModelParameters::default()
            };
            assert_eq!(p.validate().map_err(|e| e.name), Err("bombing_sd"), "{bad}");
        }
    }

    #[test]
    fn every_parameter_is_described_in_the_commented_file() {
        let p = ModelParameters::default();
        let plain = p.to_toml();
        let names: Vec<&str> = plain
            .lines()
            .filter_map(|l| l.split('=').next().map(str::trim))
            .filter(|n| !n.is_empty() && !n.starts_with('#'))
            .collect();
        assert!(names.len() > 10);
        for n in &names {
            assert!(
                DESCRIPTIONS
                    .iter()
                    .any(|(d, text)| d == n && !text.is_empty()),
                "{n} has no description"
            );
        }
        let commented = p.to_commented_toml();
        assert!(commented.contains("# Length of one combat round"));
        assert_eq!(ModelParameters::from_toml(&commented).unwrap(), p);
    }

    #[test]
    fn defaults_are_valid_and_round_trip() {
        let p = ModelParameters::default();
        p.validate().unwrap();
        let back = ModelParameters::from_toml(&p.to_toml()).unwrap();
        assert_eq!(p, back);
    }

    #[test]
    fn partial_file_keeps_defaults_and_unknown_fields_fail() {
        let p = ModelParameters::from_toml("lethality = 0.5\n").unwrap();
        assert_eq!(p.lethality, 0.5);
        assert_eq!(p.round_minutes, ModelParameters::default().round_minutes);
        assert!(ModelParameters::from_toml("lethalty = 0.5\n").is_err());
    }

    #[test]
    fn out_of_range_is_reported() {
        let p = ModelParameters {
            crew_survival: 1.5,
            ..Default::default()
        };
        assert_eq!(p.validate().unwrap_err().name, "crew_survival");
    }
}
