//! The latex reader on any bytes; see `resume_lint::fuzzing::read`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use resume_lint::source::InputFormat;

fuzz_target!(|data: &[u8]| resume_lint::fuzzing::read(InputFormat::Latex, data));
