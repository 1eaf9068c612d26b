//! The command line (clap): `build`, `check`, `serve`, `init` and `new`, their options, and how
//! results are reported.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use crate::diag::{plural, plural_of};
use crate::pipeline::{self, Options, Outcome};
use crate::text::{printable, printable_name};

#[derive(Parser, Debug)]
#[command(
    name = "plainsight",
    version,
    about = "Build accessible, traceable websites for public accountability publishing"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder (replaced only if the build succeeds)
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder [default: ROOT/public]
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Check the site for errors without writing anything
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Serve the site locally, rebuilding and reloading the browser on every change
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; only change it to share the preview on a trusted network
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of using file system events (network or container disks)
        #[arg(long)]
        poll: bool,
    },
    /// Create a new site that builds at once: settings, a plan, a press release, a metric
    Init {
        /// The folder to create it in (new or empty)
        dir: PathBuf,
    },
    /// Create a document or a metric with its front matter filled in
    #[command(
        after_help = "Examples:\n  plainsight new press-release \"We publish our plan\"\n  plainsight new metric residents-who-trust-us"
    )]
    New {
        /// What to create
        kind: NewKind,
        /// The document's title, or the metric's id
        name: String,
        /// The site folder
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// The document's date, YYYY-MM-DD [default: today]
        #[arg(long, value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
    },
}

/// What `new` makes.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum NewKind {
    PressRelease,
    Report,
    Letter,
    Statement,
    Plan,
    Page,
    Metric,
}

