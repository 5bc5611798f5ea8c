//! Theatre scenarios: everything the campaign model and the validation of campaign totals use
//! for one theatre (`data/scenarios/*.toml`; format in docs/format.md, "Theatre scenarios").
//!
//! Raw phase: [`RawTheatre`] mirrors the file with spans. Checked phase: [`Theatre`], with
//! every figure typed and cited, every reference resolved (forces, bases, routes, aircraft
//! types, and the battles it lists, against the built-in battles), and every date checked.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::aircraft::AircraftDatabase;
use crate::check::Checker;
use crate::cited::{Citation, Figure, RawAlternative, SpannedCited};
use crate::date::Date;
use crate::error::{closest, DataErrors, SourceText};
use crate::source::{Source, SourceRegistry};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTheatreForce {
    pub id: toml::Spanned<String>,
    pub name: String,
    pub nation: String,
    pub markings: String,
    #[serde(default)]
    pub covert: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOwnerChange {
    pub date: SpannedCited,
    pub owner: toml::Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBase {
    pub id: toml::Spanned<String>,
    pub name: String,
    pub latitude: SpannedCited,
    pub longitude: SpannedCited,
    pub owner: toml::Spanned<String>,
    #[serde(default)]
    pub capacity_aircraft: Option<SpannedCited>,
    #[serde(default)]
    pub owner_changes: Vec<RawOwnerChange>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    pub id: toml::Spanned<String>,
    pub name: String,
    pub stops: Vec<toml::Spanned<String>>,
    pub length_km: SpannedCited,
    pub transit_days: SpannedCited,
    #[serde(default)]
    pub capacity_aircraft_per_month: Option<SpannedCited>,
    #[serde(default)]
    pub ferry_loss_share: Option<SpannedCited>,
    /// Trucks working a road; each brings its driver, who counts among the covert force's
    /// people.
    #[serde(default)]
    pub trucks: Option<SpannedCited>,
    /// When the route began to carry (else the theatre's start).
    #[serde(default)]
    pub opened: Option<SpannedCited>,
}

/// What a delivery brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeliveryKind {
    Aircraft,
    Pilots,
    GroundCrew,
    Advisers,
    Materiel,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDelivery {
    pub date: SpannedCited,
    #[serde(default)]
    pub route: Option<toml::Spanned<String>>,
    pub to: toml::Spanned<String>,
    #[serde(default, rename = "type")]
    pub type_name: Option<toml::Spanned<String>>,
    pub count: SpannedCited,
    pub what: DeliveryKind,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPersonnel {
    pub date: SpannedCited,
    pub force: toml::Spanned<String>,
    pub kind: String,
    pub count: SpannedCited,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLoan {
    pub date: SpannedCited,
    pub lender: String,
    pub borrower: String,
    pub amount_million_usd: SpannedCited,
    pub annual_interest_percent: SpannedCited,
    #[serde(default)]
    pub repaid_in: Vec<String>,
    #[serde(default)]
    pub repayment_from: Option<SpannedCited>,
    #[serde(default)]
    pub repayment_years: Option<SpannedCited>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCommodity {
    pub name: String,
    pub unit: String,
    #[serde(default)]
    pub price_usd: Option<SpannedCited>,
    #[serde(default)]
    pub quantity: Option<SpannedCited>,
    #[serde(default)]
    pub share: Option<SpannedCited>,
}

/// The kinds of constraint a covert force flies under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    Markings,
    Uniform,
    RadioLanguage,
    NoFlyArea,
    NoPursuit,
    CoverStory,
    CivilianCover,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub force: toml::Spanned<String>,
    pub kind: RuleKind,
    pub description: String,
    #[serde(default)]
    pub value: Option<SpannedCited>,
    pub source: toml::Spanned<String>,
    pub section: String,
}

/// The kinds of event on a theatre's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    BaseFalls,
    Arrival,
    Withdrawal,
    Handover,
    Rotation,
    Raid,
    Battle,
    Agreement,
    Exposure,
    Other,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub date: SpannedCited,
    pub kind: EventKind,
    pub description: String,
    #[serde(default)]
    pub base: Option<toml::Spanned<String>>,
    #[serde(default)]
    pub force: Option<toml::Spanned<String>>,
}

/// A major air operation of the theatre, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOperation {
    pub id: toml::Spanned<String>,
    pub name: String,
    pub from: SpannedCited,
    pub to: SpannedCited,
    pub latitude: SpannedCited,
    pub longitude: SpannedCited,
    #[serde(default)]
    pub note: Option<String>,
}

/// A place the enemy took, as written: the front line as a set of dated points.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontPoint {
    pub place: String,
    pub taken: SpannedCited,
    pub latitude: SpannedCited,
    pub longitude: SpannedCited,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTheatreObserved {
    pub metric: toml::Spanned<String>,
    pub force: toml::Spanned<String>,
    #[serde(default)]
    pub from: Option<toml::Spanned<String>>,
    #[serde(default)]
    pub to: Option<toml::Spanned<String>>,
    pub value: toml::Spanned<crate::cited::Scalar>,
    pub source: toml::Spanned<String>,
    pub section: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub doubtful: bool,
    #[serde(default)]
    pub bound: crate::cited::Bound,
    #[serde(default)]
    pub alternatives: Vec<RawAlternative>,
}

/// One enemy type the covert force met, with its cited share of the covert force's fights.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOpponent {
    #[serde(rename = "type")]
    pub type_name: toml::Spanned<String>,
    pub share: SpannedCited,
}

/// How the covert force fought: the rates and shares the campaign model is driven by.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDoctrine {
    #[serde(default)]
    pub engagements: Option<SpannedCited>,
    #[serde(default)]
    pub sorties: Option<SpannedCited>,
    #[serde(default)]
    pub tour_days: Option<SpannedCited>,
    #[serde(default)]
    pub handover_share: Option<SpannedCited>,
    #[serde(default)]
    pub accident_share_of_deaths: Option<SpannedCited>,
    #[serde(default)]
    pub pilots_at_once: Option<SpannedCited>,
    #[serde(default)]
    pub aircraft_at_once: Option<SpannedCited>,
    #[serde(default)]
    pub engaged_per_engagement: Option<SpannedCited>,
    #[serde(default)]
    pub opponents: Vec<RawOpponent>,
    #[serde(default)]
    pub fights_with_host: Option<SpannedCited>,
    #[serde(default)]
    pub ground_crew_tour_days: Option<SpannedCited>,
}

