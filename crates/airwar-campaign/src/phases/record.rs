//! Recording, the day's last phase: the day's value of every [`Series`], the aircraft on hand
//! by owner and type, and each total history recorded on that day ([`Campaign::snapshots`]);
//! after the last day, [`finish`] gives the replication's totals and its conservation ledger.

use super::State;
use crate::campaign::{Campaign, CampaignOutcome, Ledger};
use crate::metrics::{Series, Total};
use airwar_model::rounding::round;

/// An empty outcome for `c`, with room for every day.
pub(crate) fn outcome(c: &Campaign) -> CampaignOutcome {
    let days = c.days as usize;
    let nt = c.types.len();
    CampaignOutcome {
        series: vec![vec![0; days]; Series::COUNT],
        on_hand: [vec![vec![0; days]; nt], vec![vec![0; days]; nt]],
        totals: vec![0; Total::COUNT],
        observed: vec![0; c.snapshots.len()],
        ledger: Ledger::default(),
    }
}

/// The value of series `series` in state `s` on day `day`.
fn series_value(c: &Campaign, s: &State, series: Series, day: u32) -> u64 {
    match series {
        Series::AircraftCovert => s.held(0) as u64,
        Series::AircraftHost => s.held(1) as u64,
        Series::PilotsCovert => s.pilots as u64,
        Series::Engagements => s.counts[Total::Engagements],
        Series::CovertLosses => s.counts[Total::CovertAircraftLost],
        Series::Claims => s.counts[Total::Claims],
        Series::EnemyLosses => s.counts[Total::EnemyLosses],
        Series::Delivered => s.arrived,
        Series::DebtThousandUsd => round(s.debt).max(0.0) as u64,
        Series::ShipmentsThousandUsd => round(s.repaid) as u64,
        Series::ExposurePer10k => s.exposure(),
        Series::Sorties => s.sorties,
        Series::BasesHeld => c.bases.iter().filter(|b| b.friendly_on(day)).count() as u64,
        Series::GroundCrewCovert => s.ground_crew as u64,
        Series::PersonnelCovert => s.pilots as u64 + s.ground_crew as u64 + s.drivers as u64,
    }
}

pub(crate) fn day(c: &Campaign, s: &State, day: u32, out: &mut CampaignOutcome) {
    let d = day as usize;
    for &series in Series::ALL {
        out.series[series.index()][d] = series_value(c, s, series, day);
    }
    for (by_type, held) in out.on_hand.iter_mut().zip(&s.hand) {
        for (days, h) in by_type.iter_mut().zip(held) {
            days[d] = *h;
        }
    }
    for (k, &(total, snap_day)) in c.snapshots.iter().enumerate() {
        if snap_day == day {
            out.observed[k] = s.total(total);
        }
    }
}

pub(crate) fn finish(s: &State, out: &mut CampaignOutcome) {
    out.totals = Total::ALL.iter().map(|t| s.total(*t)).collect();
    out.ledger = Ledger {
        dispatched: s.counts[Total::Delivered],
        arrived: s.arrived,
        ferry_lost: s.counts[Total::FerryLost],
        in_transit_at_end: s.transit.iter().map(|t| t.count as u64).sum(),
        lost: [
            s.counts[Total::CovertAircraftLost],
            s.counts[Total::HostAircraftLost],
        ],
        handed_over: s.counts[Total::HandedOver],
        on_hand_at_end: [s.held(0) as u64, s.held(1) as u64],
        pilots_arrived: s.counts[Total::PilotsServed],
        pilots_present_at_end: s.pilots as u64,
        pilots_rotated: s.counts[Total::PilotsRotated],
        pilots_killed: s.counts[Total::PilotsKilled],
        pilots_captured: s.counts[Total::PilotsCaptured],
        ground_crew_arrived: s.ground_crew_arrived,
        ground_crew_rotated: s.ground_crew_rotated,
        ground_crew_present_at_end: s.ground_crew as u64,
        drivers_arrived: s.drivers_arrived,
        drivers_withdrawn: s.drivers_withdrawn,
        drivers_present_at_end: s.drivers as u64,
        debt_never_negative: s.debt_never_negative,
        exposure_never_fell: s.exposure_never_fell,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phases::tests::compiled;

    #[test]
    fn a_snapshot_reads_its_total_on_its_day_only() {
        let (c, p) = compiled("china-1937");
        let (k, &(total, snap_day)) = c
            .snapshots
            .iter()
            .enumerate()
            .find(|(_, (t, _))| *t == Total::Claims)
            .expect("China records claims");
        let mut s = State::new(&c, &p);
        let mut out = outcome(&c);
        s.counts[total] = 17;
        day(&c, &s, snap_day.saturating_sub(1), &mut out);
        if snap_day > 0 {
            assert_eq!(out.observed[k], 0);
        }
        day(&c, &s, snap_day, &mut out);
        assert_eq!(out.observed[k], 17);
        assert_eq!(out.series[Series::Claims.index()][snap_day as usize], 17);
        finish(&s, &mut out);
        assert_eq!(out.totals[Total::Claims.index()], 17);
    }
}