impl NewKind {
    /// The kind of document to make, or `None` for a metric.
    fn document(self) -> Option<crate::content::Kind> {
        use crate::content::Kind;
        Some(match self {
            NewKind::PressRelease => Kind::PressRelease,
            NewKind::Report => Kind::Report,
            NewKind::Letter => Kind::Letter,
            NewKind::Statement => Kind::Statement,
            NewKind::Plan => Kind::Plan,
            NewKind::Page => Kind::Page,
            NewKind::Metric => return None,
        })
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::content::front_matter::parse_date(s)
}

#[derive(Args, Debug)]
pub struct SiteArgs {
    /// The site folder (holding content/ and optionally themes/)
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Include documents marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings as errors (for CI and publishing)
    #[arg(long)]
    pub strict: bool,
    /// Threads to load, check and render with [default: one per core]. The output is the
    /// same whatever the number
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

impl SiteArgs {
    /// Size rayon's pool, which every parallel stage uses, before any work starts.
    fn use_jobs(&self) {
        if let Some(n) = self.jobs {
            // Fails only if a pool already exists, and none does before a command runs.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(usize::from(n))
                .build_global();
        }
    }
}

/// Run a command, print diagnostics to stderr, and say how the process should exit.
pub fn run(cli: Cli) -> ExitCode {
    let started = Instant::now();
    let (outcome, verb) = match cli.command {
        Command::Init { dir } => return init(&dir),
        Command::New {
            kind,
            name,
            root,
            date,
        } => return new(kind, &name, &root, date),
        Command::Serve {
            site,
            port,
            bind,
            open,
            poll,
        } => {
            site.use_jobs();
            let opts = crate::serve::ServeOptions {
                root: site.root,
                bind,
                port,
                drafts: site.drafts,
                open,
                poll,
            };
            return match crate::serve::serve(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {}", printable(&format!("{e:#}")));
                    ExitCode::from(2)
                }
            };
        }
        Command::Check { site } => {
            site.use_jobs();
            let bar = Bar::on_terminal();
            let outcome = pipeline::check_with(&site.root, site.drafts, site.strict, &bar);
            bar.clear();
            (outcome, "Checked")
        }
        Command::Build { site, output } => {
            site.use_jobs();
            let opts = Options {
                root: site.root,
                output,
                drafts: site.drafts,
                strict: site.strict,
            };
            let bar = Bar::on_terminal();
            let built = pipeline::build_with(&opts, &bar);
            bar.clear();
            match built {
                Ok(o) => (o, "Built"),
                Err(e) => {
                    eprintln!("error: {}", printable(&e.to_string()));
                    return ExitCode::from(2);
                }
            }
        }
    };
    report(&outcome, verb, started)
}

fn init(dir: &std::path::Path) -> ExitCode {
    match crate::scaffold::init(dir) {
        Ok(files) => {
            let dir_shown = printable_name(&dir.display().to_string()).into_owned();
            println!("Created a site in {dir_shown}:");
            for f in &files {
                let f = f.strip_prefix(dir).unwrap_or(f).display().to_string();
                println!("  {}", printable_name(&f));
            }
            println!(
                "Next: plainsight serve --root {dir_shown} (then open http://127.0.0.1:1111/)"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", printable(&e.to_string()));
            ExitCode::from(2)
        }
    }
}

fn new(
    kind: NewKind,
    name: &str,
    root: &std::path::Path,
    date: Option<chrono::NaiveDate>,
) -> ExitCode {
    use crate::scaffold;
    if !root.join("content").is_dir() {
        eprintln!(
            "error: {} has no content/ folder; run this in a site (or pass --root), or start one with `plainsight init DIR`",
            printable_name(&root.display().to_string())
        );
        return ExitCode::from(2);
    }
    let made = match kind.document() {
        Some(kind) => {
            scaffold::new_document(root, kind, name, date.unwrap_or_else(scaffold::today))
        }
        None => {
            // Cite one of the site's sources, so the file is nearly complete.
            let text =
                std::fs::read_to_string(root.join("content/sources.yaml")).unwrap_or_default();
            let (sources, _) = crate::content::sources::parse(crate::diag::FileId(0), &text);
            let first = sources.keys().next().map(|id| id.as_str());
            scaffold::new_metric(root, name, first)
        }
    };
    match made {
        Ok(path) => {
            println!("Created {}", printable_name(&path.display().to_string()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", printable(&e.to_string()));
            ExitCode::from(2)
        }
    }
}

/// A progress bar on stderr while a build runs, drawn only when stderr is a terminal (a log
/// or CI gets the one-line summary alone).
struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    fn on_terminal() -> Bar {
        use std::io::IsTerminal;
        Bar(std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
            bar
        }))
    }

    fn clear(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl pipeline::Progress for Bar {
    fn stage(&self, name: &'static str, files: Option<usize>) {
        let Some(bar) = &self.0 else { return };
        match files {
            Some(n) => {
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{msg} {wide_bar} {pos}/{len} files ({eta} left)",
                ) {
                    bar.set_style(style);
                }
                bar.set_message("Rendering");
                bar.set_length(n as u64);
                bar.set_position(0);
            }
            None => bar.set_message(match name {
                "load" => "Reading content",
                "search" => "Building the search index",
                _ => "Checking references and claims",
            }),
        }
    }

    fn made(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }
}

fn report(outcome: &Outcome, verb: &str, started: Instant) -> ExitCode {
    let mut err = std::io::stderr().lock();
    if !outcome.diagnostics.is_empty() {
        let _ = err.write_all(outcome.diagnostics.render(&outcome.sources).as_bytes());
    }
    if !outcome.succeeded() {
        let _ = match verb {
            "Built" => writeln!(err, "Build failed; the output folder was left as it was."),
            _ => writeln!(err, "Check failed."),
        };
        return ExitCode::FAILURE;
    }
    let ms = started.elapsed().as_millis();
    let place = outcome
        .written_to
        .as_ref()
        .map(|p| format!(" into {}", printable_name(&p.display().to_string())))
        .unwrap_or_default();
    let st = &outcome.stats;
    let warnings = match outcome.diagnostics.count(crate::diag::Severity::Warning) {
        0 => String::new(),
        n => format!(", with {}", plural(n, "warning")),
    };
    let _ = writeln!(
        err,
        "{verb} {} ({}, {}, {}, {}; {} and {} checked){place} in {ms} ms{warnings}",
        plural(outcome.pages, "page"),
        plural(st.plans, "plan"),
        plural_of(st.priorities, "priority", "priorities"),
        plural(st.sources, "source"),
        plural(st.metrics, "metric"),
        plural(st.references, "reference"),
        plural(st.claims, "claim"),
    );
    ExitCode::SUCCESS
}
