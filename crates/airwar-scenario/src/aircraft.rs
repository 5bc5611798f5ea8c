//! Aircraft types: cited performance data, loaded from `data/aircraft/*.toml`.
//!
//! Raw phase: [`RawAircraft`] mirrors the file with spans. Checked phase: [`AircraftType`] has
//! typed, range-checked figures. [`AircraftDatabase`] holds every type and resolves names and
//! aliases (case-insensitively), offering the closest name when one is unknown.

use serde::{Deserialize, Serialize};

use crate::check::Checker;
use crate::cited::{Figure, SpannedCited};
use crate::error::{closest, DataErrors, SourceText};
use crate::source::SourceRegistry;

/// What a type was built to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AircraftRole {
    Fighter,
    Bomber,
    Attack,
    Trainer,
    Reconnaissance,
}

impl AircraftRole {
    pub fn name(self) -> &'static str {
        match self {
            AircraftRole::Fighter => "fighter",
            AircraftRole::Bomber => "bomber",
            AircraftRole::Attack => "attack",
            AircraftRole::Trainer => "trainer",
            AircraftRole::Reconnaissance => "reconnaissance",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGun {
    pub name: String,
    pub count: SpannedCited,
    pub calibre_mm: toml::Spanned<f64>,
    #[serde(default)]
    pub rounds_per_gun: Option<SpannedCited>,
    #[serde(default)]
    pub rate_rpm: Option<SpannedCited>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClimbAlternative {
    #[serde(default)]
    pub to_m: Option<f64>,
    #[serde(default)]
    pub minutes: Option<f64>,
    #[serde(default)]
    pub rate_m_per_min: Option<f64>,
    pub source: toml::Spanned<String>,
    pub section: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub doubtful: bool,
    #[serde(default)]
    pub bound: crate::cited::Bound,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClimb {
    #[serde(default)]
    pub to_m: Option<f64>,
    #[serde(default)]
    pub minutes: Option<f64>,
    #[serde(default)]
    pub rate_m_per_min: Option<f64>,
    pub source: Option<toml::Spanned<String>>,
    pub section: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub doubtful: bool,
    #[serde(default)]
    pub bound: crate::cited::Bound,
    #[serde(default)]
    pub alternatives: Vec<RawClimbAlternative>,
}

/// An aircraft file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAircraft {
    pub id: toml::Spanned<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub nation: String,
    pub role: AircraftRole,
    pub family: String,
    #[serde(default)]
    pub description: String,
    pub year_in_service: SpannedCited,
    pub crew: SpannedCited,
    pub engines: SpannedCited,
    pub max_speed_kmh: SpannedCited,
    #[serde(default)]
    pub max_speed_altitude_m: Option<SpannedCited>,
    #[serde(default)]
    pub climb: Option<toml::Spanned<RawClimb>>,
    pub ceiling_m: SpannedCited,
    #[serde(default)]
    pub range_km: Option<SpannedCited>,
    #[serde(default)]
    pub loaded_weight_kg: Option<SpannedCited>,
    pub bomb_load_kg: SpannedCited,
    #[serde(default)]
    pub guns: Vec<RawGun>,
    #[serde(default)]
    pub defensive_guns: Vec<RawGun>,
}

/// A gun kind on a type, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gun {
    pub name: String,
    pub count: Figure<u32>,
    pub calibre_mm: f64,
    pub rounds_per_gun: Option<Figure<u32>>,
    pub rate_rpm: Option<Figure<f64>>,
}

/// How fast a type climbs: either a time to an altitude or an initial rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Climb {
    /// Initial climb rate (m/min) implied by the figure (see [`Climb::initial_rate`]).
    pub figure: Figure<ClimbFigure>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ClimbFigure {
    TimeToAltitude { to_m: f64, minutes: f64 },
    Rate { rate_m_per_min: f64 },
}

impl Climb {
    /// Sea-level climb rate (m/min) under the standard model in which the rate falls linearly to
    /// zero at the absolute ceiling: rate(h) = r0 (1 - h / ceiling). A time-to-altitude figure t
    /// to h gives r0 = -(ceiling / t) ln(1 - h / ceiling).
    pub fn initial_rate(&self, ceiling_m: f64) -> f64 {
        match self.figure.value {
            ClimbFigure::Rate { rate_m_per_min } => rate_m_per_min,
            ClimbFigure::TimeToAltitude { to_m, minutes } => {
                let frac = (to_m / ceiling_m).min(0.99);
                -(ceiling_m / minutes) * (1.0 - frac).ln()
            }
        }
    }

    /// Minutes to climb from sea level to `altitude_m` under the same model (infinite at or
    /// above the ceiling).
    pub fn minutes_to(&self, altitude_m: f64, ceiling_m: f64) -> f64 {
        let frac = altitude_m / ceiling_m;
        if frac >= 1.0 {
            return f64::INFINITY;
        }
        -(ceiling_m / self.initial_rate(ceiling_m)) * (1.0 - frac).ln()
    }
}

/// One aircraft type with every figure checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AircraftType {
    pub id: String,
    pub aliases: Vec<String>,
    pub nation: String,
    pub role: AircraftRole,
    pub family: String,
    pub description: String,
    pub year_in_service: Figure<u32>,
    pub crew: Figure<u32>,
    pub engines: Figure<u32>,
    pub max_speed_kmh: Figure<f64>,
    pub max_speed_altitude_m: Option<Figure<f64>>,
    /// None when no source was found (the model then uses a stand-in; see [`Performance`]).
    pub climb: Option<Climb>,
    pub ceiling_m: Figure<f64>,
    /// None when no source was found.
    pub range_km: Option<Figure<f64>>,
    /// None when no source was found.
    pub loaded_weight_kg: Option<Figure<f64>>,
    pub bomb_load_kg: Figure<f64>,
    pub guns: Vec<Gun>,
    pub defensive_guns: Vec<Gun>,
    /// The file it was read from.
    pub file: String,
}

impl AircraftType {
    /// Whether two types carry the same figures, citations and names, wherever they were read.
    pub fn same_figures(&self, other: &AircraftType) -> bool {
        let without_file = |t: &AircraftType| {
            let mut v = serde_json::to_value(t).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.remove("file");
            }
            v
        };
        without_file(self) == without_file(other)
    }
}

