//! Changes to a data file's figures: `PATH=VALUE`, applied to the file's own text.
//!
//! A path walks the TOML document: `context.warning_minutes`, `routes[id=alma-ata-lanzhou].transit_days`,
//! `sides[0].forces[type=I-16 type 5].count`. A segment on a list may select elements with
//! `[field=value]` (every element whose field, or the field's cited `value`, is that value),
//! `[N]` (the element at index N, from 0), `[value]` (the same as `[id=value]`), or apply to
//! all of them with no selector. `VALUE` is a TOML value (`3`, `"1939-01-01"`, `true`,
//! `{ value = 3, source = "..." }`); a word that is not one is taken as a string; `none`
//! removes the key, or the selected elements.
//!
//! The changes edit the text in place ([`toml_edit`] keeps the layout), so the lines a change
//! did not touch keep their numbers. [`load_changed`] checks the changed text like a file and
//! locates every error in what the user wrote: a line of their file, or the change that wrote
//! the line.

use std::fmt;

use toml_edit::{ArrayOfTables, DocumentMut, Item, TableLike, Value};

use crate::error::{closest, DataError, DataErrors};

/// One `PATH=VALUE` change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub value: String,
}

/// A change that cannot be applied: its text, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ChangeError(pub String);

fn err(message: String) -> ChangeError {
    ChangeError(message)
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.path, self.value)
    }
}

impl std::str::FromStr for Change {
    type Err = ChangeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // A selector's own `=` sits inside brackets: split at the first `=` outside them.
        let mut depth = 0i32;
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
        let (path, value) = match split.or_else(|| s.find('=')) {
            Some(i) => (&s[..i], &s[i + 1..]),
            None => {
                return Err(err(format!(
                    "`{s}`: expected PATH=VALUE, e.g. params.lethality=0.01"
                )))
            }
        };
        if path.trim().is_empty() {
            return Err(err(format!("`{s}`: the path is empty")));
        }
        Ok(Change {
            path: path.trim().to_string(),
            value: value.trim().to_string(),
        })
    }
}

/// The value of a change as plain TOML (for parameters): `None` for `none`; a word that is not
/// a TOML value is a string.
pub fn parse_value(text: &str) -> Option<toml::Value> {
    if text == "none" {
        return None;
    }
    let doc: Result<toml::Table, _> = toml::from_str(&format!("v = {text}"));
    Some(match doc {
        // Dates in airwar's files are strings: an unquoted 1938-04-29 means the same.
        Ok(mut t) => match t.remove("v") {
            Some(toml::Value::Datetime(d)) => toml::Value::String(d.to_string()),
            Some(v) => v,
            None => toml::Value::String(text.to_string()),
        },
        Err(_) => toml::Value::String(text.to_string()),
    })
}

/// The value of a change for the document: `None` for `none`.
fn edit_value(text: &str) -> Option<Value> {
    if text == "none" {
        return None;
    }
    let mut v = match text.parse::<Value>() {
        // Dates in airwar's files are strings: an unquoted 1938-04-29 means the same.
        Ok(Value::Datetime(d)) => Value::from(d.value().to_string()),
        Ok(v) => v,
        Err(_) => Value::from(text.to_string()),
    };
    v.decor_mut().clear();
    Some(v)
}

/// Set the field `name` of a serialisable value (a parameter set) from a change's text; an
/// unknown name gets a "did you mean".
pub fn set_field<T: serde::Serialize + serde::de::DeserializeOwned>(
    current: &T,
    name: &str,
    value: &str,
    path: &str,
) -> Result<T, ChangeError> {
    let mut table = toml::Table::try_from(current).map_err(|e| err(e.to_string()))?;
    if !table.contains_key(name) {
        let hint = closest(name, table.keys().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(err(format!("`{path}`: no parameter `{name}`{hint}")));
    }
    let v = parse_value(value)
        .ok_or_else(|| err(format!("`{path}`: a parameter cannot be removed")))?;
    table.insert(name.to_string(), v);
    toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| err(format!("`{path}={value}`: {}", e.message())))
}

