//! Readable terminal tables.

use std::fmt::Write as _;

use airwar_engine::EngagementResults;
use airwar_model::engagement::PreparedEngagement;
use airwar_scenario::aircraft::AircraftType;
use airwar_scenario::Engagement;
use airwar_statistics::Summary;

use crate::{compare, grid};

/// Mean, median and 5-95% interval cells of a count.
fn stats(s: &Summary) -> [String; 3] {
    [
        grid::mean(s.mean),
        grid::whole(s.p50),
        grid::interval(s.p05, s.p95),
    ]
}

/// The summary of an engagement run: per side and type, the aircraft at the start, lost and
/// claimed (mean, median, 5-95%), then history beside the model.
pub fn engagement(
    e: &Engagement,
    p: &PreparedEngagement,
    r: &EngagementResults,
    seed: u64,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})", e.title, e.date.value);
    let context = format!(
        "{} at {}; warning {} min, raid altitude {} m; {} replications, seed {}",
        e.mission.name(),
        e.context.place,
        e.context.warning_minutes.value,
        grid::whole(e.context.raid_altitude_m.value),
        grid::count(r.runs),
        seed
    );
    o.push_str(&grid::wrap(&context, grid::WIDTH as usize, 0, 2));
    let _ = writeln!(o);
    let header = [
        "side / type",
        "aircraft\nat start",
        "lost\nmean",
        "lost\nmedian",
        "lost\n5-95%",
        "claimed\nmean",
        "claimed\nmedian",
        "claimed\n5-95%",
    ];
    let mut t = grid::table(&header, &[1, 2, 3, 4, 5, 6, 7]);
    for (si, side) in e.sides.iter().enumerate() {
        let res = &r.sides[si];
        let initial = u64::from(side.airborne())
            + side
                .parked
                .iter()
                .map(|x| u64::from(x.count.value))
                .sum::<u64>();
        let mut row = vec![side.name.clone(), grid::count(initial)];
        row.extend(stats(&res.losses.summary()));
        row.extend(stats(&res.claims.summary()));
        t.add_row(row);
        for (id, ty) in &res.by_type {
            let mut row = vec![format!("  {id}"), grid::count(u64::from(ty.initial))];
            row.extend(stats(&ty.losses.summary()));
            t.add_row(row);
        }
        // Only where the side has aircraft parked: the row does not apply otherwise.
        if !side.parked.is_empty() {
            let parked = side.parked.iter().map(|x| u64::from(x.count.value)).sum();
            let mut row = vec!["  of them on the ground".to_string(), grid::count(parked)];
            row.extend(stats(&res.ground_losses.summary()));
            t.add_row(row);
        }
    }
    o.push_str(&grid::render(&t));
    let _ = writeln!(o, "\ncrews (mean per replication):");
    for (side, res) in e.sides.iter().zip(&r.sides) {
        let figures = [
            ("killed", res.crew_killed.mean()),
            ("captured", res.crew_captured.mean()),
            ("recovered", res.crew_recovered.mean()),
            (
                "aircraft shot down by their own side",
                res.friendly_fire_losses.mean(),
            ),
        ];
        let shown: Vec<String> = figures
            .iter()
            .map(|(what, m)| (what, grid::mean(*m)))
            .filter(|(_, m)| m != "0.0")
            .map(|(what, m)| format!("{what} {m}"))
            .collect();
        let line = if shown.is_empty() {
            format!("{}: no crews shot down", side.name)
        } else {
            format!("{}: {}", side.name, shown.join(", "))
        };
        o.push_str(&grid::wrap(&line, grid::WIDTH as usize, 2, 4));
    }
    let comparisons = compare(e, r);
    if !comparisons.is_empty() {
        let _ = writeln!(o, "\nhistory beside the model:");
        let header = [
            "figure",
            "recorded",
            "model\nmean",
            "model\nmedian",
            "model\n5-95%",
            "inside\n5-95%?",
            "source",
        ];
        let mut t = grid::table(&header, &[1, 2, 3, 4]);
        for c in comparisons {
            let what = format!(
                "{} of {}{}{}",
                c.metric,
                c.side,
                c.type_id.map(|t| format!(", {t}")).unwrap_or_default(),
                if c.where_ == "ground" {
                    ", on the ground"
                } else {
                    ""
                }
            );
            let (m, med, iv, inside) = match (&c.simulated, c.inside_90) {
                (Some(s), Some(inside)) => {
                    let [m, med, iv] = stats(s);
                    (m, med, iv, if inside { "yes" } else { "NO" }.to_string())
                }
                _ => Default::default(),
            };
            let inside = if c.simulated.is_none() {
                "not modelled".to_string()
            } else {
                inside
            };
            let source = format!(
                "{}, {}{}",
                c.source,
                c.section,
                if c.doubtful { " (doubtful)" } else { "" }
            );
            t.add_row(vec![
                what,
                grid::count(u64::from(c.observed)),
                m,
                med,
                iv,
                inside,
                source,
            ]);
        }
        o.push_str(&grid::render(&t));
    }
    let _ = writeln!(
        o,
        "\n{} firing passes and {} combat rounds per replication (means)",
        grid::mean(r.passes as f64 / r.runs.max(1) as f64),
        grid::mean(r.rounds.mean())
    );
    let _ = p;
    o
}

