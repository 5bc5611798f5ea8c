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
    /// Byte offset of each line's start, built on the first error: a file with many errors
    /// is scanned once, not once per error.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

/// The longest message an error repeats: a value pasted in by mistake (megabytes of it) is cut.
const MAX_MESSAGE_CHARS: usize = 400;

impl<'a> SourceText<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Self {
        SourceText {
            name,
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = starts.partition_point(|s| *s <= offset);
        let line_start = starts[line - 1];
        let column = self.text[line_start..offset].chars().count() + 1;
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
            message: shortened(message.into()),
            suggestion: suggestion.map(shortened),
        }
    }

    /// Turn a TOML syntax or shape error into a located error, adding a "did you mean" to
    /// unknown-field errors and a hint to missing-field errors.
    pub fn from_toml(&self, err: &toml::de::Error) -> DataError {
        let span = err.span().unwrap_or(0..0);
        let message = err.message().trim().to_string();
        if message.is_empty() {
            // Some TOML syntax errors come without words: say what was found there.
            return self.error(
                span.clone(),
                self.syntax_message(span.start),
                Some(
                    "a key needs a value (`count = 12`, `name = \"text\"`); text needs quotes; \
                 control characters are not allowed outside strings (see docs/format.md)"
                        .to_string(),
                ),
            );
        }
        let suggestion = suggest_for_serde_message(&message);
        self.error(span, message, suggestion)
    }

    /// "expected valid TOML here, found ..." for a syntax error that came without a message.
    fn syntax_message(&self, offset: usize) -> String {
        let at = floor_char_boundary(self.text, offset.min(self.text.len()));
        let found = match self.text[at..].chars().next() {
            None => "the end of the file".to_string(),
            Some('\n') | Some('\r') => "the end of the line".to_string(),
            Some(c) if c.is_control() => format!("the control character U+{:04X}", c as u32),
            Some(c) => format!("`{c}`"),
        };
        format!("expected valid TOML here, found {found}")
    }
}

/// `message`, cut to [`MAX_MESSAGE_CHARS`] characters with a note of how much was left out.
fn shortened(message: String) -> String {
    let chars = message.chars().count();
    if chars <= MAX_MESSAGE_CHARS {
        return message;
    }
    let kept: String = message.chars().take(MAX_MESSAGE_CHARS).collect();
    format!("{kept}… ({} more characters)", chars - MAX_MESSAGE_CHARS)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// serde's unknown-field and unknown-variant messages name the word and the expected ones;
/// pick the closest.
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
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (word, rest) = rest.split_once('`')?;
        let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        return match closest(word, expected.iter().copied()) {
            Some(best) => Some(format!("did you mean `{best}`?")),
            None => Some(format!("write one of: {}", expected.join(", "))),
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
    fn many_errors_in_a_long_file_are_located_in_one_scan() {
        // 80,000 lines, an error on each: once this rescanned the file for each error.
        let text = "x = 1\n".repeat(80_000);
        let t = SourceText::new("big.toml", &text);
        for line in (0..80_000).step_by(7) {
            assert_eq!(t.line_column(line * 6 + 2), (line + 1, 3));
        }
        let long = t.error(0..1, "v".repeat(5_000_000), None);
        assert!(long.message.len() < 1000, "a pasted value is cut");
    }

    #[test]
    fn unknown_field_gets_did_you_mean() {
        let s = suggest_for_serde_message(
            "unknown field `cuont`, expected one of `type`, `count`, `quality`, `role`",
        );
        assert_eq!(s.as_deref(), Some("did you mean `count`?"));
    }

    #[test]
    fn a_toml_syntax_error_without_words_still_says_what_was_found() {
        for (text, found) in [
            ("family =", "the end of the file"),
            ("\r\u{0}", "the end of the line"),
            ("a = 1\nb =", "the end of the file"),
        ] {
            let st = SourceText::new("f.toml", text);
            let err = toml::from_str::<toml::Value>(text).unwrap_err();
            let e = st.from_toml(&err);
            assert!(e.message.contains(found), "{text:?}: {e:?}");
            assert!(e.line >= 1 && e.suggestion.is_some(), "{e:?}");
        }
    }

    #[test]
    fn unknown_variant_gets_did_you_mean() {
        let s = suggest_for_serde_message("unknown variant `loses`, expected `losses` or `claims`");
        assert_eq!(s.as_deref(), Some("did you mean `losses`?"));
        let s = suggest_for_serde_message("unknown variant `zzz`, expected `losses` or `claims`");
        assert_eq!(s.as_deref(), Some("write one of: losses, claims"));
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