/// Which elements of a list a path segment selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// Every element whose field (or the field's cited `value`) has this value.
    Field(String, String),
    /// The element at this index (from 0).
    Index(usize),
}

/// One step of a path: a key, and for a list, which elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub key: String,
    pub selector: Option<Selector>,
}

/// The steps of a path.
pub fn segments(path: &str) -> Result<Vec<Segment>, ChangeError> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let (head, tail) = match rest.find(['.', '[']) {
            Some(i) if rest.as_bytes()[i] == b'[' => {
                let close = rest[i..]
                    .find(']')
                    .ok_or_else(|| err(format!("`{path}`: `[` without `]`")))?
                    + i;
                let inner = &rest[i + 1..close];
                let selector = match inner.split_once('=') {
                    Some((f, v)) => {
                        Selector::Field(f.trim().to_string(), v.trim().trim_matches('"').into())
                    }
                    None => match inner.trim().parse::<usize>() {
                        Ok(n) => Selector::Index(n),
                        Err(_) => {
                            Selector::Field("id".into(), inner.trim().trim_matches('"').into())
                        }
                    },
                };
                out.push(Segment {
                    key: rest[..i].to_string(),
                    selector: Some(selector),
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

fn scalar_text(v: &Value) -> Option<String> {
    Some(match v {
        Value::String(s) => s.value().clone(),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => f.value().to_string(),
        Value::Boolean(b) => b.value().to_string(),
        Value::Datetime(d) => d.value().to_string(),
        _ => return None,
    })
}

/// Whether a field of an element (bare, or a cited figure's `value`) reads `wanted`.
fn field_is(item: Option<&Item>, wanted: &str) -> bool {
    let text = |i: &Item| i.as_value().and_then(scalar_text);
    match item {
        Some(i) if text(i).as_deref() == Some(wanted) => true,
        Some(i) => {
            i.as_table_like()
                .and_then(|t| t.get("value"))
                .and_then(text)
                .as_deref()
                == Some(wanted)
        }
        None => false,
    }
}

fn selects(selector: &Option<Selector>, index: usize, element: Option<&dyn TableLike>) -> bool {
    match selector {
        None => true,
        Some(Selector::Index(n)) => *n == index,
        Some(Selector::Field(f, v)) => element.is_some_and(|t| field_is(t.get(f), v)),
    }
}

/// Put `value` at `key`, keeping the old value's spacing and comment when it was a value.
fn put(table: &mut dyn TableLike, key: &str, value: &Value) {
    let mut v = value.clone();
    if let Some(old) = table.get(key).and_then(Item::as_value) {
        *v.decor_mut() = old.decor().clone();
    }
    table.insert(key, Item::Value(v));
}

/// Apply a change below `table`; the number of places changed.
fn apply_in(
    table: &mut dyn TableLike,
    segs: &[Segment],
    value: &Option<Value>,
    path: &str,
) -> Result<usize, ChangeError> {
    let Some((seg, rest)) = segs.split_first() else {
        return Ok(0);
    };
    if rest.is_empty() && seg.selector.is_none() {
        return Ok(match value {
            Some(v) => {
                put(table, &seg.key, v);
                1
            }
            None => usize::from(table.remove(&seg.key).is_some()),
        });
    }
    let known: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let child = table
        .get_mut(&seg.key)
        .filter(|i| !i.is_none())
        .ok_or_else(|| {
            let hint = closest(&seg.key, known.iter().map(String::as_str))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            err(format!("`{path}`: no field `{}`{hint}", seg.key))
        })?;
    match child {
        Item::ArrayOfTables(tables) => apply_in_tables(tables, seg, rest, value, path),
        Item::Value(Value::Array(items)) => {
            let chosen: Vec<usize> = items
                .iter()
                .enumerate()
                .filter(|(i, v)| {
                    selects(
                        &seg.selector,
                        *i,
                        v.as_inline_table().map(|t| t as &dyn TableLike),
                    )
                })
                .map(|(i, _)| i)
                .collect();
            if rest.is_empty() {
                // `none` removes the selected elements; a value replaces them.
                for &i in chosen.iter().rev() {
                    match value {
                        None => {
                            items.remove(i);
                        }
                        Some(v) => {
                            items.replace(i, v.clone());
                        }
                    }
                }
                return Ok(chosen.len());
            }
            let mut n = 0;
            for i in chosen {
                let Some(Value::InlineTable(t)) = items.get_mut(i) else {
                    return Err(err(format!(
                        "`{path}`: the elements of `{}` are not tables",
                        seg.key
                    )));
                };
                n += apply_in(t, rest, value, path)?;
            }
            Ok(n)
        }
        other => {
            if seg.selector.is_some() {
                return Err(err(format!(
                    "`{path}`: `{}` is not a list, so `[...]` selects nothing",
                    seg.key
                )));
            }
            let t = other.as_table_like_mut().ok_or_else(|| {
                let next = rest.first().map_or("", |s| s.key.as_str());
                err(format!("`{path}`: `{next}` is not inside a table"))
            })?;
            apply_in(t, rest, value, path)
        }
    }
}

fn apply_in_tables(
    tables: &mut ArrayOfTables,
    seg: &Segment,
    rest: &[Segment],
    value: &Option<Value>,
    path: &str,
) -> Result<usize, ChangeError> {
    let chosen: Vec<usize> = tables
        .iter()
        .enumerate()
        .filter(|(i, t)| selects(&seg.selector, *i, Some(*t as &dyn TableLike)))
        .map(|(i, _)| i)
        .collect();
    if rest.is_empty() {
        for &i in chosen.iter().rev() {
            match value {
                None => tables.remove(i),
                Some(Value::InlineTable(t)) => {
                    if let Some(slot) = tables.get_mut(i) {
                        *slot = t.clone().into_table();
                    }
                }
                Some(_) => {
                    return Err(err(format!(
                        "`{path}`: an element of `{}` must be a table, e.g. {{ field = value }}",
                        seg.key
                    )))
                }
            }
        }
        return Ok(chosen.len());
    }
    let mut n = 0;
    for i in chosen {
        if let Some(t) = tables.get_mut(i) {
            n += apply_in(t, rest, value, path)?;
        }
    }
    Ok(n)
}

/// Where a line of a changed text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// This line of the original text (1-based), unchanged.
    Line(usize),
    /// Written by the change at this index.
    Change(usize),
}

/// A text with changes applied, and where each of its lines came from.
#[derive(Debug, Clone)]
pub struct Edited {
    pub text: String,
    /// One per line of `text`.
    pub origins: Vec<Origin>,
}

/// Apply `changes` in order to the text of a TOML file, editing it in place.
pub fn apply_changes(text: &str, changes: &[Change]) -> Result<Edited, ChangeError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| err(format!("the file is not valid TOML: {e}")))?;
    let mut current = doc.to_string();
    let mut origins: Vec<Origin> = (1..=current.split('\n').count())
        .map(Origin::Line)
        .collect();
    for (k, c) in changes.iter().enumerate() {
        let segs = segments(&c.path)?;
        let n = apply_in(doc.as_table_mut(), &segs, &edit_value(&c.value), &c.path)?;
        if n == 0 {
            return Err(err(format!("`{}`: nothing matched", c.path)));
        }
        let next = doc.to_string();
        origins = carry_origins(&current, &next, &origins, Origin::Change(k));
        current = next;
    }
    Ok(Edited {
        text: current,
        origins,
    })
}

/// The origins of `after`'s lines: a line kept from `before` (by a longest common
/// subsequence of lines) keeps its origin, any other line gets `new`.
fn carry_origins(before: &str, after: &str, origins: &[Origin], new: Origin) -> Vec<Origin> {
    let a: Vec<&str> = before.split('\n').collect();
    let b: Vec<&str> = after.split('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    // lcs[i][j]: the longest common subsequence of am[i..] and bm[j..].
    let w = bm.len() + 1;
    let mut lcs = vec![0u32; (am.len() + 1) * w];
    for i in (0..am.len()).rev() {
        for j in (0..bm.len()).rev() {
            lcs[i * w + j] = if am[i] == bm[j] {
                lcs[(i + 1) * w + j + 1] + 1
            } else {
                lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
            };
        }
    }
    let mut out: Vec<Origin> = origins[..prefix].to_vec();
    let (mut i, mut j) = (0, 0);
    while j < bm.len() {
        if i < am.len() && am[i] == bm[j] && lcs[i * w + j] == lcs[(i + 1) * w + j + 1] + 1 {
            out.push(origins[prefix + i]);
            i += 1;
            j += 1;
        } else if i < am.len() && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1] {
            i += 1;
        } else {
            out.push(new);
            j += 1;
        }
    }
    out.extend_from_slice(&origins[a.len() - suffix..]);
    out
}

impl Edited {
    /// Locate errors found in the changed text (named `name`) in what the user wrote: a line
    /// kept from the original file keeps its number there; a line a change wrote is reported
    /// as the change itself (`--set PATH=VALUE`, with no line).
    pub fn locate(&self, name: &str, errors: DataErrors, changes: &[Change]) -> DataErrors {
        DataErrors(
            errors
                .0
                .into_iter()
                .map(|e| {
                    if e.file != name {
                        return e;
                    }
                    match self.origins.get(e.line.saturating_sub(1)) {
                        Some(Origin::Line(l)) => DataError { line: *l, ..e },
                        Some(Origin::Change(k)) => DataError {
                            file: format!("--set {}", changes[*k]),
                            line: 0,
                            column: 0,
                            ..e
                        },
                        None => e,
                    }
                })
                .collect(),
        )
    }
}

/// Apply `changes` to the text of the file `name` and check the result with `load`, exactly
/// like a file. The outer error is a change that cannot be applied (a bad path); the inner,
/// the checker's errors, located in the user's file or in the change that caused them.
pub fn load_changed<T>(
    name: &str,
    text: &str,
    changes: &[Change],
    load: impl FnOnce(&str, &str) -> Result<T, DataErrors>,
) -> Result<Result<T, DataErrors>, ChangeError> {
    if changes.is_empty() {
        return Ok(load(name, text));
    }
    let edited = match apply_changes(text, changes) {
        Ok(e) => e,
        // A file that does not parse: its own located syntax error says why.
        Err(e) => {
            return match load(name, text) {
                Err(errors) => Ok(Err(errors)),
                Ok(_) => Err(e),
            }
        }
    };
    Ok(load(name, &edited.text).map_err(|errors| edited.locate(name, errors, changes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(s: &str) -> Change {
        s.parse().unwrap()
    }

    #[test]
    fn changes_parse_with_selectors() {
        let c = change("routes[id=alma-ata-lanzhou].transit_days=3");
        assert_eq!(c.path, "routes[id=alma-ata-lanzhou].transit_days");
        assert_eq!(c.value, "3");
        assert!("no-equals-sign".parse::<Change>().is_err());
        assert_eq!(
            segments("sides[0].forces[type=I-16].count").unwrap()[1].selector,
            Some(Selector::Field("type".into(), "I-16".into()))
        );
        assert_eq!(
            segments("sides[0].x").unwrap()[0].selector,
            Some(Selector::Index(0))
        );
    }

    const DOC: &str = "# a comment\n[[routes]]\nid = \"a\"\nt = 1 # kept\n[[routes]]\nid = \"b\"\nt = 2\n\n[[rules]]\nkind = \"x\"\n[[rules]]\nkind = \"y\"\n\n[c]\nn = { value = 5, source = \"s\" }\n[c.m]\nvalue = 7\nsource = \"s\"\n";

    fn edit(changes: &[&str]) -> Result<Edited, ChangeError> {
        let changes: Vec<Change> = changes.iter().map(|c| change(c)).collect();
        apply_changes(DOC, &changes)
    }

    #[test]
    fn setting_paths_in_a_document_keeps_its_layout() {
        let e = edit(&["routes[id=a].t=5"]).unwrap();
        assert_eq!(e.text, DOC.replace("t = 1 # kept", "t = 5 # kept"));
        assert_eq!(e.origins[3], Origin::Change(0));
        assert_eq!(e.origins[6], Origin::Line(7));
        let e = edit(&["rules[kind=x]=none"]).unwrap();
        assert!(!e.text.contains("\"x\""));
        let e = edit(&["routes.t=9"]).unwrap();
        assert_eq!(e.text.matches("t = 9").count(), 2);
        let e = edit(&["routes[1].t=9"]).unwrap();
        assert!(e.text.contains("t = 1 # kept") && e.text.contains("t = 9"));
        // A cited figure is selected by its value, and replaced whole.
        let e = edit(&["c.n=6", "c.m=8"]).unwrap();
        assert!(e.text.contains("n = 6\n"));
        assert!(e.text.contains("m = 8") && !e.text.contains("value = 7"));
        let err = edit(&["routs.t=9"]).unwrap_err().to_string();
        assert!(err.contains("did you mean `routes`"), "{err}");
        assert!(edit(&["rules[kind=z]=none"])
            .unwrap_err()
            .to_string()
            .contains("nothing matched"));
    }

    #[test]
    fn kept_lines_keep_their_numbers_after_lines_are_removed() {
        // Replacing the three-line table [c.m] by one line moves nothing above it, and the
        // removed rule's lines are gone without shifting what is kept before them.
        let e = edit(&["rules[kind=x]=none", "c.m=8"]).unwrap();
        let lines: Vec<&str> = e.text.split('\n').collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with("kind = \"y\""))
            .unwrap();
        assert_eq!(e.origins[at], Origin::Line(12));
        let at = lines.iter().position(|l| *l == "m = 8").unwrap();
        assert_eq!(e.origins[at], Origin::Change(1));
    }

    #[test]
    fn errors_are_located_in_the_file_or_the_change() {
        let changes = vec![change("c.m=-1")];
        let load = |name: &str, text: &str| -> Result<(), DataErrors> {
            let st = crate::error::SourceText::new(name, text);
            let mut errors = Vec::new();
            for (i, l) in text.split('\n').enumerate() {
                if l.contains("-1") || l.contains("\"y\"") {
                    let offset: usize = text.split('\n').take(i).map(|l| l.len() + 1).sum();
                    errors.push(st.error(offset..offset + 1, "bad", None));
                }
            }
            if errors.is_empty() {
                Ok(())
            } else {
                Err(DataErrors(errors))
            }
        };
        let errors = load_changed("f.toml", DOC, &changes, load)
            .unwrap()
            .unwrap_err();
        let text = errors.to_string();
        assert!(text.contains("f.toml:12:1: bad"), "{text}");
        assert!(text.contains("--set c.m=-1: bad"), "{text}");
    }

    #[test]
    fn parameters_are_set_by_name() {
        #[derive(Debug, serde::Serialize, serde::Deserialize)]
        struct P {
            alpha: f64,
        }
        let p = set_field(&P { alpha: 1.0 }, "alpha", "2.5", "params.alpha").unwrap();
        assert_eq!(p.alpha, 2.5);
        let e = set_field(&P { alpha: 1.0 }, "alpah", "2", "params.alpah").unwrap_err();
        assert!(e.to_string().contains("did you mean `alpha`"), "{e}");
    }
}