/// A theatre file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTheatre {
    pub id: toml::Spanned<String>,
    pub title: String,
    pub start: SpannedCited,
    pub end: SpannedCited,
    #[serde(default)]
    pub battles: Vec<toml::Spanned<String>>,
    #[serde(default)]
    pub doctrine: RawDoctrine,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub forces: Vec<RawTheatreForce>,
    #[serde(default)]
    pub bases: Vec<RawBase>,
    #[serde(default)]
    pub routes: Vec<RawRoute>,
    #[serde(default)]
    pub deliveries: Vec<RawDelivery>,
    #[serde(default)]
    pub personnel: Vec<RawPersonnel>,
    #[serde(default)]
    pub loans: Vec<RawLoan>,
    #[serde(default)]
    pub commodities: Vec<RawCommodity>,
    #[serde(default)]
    pub rules: Vec<RawRule>,
    #[serde(default)]
    pub events: Vec<RawEvent>,
    #[serde(default)]
    pub operations: Vec<RawOperation>,
    #[serde(default)]
    pub front: Vec<RawFrontPoint>,
    #[serde(default)]
    pub observed: Vec<RawTheatreObserved>,
    /// Aircraft types the file declares for itself (the fields of an aircraft file).
    #[serde(default)]
    pub aircraft: Vec<crate::aircraft::RawAircraft>,
}

