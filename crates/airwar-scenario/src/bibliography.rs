//! The bibliography: every source the built-in data (or a library with user files) cites, with
//! how many figures cite it.
//!
//! Sources are declared by id (`data/sources.toml`, or a theatre's or battle's own
//! `[[sources]]`) or cited directly by their public address. [`Bibliography::of`] walks every
//! checked figure of the library (aircraft, battles, theatres; each value and each
//! alternative) and counts the citations of each source; [`Bibliography::bibtex`] and
//! [`Bibliography::csl_json`] render it for reference managers.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::builtin::Library;
use crate::source::Source;

/// One source with its citation count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The id figures cite it by (the address itself for sources cited directly).
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub doubtful: bool,
    /// Figures (values and alternative values) that cite it.
    pub figures: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Every source with its figure count, declared sources first (in id order), then addresses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bibliography {
    pub entries: Vec<Entry>,
}

/// Count every `citation.source` (and bare `source` of an observation) under `v`.
fn count(v: &serde_json::Value, counts: &mut BTreeMap<String, usize>) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(c)) = map.get("citation") {
                if let Some(serde_json::Value::String(s)) = c.get("source") {
                    *counts.entry(s.clone()).or_default() += 1;
                }
            }
            for (k, x) in map {
                if k != "citation" {
                    count(x, counts);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|x| count(x, counts)),
        _ => {}
    }
}

impl Bibliography {
    /// The bibliography of everything in `lib`.
    pub fn of(lib: &Library) -> Self {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut declared: BTreeMap<String, Source> = BTreeMap::new();
        let mut declare = |s: &Source| {
            declared.entry(s.id.clone()).or_insert_with(|| s.clone());
        };
        lib.sources.sources.iter().for_each(&mut declare);
        for t in &lib.theatres {
            t.sources.iter().for_each(&mut declare);
        }
        for b in &lib.battles {
            b.sources.iter().for_each(&mut declare);
        }
        for value in [
            serde_json::to_value(&lib.aircraft),
            serde_json::to_value(&lib.battles),
            serde_json::to_value(&lib.theatres),
        ]
        .into_iter()
        .flatten()
        {
            count(&value, &mut counts);
        }
        let mut entries: Vec<Entry> = declared
            .values()
            .map(|s| Entry {
                id: s.id.clone(),
                title: s.title.clone(),
                url: s.url.clone(),
                doubtful: s.doubtful,
                figures: counts.get(&s.id).copied().unwrap_or(0),
                note: s.note.clone(),
            })
            .collect();
        for (source, n) in &counts {
            let is_address = source.starts_with("http://") || source.starts_with("https://");
            if is_address && !declared.contains_key(source) {
                entries.push(Entry {
                    id: source.clone(),
                    title: source.clone(),
                    url: Some(source.clone()),
                    doubtful: false,
                    figures: *n,
                    note: None,
                });
            }
        }
        Bibliography { entries }
    }

    /// BibTeX `@misc` entries (one per source; the figure count in `note`).
    pub fn bibtex(&self) -> String {
        let mut out = String::new();
        for (k, e) in self.entries.iter().enumerate() {
            let key = bibtex_key(&e.id, k);
            out.push_str(&format!("@misc{{{key},\n"));
            out.push_str(&format!("  title = {{{}}},\n", bibtex_escape(&e.title)));
            if let Some(url) = &e.url {
                out.push_str(&format!("  url = {{{url}}},\n"));
                out.push_str(&format!("  howpublished = {{\\url{{{url}}}}},\n"));
            }
            out.push_str(&format!(
                "  note = {{airwar id {}; cited by {} figure{}{}}}\n}}\n\n",
                bibtex_escape(&e.id),
                e.figures,
                if e.figures == 1 { "" } else { "s" },
                if e.doubtful { "; doubtful" } else { "" }
            ));
        }
        out
    }

    /// CSL-JSON items (type `webpage`), as reference managers import them.
    pub fn csl_json(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.entries
                .iter()
                .map(|e| {
                    let mut item = serde_json::json!({
                        "id": e.id,
                        "type": "webpage",
                        "title": e.title,
                        "note": format!(
                            "cited by {} figure(s){}",
                            e.figures,
                            if e.doubtful { "; doubtful" } else { "" }
                        ),
                    });
                    if let Some(url) = &e.url {
                        item["URL"] = serde_json::Value::String(url.clone());
                    }
                    item
                })
                .collect(),
        )
    }
}

fn bibtex_key(id: &str, k: usize) -> String {
    let clean: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    if id.starts_with("http") {
        format!("address-{k}")
    } else {
        clean
    }
}

fn bibtex_escape(s: &str) -> String {
    s.replace('\\', "\\textbackslash{}")
        .replace('{', "\\{")
        .replace('}', "\\}")
        .replace('&', "\\&")
        .replace('%', "\\%")
        .replace('#', "\\#")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_and_addressed_source_is_listed_with_its_count() {
        let lib = Library::load().unwrap();
        let b = Bibliography::of(&lib);
        let svg = b
            .entries
            .iter()
            .find(|e| e.id == "soviet-volunteer-group")
            .unwrap();
        assert!(svg.figures > 10, "{svg:?}");
        assert_eq!(
            svg.url.as_deref(),
            Some("https://en.wikipedia.org/wiki/Soviet_Volunteer_Group")
        );
        assert!(b
            .entries
            .iter()
            .any(|e| e.id.starts_with("https://") && e.figures > 0));
        let total: usize = b.entries.iter().map(|e| e.figures).sum();
        assert!(total > 500, "{total} citations");
        assert_eq!(b.bibtex().matches("@misc{").count(), b.entries.len());
        assert_eq!(b.csl_json().as_array().map(Vec::len), Some(b.entries.len()));
    }
}
