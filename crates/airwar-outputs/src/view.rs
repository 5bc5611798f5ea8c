//! A finished result as a front end shows it: its JSON contract or its text for a person, each
//! made only when asked for.

use serde_json::Value;

/// A result as a front end shows it.
pub trait View {
    /// The JSON contract (`--json`).
    fn json(&self) -> Value;
    /// The text for a person: tables within 100 columns.
    fn text(&self) -> String;
}

/// A value with the two ways of showing it.
pub struct Shown<T> {
    pub value: T,
    json: fn(&T) -> Value,
    text: fn(&T) -> String,
}

/// `value`, shown as `json` or as `text`.
pub fn shown<T>(value: T, json: fn(&T) -> Value, text: fn(&T) -> String) -> Shown<T> {
    Shown { value, json, text }
}

impl<T> View for Shown<T> {
    fn json(&self) -> Value {
        (self.json)(&self.value)
    }

    fn text(&self) -> String {
        (self.text)(&self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_makes_only_what_is_asked_for() {
        let v = shown(
            3u64,
            |n| serde_json::json!(n),
            |n| format!("{n} aircraft\n"),
        );
        assert_eq!(v.json(), serde_json::json!(3));
        assert_eq!(v.text(), "3 aircraft\n");
    }
}