// ---------------------------------------------------------------- checked phase

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TheatreForce {
    pub id: String,
    pub name: String,
    pub nation: String,
    pub markings: String,
    pub covert: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnerChange {
    pub date: Figure<Date>,
    pub owner: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Base {
    pub id: String,
    pub name: String,
    pub latitude: Figure<f64>,
    pub longitude: Figure<f64>,
    pub owner: String,
    pub capacity_aircraft: Option<Figure<u32>>,
    pub owner_changes: Vec<OwnerChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    pub id: String,
    pub name: String,
    pub stops: Vec<String>,
    pub length_km: Figure<f64>,
    pub transit_days: Figure<f64>,
    pub capacity_aircraft_per_month: Option<Figure<f64>>,
    pub ferry_loss_share: Option<Figure<f64>>,
    /// Trucks working a road, whose drivers count among the covert force's people.
    pub trucks: Option<Figure<u32>>,
    /// When the route began to carry, where the record says.
    pub opened: Option<Figure<Date>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub date: Figure<Date>,
    pub route: Option<String>,
    pub to: String,
    pub type_id: Option<String>,
    pub count: Figure<u32>,
    pub what: DeliveryKind,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Personnel {
    pub date: Figure<Date>,
    pub force: String,
    pub kind: String,
    pub count: Figure<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Loan {
    pub date: Figure<Date>,
    pub lender: String,
    pub borrower: String,
    pub amount_million_usd: Figure<f64>,
    pub annual_interest_percent: Figure<f64>,
    pub repaid_in: Vec<String>,
    /// When repayment begins, where the record says (else at the loan's date).
    pub repayment_from: Option<Figure<Date>>,
    /// Years over which the loan is repaid in equal instalments, where the record says.
    pub repayment_years: Option<Figure<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commodity {
    pub name: String,
    pub unit: String,
    pub price_usd: Option<Figure<f64>>,
    /// Shipped over the whole period, in `unit`.
    pub quantity: Option<Figure<f64>>,
    /// Share of the repayments' value paid in this commodity.
    pub share: Option<Figure<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub force: String,
    pub kind: RuleKind,
    pub description: String,
    pub value: Option<Figure<String>>,
    pub citation: Citation,
}

/// A major air operation: a cited period over a cited place during which the theatre's air
/// fighting was concentrated (the defence of a city, a series of raids).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    pub id: String,
    pub name: String,
    pub from: Figure<Date>,
    pub to: Figure<Date>,
    pub latitude: Figure<f64>,
    pub longitude: Figure<f64>,
    pub note: Option<String>,
}

/// A place the enemy took on a cited date: from then on it marks the front line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontPoint {
    pub place: String,
    pub taken: Figure<Date>,
    pub latitude: Figure<f64>,
    pub longitude: Figure<f64>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub date: Figure<Date>,
    pub kind: EventKind,
    pub description: String,
    pub base: Option<String>,
    pub force: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TheatreObservation {
    pub metric: String,
    pub force: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub value: Figure<f64>,
}

/// The covert force's rates and shares, as cited (each may be missing).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Doctrine {
    /// Air engagements the covert force fought over the theatre's period.
    pub engagements: Option<Figure<f64>>,
    /// Combat sorties it flew over the period.
    pub sorties: Option<Figure<f64>>,
    /// Days a pilot or unit served before rotating home.
    pub tour_days: Option<Figure<f64>>,
    /// Share of its aircraft handed over to the host air force.
    pub handover_share: Option<Figure<f64>>,
    /// Share of its dead killed in crashes and accidents rather than in combat.
    pub accident_share_of_deaths: Option<Figure<f64>>,
    /// Pilots present at one time.
    pub pilots_at_once: Option<Figure<f64>>,
    /// Aircraft present at one time.
    pub aircraft_at_once: Option<Figure<f64>>,
    /// The covert force's aircraft that actually fought in a typical engagement (as opposed to
    /// all the sorties flown).
    pub engaged_per_engagement: Option<Figure<f64>>,
    /// The enemy types the covert force met and their shares of its fights (the rest of its
    /// fights were against the opponents of the theatre's battles).
    pub opponents: Vec<Opponent>,
    /// Whether the host air force's aircraft flew in the covert force's fights (in mixed
    /// squadrons, say) or fought apart.
    pub fights_with_host: Option<Figure<bool>>,
    /// Days the ground crew served before going home, where the record says; else they stay
    /// for the whole period.
    pub ground_crew_tour_days: Option<Figure<f64>>,
}

/// An enemy type and the share of the covert force's fights that were against it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Opponent {
    pub type_id: String,
    pub share: Figure<f64>,
}

/// A checked theatre scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theatre {
    pub id: String,
    pub title: String,
    pub start: Figure<Date>,
    pub end: Figure<Date>,
    pub battles: Vec<String>,
    pub doctrine: Doctrine,
    pub sources: Vec<Source>,
    pub forces: Vec<TheatreForce>,
    pub bases: Vec<Base>,
    pub routes: Vec<Route>,
    pub deliveries: Vec<Delivery>,
    pub personnel: Vec<Personnel>,
    pub loans: Vec<Loan>,
    pub commodities: Vec<Commodity>,
    pub rules: Vec<Rule>,
    pub events: Vec<Event>,
    pub operations: Vec<Operation>,
    pub front: Vec<FrontPoint>,
    pub observed: Vec<TheatreObservation>,
    /// The aircraft types this file declares (`[[aircraft]]`); their indices follow the
    /// database the file was checked against.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aircraft: Vec<crate::aircraft::AircraftType>,
}

/// A place's cited latitude and longitude, each checked against its range.
fn coordinates(
    c: &mut Checker,
    latitude: &SpannedCited,
    longitude: &SpannedCited,
) -> (Option<Figure<f64>>, Option<Figure<f64>>) {
    (
        c.number(latitude, -90.0, 90.0),
        c.number(longitude, -180.0, 180.0),
    )
}

/// Check that `name` is one of `known` ids, with a "did you mean" when it is not.
fn reference(
    c: &mut Checker,
    what: &str,
    known: &BTreeSet<String>,
    name: &toml::Spanned<String>,
) -> Option<String> {
    let n = name.get_ref();
    if known.contains(n) {
        return Some(n.clone());
    }
    let help = closest(n, known.iter().map(String::as_str))
        .map(|s| format!("did you mean `{s}`?"))
        .or_else(|| {
            Some(format!(
                "the {what}s are: {}",
                known.iter().cloned().collect::<Vec<_>>().join(", ")
            ))
        });
    c.error(name.span(), format!("unknown {what} `{n}`"), help);
    None
}

fn unique_ids<'a>(
    c: &mut Checker,
    what: &str,
    ids: impl Iterator<Item = &'a toml::Spanned<String>>,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if !seen.insert(id.get_ref().clone()) {
            c.error(
                id.span(),
                format!("two {what}s have the id `{}`", id.get_ref()),
                None,
            );
        }
    }
    seen
}

