//! Engagement files: one historical (or hypothetical) air engagement, with its cited forces,
//! context and, optionally, the outcome history recorded.
//!
//! Raw phase: [`RawEngagement`] mirrors the TOML (with spans). Checked phase: [`Engagement`]
//! with every figure typed and range-checked, aircraft types resolved against the
//! [`AircraftDatabase`] (an unknown type gets a "did you mean"), side names in `ground_below` and
//! `observed` resolved to side indices, and every source reference checked.

use serde::{Deserialize, Serialize};

use crate::aircraft::AircraftDatabase;
use crate::check::Checker;
use crate::cited::{Citation, Figure, SpannedCited};
use crate::error::{closest, DataErrors, SourceText};
use crate::source::{Source, SourceRegistry};

/// What the attacking side set out to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mission {
    /// Fighters meet an incoming force in the air; no ground target.
    Intercept,
    /// Bombers attack an airfield; aircraft parked there may be destroyed.
    AirfieldStrike,
    /// Bombers or attack aircraft attack a ground target other than an airfield.
    Strike,
    /// Fighters hunt enemy fighters.
    Sweep,
}

impl Mission {
    pub fn name(self) -> &'static str {
        match self {
            Mission::Intercept => "intercept",
            Mission::AirfieldStrike => "airfield-strike",
            Mission::Strike => "strike",
            Mission::Sweep => "sweep",
        }
    }
}

/// Whether a side came to the fight or waited for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Posture {
    Attacker,
    Defender,
}

/// What a group of aircraft does in the fight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Goes for the enemy's bombers first.
    Interceptor,
    /// Protects its own bombers by engaging the enemy's interceptors.
    Escort,
    /// Hunts the enemy's fighters.
    Sweep,
    /// Carries bombs to the target; fires back only with defensive guns.
    Bomber,
    /// Ground attack: carries bombs or rockets, fights only if attacked.
    Attack,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Interceptor => "interceptor",
            Role::Escort => "escort",
            Role::Sweep => "sweep",
            Role::Bomber => "bomber",
            Role::Attack => "attack",
        }
    }

    /// Roles that attack other aircraft.
    pub fn is_fighter(self) -> bool {
        matches!(self, Role::Interceptor | Role::Escort | Role::Sweep)
    }
}

/// Which kind of figure an observation records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObservedMetric {
    /// Aircraft the side lost, as that side acknowledged.
    Losses,
    /// Aircraft the side's pilots (or gunners) claimed to have destroyed.
    Claims,
}

/// Whether an observation counts aircraft destroyed in the air or on the ground.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Where {
    #[default]
    Air,
    Ground,
}

