//! Counterfactuals: changing any scenario value or model parameter, and comparing two arms on
//! common random numbers.
//!
//! A change is written `PATH=VALUE`:
//! - `params.NAME=VALUE` sets an engagement-model parameter, `campaign.NAME=VALUE` a campaign
//!   parameter (unknown names get a "did you mean").
//! - Any other path walks the theatre file: `routes[id=alma-ata-lanzhou].transit_days=3`.
//!   A segment on an array of tables may select elements with `[field=value]` (every element
//!   whose field has that value) or apply to all of them with no selector. `VALUE` is a TOML
//!   value (`3`, `"1939-01-01"`, `true`); the word `none` removes the key, or the selected
//!   elements. The changed file is then checked exactly like a file on disk.

use airwar_model::ModelParameters;
use airwar_scenario::{Library, Theatre};
use serde::Serialize;
use toml::Value;

use crate::params::CampaignParameters;
use crate::CampaignError;

/// One `PATH=VALUE` change.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub path: String,
    pub value: String,
}

impl std::str::FromStr for Change {
    type Err = CampaignError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (path, value) = s.split_once('=').ok_or_else(|| {
            CampaignError::Set(format!(
                "`{s}`: expected PATH=VALUE, e.g. params.lethality=0.01"
            ))
        })?;
        // A selector's own `=` sits inside brackets: split at the first `=` outside them.
        let mut depth = 0;
        let mut split = None;
        for (i, ch) in s.char_indices() {
            match ch {
                '[' => depth += 1,
                ']' => depth -= 1,
                '=' if depth == 0 => {
                    split = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let (path, value) = match split {
            Some(i) => (&s[..i], &s[i + 1..]),
            None => (path, value),
        };
        if path.trim().is_empty() {
            return Err(CampaignError::Set(format!("`{s}`: the path is empty")));
        }
        Ok(Change {
            path: path.trim().to_string(),
            value: value.trim().to_string(),
        })
    }
}

fn parse_value(text: &str) -> Option<Value> {
    if text == "none" {
        return None;
    }
    let doc: Result<toml::Table, _> = toml::from_str(&format!("v = {text}"));
    Some(match doc {
        Ok(mut t) => t.remove("v").unwrap_or(Value::String(text.to_string())),
        Err(_) => Value::String(text.to_string()),
    })
}

struct Segment {
    key: String,
    selector: Option<(String, String)>,
}

fn segments(path: &str) -> Result<Vec<Segment>, CampaignError> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let (head, tail) = match rest.find(['.', '[']) {
            Some(i) if rest.as_bytes()[i] == b'[' => {
                let close = rest[i..]
                    .find(']')
                    .ok_or_else(|| CampaignError::Set(format!("`{path}`: `[` without `]`")))?
                    + i;
                let inner = &rest[i + 1..close];
                let (f, v) = inner.split_once('=').unwrap_or(("id", inner));
                out.push(Segment {
                    key: rest[..i].to_string(),
                    selector: Some((f.trim().to_string(), v.trim().trim_matches('"').to_string())),
                });
                let tail = &rest[close + 1..];
                (None, tail.strip_prefix('.').unwrap_or(tail))
            }
            Some(i) => (Some(&rest[..i]), &rest[i + 1..]),
            None => (Some(rest), ""),
        };
        if let Some(h) = head {
            out.push(Segment {
                key: h.to_string(),
                selector: None,
            });
        }
        rest = tail;
    }
    Ok(out)
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn apply_at(
    node: &mut Value,
    segs: &[Segment],
    value: &Option<Value>,
    path: &str,
) -> Result<usize, CampaignError> {
    let Some((seg, rest)) = segs.split_first() else {
        return Ok(0);
    };
    let table = node.as_table_mut().ok_or_else(|| {
        CampaignError::Set(format!("`{path}`: `{}` is not inside a table", seg.key))
    })?;
    if rest.is_empty() && seg.selector.is_none() {
        return Ok(match value {
            Some(v) => {
                table.insert(seg.key.clone(), v.clone());
                1
            }
            None => usize::from(table.remove(&seg.key).is_some()),
        });
    }
    let known: Vec<String> = table.keys().cloned().collect();
    let child = table.get_mut(&seg.key).ok_or_else(|| {
        let hint = airwar_scenario::error::closest(&seg.key, known.iter().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        CampaignError::Set(format!("`{path}`: no field `{}`{hint}", seg.key))
    })?;
    match child {
        Value::Array(items) => {
            let matches = |item: &Value| match &seg.selector {
                None => true,
                Some((f, v)) => item.get(f).is_some_and(|x| {
                    scalar_text(x) == *v || x.get("value").is_some_and(|y| scalar_text(y) == *v)
                }),
            };
            if rest.is_empty() {
                // `none` removes the selected elements; a value replaces them.
                let before = items.len();
                match value {
                    None => {
                        items.retain(|i| !matches(i));
                        return Ok(before - items.len());
                    }
                    Some(v) => {
                        let mut n = 0;
                        for i in items.iter_mut().filter(|i| matches(i)) {
                            *i = v.clone();
                            n += 1;
                        }
                        return Ok(n);
                    }
                }
            }
            let mut n = 0;
            for item in items.iter_mut().filter(|i| matches(i)) {
                n += apply_at(item, rest, value, path)?;
            }
            Ok(n)
        }
        other => {
            if seg.selector.is_some() {
                return Err(CampaignError::Set(format!(
                    "`{path}`: `{}` is not a list, so `[...]` selects nothing",
                    seg.key
                )));
            }
            apply_at(other, rest, value, path)
        }
    }
}

/// Apply changes to parameters in place; returns the changes left for the theatre.
pub fn apply_parameter_changes(
    changes: &[Change],
    params: &mut ModelParameters,
    cparams: &mut CampaignParameters,
) -> Result<Vec<Change>, CampaignError> {
    let mut rest = Vec::new();
    for c in changes {
        if let Some(name) = c.path.strip_prefix("params.") {
            *params = set_field(params, name, &c.value, &c.path)?;
            params
                .validate()
                .map_err(|e| CampaignError::Set(format!("`{}`: {e}", c.path)))?;
        } else if let Some(name) = c.path.strip_prefix("campaign.") {
            *cparams = set_field(cparams, name, &c.value, &c.path)?;
            // Setting a fitted parameter fixes it: its fitted spread no longer applies.
            cparams.fix(name);
            cparams
                .validate()
                .map_err(|e| CampaignError::Set(format!("`{}`: {e}", c.path)))?;
        } else {
            rest.push(c.clone());
        }
    }
    Ok(rest)
}

fn set_field<T: Serialize + serde::de::DeserializeOwned>(
    current: &T,
    name: &str,
    value: &str,
    path: &str,
) -> Result<T, CampaignError> {
    let mut table =
        toml::Table::try_from(current).map_err(|e| CampaignError::Set(e.to_string()))?;
    if !table.contains_key(name) {
        let hint = airwar_scenario::error::closest(name, table.keys().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(CampaignError::Set(format!(
            "`{path}`: no parameter `{name}`{hint}"
        )));
    }
    let v = parse_value(value)
        .ok_or_else(|| CampaignError::Set(format!("`{path}`: a parameter cannot be removed")))?;
    table.insert(name.to_string(), v);
    Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| {
            CampaignError::Set(format!("`{path}={value}`: {}", e.message()))
        })
}

/// Apply theatre changes to the text of a theatre file and check the result like a file.
pub fn apply_theatre_changes(
    lib: &mut Library,
    name: &str,
    text: &str,
    changes: &[Change],
) -> Result<Theatre, CampaignError> {
    if changes.is_empty() {
        return lib
            .load_theatre(name, text, false)
            .map_err(|e| CampaignError::Data(e.to_string()));
    }
    let mut doc: Value = Value::Table(
        toml::from_str(text).map_err(|e: toml::de::Error| CampaignError::Data(e.to_string()))?,
    );
    for c in changes {
        let segs = segments(&c.path)?;
        let n = apply_at(&mut doc, &segs, &parse_value(&c.value), &c.path)?;
        if n == 0 {
            return Err(CampaignError::Set(format!("`{}`: nothing matched", c.path)));
        }
    }
    let changed = toml::to_string(&doc).map_err(|e| CampaignError::Set(e.to_string()))?;
    let label = format!(
        "{name} with --set {}",
        changes
            .iter()
            .map(|c| format!("{}={}", c.path, c.value))
            .collect::<Vec<_>>()
            .join(" ")
    );
    lib.load_theatre(&label, &changed, false)
        .map_err(|e| CampaignError::Data(e.to_string()))
}

/// A named counterfactual: the question it answers and the changes it makes.
#[derive(Debug, Clone, Serialize)]
pub struct Counterfactual {
    pub name: &'static str,
    pub scenario: &'static str,
    pub question: &'static str,
    /// The changes, as `PATH=VALUE`; `{withdrawal-365}` stands for the withdrawal date a year
    /// earlier (filled from the data).
    pub changes: &'static [&'static str],
}

pub const COUNTERFACTUALS: &[Counterfactual] = &[
    Counterfactual {
        name: "korea-no-coast-rule",
        scenario: "korea-1950",
        question: "What did the rule against flying near the coast and the front line cost the 64th Fighter Corps in losses and kills, and what did it buy in secrecy?",
        changes: &["rules[kind=no-fly-area]=none"],
    },
    Counterfactual {
        name: "korea-shared-radio-language",
        scenario: "korea-1950",
        question: "Had the Soviet pilots been free to speak Russian on the radio, how much friendly fire would they have been spared, and how much sooner would their presence have been proven?",
        changes: &["rules[kind=radio-language]=none"],
    },
    Counterfactual {
        name: "china-unlimited-route",
        scenario: "china-1937",
        question: "Had the Alma Ata to Lanzhou route carried aircraft as fast as they were sent, how much more could the Soviet Volunteer Group have fought and claimed?",
        changes: &["routes.capacity_aircraft_per_month=100000"],
    },
    Counterfactual {
        name: "china-early-withdrawal",
        scenario: "china-1937",
        question: "What if the Soviet Volunteer Group had been withdrawn a year earlier: how many fewer Japanese aircraft destroyed, and how many Soviet pilots spared?",
        changes: &["events[kind=withdrawal].date={withdrawal-365}"],
    },
];

/// The named counterfactual `name`, with its changes resolved against `theatre`.
pub fn named(name: &str, theatre: &Theatre) -> Result<Vec<Change>, CampaignError> {
    let cf = COUNTERFACTUALS
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            let hint =
                airwar_scenario::error::closest(name, COUNTERFACTUALS.iter().map(|c| c.name))
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
            CampaignError::Set(format!(
                "no counterfactual `{name}`{hint}; `airwar counterfactuals` lists them"
            ))
        })?;
    let withdrawal = theatre
        .events
        .iter()
        .filter(|e| e.kind == airwar_scenario::theatre::EventKind::Withdrawal)
        .filter_map(|e| crate::dates::day_number(&e.date.value))
        .min()
        .or_else(|| crate::dates::day_number(&theatre.end.value))
        .map(|d| crate::dates::date_of(d - 365))
        .unwrap_or_default();
    cf.changes
        .iter()
        .map(|c| {
            c.replace("{withdrawal-365}", &format!("\"{withdrawal}\""))
                .parse()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_parse_with_selectors() {
        let c: Change = "routes[id=alma-ata-lanzhou].transit_days=3"
            .parse()
            .unwrap();
        assert_eq!(c.path, "routes[id=alma-ata-lanzhou].transit_days");
        assert_eq!(c.value, "3");
        assert!("no-equals-sign".parse::<Change>().is_err());
    }

    #[test]
    fn setting_paths_in_a_document() {
        let mut doc: Value = Value::Table(
            toml::from_str(
                "[[routes]]\nid = \"a\"\nt = 1\n[[routes]]\nid = \"b\"\nt = 2\n[[rules]]\nkind = \"x\"\n[[rules]]\nkind = \"y\"\n",
            )
            .unwrap(),
        );
        let segs = segments("routes[id=b].t").unwrap();
        assert_eq!(
            apply_at(&mut doc, &segs, &parse_value("5"), "p").unwrap(),
            1
        );
        assert_eq!(doc["routes"][1]["t"].as_integer(), Some(5));
        assert_eq!(doc["routes"][0]["t"].as_integer(), Some(1));
        let segs = segments("rules[kind=x]").unwrap();
        assert_eq!(apply_at(&mut doc, &segs, &None, "p").unwrap(), 1);
        assert_eq!(doc["rules"].as_array().unwrap().len(), 1);
        let segs = segments("routes.t").unwrap();
        assert_eq!(
            apply_at(&mut doc, &segs, &parse_value("9"), "p").unwrap(),
            2
        );
        assert!(apply_at(
            &mut doc,
            &segments("routs.t").unwrap(),
            &parse_value("9"),
            "p"
        )
        .unwrap_err()
        .to_string()
        .contains("did you mean `routes`"));
    }

    #[test]
    fn parameter_changes_are_checked() {
        let (mut p, mut c) = (ModelParameters::default(), CampaignParameters::default());
        let rest = apply_parameter_changes(
            &[
                "params.lethality=0.01".parse().unwrap(),
                "routes.t=1".parse().unwrap(),
            ],
            &mut p,
            &mut c,
        )
        .unwrap();
        assert_eq!(p.lethality, 0.01);
        assert_eq!(rest.len(), 1);
        let err = apply_parameter_changes(&["params.lethalty=1".parse().unwrap()], &mut p, &mut c)
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `lethality`"), "{err}");
        assert!(apply_parameter_changes(
            &["params.crew_survival=3".parse().unwrap()],
            &mut p,
            &mut c
        )
        .is_err());
    }

    #[test]
    fn setting_the_contact_share_fixes_it() {
        let (mut p, mut c) = (ModelParameters::default(), CampaignParameters::default());
        c.posterior = vec![crate::params::PosteriorDraw {
            weight: 1.0,
            values: [("contact_share".to_string(), 0.05)].into(),
            log_likelihood: Default::default(),
        }];
        apply_parameter_changes(
            &["campaign.contact_share=0.3".parse().unwrap()],
            &mut p,
            &mut c,
        )
        .unwrap();
        assert_eq!(c.for_replication(0.99).contact_share, 0.3);
    }
}
