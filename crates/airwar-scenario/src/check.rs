//! The checked phase's toolkit: converting raw cited values to typed [`Figure`]s, resolving
//! sources, and collecting every located problem (and, for `--strict`, every bare figure).

use std::collections::BTreeSet;
use std::ops::Range;

use crate::cited::{Alternative, Citation, Figure, RawCited, Scalar, SpannedCited};
use crate::date::Date;
use crate::error::{closest, DataError, DataErrors, SourceText};

/// Accumulates the errors of one file while its raw form is checked.
pub struct Checker<'a> {
    pub text: SourceText<'a>,
    known_sources: BTreeSet<String>,
    pub errors: Vec<DataError>,
    /// Spans of figures written without a citation.
    pub uncited: Vec<Range<usize>>,
}

impl<'a> Checker<'a> {
    pub fn new(text: SourceText<'a>, known_sources: impl IntoIterator<Item = String>) -> Self {
        Checker {
            text,
            known_sources: known_sources.into_iter().collect(),
            errors: Vec::new(),
            uncited: Vec::new(),
        }
    }

    pub fn add_source(&mut self, id: &str) {
        self.known_sources.insert(id.to_string());
    }

    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>, help: Option<String>) {
        let e = self.text.error(span, message, help);
        self.errors.push(e);
    }

    /// Ok(value) if no error was recorded, else every error.
    pub fn finish<T>(self, value: T) -> Result<T, DataErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(DataErrors(self.errors))
        }
    }

    /// Errors for every bare figure (used by `--strict`).
    pub fn uncited_errors(&self) -> Vec<DataError> {
        self.uncited
            .iter()
            .map(|s| {
                self.text.error(
                    s.clone(),
                    "this figure has no citation",
                    Some(
                        "write it as { value = ..., source = \"...\", section = \"...\" }"
                            .to_string(),
                    ),
                )
            })
            .collect()
    }

    /// Resolve a citation's source (an id known here, or an address), reporting unknown ids.
    pub fn citation(&mut self, source: &toml::Spanned<String>, section: &str) -> Citation {
        let id = source.get_ref();
        let is_address = id.starts_with("http://") || id.starts_with("https://");
        if !is_address && !self.known_sources.contains(id) {
            let help = closest(id, self.known_sources.iter().map(String::as_str))
                .map(|c| format!("did you mean `{c}`?"))
                .or_else(|| {
                    Some(
                        "declare it under [[sources]] or cite a public address (https://...)"
                            .to_string(),
                    )
                });
            self.error(
                source.span(),
                format!("unknown source `{id}`: expected a source id or an address"),
                help,
            );
        }
        Citation {
            source: id.clone(),
            section: section.to_string(),
        }
    }

    /// Convert a raw figure with `convert`, which returns the typed value or what was expected.
    pub fn figure<T>(
        &mut self,
        raw: &SpannedCited,
        convert: impl Fn(&Scalar) -> Result<T, String>,
    ) -> Option<Figure<T>> {
        let outer = raw.span();
        let r: &RawCited = raw.get_ref();
        let value_span = if r.value.span() == (0..0) {
            outer.clone()
        } else {
            r.value.span()
        };
        let value = match convert(r.value.get_ref()) {
            Ok(v) => Some(v),
            Err(expected) => {
                self.error(
                    value_span.clone(),
                    format!("expected {expected}, found {}", r.value.get_ref()),
                    None,
                );
                None
            }
        };
        let citation = match (&r.source, &r.section) {
            (Some(src), Some(sec)) => Some(self.citation(src, sec)),
            _ => {
                self.uncited.push(outer.clone());
                None
            }
        };
        let mut alternatives = Vec::new();
        for alt in &r.alternatives {
            let citation = self.citation(&alt.source, &alt.section);
            match convert(alt.value.get_ref()) {
                Ok(v) => alternatives.push(Alternative {
                    value: v,
                    citation,
                    note: alt.note.clone(),
                    doubtful: alt.doubtful,
                    bound: alt.bound,
                }),
                Err(expected) => self.error(
                    alt.value.span(),
                    format!("expected {expected}, found {}", alt.value.get_ref()),
                    None,
                ),
            }
        }
        Some(Figure {
            value: value?,
            citation,
            note: r.note.clone(),
            doubtful: r.doubtful,
            bound: r.bound,
            alternatives,
            span: outer,
        })
    }

    /// A non-negative whole number (aircraft counts, crews, rounds).
    pub fn count(&mut self, raw: &SpannedCited) -> Option<Figure<u32>> {
        self.figure(raw, |s| match s {
            Scalar::Int(v) if *v >= 0 && *v <= 100_000 => Ok(*v as u32),
            Scalar::Int(v) if *v < 0 => Err(format!("a count of 0 or more (not {v})")),
            Scalar::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f <= 100_000.0 => Ok(*f as u32),
            _ => Err("a whole number of 0 or more".to_string()),
        })
    }

    /// A number within `[min, max]`.
    pub fn number(&mut self, raw: &SpannedCited, min: f64, max: f64) -> Option<Figure<f64>> {
        self.figure(raw, |s| {
            let v = match s {
                Scalar::Int(v) => *v as f64,
                Scalar::Float(v) => *v,
                _ => return Err(format!("a number from {min} to {max}")),
            };
            if v.is_finite() && v >= min && v <= max {
                Ok(v)
            } else {
                Err(format!("a number from {min} to {max}"))
            }
        })
    }

    /// A number within `[min, max]` for a figure that may be left out.
    pub fn optional_number(
        &mut self,
        raw: &Option<SpannedCited>,
        min: f64,
        max: f64,
    ) -> Option<Figure<f64>> {
        raw.as_ref().and_then(|r| self.number(r, min, max))
    }

    pub fn boolean(&mut self, raw: &SpannedCited) -> Option<Figure<bool>> {
        self.figure(raw, |s| match s {
            Scalar::Bool(b) => Ok(*b),
            _ => Err("true or false".to_string()),
        })
    }

    pub fn string(&mut self, raw: &SpannedCited) -> Option<Figure<String>> {
        self.figure(raw, |s| match s {
            Scalar::Str(v) => Ok(v.clone()),
            _ => Err("a string".to_string()),
        })
    }

    /// A calendar date written `YYYY-MM-DD` that exists (see [`Date`]), cited. This (with
    /// [`Checker::plain_date`]) is where a data file's dates are parsed: the checked types hold
    /// the [`Date`], and nothing downstream reads date text again.
    pub fn date(&mut self, raw: &SpannedCited) -> Option<Figure<Date>> {
        self.figure(raw, |s| match s {
            Scalar::Str(v) => Date::parse(v),
            _ => Err("a date written YYYY-MM-DD".to_string()),
        })
    }

    /// A date written as a plain string (no citation), where the field may be left out; an
    /// error at the string when it is not a `YYYY-MM-DD` day that exists.
    pub fn plain_date(&mut self, raw: &Option<toml::Spanned<String>>) -> Option<Date> {
        let raw = raw.as_ref()?;
        match Date::parse(raw.get_ref()) {
            Ok(d) => Some(d),
            Err(expected) => {
                self.error(
                    raw.span(),
                    format!("expected {expected}, found `{}`", raw.get_ref()),
                    None,
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::SourceText;

    #[derive(serde::Deserialize)]
    struct One {
        date: SpannedCited,
        plain: Option<toml::Spanned<String>>,
    }

    fn check(text: &str) -> (Option<Figure<Date>>, Option<Date>, Vec<DataError>) {
        let one: One = toml::from_str(text).unwrap();
        let mut c = Checker::new(SourceText::new("t.toml", text), ["s".to_string()]);
        let d = c.date(&one.date);
        let p = c.plain_date(&one.plain);
        (d, p, c.errors)
    }

    #[test]
    fn a_date_is_parsed_once_into_its_typed_value() {
        let (d, p, errors) = check(
            "date = { value = \"1938-04-29\", source = \"s\", section = \"x\", alternatives = [ { value = \"1938-04-30\", source = \"s\", section = \"y\" } ] }\nplain = \"1940-02-29\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let d = d.unwrap();
        assert_eq!(d.value, Date::parse("1938-04-29").unwrap());
        assert_eq!(d.alternatives[0].value.to_string(), "1938-04-30");
        assert_eq!(p.unwrap().to_string(), "1940-02-29");
    }

    #[test]
    fn an_impossible_date_is_located_with_what_was_expected() {
        let (d, p, errors) = check("# a comment\ndate = \"1938-02-31\"\nplain = \"1938-4-29\"\n");
        assert!(d.is_none() && p.is_none());
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(
            (errors[0].file.as_str(), errors[0].line, errors[0].column),
            ("t.toml", 2, 8)
        );
        assert!(
            errors[0].message.contains("exists in the calendar")
                && errors[0].message.contains("1938-02-31"),
            "{}",
            errors[0].message
        );
        assert_eq!((errors[1].line, errors[1].column), (3, 9));
        assert!(
            errors[1].message.contains("YYYY-MM-DD"),
            "{}",
            errors[1].message
        );
    }

    #[test]
    fn a_date_that_is_not_a_string_is_refused() {
        let (d, _, errors) = check("date = 19380429\n");
        assert!(d.is_none());
        assert!(errors[0].message.contains("a date written YYYY-MM-DD"));
    }
}
