//! The timeline of a theatre: deliveries, bases changing hands, the covert force's arrivals,
//! rotations, handovers and withdrawal, other recorded events, major operations and battles,
//! each in its own lane over the theatre's period, each mark with its citation.

use std::fmt::Write as _;

use airwar_scenario::theatre::{DeliveryKind, EventKind};
use airwar_scenario::{Date, Engagement, Theatre};

use crate::cite;
use crate::svg::{self, c, esc};
use crate::Figure;

/// The lanes, top to bottom.
pub const LANES: [&str; 6] = [
    "deliveries",
    "bases change hands",
    "arrivals, rotations, handovers, withdrawal",
    "other events",
    "major operations",
    "battles",
];

/// One dated item of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Index into [`LANES`].
    pub lane: usize,
    pub date: Date,
    /// Last day, for an operation (a period).
    pub until: Option<Date>,
    pub text: String,
    /// `source, section`, with other sources' dates.
    pub citation: String,
    /// Size of the mark (aircraft delivered), where it has one.
    pub count: Option<f64>,
}

fn what(k: DeliveryKind) -> &'static str {
    match k {
        DeliveryKind::Aircraft => "aircraft",
        DeliveryKind::Pilots => "pilots",
        DeliveryKind::GroundCrew => "ground crew",
        DeliveryKind::Advisers => "advisers",
        DeliveryKind::Materiel => "materiel",
    }
}

/// Every item of a theatre's timeline, by date then lane (battles from `battles`).
pub fn items(theatre: &Theatre, battles: &[&Engagement]) -> Vec<Item> {
    let mut out = Vec::new();
    for d in &theatre.deliveries {
        let mut text = format!(
            "{} {}{} to {}",
            d.count.value,
            d.type_id
                .as_deref()
                .map_or(String::new(), |t| format!("{t} ")),
            what(d.what),
            d.to
        );
        if let Some(r) = &d.route {
            let _ = write!(text, " over {r}");
        }
        out.push(Item {
            lane: 0,
            date: d.date.value,
            until: None,
            text,
            citation: format!(
                "date {}; count {}",
                cite::figure(&d.date),
                cite::figure(&d.count)
            ),
            count: Some(d.count.value as f64),
        });
    }
    for b in &theatre.bases {
        for ch in &b.owner_changes {
            out.push(Item {
                lane: 1,
                date: ch.date.value,
                until: None,
                text: format!("{} passes to {}", b.name, ch.owner),
                citation: cite::figure(&ch.date),
                count: None,
            });
        }
    }
    for e in &theatre.events {
        let lane = match e.kind {
            EventKind::Arrival
            | EventKind::Rotation
            | EventKind::Handover
            | EventKind::Withdrawal => 2,
            _ => 3,
        };
        out.push(Item {
            lane,
            date: e.date.value,
            until: None,
            text: e.description.clone(),
            citation: cite::figure(&e.date),
            count: None,
        });
    }
    for o in &theatre.operations {
        out.push(Item {
            lane: 4,
            date: o.from.value,
            until: Some(o.to.value),
            text: o.name.clone(),
            citation: format!("from {}; to {}", cite::figure(&o.from), cite::figure(&o.to)),
            count: None,
        });
    }
    for b in battles {
        out.push(Item {
            lane: 5,
            date: b.date.value,
            until: None,
            text: format!("{} ({})", b.title, b.id),
            citation: cite::figure(&b.date),
            count: None,
        });
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.lane.cmp(&b.lane)));
    out
}

const W: f64 = 960.0;
const LEFT: f64 = 250.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 30.0;
const LANE_H: f64 = 30.0;

/// The timeline as SVG; items outside the theatre's period are left to the table (the
/// caption says how many).
pub fn theatre_timeline(theatre: &Theatre, battles: &[&Engagement]) -> Figure {
    let all = items(theatre, battles);
    let (d0, d1) = (
        theatre.start.value.day_number(),
        theatre.end.value.day_number(),
    );
    let h = TOP + LANE_H * LANES.len() as f64 + 30.0;
    let x = svg::Scale::new(d0 as f64, d1 as f64, LEFT, W - RIGHT);
    let mut out = String::new();
    let id = "timeline";
    let title = format!("Timeline of {}", theatre.title);
    svg::open(
        &mut out,
        id,
        W,
        h,
        &title,
        "Deliveries, base changes, events, operations and battles over the theatre's period.",
    );
    svg::text(
        &mut out,
        LEFT,
        16.0,
        "start",
        " font-weight=\"bold\"",
        &title,
    );
    let bottom = TOP + LANE_H * LANES.len() as f64;
    for (day, label) in svg::calendar_ticks(d0, d1) {
        let px = x.at(day as f64);
        let _ = writeln!(
            out,
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#dddddd\"/>",
            c(px),
            c(TOP),
            c(bottom)
        );
        svg::text(&mut out, px, bottom + 14.0, "middle", "", &label);
    }
    for (i, lane) in LANES.iter().enumerate() {
        let y = TOP + LANE_H * (i as f64 + 0.5);
        svg::text(&mut out, LEFT - 16.0, y + 4.0, "end", "", lane);
        let _ = writeln!(
            out,
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#eeeeee\"/>",
            c(LEFT),
            c(y),
            c(W - RIGHT)
        );
    }
    let mut outside = 0;
    for it in &all {
        let a = it.date.day_number();
        if a < d0 || a > d1 {
            outside += 1;
            continue;
        }
        let y = TOP + LANE_H * (it.lane as f64 + 0.5);
        let tip = esc(&format!("{}: {} [{}]", it.date, it.text, it.citation));
        let colour = svg::colour(it.lane);
        match (it.until, it.count) {
            (Some(until), _) => {
                let b = until.day_number().clamp(d0, d1);
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" fill=\"{colour}\" fill-opacity=\"0.6\"><title>{tip}</title></rect>",
                    c(x.at(a as f64)),
                    c(y - 5.0),
                    c((x.at(b as f64) - x.at(a as f64)).max(2.0))
                );
            }
            (None, Some(n)) => {
                let r = (n.max(1.0).sqrt() * 1.2).clamp(2.5, 11.0);
                let _ = writeln!(
                    out,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{colour}\" fill-opacity=\"0.55\" stroke=\"{colour}\"><title>{tip}</title></circle>",
                    c(x.at(a as f64)),
                    c(y),
                    c(r)
                );
            }
            (None, None) => {
                let _ = writeln!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"3\" height=\"14\" fill=\"{colour}\"><title>{tip}</title></rect>",
                    c(x.at(a as f64) - 1.5),
                    c(y - 7.0)
                );
            }
        }
    }
    out.push_str("</svg>\n");
    let mut caption = format!(
        "{title}, {} to {}. Deliveries are sized by the count delivered. Hover for the text and its source.",
        theatre.start.value, theatre.end.value
    );
    if outside > 0 {
        let _ = write!(
            caption,
            " {outside} dated items fall outside the period and appear only in the table."
        );
    }
    Figure {
        id: id.to_string(),
        caption,
        svg: out,
    }
}
