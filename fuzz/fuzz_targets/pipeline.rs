//! See `resume_lint::fuzzing::pipeline`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| resume_lint::fuzzing::pipeline(data));
