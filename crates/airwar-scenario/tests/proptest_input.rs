//! No input makes the loader panic: arbitrary text and mangled versions of a good file give
//! either a checked engagement or located errors.

use airwar_scenario::Library;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        let mut lib = Library::load().expect("built-in data");
        let _ = lib.load_engagement("fuzz.toml", &text, false);
    }

    #[test]
    fn mangled_example_never_panics(cut in 0usize..4000, insert in "[-=\\[\\]{}\"a-z0-9 \n]{0,8}") {
        let mut lib = Library::load().expect("built-in data");
        let mut text = include_str!("../../../docs/example-engagement.toml").to_string();
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) { at -= 1; }
        text.insert_str(at, &insert);
        if let Err(errors) = lib.load_engagement("fuzz.toml", &text, false) {
            for e in errors.0 {
                prop_assert!(e.line >= 1 && e.column >= 1);
            }
        }
    }
}
