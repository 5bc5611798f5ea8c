//! The map of a theatre (or of a battle's surroundings): Natural Earth coastlines and
//! borders in an equirectangular projection, and on them everything the data places: bases
//! coloured by owner (a tooltip lists the owners by date), supply routes, major operations,
//! the front line as the places the enemy took, battle sites, and the pursuit limits the
//! covert rules set. Rules that forbade a place without a distance or a shape the data gives
//! (the coast, the front, the enemy's rear) are listed beside the map, each with its citation:
//! drawing them would invent a boundary.

use std::fmt::Write as _;

use airwar_scenario::theatre::RuleKind;
use airwar_scenario::{Engagement, Theatre};

use crate::cite;
use crate::geo::{self, BoundingBox, Geography, LineKind, Projection};
use crate::svg::{self, c, esc};
use crate::{Figure, ReportError};

const MAP_W: f64 = 680.0;
const MAP_H: f64 = 500.0;
const PANEL_W: f64 = 330.0;

/// Colours of owners, in the order they first appear in the data (bases, then changes).
pub fn owner_colours(theatre: &Theatre) -> Vec<(String, &'static str)> {
    let mut owners: Vec<String> = Vec::new();
    for b in &theatre.bases {
        for o in std::iter::once(&b.owner).chain(b.owner_changes.iter().map(|c| &c.owner)) {
            if !owners.contains(o) {
                owners.push(o.clone());
            }
        }
    }
    owners
        .into_iter()
        .enumerate()
        .map(|(i, o)| (o, svg::colour(i)))
        .collect()
}

/// An owner's name for a reader: a force's name when the owner is a force id.
fn owner_name(theatre: &Theatre, owner: &str) -> String {
    theatre
        .forces
        .iter()
        .find(|f| f.id == owner)
        .map_or(owner.to_string(), |f| format!("{} ({})", f.name, f.id))
}

/// Labels placed so far, to move a new one down past those it would cover.
struct Labels(Vec<(f64, f64, f64)>);

impl Labels {
    fn place(&mut self, x: f64, y: f64, width: f64) -> f64 {
        let mut y = y;
        while self
            .0
            .iter()
            .any(|(lx, ly, lw)| (ly - y).abs() < 11.0 && x < lx + lw && lx < &(x + width))
        {
            y += 11.0;
        }
        self.0.push((x, y, width));
        y
    }
}

fn graticule(out: &mut String, p: &Projection) {
    let b = p.bounds();
    let step = {
        let t = svg::ticks(b.lon_min, b.lon_max, 6);
        if t.len() > 1 {
            t[1] - t[0]
        } else {
            5.0
        }
    };
    out.push_str("<g class=\"graticule\" stroke=\"#dddddd\" stroke-width=\"0.5\">\n");
    let mut labels = String::new();
    for lon in svg::ticks(b.lon_min, b.lon_max, 6) {
        let (x0, y0) = p.at(lon, b.lat_max);
        let (x1, y1) = p.at(lon, b.lat_min);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            c(x0),
            c(y0),
            c(x1),
            c(y1)
        );
        let _ = writeln!(
            labels,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#777777\" font-size=\"9\">{}°E</text>",
            c(x1),
            c(y1 - 3.0),
            svg::num(lon, 1)
        );
    }
    let mut lat = (b.lat_min / step).ceil() * step;
    while lat <= b.lat_max + 1e-9 {
        let (x0, y0) = p.at(b.lon_min, lat);
        let (x1, y1) = p.at(b.lon_max, lat);
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            c(x0),
            c(y0),
            c(x1),
            c(y1)
        );
        let _ = writeln!(
            labels,
            "<text x=\"{}\" y=\"{}\" fill=\"#777777\" font-size=\"9\">{}°N</text>",
            c(x0 + 3.0),
            c(y0 - 2.0),
            svg::num(lat, 1)
        );
        lat += step;
    }
    out.push_str("</g>\n");
    out.push_str(&labels);
}

