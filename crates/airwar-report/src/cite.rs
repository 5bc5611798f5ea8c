//! Citations as the report writes them in tooltips and tables: `source-id, section`.

use std::fmt::Display;

use airwar_scenario::{Citation, Figure};

/// `source, section`.
pub fn citation(c: &Citation) -> String {
    if c.section.is_empty() {
        c.source.clone()
    } else {
        format!("{}, {}", c.source, c.section)
    }
}

/// A figure's citation, or `uncited`.
pub fn of<T>(f: &Figure<T>) -> String {
    let mut s = f.citation.as_ref().map_or("uncited".to_string(), citation);
    if f.doubtful {
        s.push_str(" (doubtful)");
    }
    s
}

/// A figure's value, bound and citation, then other sources' values:
/// `1938-04-29 [src, sec]; also 1938-04-28 [src, sec]`.
pub fn figure<T: Display>(f: &Figure<T>) -> String {
    let mut s = format!("{}{} [{}]", f.bound.symbol(), f.value, of(f));
    for a in &f.alternatives {
        s.push_str(&format!(
            "; also {}{} [{}]",
            a.bound.symbol(),
            a.value,
            citation(&a.citation)
        ));
    }
    s
}
