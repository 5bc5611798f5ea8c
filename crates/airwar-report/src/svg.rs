//! The small SVG toolkit the report draws with: escaping, numbers written the same way on
//! every machine, the Okabe-Ito palette, linear scales with round ticks, and calendar ticks.
//!
//! Everything here writes text by hand (no SVG crate): a report is a few kinds of element
//! (lines, polylines, rectangles, circles, text), and writing them directly keeps the output
//! byte-for-byte deterministic and the dependency list short.

use std::fmt::Write as _;

/// The Okabe-Ito palette (colour-blind safe), in the order series take them.
pub const PALETTE: [&str; 8] = [
    "#0072B2", // blue
    "#D55E00", // vermillion
    "#009E73", // bluish green
    "#E69F00", // orange
    "#CC79A7", // reddish purple
    "#56B4E9", // sky blue
    "#F0E442", // yellow
    "#000000", // black
];

/// Colour `i` of the palette, cycling.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Escape text for XML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A coordinate, to 0.1 unit, without a trailing `.0`: short and identical on every machine.
/// A value that is not a number (an empty distribution's quantile) is written 0, so the SVG
/// stays valid.
pub fn c(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_string();
    }
    let r = (x * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r }; // no "-0"
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// A value for a reader: whole numbers with thousands separators, others to `digits` places.
pub fn num(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let s = format!("{x:.digits$}");
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let (sign, digits_part) = match int.strip_prefix('-') {
        Some(rest) => ("-", rest.to_string()),
        None => ("", int),
    };
    let mut grouped = String::new();
    let len = digits_part.len();
    for (i, ch) in digits_part.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let frac = frac.map(|f| f.trim_end_matches('0').to_string());
    match frac {
        Some(f) if !f.is_empty() => format!("{sign}{grouped}.{f}"),
        _ => {
            if grouped == "0" {
                "0".to_string()
            } else {
                format!("{sign}{grouped}")
            }
        }
    }
}

/// At most `n` characters, with an ellipsis when cut.
pub fn shorten(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        text.chars().take(n.saturating_sub(1)).collect::<String>() + "…"
    }
}

/// A linear map from a domain to a range of pixels.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Scale {
    pub fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Scale {
        let d1 = if (d1 - d0).abs() < 1e-12 {
            d0 + 1.0
        } else {
            d1
        };
        Scale { d0, d1, r0, r1 }
    }
    pub fn at(&self, x: f64) -> f64 {
        self.r0 + (x - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

/// Round tick values covering `lo..=hi`, about `n` of them (1, 2 or 5 times a power of ten).
pub fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return vec![lo];
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A round upper bound for an axis that starts at 0 and must show `max`.
pub fn nice_max(max: f64) -> f64 {
    if !max.is_finite() || max <= 0.0 {
        return 1.0;
    }
    let t = ticks(0.0, max, 5);
    let step = if t.len() > 1 { t[1] - t[0] } else { max };
    let top = t.last().copied().unwrap_or(max);
    if top >= max {
        top
    } else {
        top + step
    }
}

/// (year, month) of a day number.
pub fn year_month(day: i64) -> (i64, u32) {
    airwar_scenario::Date::from_day_number(day)
        .map_or((1970, 1), |d| (i64::from(d.year()), d.month() as u32))
}

/// Day number of the first day of a month.
pub fn month_start(year: i64, month: u32) -> Option<i64> {
    let (year, month) = (i16::try_from(year).ok()?, i8::try_from(month).ok()?);
    airwar_scenario::Date::new(year, month, 1).map(airwar_scenario::Date::day_number)
}

/// Calendar ticks over day numbers `d0..=d1`: each 1 January, each quarter's first day when
/// the span is under two years, each month's under 200 days. (day number, label).
pub fn calendar_ticks(d0: i64, d1: i64) -> Vec<(i64, String)> {
    let (y0, _) = year_month(d0);
    let (y1, _) = year_month(d1);
    let months: &[u32] = if d1 - d0 < 200 {
        &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    } else if d1 - d0 < 2 * 365 {
        &[1, 4, 7, 10]
    } else {
        &[1]
    };
    let mut out = Vec::new();
    for y in y0..=y1 {
        for &m in months {
            if let Some(d) = month_start(y, m) {
                if d >= d0 && d <= d1 {
                    let label = if m == 1 {
                        format!("{y}")
                    } else {
                        format!("{y}-{m:02}")
                    };
                    out.push((d, label));
                }
            }
        }
    }
    out
}

/// The opening of a standalone SVG document with an id, a title and a description.
pub fn open(out: &mut String, id: &str, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"sans-serif\" font-size=\"11\">\n<title id=\"{id}-title\">{t}</title>\n<desc id=\"{id}-desc\">{d}</desc>\n<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
        id = esc(id),
        w = c(width),
        h = c(height),
        t = esc(title),
        d = esc(desc),
    );
}

/// Text at a point; `anchor` is start, middle or end.
pub fn text(out: &mut String, x: f64, y: f64, anchor: &str, extra: &str, content: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\"{extra}>{}</text>",
        c(x),
        c(y),
        esc(content)
    );
}

/// A polyline through points (pixels).
pub fn polyline(out: &mut String, points: &[(f64, f64)], attrs: &str) {
    if points.len() < 2 {
        return;
    }
    out.push_str("<polyline points=\"");
    push_points(out, points);
    let _ = writeln!(out, "\" fill=\"none\" {attrs}/>");
}

/// A closed polygon through points (pixels).
pub fn polygon(out: &mut String, points: &[(f64, f64)], attrs: &str) {
    if points.len() < 3 {
        return;
    }
    out.push_str("<polygon points=\"");
    push_points(out, points);
    let _ = writeln!(out, "\" {attrs}/>");
}

/// `x,y x,y ...` as an SVG `points` attribute's value.
fn push_points(out: &mut String, points: &[(f64, f64)]) {
    for (i, (x, y)) in points.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&c(*x));
        out.push(',');
        out.push_str(&c(*y));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_one_way() {
        assert_eq!(c(1.04), "1");
        assert_eq!(c(-0.01), "0");
        assert_eq!(c(12.25), "12.3");
        assert_eq!(c(f64::NAN), "0");
        assert_eq!(c(f64::INFINITY), "0");
        assert_eq!(num(1234567.0, 0), "1,234,567");
        assert_eq!(num(-1234.5, 1), "-1,234.5");
        assert_eq!(num(0.50, 2), "0.5");
        assert_eq!(num(f64::NAN, 1), "–");
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(ticks(0.0, 7.0, 5), vec![0.0, 2.0, 4.0, 6.0]);
        assert_eq!(nice_max(93.0), 100.0);
        assert_eq!(nice_max(0.0), 1.0);
    }

    #[test]
    fn calendar_ticks_fall_on_new_year() {
        let day = |d: &str| airwar_scenario::Date::parse(d).unwrap().day_number();
        let (d0, d1) = (day("1937-10-01"), day("1941-06-30"));
        let t: Vec<String> = calendar_ticks(d0, d1).into_iter().map(|t| t.1).collect();
        assert_eq!(t, ["1938", "1939", "1940", "1941"]);
        let short = calendar_ticks(d0, d0 + 250);
        let labels: Vec<&str> = short.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["1937-10", "1938", "1938-04"]);
        let months: Vec<String> = calendar_ticks(d0, d0 + 70)
            .into_iter()
            .map(|t| t.1)
            .collect();
        assert_eq!(months, ["1937-10", "1937-11", "1937-12"]);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