fn lines(out: &mut String, p: &Projection, g: &Geography) {
    out.push_str("<g class=\"coast\" stroke=\"#555555\" stroke-width=\"0.9\">\n");
    for (kind, points) in &g.lines {
        if *kind == LineKind::Coast {
            let px: Vec<(f64, f64)> = points.iter().map(|(lon, lat)| p.at(*lon, *lat)).collect();
            svg::polyline(out, &px, "");
        }
    }
    out.push_str("</g>\n<g class=\"border\" stroke=\"#999999\" stroke-width=\"0.7\" stroke-dasharray=\"3 2\">\n");
    for (kind, points) in &g.lines {
        if *kind == LineKind::Border {
            let px: Vec<(f64, f64)> = points.iter().map(|(lon, lat)| p.at(*lon, *lat)).collect();
            svg::polyline(out, &px, "");
        }
    }
    out.push_str("</g>\n");
}

/// A circle of `km` around a place (the pursuit limit of a side).
fn pursuit_circle(out: &mut String, p: &Projection, e: &Engagement) {
    let (x, y) = p.at(e.context.longitude.value, e.context.latitude.value);
    for s in &e.sides {
        if let Some(km) = &s.no_pursuit_line_km {
            let r = km.value * p.px_per_km();
            let _ = writeln!(
                out,
                "<circle class=\"forbidden\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#D55E00\" fill-opacity=\"0.06\" stroke=\"#D55E00\" stroke-width=\"1\" stroke-dasharray=\"4 3\"><title>{}</title></circle>",
                c(x),
                c(y),
                c(r.max(2.0)),
                esc(&format!(
                    "{} ({}): {} could pursue no farther than {} km{} [{}]",
                    e.title,
                    e.date.value,
                    s.name,
                    svg::num(km.value, 0),
                    s.no_pursuit_reason
                        .as_ref()
                        .map_or(String::new(), |r| format!(", to {r}")),
                    cite::of(km)
                ))
            );
        }
    }
}

/// A pin whose point is on the battle site; `stack` lifts it above earlier battles at the
/// same place, so that each stays visible and hoverable.
fn battle_marker(out: &mut String, p: &Projection, e: &Engagement, stack: usize) {
    let (x, y) = p.at(e.context.longitude.value, e.context.latitude.value);
    let lift = 7.0 * stack as f64;
    let _ = writeln!(
        out,
        "<path class=\"battle\" d=\"M{} {}l-4 -9h8z\" fill=\"#000000\" stroke=\"#ffffff\" stroke-width=\"0.8\"><title>{}</title></path>",
        c(x),
        c(y - lift),
        esc(&format!(
            "Battle: {} ({}), {} at {}°N {}°E [{}]",
            e.title,
            cite::figure(&e.date),
            e.context.place,
            e.context.latitude.value,
            e.context.longitude.value,
            cite::of(&e.context.latitude)
        ))
    );
}

/// Battle pins, stacked where several battles share a site (to the pixel).
fn battle_markers(out: &mut String, p: &Projection, battles: &[&Engagement]) {
    let mut seen: Vec<(i64, i64)> = Vec::new();
    for e in battles {
        let (x, y) = p.at(e.context.longitude.value, e.context.latitude.value);
        let key = ((x / 4.0).round() as i64, (y / 4.0).round() as i64);
        let stack = seen.iter().filter(|k| **k == key).count();
        seen.push(key);
        battle_marker(out, p, e, stack);
    }
}

/// The map of a theatre with the given battles.
pub fn theatre_map(theatre: &Theatre, battles: &[&Engagement]) -> Result<Figure, ReportError> {
    let geography = geo::for_theatre(&theatre.id)?;
    let bounds = match &geography {
        Some(g) => g.bounds,
        None => box_around(theatre, battles),
    };
    draw_theatre(
        theatre,
        battles,
        geography.as_ref(),
        bounds,
        "map",
        format!("Map of {}", theatre.title),
    )
}

