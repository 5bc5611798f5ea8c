//! The campaign's metrics: every daily series and every total a replication records, with its
//! name, unit and meaning, in one table each.
//!
//! The order of [`Series::ALL`] and [`Total::ALL`] is the order of the columns in every output
//! (`timeseries.csv`, `totals.csv`, `replications.csv`, the JSON `totals`), and the names are
//! the ones those outputs use. `docs/metrics.md` is generated from these tables
//! ([`glossary_markdown`]); a test keeps it in step. The model reads a metric only through
//! these enums, so a name that is not here cannot be asked for: [`Total::from_name`] returns
//! `None` and the caller says so.

/// Name, unit and meaning of a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricInfo {
    pub name: &'static str,
    pub unit: &'static str,
    pub description: &'static str,
}

/// Declares a metric enum, its `ALL` list and its table of [`MetricInfo`] in one place.
macro_rules! metrics {
    ($(#[$meta:meta])* $enum:ident { $($variant:ident => ($name:literal, $unit:literal, $description:literal),)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $enum {
            $($variant,)+
        }

        impl $enum {
            /// Every metric of this kind, in output order.
            pub const ALL: &'static [$enum] = &[$($enum::$variant,)+];
            /// How many there are.
            pub const COUNT: usize = Self::ALL.len();
            const TABLE: &'static [MetricInfo] = &[
                $(MetricInfo { name: $name, unit: $unit, description: $description },)+
            ];
            /// The metric's name, unit and meaning.
            pub fn info(self) -> &'static MetricInfo {
                &Self::TABLE[self as usize]
            }
            /// The name outputs use.
            pub fn name(self) -> &'static str {
                self.info().name
            }
            /// Position in [`Self::ALL`] (the column of outputs).
            pub fn index(self) -> usize {
                self as usize
            }
            /// The metric of that name, if there is one.
            pub fn from_name(name: &str) -> Option<$enum> {
                Self::ALL.iter().copied().find(|m| m.name() == name)
            }
            /// Every name, in output order.
            pub const NAMES: &'static [&'static str] = &[$($name,)+];
        }

        impl std::fmt::Display for $enum {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

metrics! {
    /// A daily series: the value at the end of each day of a replication.
    Series {
        AircraftCovert => ("aircraft_covert", "aircraft", "Aircraft the covert force holds at the end of the day."),
        AircraftHost => ("aircraft_host", "aircraft", "Aircraft the host air force holds at the end of the day (those delivered to it and handed over)."),
        PilotsCovert => ("pilots_covert", "pilots", "The covert force's pilots present."),
        Engagements => ("engagements", "engagements", "Engagements fought so far (cumulative)."),
        CovertLosses => ("covert_losses", "aircraft", "Covert aircraft lost so far, in combat and by accident (cumulative)."),
        Claims => ("claims", "aircraft", "Enemy aircraft the covert force has claimed so far, in the air and on the ground (cumulative)."),
        EnemyLosses => ("enemy_losses", "aircraft", "Enemy aircraft actually destroyed so far in the covert force's fights (cumulative)."),
        Delivered => ("delivered", "aircraft", "Aircraft that have arrived over the supply routes so far (cumulative)."),
        DebtThousandUsd => ("debt_thousand_usd", "thousand US dollars", "Loans drawn, with interest, not yet repaid."),
        ShipmentsThousandUsd => ("shipments_thousand_usd", "thousand US dollars", "Repayments shipped in commodities so far (cumulative)."),
        ExposurePer10k => ("exposure_per_10k", "chances in 10,000", "Probability that public proof of the covert force exists; it never falls."),
        Sorties => ("sorties", "sorties", "Covert aircraft flown into engagements so far (cumulative)."),
        BasesHeld => ("bases_held", "bases", "The theatre's bases the friendly side holds."),
        GroundCrewCovert => ("ground_crew_covert", "people", "The covert force's ground crew present."),
        PersonnelCovert => ("personnel_covert", "people", "The covert force's people present: pilots, ground crew and supply-road drivers."),
    }
}

metrics! {
    /// A total over a replication (or, for an observed figure, up to the day history gives).
    Total {
        Delivered => ("delivered", "aircraft", "Aircraft sent over the supply routes (those that arrived, plus ferry losses)."),
        FerryLost => ("ferry_lost", "aircraft", "Aircraft lost on the way over the supply routes."),
        CovertAircraftLost => ("covert_aircraft_lost", "aircraft", "Covert aircraft lost, in combat and by accident."),
        CovertCombatLosses => ("covert_combat_losses", "aircraft", "Covert aircraft lost in combat (shot down, lost on the way home, destroyed on the ground, friendly fire)."),
        CovertAccidentLosses => ("covert_accident_losses", "aircraft", "Covert aircraft lost in accidents on combat sorties."),
        HostAircraftLost => ("host_aircraft_lost", "aircraft", "The host's aircraft lost in the covert force's fights."),
        PilotsKilled => ("pilots_killed", "pilots", "The covert force's pilots killed, in combat and in accidents."),
        PilotsCaptured => ("pilots_captured", "pilots", "The covert force's pilots captured by the enemy."),
        PilotsRotated => ("pilots_rotated", "pilots", "The covert force's pilots sent home at the end of a tour or at withdrawal."),
        PersonnelPeak => ("personnel_peak", "people", "Most of the covert force's people (pilots, ground crew and supply-road drivers) present on one day."),
        PilotsServed => ("pilots_served", "pilots", "Every pilot the covert force brought in over the period."),
        PersonnelDeployed => ("personnel_deployed", "people", "Everyone the covert force brought in over the period: pilots, ground crew and supply-road drivers."),
        Claims => ("claims", "aircraft", "Enemy aircraft the covert force claimed, in the air and on the ground together (as the record usually counts them)."),
        AirClaims => ("air_claims", "aircraft", "Enemy aircraft the covert force claimed in the air."),
        GroundClaims => ("ground_claims", "aircraft", "Enemy aircraft the covert force claimed on the ground."),
        EnemyLosses => ("enemy_losses", "aircraft", "Enemy aircraft actually destroyed in the covert force's fights."),
        HandedOver => ("handed_over", "aircraft", "Covert aircraft handed over to the host, at handovers and at withdrawal."),
        FriendlyFireLosses => ("friendly_fire_losses", "aircraft", "Friendly aircraft shot down by their own side."),
        Engagements => ("engagements", "engagements", "Engagements the covert force fought: the historical battles and those drawn from them."),
        ExposurePer10k => ("exposure_per_10k", "chances in 10,000", "Probability at the end that public proof of the covert force exists."),
        Proof => ("proof", "0 or 1", "1 when proof did come out in the replication (a capture, a wreck or a radio slip was made public)."),
        DebtEndThousandUsd => ("debt_end_thousand_usd", "thousand US dollars", "Debt left at the end of the period, with interest."),
        RepaidThousandUsd => ("repaid_thousand_usd", "thousand US dollars", "Repaid in commodity shipments over the period."),
        CostPerAircraftThousandUsd => ("cost_per_aircraft_thousand_usd", "thousand US dollars per aircraft", "Money lent per aircraft that arrived."),
        CostPerEnemyDestroyedThousandUsd => ("cost_per_enemy_destroyed_thousand_usd", "thousand US dollars per aircraft", "Money lent per enemy aircraft destroyed."),
    }
}

impl Total {
    /// The theatre files' `[[observed]]` metric this total answers, when the figure concerns
    /// the covert force (the only force whose totals the model keeps).
    pub fn observed_metric(self) -> Option<&'static str> {
        Some(match self {
            Total::Delivered => "aircraft-delivered",
            Total::Claims => "claims",
            Total::AirClaims => "air-claims",
            Total::GroundClaims => "ground-claims",
            Total::CovertAircraftLost => "losses",
            Total::PilotsKilled => "pilots-killed",
            Total::PersonnelPeak => "personnel-peak",
            Total::PersonnelDeployed => "personnel-deployed",
            Total::PilotsServed => "pilots-served",
            _ => return None,
        })
    }

    /// The total that answers an observed metric about the covert force, if the model has one.
    pub fn for_observed_metric(metric: &str) -> Option<Total> {
        Total::ALL
            .iter()
            .copied()
            .find(|t| t.observed_metric() == Some(metric))
    }
}

