//! One document, any bytes, through the whole `check` pipeline (load, resolve, render) via
//! `plainsight::probe::Probe`, the same path the bounded property test takes; then the report,
//! as the terminal would print it.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use plainsight::probe::Probe;

static PROBE: LazyLock<Probe> = LazyLock::new(|| Probe::new().expect("create the probe site"));

fuzz_target!(|data: &[u8]| {
    let outcome = PROBE.check(data);
    outcome.diagnostics.render(&outcome.sources);
});