/// `airwar types`: one row per type, each figure with its unit.
pub fn type_list(types: &[AircraftType]) -> String {
    let header = [
        "type",
        "nation",
        "role",
        "in service",
        "top speed\nkm/h",
        "ceiling\nm",
        "range\nkm",
        "crew",
    ];
    let mut table = grid::table(&header, &[3, 4, 5, 6, 7]);
    let rounded = |x: f64| grid::whole(x.round());
    for t in types {
        table.add_row(vec![
            t.id.clone(),
            t.nation.clone(),
            t.role.name().to_string(),
            t.year_in_service.value.to_string(),
            rounded(t.max_speed_kmh.value),
            rounded(t.ceiling_m.value),
            t.range_km.as_ref().map_or("-".into(), |r| rounded(r.value)),
            t.crew.value.to_string(),
        ]);
    }
    grid::render(&table)
}

fn cite<T: std::fmt::Display>(o: &mut String, label: &str, f: &airwar_scenario::Figure<T>) {
    let citation = f
        .citation
        .as_ref()
        .map(|c| format!("{} ({})", c.source, c.section))
        .unwrap_or_else(|| "uncited".into());
    let _ = writeln!(
        o,
        "  {:<22} {:<10} {}{}",
        label,
        f.value.to_string(),
        citation,
        if f.doubtful { " [doubtful]" } else { "" }
    );
    if let Some(n) = &f.note {
        let _ = writeln!(o, "  {:<22} note: {}", "", n);
    }
    for a in &f.alternatives {
        let _ = writeln!(
            o,
            "  {:<22} also {:<5} {} ({}){}",
            "",
            a.value.to_string(),
            a.citation.source,
            a.citation.section,
            if a.doubtful { " [doubtful]" } else { "" }
        );
    }
}

/// `airwar types NAME`: one type with every citation.
pub fn type_detail(t: &AircraftType) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} ({}, {})", t.id, t.nation, t.role.name());
    if !t.aliases.is_empty() {
        let _ = writeln!(o, "also known as: {}", t.aliases.join(", "));
    }
    if !t.description.is_empty() {
        let _ = writeln!(o, "{}", t.description);
    }
    let _ = writeln!(o, "silhouette family: {}\n", t.family);
    cite(&mut o, "in service", &t.year_in_service);
    cite(&mut o, "crew", &t.crew);
    cite(&mut o, "engines", &t.engines);
    cite(&mut o, "max speed km/h", &t.max_speed_kmh);
    if let Some(a) = &t.max_speed_altitude_m {
        cite(&mut o, "  at altitude m", a);
    }
    match &t.climb {
        Some(c) => climb_line(&mut o, &c.figure),
        None => {
            let _ = writeln!(
                o,
                "  {:<22} not found: the model uses a stand-in (see docs/model.md)",
                "climb"
            );
        }
    }
    cite(&mut o, "ceiling m", &t.ceiling_m);
    optional(&mut o, "range km", &t.range_km);
    optional(&mut o, "loaded weight kg", &t.loaded_weight_kg);
    cite(&mut o, "bomb load kg", &t.bomb_load_kg);
    for (label, guns) in [("gun", &t.guns), ("defensive gun", &t.defensive_guns)] {
        for g in guns.iter() {
            cite(
                &mut o,
                &format!("{label}: {} {}mm", g.name, g.calibre_mm),
                &g.count,
            );
            if let Some(r) = &g.rounds_per_gun {
                cite(&mut o, "  rounds per gun", r);
            }
            if let Some(r) = &g.rate_rpm {
                cite(&mut o, "  rounds per minute", r);
            }
        }
    }
    let _ = writeln!(o, "\nfile: {}", t.file);
    o
}