fn check_guns(c: &mut Checker, raw: &[RawGun]) -> Vec<Gun> {
    raw.iter()
        .filter_map(|g| {
            let count = c.count(&g.count);
            let rounds = g.rounds_per_gun.as_ref().and_then(|r| c.count(r));
            let rate = c.optional_number(&g.rate_rpm, 1.0, 10_000.0);
            let calibre = *g.calibre_mm.get_ref();
            if !(5.0..=40.0).contains(&calibre) {
                c.error(
                    g.calibre_mm.span(),
                    format!("expected a calibre from 5 to 40 mm, found {calibre}"),
                    None,
                );
            }
            Some(Gun {
                name: g.name.clone(),
                count: count?,
                calibre_mm: calibre,
                rounds_per_gun: rounds,
                rate_rpm: rate,
            })
        })
        .collect()
}

fn climb_figure(to_m: Option<f64>, minutes: Option<f64>, rate: Option<f64>) -> Option<ClimbFigure> {
    match (to_m, minutes, rate) {
        (Some(to_m), Some(minutes), None) if to_m > 0.0 && minutes > 0.0 => {
            Some(ClimbFigure::TimeToAltitude { to_m, minutes })
        }
        (None, None, Some(rate)) if rate > 0.0 => Some(ClimbFigure::Rate {
            rate_m_per_min: rate,
        }),
        _ => None,
    }
}

