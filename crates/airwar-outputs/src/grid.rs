//! Terminal tables drawn by comfy-table: at most [`WIDTH`] columns, long cells wrapped (never
//! cut), numbers right-aligned. The width is fixed rather than read from the terminal, so the
//! same run prints the same bytes to a terminal, a pipe or a file.

use comfy_table::{CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};

/// The widest line a table may draw.
pub const WIDTH: u16 = 100;

/// A table with `header`; the columns whose index is in `numeric` are right-aligned.
pub fn table(header: &[&str], numeric: &[usize]) -> Table {
    let mut t = Table::new();
    // No borders; a line of dashes under the header only.
    let style = TableStyle::new().header_separator(LineStyle::none().fill('-').junction(' '));
    t.load_style(style)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(WIDTH)
        .set_header(header.iter().copied());
    for i in numeric {
        if let Some(c) = t.column_mut(*i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// The table as lines of text, each without trailing spaces, ending in a newline.
pub fn render(t: &Table) -> String {
    let mut o = String::new();
    for line in t.lines() {
        o.push_str(line.trim_end());
        o.push('\n');
    }
    o
}

/// A whole number of aircraft (or other things) with thousands separated: 1,097.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut o = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            o.push(',');
        }
        o.push(ch);
    }
    o
}

/// A mean: one decimal, with thousands separated.
pub fn mean(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let tenths = (x.abs() * 10.0).round() as u64;
    let sign = if x < 0.0 && tenths > 0 { "-" } else { "" };
    format!("{sign}{}.{}", count(tenths / 10), tenths % 10)
}

/// A 5-95% interval of whole numbers: `12-40`.
pub fn interval(lo: f64, hi: f64) -> String {
    format!("{}-{}", whole(lo), whole(hi))
}

/// A value that is a whole number of things, printed as one.
pub fn whole(x: f64) -> String {
    if x.is_finite() && x >= 0.0 && x.fract() == 0.0 {
        count(x as u64)
    } else {
        mean(x)
    }
}

/// `text` wrapped at `width` columns (by words), the first line indented by `first` spaces and
/// the others by `indent`; for prose under a table.
pub fn wrap(text: &str, width: usize, first: usize, indent: usize) -> String {
    let mut lines: Vec<String> = vec![" ".repeat(first)];
    let mut margin = first;
    for word in text.split_whitespace() {
        let last = lines.last_mut().expect("one line at least");
        let len = last.chars().count();
        if len > margin && len + 1 + word.chars().count() > width {
            lines.push(format!("{}{word}", " ".repeat(indent)));
            margin = indent;
        } else {
            if len > margin {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    let mut o = lines.join("\n");
    o.push('\n');
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_means_are_grouped() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1097), "1,097");
        assert_eq!(count(15912000), "15,912,000");
        assert_eq!(mean(2740.06), "2,740.1");
        assert_eq!(mean(-0.04), "0.0");
        assert_eq!(mean(-3.25), "-3.3");
        assert_eq!(whole(40.0), "40");
        assert_eq!(interval(5.0, 91.0), "5-91");
    }

    #[test]
    fn long_cells_wrap_within_the_width() {
        let mut t = table(&["name", "n"], &[1]);
        t.add_row(vec!["a very long name ".repeat(12), "7".into()]);
        let text = render(&t);
        assert!(
            text.lines().all(|l| l.chars().count() <= WIDTH as usize),
            "{text}"
        );
        assert!(text.contains("a very long name"), "never cut: {text}");
        assert_eq!(text.matches("name").count(), 13, "every word kept: {text}");
    }

    #[test]
    fn prose_wraps_by_words() {
        let w = wrap(&"word ".repeat(50), 20, 2, 2);
        assert!(w.lines().all(|l| l.len() <= 20), "{w}");
        assert!(w.lines().skip(1).all(|l| l.starts_with("  word")), "{w}");
    }
}