fn optional(o: &mut String, label: &str, f: &Option<airwar_scenario::Figure<f64>>) {
    match f {
        Some(f) => cite(o, label, f),
        None => {
            let _ = writeln!(
                o,
                "  {:<22} not found: the model uses a stand-in (see docs/model.md)",
                label
            );
        }
    }
}

fn climb_line(
    o: &mut String,
    climb: &airwar_scenario::Figure<airwar_scenario::aircraft::ClimbFigure>,
) {
    let climb_text = match climb.value {
        airwar_scenario::aircraft::ClimbFigure::TimeToAltitude { to_m, minutes } => {
            format!("{to_m} m in {minutes} min")
        }
        airwar_scenario::aircraft::ClimbFigure::Rate { rate_m_per_min } => {
            format!("{rate_m_per_min} m/min")
        }
    };
    let _ = writeln!(
        o,
        "  {:<22} {:<10} {}{}",
        "climb",
        climb_text,
        climb
            .citation
            .as_ref()
            .map(|c| format!("{} ({})", c.source, c.section))
            .unwrap_or_else(|| "uncited".into()),
        if climb.doubtful { " [doubtful]" } else { "" }
    );
}

/// The theatre's doctrine figures, each with its citation.
fn doctrine(o: &mut String, d: &airwar_scenario::theatre::Doctrine) {
    fn cite<T>(f: &airwar_scenario::Figure<T>) -> String {
        f.citation.as_ref().map_or_else(
            || "uncited".to_string(),
            |c| format!("{}, {}", c.source, c.section),
        )
    }
    let numbers = [
        ("engagements", &d.engagements),
        ("sorties", &d.sorties),
        ("tour days", &d.tour_days),
        ("ground crew tour days", &d.ground_crew_tour_days),
        ("share handed over", &d.handover_share),
        ("accidents' share of deaths", &d.accident_share_of_deaths),
        ("pilots at once", &d.pilots_at_once),
        ("aircraft at once", &d.aircraft_at_once),
        ("engaged per engagement", &d.engaged_per_engagement),
    ];
    let mut t = grid::table(&["figure", "value", "source"], &[1]);
    for (name, f) in numbers {
        if let Some(f) = f {
            t.add_row(vec![name.to_string(), f.value.to_string(), cite(f)]);
        }
    }
    if let Some(f) = &d.fights_with_host {
        let name = "fights beside the host".to_string();
        t.add_row(vec![name, f.value.to_string(), cite(f)]);
    }
    for op in &d.opponents {
        let name = format!("share of fights v {}", op.type_id);
        t.add_row(vec![name, op.share.value.to_string(), cite(&op.share)]);
    }
    if !t.is_empty() {
        let _ = writeln!(o, "\ndoctrine:");
        o.push_str(&grid::render(&t));
    }
}

