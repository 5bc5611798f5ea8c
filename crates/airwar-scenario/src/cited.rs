//! Cited figures: a value together with where it comes from.
//!
//! In a file a figure is either bare (`count = 12`) or a table
//! (`count = { value = 12, source = "...", section = "..." }`, with optional `note`, `doubtful` and
//! `alternatives`). The raw phase reads either form into [`RawCited`] (a loosely typed [`Scalar`]
//! plus its citation); the checked phase converts the scalar to the field's type and resolves the
//! source, producing a [`Figure`].

use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// A loosely typed TOML value as read in the raw phase.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
}

impl Scalar {
    /// What kind of value this is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Scalar::Int(_) => "an integer",
            Scalar::Float(_) => "a number",
            Scalar::Str(_) => "a string",
            Scalar::Bool(_) => "a boolean",
        }
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Int(v) => write!(f, "{v}"),
            Scalar::Float(v) => write!(f, "{v}"),
            Scalar::Str(v) => write!(f, "\"{v}\""),
            Scalar::Bool(v) => write!(f, "{v}"),
        }
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, string or boolean")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        i64::try_from(v)
            .map(Scalar::Int)
            .map_err(|_| E::custom("integer too large"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Str(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

/// Whether a source gives a figure exactly or only as a bound ("less than 600", "over 20").
///
/// The figure's `value` is the number the source names; `bound` says which side of it the
/// truth lies. Validation scores a bounded observation as censored (inside when the model's
/// 90% interval reaches the side the source allows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bound {
    #[default]
    Exact,
    LessThan,
    AtMost,
    MoreThan,
    AtLeast,
}

impl Bound {
    pub fn is_exact(&self) -> bool {
        *self == Bound::Exact
    }

    /// Whether `x` is consistent with a figure `value` given with this bound.
    pub fn admits(&self, value: f64, x: f64) -> bool {
        match self {
            Bound::Exact => x == value,
            Bound::LessThan => x < value,
            Bound::AtMost => x <= value,
            Bound::MoreThan => x > value,
            Bound::AtLeast => x >= value,
        }
    }

    /// The words for it in tables ("", "<", "≤", ">", "≥").
    pub fn symbol(&self) -> &'static str {
        match self {
            Bound::Exact => "",
            Bound::LessThan => "<",
            Bound::AtMost => "≤",
            Bound::MoreThan => ">",
            Bound::AtLeast => "≥",
        }
    }
}

/// Another value some other source gives for the same figure.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlternative {
    pub value: toml::Spanned<Scalar>,
    pub source: toml::Spanned<String>,
    pub section: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub doubtful: bool,
    #[serde(default)]
    pub bound: Bound,
}

/// A figure as written: bare, or a table with its citation.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCited {
    pub value: toml::Spanned<Scalar>,
    pub source: Option<toml::Spanned<String>>,
    pub section: Option<String>,
    pub note: Option<String>,
    pub doubtful: bool,
    pub bound: Bound,
    pub alternatives: Vec<RawAlternative>,
}

struct RawCitedVisitor;

const CITED_FIELDS: &[&str] = &[
    "value",
    "source",
    "section",
    "note",
    "doubtful",
    "bound",
    "alternatives",
];

