//! Property test (stable toolchain, bounded so CI stays fast): the loaders never panic on
//! arbitrary bytes or on mutations of the real data files, and always accept or refuse with
//! located errors. The contract is checked by `airwar::fuzzing`, which the cargo-fuzz targets in
//! `fuzz/` share. `PROPTEST_CASES=10000 cargo test -p airwar --test loaders_never_panic` runs
//! a longer search.

use airwar::fuzzing::{self, Outcome};
use proptest::prelude::*;

/// Cases per property unless PROPTEST_CASES says otherwise: a few seconds in all.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

type Loader = fn(&[u8]) -> Outcome;

/// The embedded data files of one kind, with the loader for them.
fn files(prefix: &str) -> Vec<&'static str> {
    airwar_scenario::builtin::embedded_files(prefix)
        .map(|(_, text)| text)
        .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    /// Replace the n-th number with one of the hostile values.
    Number(usize, &'static str),
    /// Rename the key of the n-th `key = value` line to another line's key.
    SwapKey(usize, usize),
    Truncate(usize),
    Insert(usize, String),
}

const HOSTILE_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "4294967296",
    "18446744073709551616",
    "9223372036854775807",
    "1e308",
    "-1e308",
    "nan",
    "inf",
    "-inf",
    "0.5",
    "99999999",
    "\"1938-02-30\"",
    "\"\"",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), proptest::sample::select(HOSTILE_NUMBERS))
            .prop_map(|(n, v)| Mutation::Number(n, v)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapKey(a, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), "[\\[\\]{}=\"a-z0-9., \n-]{0,24}")
            .prop_map(|(i, s)| Mutation::Insert(i, s)),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let n = lines.len().max(1);
    match m {
        Mutation::DeleteLine(i) => {
            lines.remove(i % n);
        }
        Mutation::DuplicateLine(i) => {
            let l = lines[i % n].clone();
            lines.insert(i % n, l);
        }
        Mutation::SwapLines(a, b) => lines.swap(a % n, b % n),
        Mutation::Number(k, v) => {
            let spans = numbers(text);
            if spans.is_empty() {
                return text.to_string();
            }
            let (s, e) = spans[k % spans.len()];
            return format!("{}{v}{}", &text[..s], &text[e..]);
        }
        Mutation::SwapKey(a, b) => {
            let keyed: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].contains(" = "))
                .collect();
            if keyed.len() >= 2 {
                let (i, j) = (keyed[a % keyed.len()], keyed[b % keyed.len()]);
                let key_j = lines[j].split(" = ").next().unwrap_or_default().to_string();
                let value_i = lines[i]
                    .split_once(" = ")
                    .map_or("", |(_, v)| v)
                    .to_string();
                lines[i] = format!("{key_j} = {value_i}");
            }
        }
        Mutation::Truncate(at) => {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            return text[..at].to_string();
        }
        Mutation::Insert(i, s) => lines.insert(i % n, s.clone()),
    }
    lines.join("\n")
}

/// Byte spans of the numbers in `text` (a run of digits, with a sign and a decimal part).
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric());
        if starts {
            let s = if i > 0 && b[i - 1] == b'-' { i - 1 } else { i };
            let mut e = i;
            while e < b.len() && (b[e].is_ascii_digit() || b[e] == b'.') {
                e += 1;
            }
            // Dates and versions (1938-04-29) are numbers too, for a careless editor.
            out.push((s, e));
            i = e;
        } else {
            i += 1;
        }
    }
    out
}

fn mutated(kind: &'static str) -> impl Strategy<Value = String> {
    let texts = files(kind);
    assert!(!texts.is_empty(), "no built-in {kind}");
    (
        proptest::sample::select(texts),
        proptest::collection::vec(mutation(), 1..4),
    )
        .prop_map(|(text, ms)| ms.iter().fold(text.to_string(), |t, m| apply(&t, m)))
}

fn check(loader: Loader, input: &[u8]) {
    // `fuzzing` panics when a loader breaks its contract; Ok or a located refusal both pass.
    let _ = loader(input);
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes_are_refused_or_accepted_never_a_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        for loader in [
            fuzzing::engagement,
            fuzzing::aircraft,
            fuzzing::theatre,
            fuzzing::parameters,
            fuzzing::set,
        ] {
            check(loader, &bytes);
        }
    }

    #[test]
    fn mutated_battle_files_are_handled(text in mutated("battles/")) {
        check(fuzzing::engagement, text.as_bytes());
    }

    #[test]
    fn mutated_aircraft_files_are_handled(text in mutated("aircraft/")) {
        check(fuzzing::aircraft, text.as_bytes());
    }

    #[test]
    fn mutated_parameter_files_are_handled(text in mutated("parameters.toml")) {
        check(fuzzing::parameters, text.as_bytes());
    }
}

proptest! {
    // A theatre is several times a battle's size: fewer cases.
    #![proptest_config(config(64))]

    #[test]
    fn mutated_theatre_files_are_handled(text in mutated("scenarios/")) {
        check(fuzzing::theatre, text.as_bytes());
    }

    #[test]
    fn set_changes_with_hostile_values_are_handled(
        path in proptest::sample::select(vec![
            "params.lethality",
            "params.fortune_sd",
            "params.claim_sd",
            "campaign.contact_share",
            "campaign.ground_crew_per_aircraft",
            "campaign.airmen_per_crew_seat",
            "campaign.drivers_per_truck",
            "routes[id=sary-ozek-lanzhou-road].trucks.value",
            "campaign.repayment_years",
            "context.warning_minutes",
            "context.raid_altitude_m",
            "sides[0].forces.count.value",
            "sides[1].forces[type=I-15bis].count",
            "observed[0].value",
            "observed[0].type",
            "end.value",
            "start",
            "loans[0].amount_million_usd.value",
            "deliveries.count.value",
            "nonsense[",
        ]),
        value in proptest::sample::select(HOSTILE_NUMBERS),
    ) {
        check(fuzzing::set, format!("{path}={value}").as_bytes());
    }
}

/// The hostile cases of the issue, as inputs to the shared contract (the command-line tests
/// in `airwar-cli/tests/hostile.rs` check their messages).
#[test]
fn the_hostile_corpus_is_refused_with_located_errors() {
    let refused = |o: Outcome| matches!(o, Outcome::Refused(_));
    let battle = fuzzing::set_on_battle;
    let theatre = fuzzing::set_on_theatre;
    assert!(refused(battle(b"observed[0].value=5000000000")));
    assert!(refused(theatre(b"end.value=2100-12-31")));
    assert!(refused(theatre(b"end.value=1937-12-31")));
    assert!(refused(theatre(b"observed[0].metric=claim")));
    assert!(refused(theatre(b"observed[0].to=1949-01-01")));
    assert!(refused(battle(b"params.fortune_sd=nan")));
    assert!(refused(battle(b"params.claim_sd=-0.5")));
    assert!(refused(battle(b"sides[1].forces.count.value=0")));
    assert!(refused(battle(b"observed[1].type=SB")));
    assert!(refused(battle(b"observed[0].metric=claim")));
    assert!(refused(fuzzing::engagement(b"date = 1938-04-29\n")));
    assert!(refused(fuzzing::theatre(b"start = \"1938-02-30\"\n")));
    let many = "[[sides]]\n".repeat(80_000);
    assert!(refused(fuzzing::engagement(many.as_bytes())));
}