/// `airwar scenarios ID`: a theatre at a glance.
pub fn theatre(t: &airwar_scenario::Theatre) -> String {
    let width = grid::WIDTH as usize;
    let mut o = String::new();
    let _ = writeln!(o, "{} ({} to {})", t.title, t.start.value, t.end.value);
    let _ = writeln!(o, "\nforces:");
    let mut forces = grid::table(&["force", "name", "nation", "markings", "covert"], &[]);
    for f in &t.forces {
        let covert = if f.covert { "yes" } else { "no" };
        forces.add_row(vec![&f.id, &f.name, &f.nation, &f.markings, covert]);
    }
    o.push_str(&grid::render(&forces));
    let bases: Vec<&str> = t.bases.iter().map(|b| b.name.as_str()).collect();
    o.push('\n');
    o.push_str(&grid::wrap(
        &format!("bases: {}", bases.join("; ")),
        width,
        0,
        2,
    ));
    for r in &t.routes {
        let route = format!(
            "route {}: {} km, {} days, stops {}",
            r.name,
            r.length_km.value,
            r.transit_days.value,
            r.stops.join(" > ")
        );
        o.push_str(&grid::wrap(&route, width, 0, 2));
    }
    doctrine(&mut o, &t.doctrine);
    let _ = writeln!(o, "\nrules:");
    for r in &t.rules {
        let rule = format!(
            "[{}] {:?}: {} ({}, {})",
            r.force, r.kind, r.description, r.citation.source, r.citation.section
        );
        o.push_str(&grid::wrap(&rule, width, 2, 4));
    }
    let _ = writeln!(o, "\ntimeline:");
    let mut events: Vec<_> = t.events.iter().collect();
    events.sort_by_key(|a| a.date.value);
    for e in events {
        let event = format!("{}  {}", e.date.value, e.description);
        o.push_str(&grid::wrap(&event, width, 2, 14));
    }
    o.push('\n');
    o.push_str(&grid::wrap(
        &format!("battles: {}", t.battles.join(", ")),
        width,
        0,
        2,
    ));
    let _ = writeln!(o, "\nobserved totals:");
    let header = ["total", "force", "recorded", "other sources", "source"];
    let mut observed = grid::table(&header, &[2]);
    for ob in &t.observed {
        let source = ob
            .value
            .citation
            .as_ref()
            .map(|c| format!("{}, {}", c.source, c.section))
            .unwrap_or_default();
        let others: Vec<String> = ob
            .value
            .alternatives
            .iter()
            .map(|a| grid::whole(a.value))
            .collect();
        observed.add_row(vec![
            ob.metric.replace('_', " "),
            ob.force.clone(),
            grid::whole(ob.value.value),
            others.join(", "),
            source,
        ]);
    }
    o.push_str(&grid::render(&observed));
    o
}

/// The bibliography: each source's figure count, whether it is doubtful, and its id, title
/// and address on lines of their own (nothing truncated).
pub fn bibliography_table(b: &airwar_scenario::bibliography::Bibliography) -> String {
    let mut o = String::new();
    let total: usize = b.entries.iter().map(|e| e.figures).sum();
    let _ = writeln!(
        o,
        "{} sources, {} citations (values and alternative values); `--bibtex` or `--csl-json` to export\n",
        b.entries.len(),
        total
    );
    let _ = writeln!(o, "{:>7}  {:<8}  source", "figures", "doubtful");
    for e in &b.entries {
        let _ = writeln!(
            o,
            "{:>7}  {:<8}  {}",
            e.figures,
            if e.doubtful { "doubtful" } else { "" },
            e.id
        );
        if e.title != e.id {
            let _ = writeln!(o, "{:>19}{}", "", e.title);
        }
        if let Some(url) = e.url.as_ref().filter(|u| **u != e.id) {
            let _ = writeln!(o, "{:>19}{}", "", url);
        }
    }
    o
}

/// A figure's citation for a table cell: `source, section`, marked doubtful where the figure
/// or its source is; `uncited` where it has none.
fn citation_cell<T>(
    f: &airwar_scenario::Figure<T>,
    doubtful: &std::collections::BTreeSet<String>,
) -> String {
    match &f.citation {
        Some(c) => format!(
            "{}, {}{}",
            c.source,
            c.section,
            if f.doubtful || doubtful.contains(&c.source) {
                " (doubtful)"
            } else {
                ""
            }
        ),
        None => "uncited".to_string(),
    }
}

