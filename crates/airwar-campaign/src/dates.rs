//! Calendar dates as day numbers (days since 1970-01-01), for a model that steps by day. The
//! calendar is `airwar_scenario::Date`'s (the `jiff` crate): impossible days are refused.

use airwar_scenario::Date;

/// Day number of a `YYYY-MM-DD` date, or None if it is not a day that exists.
pub fn day_number(date: &str) -> Option<i64> {
    Date::parse(date).ok().map(Date::day_number)
}

/// The `YYYY-MM-DD` date of a day number.
pub fn date_of(day: i64) -> String {
    Date::from_day_number(day).map_or_else(|| format!("day {day}"), |d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(
            day_number("1937-12-13").map(date_of).as_deref(),
            Some("1937-12-13")
        );
        assert_eq!(
            day_number("1953-07-27").unwrap() - day_number("1950-11-01").unwrap(),
            999
        );
        assert_eq!(
            day_number("1940-03-01").unwrap() - day_number("1940-02-28").unwrap(),
            2
        );
        assert!(day_number("1938-13-01").is_none());
        assert!(day_number("1938-02-31").is_none());
    }
}