fn check_climb(c: &mut Checker, raw: &toml::Spanned<RawClimb>) -> Option<Climb> {
    let r = raw.get_ref();
    let mut alternatives = Vec::new();
    for alt in &r.alternatives {
        let citation = c.citation(&alt.source, &alt.section);
        match climb_figure(alt.to_m, alt.minutes, alt.rate_m_per_min) {
            Some(value) => alternatives.push(crate::cited::Alternative {
                value,
                citation,
                note: alt.note.clone(),
                doubtful: alt.doubtful,
                bound: alt.bound,
            }),
            None => c.error(
                alt.source.span(),
                "expected a climb alternative with either `to_m` and `minutes` or `rate_m_per_min`",
                None,
            ),
        }
    }
    let figure = match climb_figure(r.to_m, r.minutes, r.rate_m_per_min) {
        Some(f) => f,
        None => {
            c.error(
                raw.span(),
                "expected a climb figure: either `to_m` and `minutes` (both positive) or `rate_m_per_min`",
                Some("e.g. climb = { to_m = 5000, minutes = 6.2, source = \"...\", section = \"...\" }".into()),
            );
            return None;
        }
    };
    // Reuse the generic figure machinery for the citation by building an equivalent raw value.
    let cited = crate::cited::RawCited {
        value: toml::Spanned::new(raw.span(), crate::cited::Scalar::Bool(true)),
        source: r.source.clone(),
        section: r.section.clone(),
        note: r.note.clone(),
        doubtful: r.doubtful,
        bound: r.bound,
        alternatives: Vec::new(),
    };
    let fig = c.figure(&toml::Spanned::new(raw.span(), cited), |_| Ok(()))?;
    Some(Climb {
        figure: Figure {
            value: figure,
            citation: fig.citation,
            note: fig.note,
            doubtful: fig.doubtful,
            bound: fig.bound,
            alternatives,
            span: fig.span,
        },
    })
}

/// Parse and check one aircraft file. `strict` also rejects figures without a citation.
pub fn load_aircraft(
    name: &str,
    text: &str,
    sources: &SourceRegistry,
    strict: bool,
) -> Result<AircraftType, DataErrors> {
    let st = SourceText::new(name, text);
    let raw: RawAircraft = toml::from_str(text).map_err(|e| st.from_toml(&e))?;
    let mut c = Checker::new(st, sources.ids());
    let ty = check_aircraft(&mut c, &raw, name);
    if strict {
        let e = c.uncited_errors();
        c.errors.extend(e);
    }
    match ty {
        Some(ty) => c.finish(ty),
        None => Err(DataErrors(c.errors)),
    }
}

/// Check one aircraft table (a file of its own, or an `[[aircraft]]` table inside an
/// engagement or theatre file), recording problems in `c`. None when a required figure is
/// missing or wrong.
pub fn check_aircraft(c: &mut Checker, raw: &RawAircraft, file: &str) -> Option<AircraftType> {
    let year = c.count(&raw.year_in_service);
    let crew = c.count(&raw.crew);
    let engines = c.count(&raw.engines);
    let speed = c.number(&raw.max_speed_kmh, 50.0, 3000.0);
    let speed_alt = c.optional_number(&raw.max_speed_altitude_m, 0.0, 20_000.0);
    let climb = raw.climb.as_ref().map(|r| check_climb(c, r));
    let ceiling = c.number(&raw.ceiling_m, 500.0, 25_000.0);
    let range = raw.range_km.as_ref().map(|r| c.number(r, 50.0, 20_000.0));
    let weight = raw
        .loaded_weight_kg
        .as_ref()
        .map(|r| c.number(r, 100.0, 200_000.0));
    let bombs = c.number(&raw.bomb_load_kg, 0.0, 50_000.0);
    let guns = check_guns(c, &raw.guns);
    let defensive_guns = check_guns(c, &raw.defensive_guns);
    if let Some(y) = &year {
        if !(1900..=2000).contains(&y.value) {
            c.error(
                y.span.clone(),
                format!("expected a year from 1900 to 2000, found {}", y.value),
                None,
            );
        }
    }
    let id = raw.id.get_ref();
    if id.trim().is_empty() {
        c.error(
            raw.id.span(),
            "expected an aircraft id, found an empty string",
            None,
        );
    }
    let (
        Some(year_in_service),
        Some(crew),
        Some(engines),
        Some(max_speed_kmh),
        climb @ (None | Some(Some(_))),
        Some(ceiling_m),
        range_km @ (None | Some(Some(_))),
        loaded_weight_kg @ (None | Some(Some(_))),
        Some(bomb_load_kg),
    ) = (
        year, crew, engines, speed, climb, ceiling, range, weight, bombs,
    )
    else {
        return None;
    };
    Some(AircraftType {
        id: id.clone(),
        aliases: raw.aliases.clone(),
        nation: raw.nation.clone(),
        role: raw.role,
        family: raw.family.clone(),
        description: raw.description.clone(),
        year_in_service,
        crew,
        engines,
        max_speed_kmh,
        max_speed_altitude_m: speed_alt,
        climb: climb.flatten(),
        ceiling_m,
        range_km: range_km.flatten(),
        loaded_weight_kg: loaded_weight_kg.flatten(),
        bomb_load_kg,
        guns,
        defensive_guns,
        file: file.to_string(),
    })
}

