//! How much charts cost a build: the demo site plus 1,000 generated metrics, built several
//! times, against the time spent drawing those metrics' charts and sparklines.
//!
//! ```sh
//! cargo run --release --example bench_charts -- [--metrics 1000] [--runs 7]
//! ```
//!
//! It copies the demo site (`content/`, `themes/`) to a temporary folder, adds the metrics
//! (seeded, so every run writes the same files: 4 to 8 readings each, yearly or monthly, half
//! with a target), then, `--runs` times each: checks the site (load, resolve and render every
//! page, charts included, without writing), builds it (the same, writing the output), and
//! draws every metric's chart and sparkline on the same threads the render uses. It prints
//! the medians and the charts' share of each. The check is the stricter comparison: writing
//! 3,000 small files costs what the disk makes it cost, and charts cost nothing there.

use std::path::Path;
use std::time::{Duration, Instant};

use plainsight::content::Workspace;
use plainsight::pipeline::{self, Options};
use plainsight::render::chart;
use rayon::prelude::*;

/// SplitMix64: the metrics depend only on their number.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk the demo site");
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn write_metrics(dir: &Path, count: usize) {
    let mut rng = Rng(42);
    for i in 0..count {
        let points = 4 + rng.below(5) as usize;
        let monthly = rng.below(3) == 0;
        let start = 2010 + rng.below(8) as i32;
        let mut value = 20.0 + rng.below(600) as f64 / 10.0;
        let mut series = String::new();
        for k in 0..points {
            let period = if monthly {
                format!("{}-{:02}", start + (k / 4) as i32, 1 + 3 * (k % 4))
            } else {
                (start + k as i32).to_string()
            };
            let note = if rng.below(5) == 0 {
                ", note: revised"
            } else {
                ""
            };
            series.push_str(&format!(
                "  - {{ period: {period}, value: {value:.1}{note} }}\n"
            ));
            value = (value + (rng.below(100) as f64 - 50.0) / 10.0).clamp(0.0, 100.0);
        }
        let target = if i % 2 == 0 {
            format!(
                "target: {{ period: 2030, value: {} }}\n",
                30 + rng.below(50)
            )
        } else {
            String::new()
        };
        let better = if rng.below(2) == 0 { "higher" } else { "lower" };
        std::fs::write(
            dir.join(format!("bench-{i:04}.yaml")),
            format!(
                "title: Benchmark metric {i}\nunit: percent\nbetter: {better}\nsource: mopac-public-attitude-survey\nseries:\n{series}{target}"
            ),
        )
        .unwrap();
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut metrics = 1000;
    let mut runs = 7;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().and_then(|v| v.parse().ok()).expect("a number");
        match a.as_str() {
            "--metrics" => metrics = value(),
            "--runs" => runs = value(),
            _ => {
                eprintln!("usage: bench_charts [--metrics 1000] [--runs 7]");
                std::process::exit(2);
            }
        }
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = tmp.path().join("site");
    copy_dir(&repo.join("content"), &root.join("content"));
    copy_dir(&repo.join("themes"), &root.join("themes"));
    write_metrics(&root.join("content/metrics"), metrics);

    let opts = Options {
        root: root.clone(),
        output: None,
        drafts: false,
        strict: false,
    };
    let mut checks = Vec::new();
    let mut builds = Vec::new();
    let mut pages = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let outcome = pipeline::check(&root, pipeline::CheckOptions::default());
        checks.push(started.elapsed());
        assert!(outcome.succeeded(), "the benchmark site checks");
        let started = Instant::now();
        let outcome = pipeline::build(&opts).expect("the build runs");
        builds.push(started.elapsed());
        assert!(outcome.succeeded(), "the benchmark site builds");
        pages = outcome.pages;
    }

    let site = Workspace::load(&root)
        .site
        .expect("the benchmark site loads");
    // Each metric's page draws its chart; its card draws a sparkline wherever it is listed
    // (here the metrics index only: the generated metrics answer to no priority).
    let mut charts = Vec::new();
    let mut bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        bytes = site
            .metrics
            .par_iter()
            .map(|m| chart::metric_chart(m, "c").len() + chart::sparkline(m).len())
            .sum();
        charts.push(started.elapsed());
    }
    let (check, build, chart) = (median(checks), median(builds), median(charts));
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "demo site + {metrics} metrics: {} metrics in all, {pages} pages",
        site.metrics.len()
    );
    println!(
        "medians of {runs}: check {:.1} ms, build {:.1} ms; every chart and sparkline: {:.1} ms ({} KB of SVG)",
        ms(check),
        ms(build),
        ms(chart),
        bytes / 1024
    );
    println!(
        "charts' share: {:.1}% of the check, {:.1}% of the build",
        ms(chart) / ms(check) * 100.0,
        ms(chart) / ms(build) * 100.0
    );
}
