//! Coastlines and land borders of each built-in theatre, from Natural Earth (public domain),
//! made once by `data/geography/make.py` and embedded here; and the projection the map draws
//! them in.

use crate::ReportError;

/// The embedded geography files: (theatre id, text).
const FILES: &[(&str, &str)] = &[
    (
        "china-1937",
        include_str!("../../../data/geography/china-1937.geo"),
    ),
    (
        "korea-1950",
        include_str!("../../../data/geography/korea-1950.geo"),
    ),
];

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// The edge of land: a country outline no other country shares.
    Coast,
    /// A land border two countries share (present-day borders, as Natural Earth draws them).
    Border,
}

/// A box of longitudes and latitudes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    pub lon_min: f64,
    pub lat_min: f64,
    pub lon_max: f64,
    pub lat_max: f64,
}

impl BoundingBox {
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        (self.lon_min..=self.lon_max).contains(&lon) && (self.lat_min..=self.lat_max).contains(&lat)
    }
}

/// A theatre's coastlines and borders.
#[derive(Debug, Clone, PartialEq)]
pub struct Geography {
    pub bounds: BoundingBox,
    /// (kind, points as (longitude, latitude)).
    pub lines: Vec<(LineKind, Vec<(f64, f64)>)>,
}

fn bad(theatre: &str, line: usize, what: &str) -> ReportError {
    ReportError::Geography {
        theatre: theatre.to_string(),
        line,
        what: what.to_string(),
    }
}

/// Parse a geography file (the format `data/geography/make.py` writes).
pub fn parse(theatre: &str, text: &str) -> Result<Geography, ReportError> {
    let mut bounds = None;
    let mut lines = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        match word {
            "box" => {
                let v: Vec<f64> = rest
                    .split_whitespace()
                    .map(|x| x.parse::<f64>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| bad(theatre, n, "box wants four numbers"))?;
                let [lon_min, lat_min, lon_max, lat_max] = v[..] else {
                    return Err(bad(theatre, n, "box wants four numbers"));
                };
                if lon_min >= lon_max || lat_min >= lat_max {
                    return Err(bad(theatre, n, "box is empty"));
                }
                bounds = Some(BoundingBox {
                    lon_min,
                    lat_min,
                    lon_max,
                    lat_max,
                });
            }
            "coast" | "border" => {
                let kind = if word == "coast" {
                    LineKind::Coast
                } else {
                    LineKind::Border
                };
                let mut points = Vec::new();
                for pair in rest.split_whitespace() {
                    let (lon, lat) = pair
                        .split_once(',')
                        .ok_or_else(|| bad(theatre, n, "a point is LON,LAT"))?;
                    let lon: f64 = lon
                        .parse()
                        .map_err(|_| bad(theatre, n, "a longitude is not a number"))?;
                    let lat: f64 = lat
                        .parse()
                        .map_err(|_| bad(theatre, n, "a latitude is not a number"))?;
                    points.push((lon, lat));
                }
                if points.len() < 2 {
                    return Err(bad(theatre, n, "a line needs two points"));
                }
                lines.push((kind, points));
            }
            _ => return Err(bad(theatre, n, "a line starts with box, coast or border")),
        }
    }
    let bounds = bounds.ok_or_else(|| bad(theatre, 0, "no box line"))?;
    Ok(Geography { bounds, lines })
}

/// The embedded geography of a built-in theatre, if there is one.
pub fn for_theatre(theatre: &str) -> Result<Option<Geography>, ReportError> {
    FILES
        .iter()
        .find(|(id, _)| *id == theatre)
        .map(|(id, text)| parse(id, text))
        .transpose()
}

/// An equirectangular projection of a box into a `width` × `height` area, with east-west
/// distances scaled by the cosine of the box's middle latitude (so shapes keep their
/// proportions near it), from the area's top left corner ([`Projection::frame`] says how much
/// of the area it fills).
#[derive(Debug, Clone, Copy)]
pub struct Projection {
    bounds: BoundingBox,
    scale: f64,
    x0: f64,
    y0: f64,
}

impl Projection {
    pub fn new(bounds: BoundingBox, width: f64, height: f64) -> Projection {
        let k = ((bounds.lat_min + bounds.lat_max) / 2.0).to_radians().cos();
        let w = (bounds.lon_max - bounds.lon_min) * k;
        let h = bounds.lat_max - bounds.lat_min;
        let scale = (width / w).min(height / h);
        Projection {
            bounds,
            scale,
            x0: 0.0,
            y0: 0.0,
        }
    }
    fn k(&self) -> f64 {
        ((self.bounds.lat_min + self.bounds.lat_max) / 2.0)
            .to_radians()
            .cos()
    }
    /// Pixels of a (longitude, latitude).
    pub fn at(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.x0 + (lon - self.bounds.lon_min) * self.k() * self.scale,
            self.y0 + (self.bounds.lat_max - lat) * self.scale,
        )
    }
    /// Pixels per kilometre north-south (a degree of latitude is about 111.2 km).
    pub fn px_per_km(&self) -> f64 {
        self.scale / 111.2
    }
    /// The drawn area: (x, y, width, height).
    pub fn frame(&self) -> (f64, f64, f64, f64) {
        let (x1, y1) = self.at(self.bounds.lon_max, self.bounds.lat_min);
        (self.x0, self.y0, x1 - self.x0, y1 - self.y0)
    }
    pub fn bounds(&self) -> BoundingBox {
        self.bounds
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_theatres_have_coast_and_borders() {
        for id in ["china-1937", "korea-1950"] {
            let g = for_theatre(id).unwrap().unwrap();
            assert!(g.lines.iter().any(|l| l.0 == LineKind::Coast), "{id}");
            assert!(g.lines.iter().any(|l| l.0 == LineKind::Border), "{id}");
            for (_, points) in &g.lines {
                for (lon, lat) in points {
                    assert!(g.bounds.contains(*lon, *lat), "{id}: {lon},{lat}");
                }
            }
        }
        assert!(for_theatre("atlantis").unwrap().is_none());
    }

    #[test]
    fn bad_files_are_located() {
        let e = parse("t", "box 0 0 1 1\ncoast 1,2 x,3\n").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = parse("t", "coast 1,2 3,4\n").unwrap_err();
        assert!(e.to_string().contains("no box"), "{e}");
        assert!(parse("t", "box 0 0 1\n").is_err());
        assert!(parse("t", "box 0 0 1 1\nriver 1,1 2,2\n").is_err());
    }

    #[test]
    fn projection_keeps_north_up_and_the_box_inside() {
        let b = BoundingBox {
            lon_min: 100.0,
            lat_min: 20.0,
            lon_max: 120.0,
            lat_max: 40.0,
        };
        let p = Projection::new(b, 400.0, 300.0);
        let (x0, y0) = p.at(100.0, 40.0);
        let (x1, y1) = p.at(120.0, 20.0);
        assert!(x0 >= 0.0 && y0 >= 0.0 && x1 <= 400.0 + 1e-9 && y1 <= 300.0 + 1e-9);
        assert!(x1 > x0 && y1 > y0);
        // A degree east is shorter than a degree north at 30°N.
        let east = p.at(101.0, 30.0).0 - p.at(100.0, 30.0).0;
        let north = p.at(100.0, 30.0).1 - p.at(100.0, 31.0).1;
        assert!((east / north - 30f64.to_radians().cos()).abs() < 1e-9);
    }
}
