//! Fuzz target: `airwar::fuzzing::theatre` (panics when the loader breaks its contract).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = airwar::fuzzing::theatre(data);
});
