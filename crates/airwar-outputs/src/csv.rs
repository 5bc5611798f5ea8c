//! CSV files, written with the `csv` crate: fields are quoted where they must be, so a comma,
//! a quote or a line break in a source's section never breaks a row.

/// The rows (the first is the header) as CSV text.
pub fn render(rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to memory cannot fail for I/O; a row of a different length is a bug here,
        // and the flexible writer accepts it rather than losing the file.
        let _ = w.write_record(row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// `replications.csv`: the column `replication`, then `columns`; one row per replication in
/// index order.
pub fn replications<T: ToString>(columns: &[String], rows: &[(u64, Vec<T>)]) -> String {
    let mut out = Vec::with_capacity(rows.len() + 1);
    let mut header = vec!["replication".to_string()];
    header.extend(columns.iter().cloned());
    out.push(header);
    for (i, values) in rows {
        let mut row = vec![i.to_string()];
        row.extend(values.iter().map(ToString::to_string));
        out.push(row);
    }
    render(&out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn fields_that_need_quotes_get_them() {
        let text = super::render(&[
            vec!["a".into(), "b".into()],
            vec!["x, y".into(), "say \"no\"\nthen".into()],
        ]);
        assert_eq!(text, "a,b\n\"x, y\",\"say \"\"no\"\"\nthen\"\n");
    }

    #[test]
    fn replication_rows_start_with_their_index() {
        let text = super::replications(&["losses".to_string()], &[(0, vec![3u32]), (1, vec![5])]);
        assert_eq!(text, "replication,losses\n0,3\n1,5\n");
    }
}
