//! Located errors for data files.
//!
//! Every problem found while loading a file becomes a [`DataError`]: the file's name, the line and
//! column (1-based) where the offending value starts, what was expected there and, where one
//! exists, a suggestion. The two loading phases both report through this type: the raw phase turns
//! TOML and serde errors into it (see [`DataError::from_toml`]), the checked phase builds it from
//! the byte span each raw value carries.

use std::fmt;
use std::ops::Range;

/// One located problem in a data file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DataError {
    /// The file's name as the user gave it (or `<built-in>/...` for embedded data).
    pub file: String,
    /// 1-based line of the offending value; 0 when the problem lies in a change given apart
    /// from the file (`--set PATH=VALUE`, named in `file`), which has no line.
    pub line: usize,
    /// 1-based column (in characters) of the offending value.
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
    /// A way to fix it, when one is known.
    pub suggestion: Option<String>,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)?;
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )?;
        }
        if let Some(s) = &self.suggestion {
            write!(f, "\n  help: {s}")?;
        }
        Ok(())
    }
}

/// All the problems found in one file (the checked phase reports every one it finds, not just
/// the first).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DataErrors(pub Vec<DataError>);

impl fmt::Display for DataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl From<DataError> for DataErrors {
    fn from(e: DataError) -> Self {
        DataErrors(vec![e])
    }
}

/// The text of one file, with the means to turn byte offsets into lines and columns.
#[derive(Debug, Clone)]
pub struct SourceText<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl<'a> SourceText<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Self {
        SourceText { name, text }
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    /// An error at a byte span.
    pub fn error(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        suggestion: Option<String>,
    ) -> DataError {
        let (line, column) = self.line_column(span.start);
        DataError {
            file: self.name.to_string(),
            line,
            column,
            message: message.into(),
            suggestion,
        }
    }

    /// Turn a TOML syntax or shape error into a located error, adding a "did you mean" to
    /// unknown-field errors and a hint to missing-field errors.
    pub fn from_toml(&self, err: &toml::de::Error) -> DataError {
        let span = err.span().unwrap_or(0..0);
        let message = err.message().trim().to_string();
        let suggestion = suggest_for_serde_message(&message);
        self.error(span, message, suggestion)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// serde's unknown-field message names the field and the expected ones; pick the closest.
fn suggest_for_serde_message(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, rest) = rest.split_once('`')?;
        let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        return match closest(field, expected.iter().copied()) {
            Some(best) => Some(format!("did you mean `{best}`?")),
            None => Some(format!(
                "remove `{field}`; allowed here: {}",
                expected.join(", ")
            )),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next()?;
        return Some(format!(
            "add `{field} = ...` to this table (see docs/format.md)"
        ));
    }
    None
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        let t = SourceText::new("f.toml", "a = 1\nbb = 2\n");
        assert_eq!(t.line_column(0), (1, 1));
        assert_eq!(t.line_column(6), (2, 1));
        assert_eq!(t.line_column(9), (2, 4));
    }

    #[test]
    fn unknown_field_gets_did_you_mean() {
        let s = suggest_for_serde_message(
            "unknown field `cuont`, expected one of `type`, `count`, `quality`, `role`",
        );
        assert_eq!(s.as_deref(), Some("did you mean `count`?"));
    }

    #[test]
    fn closest_rejects_unrelated_words() {
        assert_eq!(closest("zzzz", ["I-16 type 10", "SB"]), None);
        assert_eq!(
            closest("I-16 typ 10", ["I-16 type 10", "SB"]),
            Some("I-16 type 10")
        );
    }
}