/// A closer map of where the battles were, when they all lie in a small part of the theatre
/// (under a sixteenth of its area, as in Korea's MiG Alley): the pursuit limits are then big
/// enough to see. None when the battles spread over the theatre.
pub fn battle_area_map(
    theatre: &Theatre,
    battles: &[&Engagement],
) -> Result<Option<Figure>, ReportError> {
    let Some(geography) = geo::for_theatre(&theatre.id)? else {
        return Ok(None);
    };
    let sites: Vec<(f64, f64)> = battles
        .iter()
        .map(|e| (e.context.longitude.value, e.context.latitude.value))
        .collect();
    if sites.is_empty() {
        return Ok(None);
    }
    let area = around(&sites, 1.5);
    let g = geography.bounds;
    let share = ((area.lon_max - area.lon_min) * (area.lat_max - area.lat_min))
        / ((g.lon_max - g.lon_min) * (g.lat_max - g.lat_min));
    if share > 1.0 / 16.0 {
        return Ok(None);
    }
    draw_theatre(
        theatre,
        battles,
        Some(&geography),
        area,
        "map-battles",
        format!("Where the battles of {} were fought", theatre.title),
    )
    .map(Some)
}

fn draw_theatre(
    theatre: &Theatre,
    battles: &[&Engagement],
    geography: Option<&Geography>,
    bounds: BoundingBox,
    id: &str,
    title: String,
) -> Result<Figure, ReportError> {
    let p = Projection::new(bounds, MAP_W, MAP_H);
    let (_, _, frame_w, frame_h) = p.frame();
    let mut out = String::new();
    svg::open(
        &mut out,
        id,
        frame_w + PANEL_W,
        frame_h.max(320.0),
        &title,
        "Bases coloured by owner, supply routes, operations, the front line, battle sites and the limits the covert rules set. Hover over any mark for its citation.",
    );
    let (fx, fy, fw, fh) = p.frame();
    let _ = writeln!(
        out,
        "<defs><clipPath id=\"{id}-clip\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>\n<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f4f8fb\" stroke=\"#bbbbbb\"/>\n<g clip-path=\"url(#{id}-clip)\">",
        c(fx), c(fy), c(fw), c(fh), c(fx), c(fy), c(fw), c(fh)
    );
    graticule(&mut out, &p);
    if let Some(g) = geography {
        lines(&mut out, &p, g);
    }
    // Operations: a dashed ring over the place, the period in the tooltip.
    for o in &theatre.operations {
        let (x, y) = p.at(o.longitude.value, o.latitude.value);
        let _ = writeln!(
            out,
            "<circle class=\"operation\" cx=\"{}\" cy=\"{}\" r=\"9\" fill=\"none\" stroke=\"#CC79A7\" stroke-width=\"1.2\" stroke-dasharray=\"2 2\"><title>{}</title></circle>",
            c(x),
            c(y),
            esc(&format!(
                "Operation: {}, {} to {}",
                o.name,
                cite::figure(&o.from),
                cite::figure(&o.to)
            ))
        );
    }
    // The front line: places the enemy took, in date order, joined.
    let mut front: Vec<&airwar_scenario::theatre::FrontPoint> = theatre.front.iter().collect();
    front.sort_by_key(|a| a.taken.value);
    for f in &front {
        let (x, y) = p.at(f.longitude.value, f.latitude.value);
        let _ = writeln!(
            out,
            "<path class=\"front\" d=\"M{} {}l6 6m0 -6l-6 6\" stroke=\"#D55E00\" stroke-width=\"1.6\"><title>{}</title></path>",
            c(x - 3.0),
            c(y - 3.0),
            esc(&format!("Front: {} taken by the enemy on {}", f.place, cite::figure(&f.taken)))
        );
    }
    // Supply routes.
    for (i, r) in theatre.routes.iter().enumerate() {
        let pts: Vec<(f64, f64)> = r
            .stops
            .iter()
            .filter_map(|s| theatre.bases.iter().find(|b| &b.id == s))
            .map(|b| p.at(b.longitude.value, b.latitude.value))
            .collect();
        let _ = write!(
            out,
            "<g class=\"route\"><title>{}</title>",
            esc(&format!(
                "Supply route: {} ({}); {} km [{}], {} days in transit [{}]",
                r.name,
                r.stops.join(" → "),
                svg::num(r.length_km.value, 0),
                cite::of(&r.length_km),
                svg::num(r.transit_days.value, 0),
                cite::of(&r.transit_days)
            ))
        );
        svg::polyline(
            &mut out,
            &pts,
            &format!(
                "stroke=\"{}\" stroke-width=\"2.2\" stroke-opacity=\"0.8\"{}",
                svg::colour(5 + i),
                if i > 0 {
                    " stroke-dasharray=\"6 3\""
                } else {
                    ""
                }
            ),
        );
        out.push_str("</g>\n");
    }
    for e in battles {
        pursuit_circle(&mut out, &p, e);
    }
    // Bases last, on top, with labels.
    let colours = owner_colours(theatre);
    let colour_of = |o: &str| {
        colours
            .iter()
            .find(|(owner, _)| owner == o)
            .map_or("#000000", |(_, c)| c)
    };
    let mut labels = Labels(Vec::new());
    // Names go on top of every mark, each with a white halo.
    let mut names = String::new();
    for b in &theatre.bases {
        let (x, y) = p.at(b.longitude.value, b.latitude.value);
        let mut tip = format!(
            "Base: {} ({}°N {}°E [{}])\n{}: {} from the start",
            b.name,
            b.latitude.value,
            b.longitude.value,
            cite::of(&b.latitude),
            b.id,
            owner_name(theatre, &b.owner)
        );
        for ch in &b.owner_changes {
            let _ = write!(
                tip,
                "\n{}: {} [{}]",
                cite::figure(&ch.date)
                    .split(" [")
                    .next()
                    .unwrap_or_default(),
                owner_name(theatre, &ch.owner),
                cite::of(&ch.date)
            );
        }
        let last = b.owner_changes.last().map_or(&b.owner, |ch| &ch.owner);
        let _ = writeln!(
            out,
            "<g class=\"base\" data-base=\"{}\"><title>{}</title><circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/></g>",
            esc(&b.id),
            esc(&tip),
            c(x),
            c(y),
            colour_of(&b.owner),
            if last != &b.owner { colour_of(last) } else { "#ffffff" },
            if last != &b.owner { "3" } else { "1" },
        );
        let label = b.name.split(" (").next().unwrap_or(&b.name);
        let width = label.chars().count() as f64 * 5.5;
        // Left of the mark when the label would run off the map's right edge.
        let (lx, anchor) = if x + 7.0 + width > frame_w {
            (x - 7.0 - width, "end")
        } else {
            (x + 7.0, "start")
        };
        let ly = labels.place(lx, y + 3.0, width);
        let tx = if anchor == "end" { x - 7.0 } else { lx };
        svg::text(&mut names, tx, ly, anchor, " font-size=\"10\" fill=\"#222222\" stroke=\"#ffffff\" stroke-width=\"2.5\" paint-order=\"stroke\"", label);
    }
    battle_markers(&mut out, &p, battles);
    out.push_str(&names);
    out.push_str("</g>\n");
    let limits = battles
        .iter()
        .flat_map(|e| &e.sides)
        .any(|s| s.no_pursuit_line_km.is_some());
    panel(
        &mut out,
        frame_w + 12.0,
        theatre,
        &colours,
        !battles.is_empty(),
        limits,
        geography.is_some(),
    );
    out.push_str("</svg>\n");
    Ok(Figure {
        id: id.to_string(),
        caption: format!(
            "{title}. Coastlines (solid) and present-day land borders (dashed): Natural Earth 1:110m, public domain. A base's fill is its first owner; a thick ring, the owner it passed to. Hover for dates and sources."
        ),
        svg: out,
    })
}