// ---------------------------------------------------------------- raw phase

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawForce {
    #[serde(rename = "type")]
    pub type_name: toml::Spanned<String>,
    pub count: SpannedCited,
    pub quality: SpannedCited,
    pub role: Role,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParked {
    #[serde(rename = "type")]
    pub type_name: toml::Spanned<String>,
    pub count: SpannedCited,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSide {
    pub name: toml::Spanned<String>,
    pub nation: String,
    pub markings: String,
    pub posture: Posture,
    #[serde(default)]
    pub shares_radio_language: Option<SpannedCited>,
    #[serde(default)]
    pub iff: Option<SpannedCited>,
    #[serde(default)]
    pub home_distance_km: Option<SpannedCited>,
    #[serde(default)]
    pub no_pursuit_line_km: Option<SpannedCited>,
    #[serde(default)]
    pub no_pursuit_reason: Option<String>,
    #[serde(default)]
    pub forces: Vec<RawForce>,
    #[serde(default)]
    pub parked: Vec<RawParked>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContext {
    pub place: String,
    pub latitude: SpannedCited,
    pub longitude: SpannedCited,
    pub warning_minutes: SpannedCited,
    pub raid_altitude_m: SpannedCited,
    pub ground_below: toml::Spanned<String>,
    #[serde(default)]
    pub target_distance_km: Option<SpannedCited>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawObserved {
    pub metric: ObservedMetric,
    #[serde(default, rename = "where")]
    pub where_: Where,
    pub side: toml::Spanned<String>,
    #[serde(default, rename = "type")]
    pub type_name: Option<toml::Spanned<String>>,
    pub value: toml::Spanned<i64>,
    pub source: toml::Spanned<String>,
    pub section: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub doubtful: bool,
    /// Exact, or a bound ("at least 60").
    #[serde(default)]
    pub bound: crate::cited::Bound,
}

/// An engagement file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEngagement {
    pub id: toml::Spanned<String>,
    pub title: String,
    pub date: SpannedCited,
    pub mission: Mission,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub sources: Vec<Source>,
    pub context: RawContext,
    pub sides: toml::Spanned<Vec<RawSide>>,
    #[serde(default)]
    pub observed: Vec<RawObserved>,
    /// Aircraft types the file declares for itself (the fields of an aircraft file).
    #[serde(default)]
    pub aircraft: Vec<crate::aircraft::RawAircraft>,
}

// ---------------------------------------------------------------- checked phase

/// Pilot quality on the model's 0-1 scale, with the label it was given (if any).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quality {
    pub value: f64,
    pub label: Option<String>,
}

/// The named quality levels and where they sit on the 0-1 scale.
pub const QUALITY_LEVELS: &[(&str, f64)] = &[
    ("novice", 0.2),
    ("trained", 0.45),
    ("experienced", 0.7),
    ("veteran", 0.9),
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Force {
    /// Index into the aircraft database.
    pub type_index: usize,
    /// The type's canonical id.
    pub type_id: String,
    pub count: Figure<u32>,
    pub quality: Figure<Quality>,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parked {
    pub type_index: usize,
    pub type_id: String,
    pub count: Figure<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    pub name: String,
    pub nation: String,
    pub markings: String,
    pub posture: Posture,
    pub shares_radio_language: Figure<bool>,
    pub iff: Figure<bool>,
    pub home_distance_km: Option<Figure<f64>>,
    pub no_pursuit_line_km: Option<Figure<f64>>,
    pub no_pursuit_reason: Option<String>,
    pub forces: Vec<Force>,
    pub parked: Vec<Parked>,
}

impl Side {
    /// Aircraft this side puts in the air.
    pub fn airborne(&self) -> u32 {
        self.forces.iter().map(|f| f.count.value).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Context {
    pub place: String,
    pub latitude: Figure<f64>,
    pub longitude: Figure<f64>,
    pub warning_minutes: Figure<f64>,
    pub raid_altitude_m: Figure<f64>,
    /// Index of the side whose territory lies under the fight.
    pub ground_below: usize,
    pub target_distance_km: Option<Figure<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub metric: ObservedMetric,
    #[serde(rename = "where")]
    pub where_: Where,
    /// Index of the side (the loser for `losses`, the claimant for `claims`).
    pub side: usize,
    /// Canonical type id when the figure is for one type.
    pub type_id: Option<String>,
    pub value: u32,
    pub citation: Citation,
    pub note: Option<String>,
    pub doubtful: bool,
    #[serde(skip_serializing_if = "crate::cited::Bound::is_exact")]
    pub bound: crate::cited::Bound,
}

/// A checked engagement, ready for the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Engagement {
    pub id: String,
    pub title: String,
    pub date: Figure<crate::date::Date>,
    pub mission: Mission,
    pub summary: String,
    pub sources: Vec<Source>,
    pub context: Context,
    pub sides: Vec<Side>,
    pub observed: Vec<Observation>,
    /// The aircraft types this file declares (`[[aircraft]]`); their indices follow the
    /// database the file was checked against.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aircraft: Vec<crate::aircraft::AircraftType>,
}

impl Engagement {
    /// Total aircraft in the air, both sides.
    pub fn airborne(&self) -> u32 {
        self.sides.iter().map(Side::airborne).sum()
    }
}

fn resolve_side(c: &mut Checker, names: &[String], name: &toml::Spanned<String>) -> Option<usize> {
    let want = name.get_ref();
    if let Some(i) = names.iter().position(|n| n == want) {
        return Some(i);
    }
    let help = closest(want, names.iter().map(String::as_str))
        .map(|s| format!("did you mean `{s}`?"))
        .or_else(|| Some(format!("the sides are: {}", names.join(", "))));
    c.error(
        name.span(),
        format!("unknown side `{want}`: expected the name of a side in this file"),
        help,
    );
    None
}

pub(crate) fn resolve_type(
    c: &mut Checker,
    db: &AircraftDatabase,
    name: &toml::Spanned<String>,
) -> Option<(usize, String)> {
    match db.find(name.get_ref()) {
        Some(i) => Some((i, db.types[i].id.clone())),
        None => {
            let help = db
                .suggest(name.get_ref())
                .map(|s| format!("did you mean `{s}`? (`airwar types` lists every type)"))
                .or_else(|| Some("`airwar types` lists every known type".to_string()));
            c.error(
                name.span(),
                format!("unknown aircraft type `{}`", name.get_ref()),
                help,
            );
            None
        }
    }
}

/// An observed figure for one type must name a type that is in the battle: a side's losses of a
/// type it flies (or parks, for losses on the ground), or a side's claims of a type the other
/// side brings. Otherwise the figure could never be compared with the model.
fn check_observed_type(
    c: &mut Checker,
    sides: &[Side],
    ro: &RawObserved,
    side: usize,
    name: &toml::Spanned<String>,
    type_id: &str,
) {
    // Sides that failed their own checks are reported there; compare only whole sets.
    let (Some(own), true) = (sides.get(side), sides.len() == 2) else {
        return;
    };
    let (whose, counted) = match ro.metric {
        ObservedMetric::Losses => (own, "lost"),
        ObservedMetric::Claims => (&sides[1 - side], "claimed"),
    };
    let (present, verb): (Vec<&str>, &str) = match ro.where_ {
        Where::Air => (
            whose.forces.iter().map(|f| f.type_id.as_str()).collect(),
            "flies",
        ),
        Where::Ground => (
            whose.parked.iter().map(|p| p.type_id.as_str()).collect(),
            "parks",
        ),
    };
    if present.contains(&type_id) {
        return;
    }
    let mut listed = present.clone();
    listed.sort_unstable();
    listed.dedup();
    let help = closest(name.get_ref(), listed.iter().copied())
        .map(|s| format!("did you mean `{s}`?"))
        .or_else(|| {
            Some(if listed.is_empty() {
                format!("`{}` {verb} no aircraft in this battle", whose.name)
            } else {
                format!("`{}` {verb}: {}", whose.name, listed.join(", "))
            })
        });
    c.error(
        name.span(),
        format!(
            "this figure counts `{}` aircraft {counted} by `{}`, but `{}` {verb} no `{type_id}` \
             in this battle",
            name.get_ref(),
            own.name,
            whose.name
        ),
        help,
    );
}

fn check_quality(c: &mut Checker, raw: &SpannedCited) -> Option<Figure<Quality>> {
    let levels: Vec<&str> = QUALITY_LEVELS.iter().map(|(n, _)| *n).collect();
    let fig = c.figure(raw, |s| match s {
        crate::cited::Scalar::Str(label) => QUALITY_LEVELS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(label))
            .map(|(n, v)| Quality {
                value: *v,
                label: Some(n.to_string()),
            })
            .ok_or_else(|| {
                let hint = closest(label, levels.iter().copied())
                    .map(|b| format!(" (did you mean `{b}`?)"))
                    .unwrap_or_default();
                format!(
                    "one of {}, or a number from 0 to 1{hint}",
                    levels.join(", ")
                )
            }),
        crate::cited::Scalar::Float(v) if (0.0..=1.0).contains(v) => Ok(Quality {
            value: *v,
            label: None,
        }),
        crate::cited::Scalar::Int(v @ (0 | 1)) => Ok(Quality {
            value: *v as f64,
            label: None,
        }),
        _ => Err(format!(
            "one of {}, or a number from 0 to 1",
            levels.join(", ")
        )),
    });
    fig
}

/// Parse and check one engagement file against the aircraft database and the built-in sources.
/// `strict` also rejects figures without a citation.
pub fn load_engagement(
    name: &str,
    text: &str,
    db: &AircraftDatabase,
    sources: &SourceRegistry,
    strict: bool,
) -> Result<Engagement, DataErrors> {
    let st = SourceText::new(name, text);
    let raw: RawEngagement = toml::from_str(text).map_err(|e| st.from_toml(&e))?;
    let mut c = Checker::new(st, sources.ids());
    for s in &raw.sources {
        c.add_source(&s.id);
    }
    let (extended, declared) = crate::aircraft::declare_aircraft(&mut c, db, &raw.aircraft, name);
    let db = &extended;

    let id = raw.id.get_ref().clone();
    if id.is_empty()
        || !id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
    {
        c.error(
            raw.id.span(),
            format!("expected an id of lower-case letters, digits and '-', found `{id}`"),
            Some(format!(
                "try `{}`",
                id.to_lowercase()
                    .replace(|ch: char| !ch.is_ascii_alphanumeric(), "-")
            )),
        );
    }
    let date = c.date(&raw.date);

    let side_names: Vec<String> = raw
        .sides
        .get_ref()
        .iter()
        .map(|s| s.name.get_ref().clone())
        .collect();
    if side_names.len() != 2 {
        c.error(
            raw.sides.span(),
            format!("expected exactly two sides, found {}", side_names.len()),
            Some("an engagement has one [[sides]] table for each of the two sides".into()),
        );
    }
    for (i, n) in side_names.iter().enumerate() {
        if side_names[..i].contains(n) {
            let span = raw.sides.get_ref()[i].name.span();
            c.error(span, format!("two sides are both named `{n}`"), None);
        }
    }

    let mut sides = Vec::new();
    for rs in raw.sides.get_ref() {
        let mut forces = Vec::new();
        for rf in &rs.forces {
            let ty = resolve_type(&mut c, db, &rf.type_name);
            let count = c.count(&rf.count);
            let quality = check_quality(&mut c, &rf.quality);
            if let (Some((type_index, type_id)), Some(count), Some(quality)) = (ty, count, quality)
            {
                forces.push(Force {
                    type_index,
                    type_id,
                    count,
                    quality,
                    role: rf.role,
                });
            }
        }
        let mut parked = Vec::new();
        for rp in &rs.parked {
            let ty = resolve_type(&mut c, db, &rp.type_name);
            let count = c.count(&rp.count);
            if let (Some((type_index, type_id)), Some(count)) = (ty, count) {
                parked.push(Parked {
                    type_index,
                    type_id,
                    count,
                });
            }
        }
        let language = match &rs.shares_radio_language {
            Some(r) => c.boolean(r),
            None => Some(Figure::uncited(true)),
        };
        let iff = match &rs.iff {
            Some(r) => c.boolean(r),
            None => Some(Figure::uncited(false)),
        };
        let home = c.optional_number(&rs.home_distance_km, 0.0, 5000.0);
        let line = c.optional_number(&rs.no_pursuit_line_km, 0.0, 5000.0);
        if let (Some(shares_radio_language), Some(iff)) = (language, iff) {
            sides.push(Side {
                name: rs.name.get_ref().clone(),
                nation: rs.nation.clone(),
                markings: rs.markings.clone(),
                posture: rs.posture,
                shares_radio_language,
                iff,
                home_distance_km: home,
                no_pursuit_line_km: line,
                no_pursuit_reason: rs.no_pursuit_reason.clone(),
                forces,
                parked,
            });
        }
    }
    // Sizes: each side must bring aircraft, and the whole engagement stays within the limits.
    use crate::limits::{MAX_AIRCRAFT_PER_ENGAGEMENT, MAX_FORCE_ENTRIES};
    let entries: usize = raw
        .sides
        .get_ref()
        .iter()
        .map(|s| s.forces.len() + s.parked.len())
        .sum();
    if entries as u64 > MAX_FORCE_ENTRIES {
        c.error(
            raw.sides.span(),
            format!(
                "expected at most {MAX_FORCE_ENTRIES} force and parked entries in one engagement \
                 (the limit; docs/limits.md), found {entries}"
            ),
            Some("merge entries of the same type and role into one force".into()),
        );
    }
    let aircraft: u64 = sides
        .iter()
        .flat_map(|s| {
            s.forces
                .iter()
                .map(|f| f.count.value as u64)
                .chain(s.parked.iter().map(|p| p.count.value as u64))
        })
        .sum();
    if aircraft > MAX_AIRCRAFT_PER_ENGAGEMENT {
        c.error(
            raw.sides.span(),
            format!(
                "expected at most {MAX_AIRCRAFT_PER_ENGAGEMENT} aircraft in one engagement \
                 (the limit; docs/limits.md), found {aircraft}"
            ),
            None,
        );
    }
    for (rs, side) in raw.sides.get_ref().iter().zip(&sides) {
        let total: u64 = side
            .forces
            .iter()
            .map(|f| f.count.value as u64)
            .chain(side.parked.iter().map(|p| p.count.value as u64))
            .sum();
        if total == 0 && rs.forces.len() + rs.parked.len() == side.forces.len() + side.parked.len()
        {
            c.error(
                rs.name.span(),
                format!(
                    "side `{}` has no aircraft: a battle needs aircraft on both sides",
                    side.name
                ),
                Some("give one of its forces (or parked groups) a count above 0".into()),
            );
        }
    }
    let postures: Vec<Posture> = raw.sides.get_ref().iter().map(|s| s.posture).collect();
    if postures.len() == 2 && postures[0] == postures[1] {
        c.error(
            raw.sides.span(),
            "expected one side with posture = \"attacker\" and one with posture = \"defender\"",
            None,
        );
    }

    let rc = &raw.context;
    let lat = c.number(&rc.latitude, -90.0, 90.0);
    let lon = c.number(&rc.longitude, -180.0, 180.0);
    let warning = c.number(&rc.warning_minutes, 0.0, 600.0);
    let altitude = c.number(&rc.raid_altitude_m, 0.0, 20_000.0);
    let ground = resolve_side(&mut c, &side_names, &rc.ground_below);
    let target_distance = c.optional_number(&rc.target_distance_km, 0.0, 2000.0);

    let mut observed = Vec::new();
    for ro in &raw.observed {
        let side = resolve_side(&mut c, &side_names, &ro.side);
        let ty = ro
            .type_name
            .as_ref()
            .and_then(|t| resolve_type(&mut c, db, t));
        let value = *ro.value.get_ref();
        let in_range = (0..=crate::limits::MAX_OBSERVED_VALUE as i64).contains(&value);
        if !in_range {
            c.error(
                ro.value.span(),
                format!(
                    "expected a count from 0 to {}, found {value}",
                    crate::limits::MAX_OBSERVED_VALUE
                ),
                None,
            );
        }
        if let (Some(s), Some(t), Some((_, type_id))) = (side, &ro.type_name, &ty) {
            check_observed_type(&mut c, &sides, ro, s, t, type_id);
        }
        let citation = c.citation(&ro.source, &ro.section);
        if let (Some(side), true) = (side, in_range) {
            observed.push(Observation {
                metric: ro.metric,
                where_: ro.where_,
                side,
                type_id: ty.map(|(_, id)| id),
                value: value as u32,
                citation,
                note: ro.note.clone(),
                doubtful: ro.doubtful,
                bound: ro.bound,
            });
        }
    }

    if strict {
        let e = c.uncited_errors();
        c.errors.extend(e);
    }
    let (
        Some(date),
        Some(latitude),
        Some(longitude),
        Some(warning_minutes),
        Some(raid_altitude_m),
        Some(ground_below),
    ) = (date, lat, lon, warning, altitude, ground)
    else {
        return Err(DataErrors(c.errors));
    };
    let engagement = Engagement {
        id,
        title: raw.title,
        date,
        mission: raw.mission,
        summary: raw.summary,
        sources: raw.sources,
        context: Context {
            place: rc.place.clone(),
            latitude,
            longitude,
            warning_minutes,
            raid_altitude_m,
            ground_below,
            target_distance_km: target_distance,
        },
        sides,
        observed,
        aircraft: declared,
    };
    c.finish(engagement)
}
