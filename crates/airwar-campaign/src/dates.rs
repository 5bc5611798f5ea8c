//! Calendar dates as day numbers (days since 1970-01-01), for a model that steps by day. The
//! calendar is `airwar_scenario::Date`'s (the `jiff` crate): a theatre's dates arrive checked
//! and typed, and their day numbers come from `Date::day_number`; this module only turns a
//! model day back into its date for output.

use airwar_scenario::Date;

/// The `YYYY-MM-DD` date of a day number.
pub fn date_of(day: i64) -> String {
    Date::from_day_number(day).map_or_else(|| format!("day {day}"), |d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_number_reads_back_as_its_date() {
        assert_eq!(date_of(0), "1970-01-01");
        let d = Date::parse("1937-12-13").unwrap();
        assert_eq!(date_of(d.day_number()), "1937-12-13");
        assert_eq!(
            date_of(Date::parse("1940-02-28").unwrap().day_number() + 1),
            "1940-02-29"
        );
        assert_eq!(date_of(i64::MAX), format!("day {}", i64::MAX));
    }
}