/// The legend and the rules without a shape, to the right of the map.
fn panel(
    out: &mut String,
    x: f64,
    theatre: &Theatre,
    colours: &[(String, &'static str)],
    battles: bool,
    limits: bool,
    coast: bool,
) {
    let mut y = 20.0;
    svg::text(
        out,
        x,
        y,
        "start",
        " font-weight=\"bold\"",
        "Owners of bases",
    );
    for (owner, colour) in colours {
        y += 15.0;
        let _ = writeln!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{colour}\" stroke=\"#ffffff\"/>",
            c(x + 5.0),
            c(y - 4.0)
        );
        svg::text(
            out,
            x + 14.0,
            y,
            "start",
            "",
            &svg::shorten(&owner_name(theatre, owner), 50),
        );
    }
    y += 22.0;
    svg::text(out, x, y, "start", " font-weight=\"bold\"", "Marks");
    let legend = |out: &mut String, y: &mut f64, shape: String, label: &str| {
        *y += 15.0;
        out.push_str(
            &shape
                .replace("{y}", &c(*y - 4.0))
                .replace("{x}", &c(x + 5.0)),
        );
        out.push('\n');
        svg::text(out, x + 14.0, *y, "start", "", label);
    };
    if !theatre.routes.is_empty() {
        legend(out, &mut y, format!("<line x1=\"{}\" y1=\"{{y}}\" x2=\"{}\" y2=\"{{y}}\" stroke=\"{}\" stroke-width=\"2.2\"/>", c(x), c(x + 10.0), svg::colour(5)), "supply route");
    }
    if !theatre.operations.is_empty() {
        legend(out, &mut y, "<circle cx=\"{x}\" cy=\"{y}\" r=\"5\" fill=\"none\" stroke=\"#CC79A7\" stroke-dasharray=\"2 2\"/>".to_string(), "major air operation");
    }
    if !theatre.front.is_empty() {
        legend(out, &mut y, format!("<path d=\"M{} {{y}}m-3 -3l6 6m0 -6l-6 6\" stroke=\"#D55E00\" stroke-width=\"1.6\"/>", c(x + 5.0)), "place the enemy took (front)");
    }
    if battles {
        legend(
            out,
            &mut y,
            format!(
                "<path d=\"M{} {{y}}m0 4l-4 -9h8z\" fill=\"#000000\"/>",
                c(x + 5.0)
            ),
            "battle site (stacked where several)",
        );
    }
    if limits {
        legend(out, &mut y, "<circle cx=\"{x}\" cy=\"{y}\" r=\"5\" fill=\"none\" stroke=\"#D55E00\" stroke-dasharray=\"4 3\"/>".to_string(), "pursuit limit (battle file)");
    }
    if !coast {
        y += 15.0;
        svg::text(
            out,
            x,
            y,
            "start",
            " fill=\"#777777\"",
            "No coastlines: no geography is embedded for this theatre.",
        );
    }
    let forbidden: Vec<_> = theatre
        .rules
        .iter()
        .filter(|r| matches!(r.kind, RuleKind::NoFlyArea | RuleKind::NoPursuit))
        .collect();
    if forbidden.is_empty() {
        return;
    }
    y += 22.0;
    svg::text(
        out,
        x,
        y,
        "start",
        " font-weight=\"bold\"",
        "Forbidden by the covert rules",
    );
    y += 13.0;
    svg::text(
        out,
        x,
        y,
        "start",
        " fill=\"#555555\" font-size=\"9\"",
        "No shape or line is given, so none is drawn:",
    );
    for r in forbidden {
        let value = r
            .value
            .as_ref()
            .map_or(String::new(), |v| format!(" Value: {}.", cite::figure(v)));
        let tip = format!(
            "{}{} [{}]",
            r.description,
            value,
            cite::citation(&r.citation)
        );
        let words = r.value.as_ref().map_or("(no value)".to_string(), |v| {
            let v = &v.value;
            if v.parse::<f64>().is_ok() {
                format!("{v} km")
            } else {
                v.clone()
            }
        });
        y += 15.0;
        let _ = writeln!(
            out,
            "<g class=\"rule\"><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"#D55E00\" fill-opacity=\"0.25\" stroke=\"#D55E00\"/>",
            esc(&tip),
            c(x),
            c(y - 9.0)
        );
        svg::text(
            out,
            x + 14.0,
            y,
            "start",
            "",
            &svg::shorten(&format!("{words}: {}", r.description), 50),
        );
        out.push_str("</g>\n");
    }
}

/// At most `n` characters, with an ellipsis when cut.
/// A box around every place of a theatre without embedded geography, with a margin.
fn box_around(theatre: &Theatre, battles: &[&Engagement]) -> BoundingBox {
    let mut pts: Vec<(f64, f64)> = theatre
        .bases
        .iter()
        .map(|b| (b.longitude.value, b.latitude.value))
        .collect();
    pts.extend(
        battles
            .iter()
            .map(|e| (e.context.longitude.value, e.context.latitude.value)),
    );
    pts.extend(
        theatre
            .front
            .iter()
            .map(|f| (f.longitude.value, f.latitude.value)),
    );
    around(&pts, 2.0)
}

fn around(pts: &[(f64, f64)], margin: f64) -> BoundingBox {
    let fold = |f: fn(f64, f64) -> f64, init: f64, pick: fn(&(f64, f64)) -> f64| {
        pts.iter().map(pick).fold(init, f)
    };
    if pts.is_empty() {
        return BoundingBox {
            lon_min: -180.0,
            lat_min: -60.0,
            lon_max: 180.0,
            lat_max: 75.0,
        };
    }
    BoundingBox {
        lon_min: (fold(f64::min, f64::INFINITY, |p| p.0) - margin).max(-180.0),
        lat_min: (fold(f64::min, f64::INFINITY, |p| p.1) - margin).max(-90.0),
        lon_max: (fold(f64::max, f64::NEG_INFINITY, |p| p.0) + margin).min(180.0),
        lat_max: (fold(f64::max, f64::NEG_INFINITY, |p| p.1) + margin).min(90.0),
    }
}

/// The map around one battle: with the theatre it belongs to, that theatre's map 5 degrees
/// around the site (bases, routes, operations, front, pursuit limits); without one, the
/// embedded geography whose box holds the site, 4 degrees around it, with the pursuit limits
/// and the distances home.
pub fn battle_map(e: &Engagement, theatre: Option<&Theatre>) -> Result<Figure, ReportError> {
    let (lon, lat) = (e.context.longitude.value, e.context.latitude.value);
    // Within its theatre: the theatre's map, 5 degrees around the site, with its bases.
    if let Some(t) = theatre {
        let geography = geo::for_theatre(&t.id)?;
        return draw_theatre(
            t,
            &[e],
            geography.as_ref(),
            around(&[(lon, lat)], 5.0),
            "map",
            format!("Where {} was fought", e.title),
        );
    }
    let mut geography = None;
    for id in ["china-1937", "korea-1950"] {
        if let Some(g) = geo::for_theatre(id)? {
            if g.bounds.contains(lon, lat) {
                geography = Some(g);
                break;
            }
        }
    }
    let bounds = around(&[(lon, lat)], 4.0);
    let p = Projection::new(bounds, 520.0, 420.0);
    let (_, _, w, h) = p.frame();
    let mut out = String::new();
    let id = "map";
    let title = format!("Where {} was fought", e.title);
    svg::open(
        &mut out,
        id,
        w,
        h,
        &title,
        "The battle site, the pursuit limits and the distances home of the sides.",
    );
    let (fx, fy, fw, fh) = p.frame();
    let _ = writeln!(
        out,
        "<defs><clipPath id=\"{id}-clip\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>\n<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f4f8fb\" stroke=\"#bbbbbb\"/>\n<g clip-path=\"url(#{id}-clip)\">",
        c(fx), c(fy), c(fw), c(fh), c(fx), c(fy), c(fw), c(fh)
    );
    graticule(&mut out, &p);
    if let Some(g) = &geography {
        lines(&mut out, &p, g);
    }
    let (x, y) = p.at(lon, lat);
    for (i, s) in e.sides.iter().enumerate() {
        if let Some(km) = &s.home_distance_km {
            let _ = writeln!(
                out,
                "<circle class=\"home\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"><title>{}</title></circle>",
                c(x),
                c(y),
                c((km.value * p.px_per_km()).max(2.0)),
                svg::colour(i),
                esc(&format!(
                    "{}: {} km home after the fight [{}]",
                    s.name,
                    svg::num(km.value, 0),
                    cite::of(km)
                ))
            );
        }
    }
    pursuit_circle(&mut out, &p, e);
    battle_marker(&mut out, &p, e, 0);
    svg::text(
        &mut out,
        x + 8.0,
        y + 4.0,
        "start",
        " font-size=\"10\"",
        &e.context.place,
    );
    out.push_str("</g>\n</svg>\n");
    Ok(Figure {
        id: id.to_string(),
        caption: format!(
            "{title}. Circles: each side's distance home (solid) and pursuit limit (dashed), where the battle file gives them. Coastlines: Natural Earth 1:110m, public domain."
        ),
        svg: out,
    })
}