/// Check the `[[aircraft]]` tables a user's engagement or theatre file declares and return the
/// database extended with them (after the known types, so known indices keep their meaning),
/// with the declared types. A declared id or alias that names a known type, or one declared
/// earlier in the file, is an error at the id: a user type never silently replaces another.
pub fn declare_aircraft(
    c: &mut Checker,
    db: &AircraftDatabase,
    raws: &[RawAircraft],
    file: &str,
) -> (AircraftDatabase, Vec<AircraftType>) {
    let mut extended = db.clone();
    let mut declared = Vec::new();
    for raw in raws {
        let Some(ty) = check_aircraft(c, raw, file) else {
            continue;
        };
        if let Some(known) = extended.get(&ty.id).filter(|k| k.same_figures(&ty)) {
            // The same declaration loaded again (the base and the changed arm of a comparison,
            // or one file listed twice): the known type stands for it.
            declared.push(known.clone());
            continue;
        }
        if let Some(clash) = extended.clash(&ty) {
            c.error(
                raw.id.span(),
                format!("aircraft type `{}` is already defined ({})", ty.id, clash),
                Some("give the new type an id and aliases of its own".to_string()),
            );
            continue;
        }
        extended.types.push(ty.clone());
        declared.push(ty);
    }
    (extended, declared)
}

/// Every known aircraft type, looked up by id or alias.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AircraftDatabase {
    pub types: Vec<AircraftType>,
}

impl AircraftDatabase {
    /// Index of the type whose id or alias equals `name` (ignoring case and spaces around).
    pub fn find(&self, name: &str) -> Option<usize> {
        let want = normalise(name);
        self.types.iter().position(|t| {
            normalise(&t.id) == want || t.aliases.iter().any(|a| normalise(a) == want)
        })
    }

    pub fn get(&self, name: &str) -> Option<&AircraftType> {
        self.find(name).map(|i| &self.types[i])
    }

    /// Where a new type's id or one of its aliases is already known: the known type and the
    /// file that declared it. None when every name is new.
    pub fn clash(&self, new: &AircraftType) -> Option<String> {
        std::iter::once(&new.id)
            .chain(new.aliases.iter())
            .find_map(|name| self.get(name))
            .map(|t| format!("as `{}` in {}", t.id, t.file))
    }

    /// Add a checked type from a user's aircraft file; an error naming the clash when its id or
    /// an alias is already known.
    pub fn add(&mut self, ty: AircraftType) -> Result<usize, String> {
        if let Some(clash) = self.clash(&ty) {
            return Err(format!(
                "aircraft type `{}` in {} is already defined ({clash}); give it an id and aliases of its own",
                ty.id, ty.file
            ));
        }
        self.types.push(ty);
        Ok(self.types.len() - 1)
    }

    /// The known name closest to `name`, for "did you mean" messages.
    pub fn suggest(&self, name: &str) -> Option<&str> {
        let names = self.types.iter().flat_map(|t| {
            std::iter::once(t.id.as_str()).chain(t.aliases.iter().map(|a| a.as_str()))
        });
        closest(name, names)
    }
}