/// Add one cited share to a running total of shares of one whole, and report where the total
/// passes 1.
fn add_share(
    c: &mut Checker,
    total: &mut f64,
    share: f64,
    span: std::ops::Range<usize>,
    what: &str,
    help: &str,
) {
    *total += share;
    if *total > 1.0 + 1e-9 {
        c.error(
            span,
            format!("the {what}' shares add up to {:.3}, more than 1", *total),
            Some(help.to_string()),
        );
    }
}

/// The `[[observed]]` metrics the campaign model produces a value for (`airwar-campaign`'s
/// `Total::observed_metric`; a test in `airwar` keeps the two lists equal). Other metrics are
/// kept as the record and listed as not modelled.
pub const MODELLED_OBSERVED_METRICS: &[&str] = &[
    "aircraft-delivered",
    "claims",
    "air-claims",
    "ground-claims",
    "losses",
    "pilots-killed",
    "personnel-peak",
    "personnel-deployed",
    "pilots-served",
];

/// A theatre's observed metric is free text (most record figures the model does not produce),
/// so a slip in a modelled metric's name would silently turn a target into a record-only row.
/// A name within two edits of a modelled one is refused with "did you mean".
fn check_observed_metric(c: &mut Checker, metric: &toml::Spanned<String>) {
    let m = metric.get_ref();
    let shape = !m.is_empty()
        && m.chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
    if !shape {
        c.error(
            metric.span(),
            format!("expected a metric of lower-case letters, digits and '-', found `{m}`"),
            Some(format!(
                "the metrics the model produces are: {}",
                MODELLED_OBSERVED_METRICS.join(", ")
            )),
        );
        return;
    }
    if MODELLED_OBSERVED_METRICS.contains(&m.as_str()) {
        return;
    }
    let near = MODELLED_OBSERVED_METRICS
        .iter()
        .map(|k| (strsim::damerau_levenshtein(m, k), *k))
        .min();
    if let Some((distance @ 1..=2, k)) = near {
        c.error(
            metric.span(),
            format!(
                "unknown metric `{m}`: {} from `{k}`, which the model produces",
                if distance == 1 {
                    "one letter"
                } else {
                    "two letters"
                }
            ),
            Some(format!(
                "did you mean `{k}`? (a figure the model does not produce needs a name that is \
                 not a near-miss of one it does)"
            )),
        );
    }
}

/// Sums over a theatre's rows, checked in 64 bits against the limits, so that no total the
/// campaign keeps (aircraft on hand, people present, money owed) can wrap or saturate.
fn check_totals(c: &mut Checker, deliveries: &[Delivery], personnel: &[Personnel], loans: &[Loan]) {
    use crate::limits::{MAX_THEATRE_AIRCRAFT, MAX_THEATRE_LOANS_MILLION_USD, MAX_THEATRE_PEOPLE};
    let aircraft = deliveries
        .iter()
        .filter(|d| d.what == DeliveryKind::Aircraft)
        .map(|d| (u64::from(d.count.value), d.count.span.clone()));
    let people = deliveries
        .iter()
        .filter(|d| {
            matches!(
                d.what,
                DeliveryKind::Pilots | DeliveryKind::GroundCrew | DeliveryKind::Advisers
            )
        })
        .map(|d| (u64::from(d.count.value), d.count.span.clone()))
        .chain(
            personnel
                .iter()
                .map(|p| (u64::from(p.count.value), p.count.span.clone())),
        );
    // Whole millions, rounded up: each amount is at most 1e6 (checked), so this is exact enough.
    let money = loans.iter().map(|l| {
        let m = &l.amount_million_usd;
        (m.value.ceil() as u64, m.span.clone())
    });
    let what = "aircraft delivered to the theatre";
    sum_within(c, aircraft, MAX_THEATRE_AIRCRAFT, what);
    sum_within(c, people, MAX_THEATRE_PEOPLE, "people sent to the theatre");
    sum_within(
        c,
        money,
        MAX_THEATRE_LOANS_MILLION_USD,
        "loans (million US dollars)",
    );
}

/// Add up `counts`; an error at the row where the total first passes `max`.
fn sum_within(
    c: &mut Checker,
    counts: impl Iterator<Item = (u64, std::ops::Range<usize>)>,
    max: u64,
    what: &str,
) {
    let mut total: u64 = 0;
    for (n, span) in counts {
        total = total.saturating_add(n);
        if total > max {
            c.error(
                span,
                format!(
                    "the {what} add up to more than {max} by this row (the limit; docs/limits.md)"
                ),
                Some("check the counts for a slip of a digit".into()),
            );
            return;
        }
    }
}

