use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: rendering makes many short-lived strings on
/// every thread, and glibc's malloc and free were a seventh of a build's time. Without
/// transparent huge pages (`no_thp` in Cargo.toml), or a small site's peak memory doubles.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    plainsight::cli::run(plainsight::cli::Cli::parse())
}
