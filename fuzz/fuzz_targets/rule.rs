//! See `resume_lint::fuzzing::rule`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| resume_lint::fuzzing::rule(data));