/// Parse and check one theatre file. `battles` are the battles it may list, each with its date
/// (a listed battle must fall inside the theatre's period); `strict` also rejects figures
/// without a citation.
pub fn load_theatre(
    name: &str,
    text: &str,
    db: &AircraftDatabase,
    sources: &SourceRegistry,
    battles: &BTreeMap<String, Date>,
    strict: bool,
) -> Result<Theatre, DataErrors> {
    let battle_dates = battles;
    let battle_ids: &BTreeSet<String> = &battle_dates.keys().cloned().collect();
    let st = SourceText::new(name, text);
    let raw: RawTheatre = toml::from_str(text).map_err(|e| st.from_toml(&e))?;
    let mut c = Checker::new(st, sources.ids());
    for s in &raw.sources {
        c.add_source(&s.id);
    }
    let (extended, declared) = crate::aircraft::declare_aircraft(&mut c, db, &raw.aircraft, name);
    let db = &extended;
    let start = c.date(&raw.start);
    let end = c.date(&raw.end);
    let rd = &raw.doctrine;
    let mut figure = |r: &Option<SpannedCited>, lo: f64, hi: f64| c.optional_number(r, lo, hi);
    let mut doctrine = Doctrine {
        engagements: figure(&rd.engagements, 0.0, 1e7),
        sorties: figure(&rd.sorties, 0.0, 1e8),
        tour_days: figure(&rd.tour_days, 1.0, 10_000.0),
        handover_share: figure(&rd.handover_share, 0.0, 1.0),
        accident_share_of_deaths: figure(&rd.accident_share_of_deaths, 0.0, 1.0),
        pilots_at_once: figure(&rd.pilots_at_once, 0.0, 1e6),
        aircraft_at_once: figure(&rd.aircraft_at_once, 0.0, 1e6),
        engaged_per_engagement: figure(&rd.engaged_per_engagement, 0.0, 1e5),
        opponents: Vec::new(),
        fights_with_host: rd.fights_with_host.as_ref().and_then(|b| c.boolean(b)),
        ground_crew_tour_days: c.optional_number(&rd.ground_crew_tour_days, 1.0, 10_000.0),
    };
    let mut opponent_share = 0.0;
    for o in &rd.opponents {
        let ty = crate::engagement::resolve_type(&mut c, db, &o.type_name);
        let share = c.number(&o.share, 0.0, 1.0);
        if let (Some((_, type_id)), Some(share)) = (ty, share) {
            add_share(
                &mut c,
                &mut opponent_share,
                share.value,
                o.share.span(),
                "opponents",
                "each share is the part of all the covert force's fights",
            );
            doctrine.opponents.push(Opponent { type_id, share });
        }
    }
    let force_ids = unique_ids(&mut c, "force", raw.forces.iter().map(|f| &f.id));
    let base_ids = unique_ids(&mut c, "base", raw.bases.iter().map(|b| &b.id));
    let route_ids = unique_ids(&mut c, "route", raw.routes.iter().map(|r| &r.id));

    let battles = raw
        .battles
        .iter()
        .filter_map(|b| reference(&mut c, "built-in battle", battle_ids, b))
        .collect();
    let forces = raw
        .forces
        .iter()
        .map(|f| TheatreForce {
            id: f.id.get_ref().clone(),
            name: f.name.clone(),
            nation: f.nation.clone(),
            markings: f.markings.clone(),
            covert: f.covert,
        })
        .collect();

    let mut bases = Vec::new();
    for b in &raw.bases {
        let (lat, lon) = coordinates(&mut c, &b.latitude, &b.longitude);
        let capacity = b.capacity_aircraft.as_ref().and_then(|x| c.count(x));
        // Owners are the theatre's forces (a misspelt owner would silently count as hostile).
        let owner = reference(&mut c, "force", &force_ids, &b.owner);
        let changes: Vec<OwnerChange> = b
            .owner_changes
            .iter()
            .filter_map(|oc| {
                let owner = reference(&mut c, "force", &force_ids, &oc.owner);
                c.date(&oc.date)
                    .zip(owner)
                    .map(|(date, owner)| OwnerChange { date, owner })
            })
            .collect();
        if let (Some(latitude), Some(longitude), Some(owner)) = (lat, lon, owner) {
            bases.push(Base {
                id: b.id.get_ref().clone(),
                name: b.name.clone(),
                latitude,
                longitude,
                owner,
                capacity_aircraft: capacity,
                owner_changes: changes,
            });
        }
    }

    let mut routes = Vec::new();
    for r in &raw.routes {
        if r.stops.len() < 2 {
            c.error(
                r.id.span(),
                format!(
                    "route `{}` has {} stops; a route runs between at least two bases",
                    r.id.get_ref(),
                    r.stops.len()
                ),
                Some("list its bases in order: stops = [\"from\", \"to\"]".into()),
            );
        }
        let stops: Vec<String> = r
            .stops
            .iter()
            .filter_map(|s| reference(&mut c, "base", &base_ids, s))
            .collect();
        let length = c.number(&r.length_km, 0.0, 50_000.0);
        let transit = c.number(&r.transit_days, 0.0, 3650.0);
        let capacity = c.optional_number(&r.capacity_aircraft_per_month, 0.0, 100_000.0);
        let loss = c.optional_number(&r.ferry_loss_share, 0.0, 1.0);
        let trucks = r.trucks.as_ref().and_then(|t| c.count(t));
        let opened = r.opened.as_ref().and_then(|d| c.date(d));
        if let (Some(length_km), Some(transit_days)) = (length, transit) {
            routes.push(Route {
                id: r.id.get_ref().clone(),
                name: r.name.clone(),
                stops,
                length_km,
                transit_days,
                capacity_aircraft_per_month: capacity,
                ferry_loss_share: loss,
                trucks,
                opened,
            });
        }
    }

    let mut deliveries = Vec::new();
    for d in &raw.deliveries {
        let date = c.date(&d.date);
        let route = d
            .route
            .as_ref()
            .and_then(|r| reference(&mut c, "route", &route_ids, r));
        let to = reference(&mut c, "force", &force_ids, &d.to);
        let type_id = d
            .type_name
            .as_ref()
            .and_then(|t| crate::engagement::resolve_type(&mut c, db, t))
            .map(|(_, id)| id);
        let count = c.count(&d.count);
        if let (Some(date), Some(to), Some(count)) = (date, to, count) {
            deliveries.push(Delivery {
                date,
                route,
                to,
                type_id,
                count,
                what: d.what,
            });
        }
    }

    let mut personnel = Vec::new();
    for p in &raw.personnel {
        let date = c.date(&p.date);
        let force = reference(&mut c, "force", &force_ids, &p.force);
        let count = c.count(&p.count);
        if let (Some(date), Some(force), Some(count)) = (date, force, count) {
            personnel.push(Personnel {
                date,
                force,
                kind: p.kind.clone(),
                count,
            });
        }
    }

    let mut loans = Vec::new();
    for l in &raw.loans {
        let date = c.date(&l.date);
        let amount = c.number(&l.amount_million_usd, 0.0, 1e6);
        let interest = c.number(&l.annual_interest_percent, 0.0, 100.0);
        let repayment_from = l.repayment_from.as_ref().and_then(|d| c.date(d));
        let repayment_years = c.optional_number(&l.repayment_years, 0.1, 100.0);
        if let (Some(date), Some(amount_million_usd), Some(annual_interest_percent)) =
            (date, amount, interest)
        {
            loans.push(Loan {
                date,
                lender: l.lender.clone(),
                borrower: l.borrower.clone(),
                amount_million_usd,
                annual_interest_percent,
                repaid_in: l.repaid_in.clone(),
                repayment_from,
                repayment_years,
            });
        }
    }

    let mut commodities = Vec::new();
    let mut share_total = 0.0;
    for m in &raw.commodities {
        let share = c.optional_number(&m.share, 0.0, 1.0);
        if let (Some(f), Some(raw_share)) = (&share, &m.share) {
            add_share(
                &mut c,
                &mut share_total,
                f.value,
                raw_share.span(),
                "commodities",
                "a share is the part of all repayments paid in this commodity",
            );
        }
        commodities.push(Commodity {
            name: m.name.clone(),
            unit: m.unit.clone(),
            price_usd: c.optional_number(&m.price_usd, 0.0, 1e12),
            quantity: c.optional_number(&m.quantity, 0.0, 1e15),
            share,
        });
    }

    let mut rules = Vec::new();
    for r in &raw.rules {
        let force = reference(&mut c, "force", &force_ids, &r.force);
        let value = r.value.as_ref().and_then(|v| {
            c.figure(v, |s| {
                Ok(match s {
                    crate::cited::Scalar::Str(x) => x.clone(),
                    other => other.to_string(),
                })
            })
        });
        let citation = c.citation(&r.source, &r.section);
        if let Some(force) = force {
            rules.push(Rule {
                force,
                kind: r.kind,
                description: r.description.clone(),
                value,
                citation,
            });
        }
    }

    let mut events = Vec::new();
    for ev in &raw.events {
        let date = c.date(&ev.date);
        let base = ev
            .base
            .as_ref()
            .and_then(|b| reference(&mut c, "base", &base_ids, b));
        let force = ev
            .force
            .as_ref()
            .and_then(|f| reference(&mut c, "force", &force_ids, f));
        if let Some(date) = date {
            events.push(Event {
                date,
                kind: ev.kind,
                description: ev.description.clone(),
                base,
                force,
            });
        }
    }

    let mut operations = Vec::new();
    for o in &raw.operations {
        let from = c.date(&o.from);
        let to = c.date(&o.to);
        let (latitude, longitude) = coordinates(&mut c, &o.latitude, &o.longitude);
        if let (Some(from), Some(to)) = (&from, &to) {
            if from.value > to.value {
                c.error(
                    o.to.span(),
                    format!(
                        "operation `{}` ends ({}) before it starts ({})",
                        o.id.get_ref(),
                        to.value,
                        from.value
                    ),
                    None,
                );
            }
        }
        if let (Some(from), Some(to), Some(latitude), Some(longitude)) =
            (from, to, latitude, longitude)
        {
            operations.push(Operation {
                id: o.id.get_ref().clone(),
                name: o.name.clone(),
                from,
                to,
                latitude,
                longitude,
                note: o.note.clone(),
            });
        }
    }

    let mut front = Vec::new();
    for f in &raw.front {
        let taken = c.date(&f.taken);
        let (latitude, longitude) = coordinates(&mut c, &f.latitude, &f.longitude);
        if let (Some(taken), Some(latitude), Some(longitude)) = (taken, latitude, longitude) {
            front.push(FrontPoint {
                place: f.place.clone(),
                taken,
                latitude,
                longitude,
                note: f.note.clone(),
            });
        }
    }

    let mut observed = Vec::new();
    // Each row's dates with their places, for the checks against the period below.
    let mut observed_dates = Vec::new();
    for o in &raw.observed {
        check_observed_metric(&mut c, &o.metric);
        let force = reference(&mut c, "force", &force_ids, &o.force);
        let from = c.plain_date(&o.from);
        let to = c.plain_date(&o.to);
        let placed = |d: Option<Date>, raw: &Option<toml::Spanned<String>>| {
            d.zip(raw.as_ref()).map(|(d, r)| (d, r.span()))
        };
        observed_dates.push((placed(from, &o.from), placed(to, &o.to)));
        let cited = toml::Spanned::new(
            o.value.span(),
            crate::cited::RawCited {
                value: o.value.clone(),
                source: Some(o.source.clone()),
                section: Some(o.section.clone()),
                note: o.note.clone(),
                doubtful: o.doubtful,
                bound: o.bound,
                alternatives: o.alternatives.clone(),
            },
        );
        let value = c.number(&cited, 0.0, 1e12);
        if let (Some(force), Some(value)) = (force, value) {
            observed.push(TheatreObservation {
                metric: o.metric.get_ref().clone(),
                force,
                from,
                to,
                value,
            });
        }
    }

    if strict {
        let e = c.uncited_errors();
        c.errors.extend(e);
    }
    let (Some(start), Some(end)) = (start, end) else {
        return Err(DataErrors(c.errors));
    };
    if start.value > end.value {
        c.error(
            raw.end.span(),
            format!(
                "the theatre ends ({}) before it starts ({})",
                end.value, start.value
            ),
            None,
        );
    }
    let days = (end.value.day_number() - start.value.day_number() + 1).max(0) as u64;
    if days > crate::limits::MAX_PERIOD_DAYS {
        c.error(
            raw.end.span(),
            format!(
                "the period is {days} days long; the limit is {} (docs/limits.md)",
                crate::limits::MAX_PERIOD_DAYS
            ),
            None,
        );
    }
    check_totals(&mut c, &deliveries, &personnel, &loans);
    let theatre = Theatre {
        id: raw.id.get_ref().clone(),
        title: raw.title,
        start,
        end,
        battles,
        doctrine,
        sources: raw.sources,
        forces,
        bases,
        routes,
        deliveries,
        personnel,
        loans,
        commodities,
        rules,
        events,
        operations,
        front,
        observed,
        aircraft: declared,
    };
    let period = Period {
        start: theatre.start.value,
        end: theatre.end.value,
    };
    let listed = (raw.battles.as_slice(), battle_dates);
    let observed_rows = (raw.observed.as_slice(), observed_dates.as_slice());
    check_dated_rows(&mut c, period, &theatre, listed, observed_rows);
    c.finish(theatre)
}