impl<'de> Visitor<'de> for RawCitedVisitor {
    type Value = RawCited;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value, or a table { value = ..., source = \"...\", section = \"...\" }")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawCited, E> {
        Ok(RawCited::bare(Scalar::Int(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawCited, E> {
        ScalarVisitor.visit_u64(v).map(RawCited::bare)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawCited, E> {
        Ok(RawCited::bare(Scalar::Float(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawCited, E> {
        Ok(RawCited::bare(Scalar::Str(v.to_string())))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawCited, E> {
        Ok(RawCited::bare(Scalar::Bool(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawCited, A::Error> {
        let mut value = None;
        let mut source = None;
        let mut section = None;
        let mut note = None;
        let mut doubtful = false;
        let mut bound = Bound::Exact;
        let mut alternatives = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "value" => value = Some(map.next_value()?),
                "source" => source = Some(map.next_value()?),
                "section" => section = Some(map.next_value()?),
                "note" => note = Some(map.next_value()?),
                "doubtful" => doubtful = map.next_value()?,
                "bound" => bound = map.next_value()?,
                "alternatives" => alternatives = map.next_value()?,
                other => return Err(de::Error::unknown_field(other, CITED_FIELDS)),
            }
        }
        let value = value.ok_or_else(|| de::Error::missing_field("value"))?;
        if source.is_some() != section.is_some() {
            let missing = if source.is_some() {
                "section"
            } else {
                "source"
            };
            return Err(de::Error::missing_field(missing));
        }
        Ok(RawCited {
            value,
            source,
            section,
            note,
            doubtful,
            bound,
            alternatives,
        })
    }
}

impl RawCited {
    fn bare(v: Scalar) -> Self {
        RawCited {
            // A bare value's own span is the enclosing Spanned's; 0..0 is replaced by the caller.
            value: toml::Spanned::new(0..0, v),
            source: None,
            section: None,
            note: None,
            doubtful: false,
            bound: Bound::Exact,
            alternatives: Vec::new(),
        }
    }
}

impl<'de> Deserialize<'de> for RawCited {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawCitedVisitor)
    }
}

/// A raw cited figure together with the span of the whole entry.
pub type SpannedCited = toml::Spanned<RawCited>;

/// Where a figure comes from, once resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// A source id (built in or declared in the file) or a public address.
    pub source: String,
    /// The section, table or page of the source.
    pub section: String,
}

/// Another source's value for a figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternative<T> {
    pub value: T,
    pub citation: Citation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub doubtful: bool,
    #[serde(skip_serializing_if = "Bound::is_exact")]
    pub bound: Bound,
}

/// A checked figure: the default value, its citation (None when written bare) and the values
/// other sources give.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure<T> {
    pub value: T,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub doubtful: bool,
    /// Exact, or the side of `value` the source puts the truth on.
    #[serde(skip_serializing_if = "Bound::is_exact")]
    pub bound: Bound,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative<T>>,
    /// Byte span in the file, for later located messages.
    #[serde(skip)]
    pub span: Range<usize>,
}

impl<T> Figure<T> {
    /// A figure with no citation (used for defaults the format fills in).
    pub fn uncited(value: T) -> Self {
        Figure {
            value,
            citation: None,
            note: None,
            doubtful: false,
            bound: Bound::Exact,
            alternatives: Vec::new(),
            span: 0..0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct One {
        figure: RawCited,
    }

    #[test]
    fn a_bound_is_read_and_defaults_to_exact() {
        let exact: One =
            toml::from_str(r#"figure = { value = 600, source = "s", section = "x" }"#).unwrap();
        assert_eq!(exact.figure.bound, Bound::Exact);
        let less: One = toml::from_str(
            r#"figure = { value = 600, source = "s", section = "x", bound = "less-than", alternatives = [ { value = 20, source = "t", section = "y", bound = "more-than" } ] }"#,
        )
        .unwrap();
        assert_eq!(less.figure.bound, Bound::LessThan);
        assert_eq!(less.figure.alternatives[0].bound, Bound::MoreThan);
        let wrong = toml::from_str::<One>(
            r#"figure = { value = 600, source = "s", section = "x", bound = "under" }"#,
        );
        assert!(wrong.is_err());
    }

    #[test]
    fn a_bound_admits_the_side_it_names() {
        assert!(Bound::LessThan.admits(600.0, 599.0));
        assert!(!Bound::LessThan.admits(600.0, 600.0));
        assert!(Bound::AtMost.admits(600.0, 600.0));
        assert!(Bound::MoreThan.admits(20.0, 21.0));
        assert!(!Bound::AtLeast.admits(20.0, 19.0));
        assert!(Bound::Exact.admits(5.0, 5.0));
    }
}
