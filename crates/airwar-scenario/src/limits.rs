//! Limits: the accepted range of every size a user can set, in one place.
//!
//! Every number that decides how much memory or time a run takes is checked against one of
//! these before anything is allocated or simulated, and an out-of-range value is an error that
//! names the limit (located in the file where the number came from a file). The limits are far
//! above anything the historical record needs: they exist so that a typing slip or a hostile
//! input is refused at once instead of running for hours or exhausting memory.
//! `docs/limits.md` lists them (a test keeps it in step with [`LIMITS`]).

/// One limit, as documented.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub name: &'static str,
    pub max: u64,
    pub unit: &'static str,
    pub why: &'static str,
}

/// Aircraft in one figure (a force, a parked group, a delivery, a base).
pub const MAX_COUNT: u64 = 100_000;
/// Aircraft in one engagement, both sides, in the air and parked.
pub const MAX_AIRCRAFT_PER_ENGAGEMENT: u64 = 20_000;
/// `[[sides.forces]]` and `[[sides.parked]]` entries in one engagement.
pub const MAX_FORCE_ENTRIES: u64 = 200;
/// Days in a theatre's period.
pub const MAX_PERIOD_DAYS: u64 = 40_000;
/// Replications of one run (`--runs`).
pub const MAX_RUNS: u64 = 100_000_000;
/// Replications per battle and parameter set when fitting (`--fit-runs`, `--campaign-runs`).
pub const MAX_FIT_RUNS: u64 = 1_000_000;
/// Particles of a fit (`--particles`).
pub const MAX_PARTICLES: u64 = 100_000;
/// Bytes in one input file.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// An observed figure's value.
pub const MAX_OBSERVED_VALUE: u64 = u32::MAX as u64;

/// Aircraft delivered to one theatre, all deliveries together.
pub const MAX_THEATRE_AIRCRAFT: u64 = 10_000_000;
/// People sent to one theatre (personnel rows and deliveries of people together).
pub const MAX_THEATRE_PEOPLE: u64 = 100_000_000;
/// Loans to one theatre, all together, in million US dollars.
pub const MAX_THEATRE_LOANS_MILLION_USD: u64 = 1_000_000;

/// Design points of a sweep (`airwar sweep`).
pub const MAX_DESIGN_POINTS: u64 = 10_000_000;
/// Rows (design points × replications) one sweep or shard of a sweep keeps.
pub const MAX_SWEEP_ROWS: u64 = 10_000_000;

/// Every limit, for the documentation and for error messages.
pub const LIMITS: &[Limit] = &[
    Limit {
        name: "aircraft in one figure",
        max: MAX_COUNT,
        unit: "aircraft",
        why: "larger than any air force of the period",
    },
    Limit {
        name: "aircraft in one engagement",
        max: MAX_AIRCRAFT_PER_ENGAGEMENT,
        unit: "aircraft",
        why: "the engagement model's cost grows with the aircraft; the largest recorded raids had about 1,000",
    },
    Limit {
        name: "force and parked entries in one engagement",
        max: MAX_FORCE_ENTRIES,
        unit: "entries",
        why: "the pass table grows with the square of the entries",
    },
    Limit {
        name: "days in a theatre's period",
        max: MAX_PERIOD_DAYS,
        unit: "days",
        why: "over a century; every daily series is kept for each day",
    },
    Limit {
        name: "replications of a run",
        max: MAX_RUNS,
        unit: "replications",
        why: "a hundred million replications of the largest battle take days on one machine; run shards instead",
    },
    Limit {
        name: "replications per parameter set in a fit",
        max: MAX_FIT_RUNS,
        unit: "replications",
        why: "a fit keeps each battle's outcomes for every parameter set",
    },
    Limit {
        name: "particles of a fit",
        max: MAX_PARTICLES,
        unit: "particles",
        why: "a fit keeps a likelihood per particle and battle",
    },
    Limit {
        name: "size of an input file",
        max: MAX_FILE_BYTES,
        unit: "bytes",
        why: "the largest built-in file is about 0.2 MB; an endless stream is refused, not read forever",
    },
    Limit {
        name: "aircraft delivered to one theatre",
        max: MAX_THEATRE_AIRCRAFT,
        unit: "aircraft",
        why: "counted in 64 bits and checked, so no campaign total of aircraft can wrap; a hundred times the largest air force",
    },
    Limit {
        name: "people sent to one theatre",
        max: MAX_THEATRE_PEOPLE,
        unit: "people",
        why: "counted in 64 bits and checked, so no campaign total of people can wrap",
    },
    Limit {
        name: "loans to one theatre",
        max: MAX_THEATRE_LOANS_MILLION_USD,
        unit: "million US dollars",
        why: "a trillion dollars; debt and repayments are kept in thousands of dollars, well inside 64 bits",
    },
    Limit {
        name: "design points of a sweep",
        max: MAX_DESIGN_POINTS,
        unit: "points",
        why: "a grid grows as levels to the power of the inputs; every point's values are kept",
    },
    Limit {
        name: "rows of a sweep or a shard of one",
        max: MAX_SWEEP_ROWS,
        unit: "rows",
        why: "each replication's totals are kept for sweep.parquet and the indices (about 200 bytes a row); run shards (--points-range) instead",
    },
    Limit {
        name: "an observed figure",
        max: MAX_OBSERVED_VALUE,
        unit: "",
        why: "outcomes are counted in 32 bits",
    },
];

/// `value` if it is at most `max`, else an error message naming the limit.
pub fn check(name: &str, value: u64, max: u64) -> Result<u64, String> {
    if value <= max {
        Ok(value)
    } else {
        Err(format!(
            "{name}: {value} is above the limit of {max} (docs/limits.md says why)"
        ))
    }
}

/// The limits as a Markdown table (docs/limits.md).
pub fn limits_markdown() -> String {
    let mut out = String::from(
        "# Limits\n\nGenerated from `crates/airwar-scenario/src/limits.rs`; a test keeps this file in \
         step (`UPDATE_DOCS=1 cargo test -p airwar-scenario limits` rewrites it). Input above a \
         limit is refused with an error that names it, before anything runs.\n\n\
         | what | at most | why |\n|---|---|---|\n",
    );
    for l in LIMITS {
        let max = l
            .max
            .to_string()
            .as_bytes()
            .rchunks(3)
            .rev()
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect::<Vec<_>>()
            .join(",");
        let unit = if l.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", l.unit)
        };
        out.push_str(&format!("| {} | {max}{unit} | {} |\n", l.name, l.why));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_the_limit() {
        assert_eq!(check("runs", 5, 10), Ok(5));
        let e = check("replications of a run", 11, 10).unwrap_err();
        assert!(
            e.contains("replications of a run") && e.contains("10"),
            "{e}"
        );
    }

    #[test]
    fn the_committed_limits_page_is_the_generated_one() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/limits.md");
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(path, limits_markdown()).expect("docs/limits.md is writable");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(
            committed,
            limits_markdown(),
            "docs/limits.md is stale: `UPDATE_DOCS=1 cargo test -p airwar-scenario limits` rewrites it"
        );
    }
}