/// A theatre's period: its first and last day.
#[derive(Debug, Clone, Copy)]
struct Period {
    start: Date,
    end: Date,
}

impl Period {
    fn contains(self, d: Date) -> bool {
        (self.start..=self.end).contains(&d)
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} to {}", self.start, self.end)
    }
}

/// A checked observed row's `from` and `to`, each with its place in the file.
type ObservedDates = (
    Option<(Date, std::ops::Range<usize>)>,
    Option<(Date, std::ops::Range<usize>)>,
);

/// Every dated row the model reads, against the theatre's period (the observed figures' rule
/// is in docs/decisions.md, "Observed figures must be about something in their battle or
/// theatre"). What is on hand, owed, held or taken before the period opens is the state on
/// its first day, but a row the model would act on after the period ends (or, for an event or
/// a battle, on a day outside it) is never reached: that is a slip, refused where it is
/// written. Rows the model does not read (personnel, the other kinds of event, observed
/// figures it does not produce) are history and may lie anywhere.
fn check_dated_rows(
    c: &mut Checker,
    period: Period,
    theatre: &Theatre,
    (listed, battles): (&[toml::Spanned<String>], &BTreeMap<String, Date>),
    (raw_observed, observed): (&[RawTheatreObserved], &[ObservedDates]),
) {
    // Supply, money, bases and the front: before the period is the first day's state.
    let after_end = theatre
        .deliveries
        .iter()
        .map(|d| ("delivery", &d.date))
        .chain(theatre.loans.iter().map(|l| ("loan", &l.date)))
        .chain(theatre.bases.iter().flat_map(|b| {
            b.owner_changes
                .iter()
                .map(|oc| ("change of a base's owner", &oc.date))
        }))
        .chain(theatre.front.iter().map(|f| ("front point", &f.taken)));
    for (what, date) in after_end {
        if date.value > period.end {
            c.error(
                date.span.clone(),
                format!(
                    "this {what} is dated {}, after the theatre's period ({period})",
                    date.value
                ),
                Some("move it inside the period, or extend the period's end".into()),
            );
        }
    }
    // The events the model acts on (withdrawal, handover) happen on a day of the period.
    for e in &theatre.events {
        if matches!(e.kind, EventKind::Withdrawal | EventKind::Handover)
            && !period.contains(e.date.value)
        {
            c.error(
                e.date.span.clone(),
                format!(
                    "this {} event is dated {}, outside the theatre's period ({period}): the \
                     model acts on it only on a day of the period",
                    event_kind_name(e.kind),
                    e.date.value
                ),
                Some(
                    "date it inside the period, or record it as kind = \"other\" (history the \
                     model does not act on)"
                        .into(),
                ),
            );
        }
    }
    // An operation raises the rate of fighting over its days: some of them must be the period's.
    for o in &theatre.operations {
        let span = if o.to.value < period.start {
            &o.to.span
        } else if o.from.value > period.end {
            &o.from.span
        } else {
            continue;
        };
        c.error(
            span.clone(),
            format!(
                "operation `{}` ({} to {}) lies wholly outside the theatre's period ({period}): \
                 the model has no day of it",
                o.id, o.from.value, o.to.value
            ),
            Some("correct its dates, or leave it out".into()),
        );
    }
    // A battle the theatre lists is fought on its day, and its observed figures are about
    // that day: it must be a day of the period.
    for id in listed {
        let Some(date) = battles.get(id.get_ref()) else {
            continue;
        };
        if !period.contains(*date) {
            c.error(
                id.span(),
                format!(
                    "battle `{}` is dated {date}, outside the theatre's period ({period}): the \
                     campaign has no day to fight it on, and its observed figures are about a \
                     day the theatre does not cover",
                    id.get_ref()
                ),
                Some(
                    "list it in the theatre whose period holds its date, or correct the period"
                        .into(),
                ),
            );
        }
    }
    // Observed figures: a span that ends before it starts is a slip whatever the metric. A
    // figure the model produces must reach into the period: the model reads its total on the
    // `to` day, moved into the period. A `to` after the end reads the last day (the covert
    // force's totals stop changing when it leaves) and a `from` before the start counts from
    // the first (nothing happened before it arrived), but a span wholly outside would be
    // compared with a day it is not about. Record-only figures may lie anywhere (a war's total
    // from before the covert force arrived is history worth keeping beside the run).
    for (o, (from, to)) in raw_observed.iter().zip(observed) {
        if let (Some((f, _)), Some((t, span))) = (from, to) {
            if t < f {
                c.error(
                    span.clone(),
                    format!("this observed figure ends ({t}) before it starts ({f})"),
                    None,
                );
            }
        }
        if !MODELLED_OBSERVED_METRICS.contains(&o.metric.get_ref().as_str()) {
            continue;
        }
        let outside = match (from, to) {
            (_, Some((t, s))) if *t < period.start => Some((t, s)),
            (Some((f, s)), _) if *f > period.end => Some((f, s)),
            _ => None,
        };
        if let Some((date, span)) = outside {
            c.error(
                span.clone(),
                format!(
                    "this observed `{}` figure is dated {date}, outside the theatre's period \
                     ({period}): the model has no day to set beside it",
                    o.metric.get_ref(),
                ),
                Some(
                    "date it inside the period, or leave `from`/`to` out for the whole \
                      period"
                        .into(),
                ),
            );
        }
    }
}

/// An event kind as the file writes it (`base-falls`).
fn event_kind_name(kind: EventKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