/// One value per [`Total`], indexed by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals(pub [u64; Total::COUNT]);

impl std::ops::Index<Total> for Totals {
    type Output = u64;
    fn index(&self, t: Total) -> &u64 {
        &self.0[t.index()]
    }
}

impl std::ops::IndexMut<Total> for Totals {
    fn index_mut(&mut self, t: Total) -> &mut u64 {
        &mut self.0[t.index()]
    }
}

/// The metrics glossary (docs/metrics.md), generated from the tables above.
pub fn glossary_markdown() -> String {
    let mut out = String::from(
        "# Metrics\n\n\
         Generated from `crates/airwar-campaign/src/metrics.rs`; a test keeps this file in step \
         (`UPDATE_DOCS=1 cargo test -p airwar-campaign glossary` rewrites it). Columns of every campaign output come in this order.\n\n\
         ## Daily series\n\n\
         `timeseries.csv` has one row per day and series, with the mean, standard deviation and \
         the 5th, 50th and 95th percentiles over the replications (exact while a day's values span \
         at most 32 whole numbers; beyond, to within a 32nd of that span), then one row per day for \
         each type on hand by owner (`on_hand.covert.TYPE`, `on_hand.host.TYPE`; mean and standard \
         deviation only).\n\n\
         | series | unit | meaning |\n|---|---|---|\n",
    );
    for s in Series::ALL {
        let i = s.info();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            i.name, i.unit, i.description
        ));
    }
    out.push_str(
        "\n## Totals\n\n\
         `totals.csv`, `replications.csv` and the JSON `totals`. Where a theatre's `[[observed]]` \
         row about the covert force names the metric in the last column, the model's total on the \
         row's date stands beside it.\n\n\
         | total | unit | meaning | observed metric |\n|---|---|---|---|\n",
    );
    for t in Total::ALL {
        let i = t.info();
        let observed = t
            .observed_metric()
            .map_or(String::from("–"), |m| format!("`{m}`"));
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            i.name, i.unit, i.description, observed
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for (i, t) in Total::ALL.iter().enumerate() {
            assert_eq!(t.index(), i);
            assert_eq!(Total::from_name(t.name()), Some(*t));
            assert_eq!(Total::NAMES[i], t.name());
        }
        for s in Series::ALL {
            assert_eq!(Series::from_name(s.name()), Some(*s));
        }
        let mut names: Vec<&str> = Total::NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Total::COUNT);
        assert_eq!(Total::from_name("claim"), None);
    }

    #[test]
    fn observed_metrics_map_to_one_total_each() {
        assert_eq!(
            Total::for_observed_metric("aircraft-delivered"),
            Some(Total::Delivered)
        );
        assert_eq!(Total::for_observed_metric("claims-f-86"), None);
        let mapped: Vec<_> = Total::ALL
            .iter()
            .filter_map(|t| t.observed_metric())
            .collect();
        let mut unique = mapped.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), mapped.len());
    }

    #[test]
    fn the_committed_glossary_is_the_generated_one() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/metrics.md");
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(path, glossary_markdown()).expect("docs/metrics.md is writable");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(
            committed,
            glossary_markdown(),
            "docs/metrics.md is stale: `UPDATE_DOCS=1 cargo test -p airwar-campaign glossary` rewrites it"
        );
    }
}
