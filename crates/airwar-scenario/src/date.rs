//! Calendar dates, parsed by the `jiff` crate: `YYYY-MM-DD` only, and only days that exist
//! (1938-02-30 and year 0 are refused), within the years the project's history spans.
//!
//! A data file's dates are parsed once, by the loaders' checked phase ([`Date::parse`] through
//! `Checker::date`), into this type; everything after works on the typed value (day numbers
//! from [`Date::day_number`]). A date is written out as the same `YYYY-MM-DD` text
//! ([`fmt::Display`], and serde as a string), so outputs read as they did when dates were text.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The years a date may fall in: wide enough for any twentieth-century air war and its
/// aftermath, narrow enough that a typo (year 0, 19380) is caught.
pub const YEARS: std::ops::RangeInclusive<i16> = 1800..=2100;

/// A checked calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

impl Date {
    /// The date `text` names, written `YYYY-MM-DD`; otherwise what was expected (the caller
    /// adds what was found).
    pub fn parse(text: &str) -> Result<Date, String> {
        let b = text.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return Err("a date written YYYY-MM-DD".to_string());
        }
        let num = |r: std::ops::Range<usize>| text[r].parse::<i16>().unwrap_or(-1);
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        if !YEARS.contains(&y) {
            return Err(format!(
                "a date written YYYY-MM-DD in the years {} to {}",
                YEARS.start(),
                YEARS.end()
            ));
        }
        Date::new(y, m as i8, d as i8)
            .ok_or_else(|| "a date written YYYY-MM-DD that exists in the calendar".to_string())
    }

    /// The date of `year`, `month` (1-12) and `day` (1-31); None for a day that does not
    /// exist or a year outside [`YEARS`].
    pub fn new(year: i16, month: i8, day: i8) -> Option<Date> {
        if !YEARS.contains(&year) {
            return None;
        }
        jiff::civil::Date::new(year, month, day).ok().map(Date)
    }

    pub fn year(self) -> i16 {
        self.0.year()
    }

    /// 1 (January) to 12.
    pub fn month(self) -> i8 {
        self.0.month()
    }

    /// 1 to 31.
    pub fn day(self) -> i8 {
        self.0.day()
    }

    /// Days since 1970-01-01 (negative before).
    pub fn day_number(self) -> i64 {
        let epoch = jiff::civil::date(1970, 1, 1);
        // Within YEARS the span in days is exact and small.
        self.0
            .since((jiff::Unit::Day, epoch))
            .map_or(0, |s| s.get_days() as i64)
    }

    /// The date `days` after 1970-01-01; None outside [`YEARS`].
    pub fn from_day_number(days: i64) -> Option<Date> {
        let epoch = jiff::civil::date(1970, 1, 1);
        let span = jiff::Span::new().try_days(days).ok()?;
        let d = epoch.checked_add(span).ok()?;
        YEARS.contains(&d.year()).then_some(Date(d))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Through `pad`, so a width or alignment applies as it does to the text.
        f.pad(&format!(
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        ))
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Date, String> {
        Date::parse(s)
    }
}

/// Written as its `YYYY-MM-DD` text.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Read from `YYYY-MM-DD` text (a JSON file another command wrote, say), checked as
/// [`Date::parse`] checks it.
impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text).map_err(|expected| {
            serde::de::Error::custom(format!("expected {expected}, found `{text}`"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn real_days_parse_and_round_trip() {
        for text in ["1937-12-13", "1940-02-29", "1953-07-27", "1970-01-01"] {
            let d = Date::parse(text).unwrap();
            assert_eq!(d.to_string(), text);
            assert_eq!(Date::from_day_number(d.day_number()), Some(d));
        }
        assert_eq!(Date::parse("1970-01-01").unwrap().day_number(), 0);
        let armistice = Date::parse("1953-07-27").unwrap().day_number();
        assert_eq!(
            armistice - Date::parse("1950-11-01").unwrap().day_number(),
            999
        );
    }

    #[test]
    fn impossible_or_misshapen_dates_are_refused() {
        for text in [
            "1938-02-30",
            "1938-02-29",
            "1939-04-31",
            "1938-13-01",
            "1938-00-10",
            "0000-01-01",
            "1938-4-29",
            "29 April 1938",
            "19380-01-01",
            "1938-01-01T00:00",
        ] {
            assert!(Date::parse(text).is_err(), "{text}");
        }
        assert!(Date::parse("1938-02-30").unwrap_err().contains("exists"));
    }

    #[test]
    fn a_date_serializes_as_its_text_and_reads_back() {
        let d = Date::parse("1938-04-29").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"1938-04-29\"");
        assert_eq!(format!("[{d:<12}]"), "[1938-04-29  ]");
        let back: Date = serde_json::from_str("\"1938-04-29\"").unwrap();
        assert_eq!(back, d);
        let err = serde_json::from_str::<Date>("\"1938-02-31\"").unwrap_err();
        assert!(err.to_string().contains("exists in the calendar"), "{err}");
        assert!(serde_json::from_str::<Date>("19380429").is_err());
    }

    #[test]
    fn a_date_is_built_from_its_parts_only_when_the_day_exists() {
        let d = Date::new(1940, 2, 29).unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (1940, 2, 29));
        assert_eq!(d, Date::parse("1940-02-29").unwrap());
        assert_eq!(Date::new(1938, 2, 29), None);
        assert_eq!(Date::new(1938, 13, 1), None);
        assert_eq!(Date::new(0, 1, 1), None);
    }

    #[test]
    fn dates_order_as_the_calendar_does() {
        let a: Date = "1937-12-31".parse().unwrap();
        let b: Date = "1938-01-01".parse().unwrap();
        assert!(a < b);
        assert_eq!(b.day_number() - a.day_number(), 1);
    }
}