/// `airwar show BATTLE|FILE`: a battle's inputs (context, sides, forces with types and counts,
/// what history recorded), each figure with its citation and doubtful mark.
pub fn battle_inputs(e: &Engagement, doubtful: &std::collections::BTreeSet<String>) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})", e.title, e.id);
    if !e.summary.is_empty() {
        o.push_str(&grid::wrap(&e.summary, grid::WIDTH as usize, 0, 0));
    }
    let cx = &e.context;
    let _ = writeln!(o, "\ncontext:");
    let mut t = grid::table(&["input", "value", "source"], &[]);
    let side_name = |i: usize| e.sides.get(i).map_or("?", |s| s.name.as_str());
    let mut rows = vec![
        (
            "date",
            e.date.value.to_string(),
            citation_cell(&e.date, doubtful),
        ),
        ("mission", e.mission.name().to_string(), String::new()),
        ("place", cx.place.clone(), String::new()),
        (
            "latitude, longitude",
            format!("{}, {}", cx.latitude.value, cx.longitude.value),
            citation_cell(&cx.latitude, doubtful),
        ),
        (
            "warning",
            format!("{} min", cx.warning_minutes.value),
            citation_cell(&cx.warning_minutes, doubtful),
        ),
        (
            "raid altitude",
            format!("{} m", grid::whole(cx.raid_altitude_m.value)),
            citation_cell(&cx.raid_altitude_m, doubtful),
        ),
        (
            "ground below",
            side_name(cx.ground_below).to_string(),
            String::new(),
        ),
    ];
    if let Some(d) = &cx.target_distance_km {
        let value = format!("{} km", grid::whole(d.value));
        rows.push(("target distance", value, citation_cell(d, doubtful)));
    }
    for (input, value, source) in rows {
        t.add_row(vec![input.to_string(), value, source]);
    }
    o.push_str(&grid::render(&t));
    for side in &e.sides {
        let posture = match side.posture {
            airwar_scenario::Posture::Attacker => "attacker",
            airwar_scenario::Posture::Defender => "defender",
        };
        let head = format!(
            "{} ({}; {}; markings: {}):",
            side.name, posture, side.nation, side.markings
        );
        o.push('\n');
        o.push_str(&grid::wrap(&head, grid::WIDTH as usize, 0, 2));
        let header = [
            "type",
            "role",
            "aircraft",
            "pilots' quality",
            "source of the count",
        ];
        let mut t = grid::table(&header, &[2]);
        for f in &side.forces {
            let q = &f.quality.value;
            let quality = q.label.clone().unwrap_or_else(|| format!("{:.2}", q.value));
            t.add_row(vec![
                f.type_id.clone(),
                f.role.name().to_string(),
                grid::count(u64::from(f.count.value)),
                quality,
                citation_cell(&f.count, doubtful),
            ]);
        }
        for p in &side.parked {
            t.add_row(vec![
                p.type_id.clone(),
                "parked".to_string(),
                grid::count(u64::from(p.count.value)),
                String::new(),
                citation_cell(&p.count, doubtful),
            ]);
        }
        o.push_str(&grid::render(&t));
        let mut notes = vec![
            format!(
                "shares a radio language with its allies: {}",
                if side.shares_radio_language.value {
                    "yes"
                } else {
                    "no"
                }
            ),
            format!("IFF: {}", if side.iff.value { "yes" } else { "no" }),
        ];
        if let Some(h) = &side.home_distance_km {
            notes.push(format!(
                "home {} km away ({})",
                grid::whole(h.value),
                citation_cell(h, doubtful)
            ));
        }
        if let Some(l) = &side.no_pursuit_line_km {
            notes.push(format!(
                "may not pursue past {} km ({})",
                grid::whole(l.value),
                citation_cell(l, doubtful)
            ));
        }
        o.push_str(&grid::wrap(&notes.join("; "), grid::WIDTH as usize, 2, 4));
    }
    if !e.observed.is_empty() {
        let _ = writeln!(o, "\nwhat history recorded:");
        let mut t = grid::table(&["figure", "value", "source"], &[1]);
        for ob in &e.observed {
            let what = format!(
                "{} of {}{}{}",
                match ob.metric {
                    airwar_scenario::ObservedMetric::Losses => "losses",
                    airwar_scenario::ObservedMetric::Claims => "claims",
                },
                side_name(ob.side),
                ob.type_id
                    .as_ref()
                    .map(|t| format!(", {t}"))
                    .unwrap_or_default(),
                if ob.where_ == airwar_scenario::Where::Ground {
                    ", on the ground"
                } else {
                    ""
                }
            );
            let source = format!(
                "{}, {}{}",
                ob.citation.source,
                ob.citation.section,
                if ob.doubtful || doubtful.contains(&ob.citation.source) {
                    " (doubtful)"
                } else {
                    ""
                }
            );
            let value = format!("{}{}", ob.bound.symbol(), grid::count(u64::from(ob.value)));
            t.add_row(vec![what, value, source]);
        }
        o.push_str(&grid::render(&t));
    }
    o
}