/// The performance figures the model uses for one type: the cited figure where there is one,
/// otherwise a stand-in, the median of the same figure over the types of the same role that
/// entered service within [`STAND_IN_YEARS`] years (or, failing those, of the same era of any
/// role). Stand-ins are named in `stand_ins` so that outputs can say so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Performance {
    /// Sea-level climb rate, m/min.
    pub climb_rate_m_per_min: f64,
    pub range_km: f64,
    pub loaded_weight_kg: f64,
    /// Which of the three are stand-ins rather than cited figures.
    pub stand_ins: Vec<&'static str>,
}

/// How far apart (years in service) types may be to lend a stand-in figure.
pub const STAND_IN_YEARS: u32 = 6;

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

impl AircraftDatabase {
    fn stand_in(&self, of: &AircraftType, figure: impl Fn(&AircraftType) -> Option<f64>) -> f64 {
        let near = |t: &&AircraftType| {
            t.year_in_service.value.abs_diff(of.year_in_service.value) <= STAND_IN_YEARS
        };
        let same_role: Vec<f64> = self
            .types
            .iter()
            .filter(near)
            .filter(|t| t.role == of.role)
            .filter_map(&figure)
            .collect();
        let same_era: Vec<f64> = self.types.iter().filter(near).filter_map(&figure).collect();
        let any: Vec<f64> = self.types.iter().filter_map(&figure).collect();
        median(same_role)
            .or_else(|| median(same_era))
            .or_else(|| median(any))
            .unwrap_or(1.0)
    }

    /// The figures the model uses for type `index`, with stand-ins where no source was found.
    pub fn performance(&self, index: usize) -> Option<Performance> {
        let t = self.types.get(index)?;
        let rate = |t: &AircraftType| t.climb.as_ref().map(|c| c.initial_rate(t.ceiling_m.value));
        let range = |t: &AircraftType| t.range_km.as_ref().map(|f| f.value);
        let weight = |t: &AircraftType| t.loaded_weight_kg.as_ref().map(|f| f.value);
        let mut stand_ins = Vec::new();
        let mut pick = |name: &'static str, f: &dyn Fn(&AircraftType) -> Option<f64>| {
            f(t).unwrap_or_else(|| {
                stand_ins.push(name);
                self.stand_in(t, f)
            })
        };
        let climb_rate_m_per_min = pick("climb", &rate);
        let range_km = pick("range_km", &range);
        let loaded_weight_kg = pick("loaded_weight_kg", &weight);
        Some(Performance {
            climb_rate_m_per_min,
            range_km,
            loaded_weight_kg,
            stand_ins,
        })
    }
}

/// Minutes to climb from sea level to `altitude_m` for a sea-level rate `rate` (m/min) falling
/// linearly to zero at `ceiling_m` (infinite at or above the ceiling).
pub fn minutes_to_altitude(rate: f64, altitude_m: f64, ceiling_m: f64) -> f64 {
    let frac = altitude_m / ceiling_m;
    if frac >= 1.0 || rate <= 0.0 {
        return f64::INFINITY;
    }
    -(ceiling_m / rate) * (1.0 - frac).ln()
}

fn normalise(s: &str) -> String {
    s.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn climb(fig: ClimbFigure) -> Climb {
        Climb {
            figure: Figure::uncited(fig),
        }
    }

    #[test]
    fn climb_model_round_trips_a_time_to_altitude() {
        let c = climb(ClimbFigure::TimeToAltitude {
            to_m: 5000.0,
            minutes: 6.2,
        });
        let t = c.minutes_to(5000.0, 9800.0);
        assert!((t - 6.2).abs() < 1e-9, "{t}");
        // Climbing higher takes longer, and the ceiling is never reached.
        assert!(c.minutes_to(8000.0, 9800.0) > t);
        assert!(c.minutes_to(9800.0, 9800.0).is_infinite());
    }

    #[test]
    fn rate_figure_is_the_sea_level_rate() {
        let c = climb(ClimbFigure::Rate {
            rate_m_per_min: 1000.0,
        });
        assert_eq!(c.initial_rate(10_000.0), 1000.0);
        // First 100 m take about 0.1 minute.
        assert!((c.minutes_to(100.0, 10_000.0) - 0.1).abs() < 0.001);
    }
}
