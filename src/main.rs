use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    plainsight::cli::run(plainsight::cli::Cli::parse())
}
