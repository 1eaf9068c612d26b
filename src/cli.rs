//! The command line (clap): `build`, `check`, `serve`, `init`, `new` and `schema`, their
//! options, and how results are reported.

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
    pub(crate) command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
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
        /// Also request every outside http(s) address the site names, and report dead and
        /// moved ones (the only command that uses the network)
        #[arg(long)]
        links: bool,
        /// With --links: do not request again an address that answered well less than this
        /// many days ago (answers are kept in .plainsight/links.json)
        #[arg(long, value_name = "DAYS", default_value_t = 7, requires = "links")]
        links_max_age: u32,
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
    /// Write JSON Schemas of site.yaml, sources.yaml, metric files and front matter, for
    /// editors to check them as you type (replacing older ones)
    Schema {
        /// The site folder
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Folder to write them in [default: ROOT/schemas]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
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

/// What `new` makes: a document of a [`Kind`](crate::content::Kind), or a metric. Its names
/// on the command line are the kinds' own (`press-release`), so the list is written once.
#[derive(Clone, Copy, Debug)]
pub(crate) enum NewKind {
    Document(crate::content::Kind),
    Metric,
}

impl NewKind {
    /// Every kind of document, in [`Kind::ALL`](crate::content::Kind::ALL)'s order, then metric.
    const ALL: [NewKind; crate::content::Kind::ALL.len() + 1] = {
        let kinds = crate::content::Kind::ALL;
        let mut all = [NewKind::Metric; crate::content::Kind::ALL.len() + 1];
        let mut i = 0;
        while i < kinds.len() {
            all[i] = NewKind::Document(kinds[i]);
            i += 1;
        }
        all
    };

    /// The kind of document to make, or `None` for a metric.
    fn document(self) -> Option<crate::content::Kind> {
        match self {
            NewKind::Document(kind) => Some(kind),
            NewKind::Metric => None,
        }
    }
}

impl clap::ValueEnum for NewKind {
    fn value_variants<'a>() -> &'a [Self] {
        &NewKind::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let name = match self {
            NewKind::Document(kind) => kind.name(),
            NewKind::Metric => "metric",
        };
        Some(clap::builder::PossibleValue::new(name))
    }
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::content::front_matter::parse_date(s)
}

#[derive(Args, Debug)]
pub(crate) struct SiteArgs {
    /// The site folder (holding content/ and optionally themes/)
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub(crate) root: PathBuf,
    /// Include documents marked `draft: true`
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Treat warnings as errors (for CI and publishing)
    #[arg(long)]
    pub(crate) strict: bool,
    /// Threads to load, check and render with [default: one per core; at most four per core].
    /// The output is the same whatever the number
    #[arg(long, short = 'j', value_name = "N", value_parser = parse_jobs)]
    pub(crate) jobs: Option<u16>,
}

/// Threads per core beyond which more only cost memory and start-up: rendering is bound by the
/// CPU, and each thread has its own stack.
const JOBS_PER_CORE: usize = 4;

/// `--jobs N`: 1 to four per core. Tens of thousands of threads would exhaust memory or the
/// process's thread limit and hang the build rather than speed it up.
fn parse_jobs(s: &str) -> Result<u16, String> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    jobs_within(s, cores)
}

fn jobs_within(s: &str, cores: usize) -> Result<u16, String> {
    let most = cores.saturating_mul(JOBS_PER_CORE);
    let n: u16 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number of threads from 1 to {most}"))?;
    if n == 0 || usize::from(n) > most {
        return Err(format!(
            "{n} threads is outside 1 to {most} (at most {JOBS_PER_CORE} per core, and this machine has {})",
            plural(cores, "core")
        ));
    }
    Ok(n)
}

impl SiteArgs {
    /// The checks every command that reads a site makes first; on failure, how to exit.
    fn usable(&self) -> Result<(), ExitCode> {
        is_site(&self.root)
    }

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

/// The exit code of a usage problem (a command run in the wrong place, a bad option): 1 is
/// kept for a site with errors.
const USAGE: u8 = 2;

/// Whether `root` is a site; if not, say so on stderr and give the usage exit code.
fn is_site(root: &std::path::Path) -> Result<(), ExitCode> {
    crate::site_root::check(root).map_err(|not| {
        eprintln!("{not}");
        ExitCode::from(USAGE)
    })
}

/// Run a command, print diagnostics to stderr, and say how the process should exit.
pub fn run(cli: Cli) -> ExitCode {
    let started = Instant::now();
    let (outcome, verb) = match cli.command {
        Command::Init { dir } => return init(&dir),
        Command::Schema { root, out } => {
            return schema(&out.unwrap_or_else(|| root.join("schemas")));
        }
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
            if let Err(code) = site.usable() {
                return code;
            }
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
        Command::Check {
            site,
            links,
            links_max_age,
        } => {
            if let Err(code) = site.usable() {
                return code;
            }
            site.use_jobs();
            let bar = Bar::on_terminal();
            let outcome = pipeline::check_with(
                &site.root,
                pipeline::CheckOptions {
                    drafts: site.drafts,
                    strict: site.strict,
                    links: links.then(|| crate::linkcheck::LinkOptions {
                        max_age_days: links_max_age,
                        ..crate::linkcheck::LinkOptions::default()
                    }),
                },
                &bar,
            );
            bar.clear();
            (outcome, "Checked")
        }
        Command::Build { site, output } => {
            if let Err(code) = site.usable() {
                return code;
            }
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
                    eprintln!("Build failed; the output folder was left as it was.");
                    return ExitCode::from(2);
                }
            }
        }
    };
    report(&outcome, verb, started)
}

/// `schema`: write the schemas into `dir` and list them.
fn schema(dir: &std::path::Path) -> ExitCode {
    match crate::schema::write(dir) {
        Ok(files) => {
            println!(
                "Wrote JSON Schemas in {}:",
                printable_name(&dir.display().to_string())
            );
            for f in &files {
                let f = f.strip_prefix(dir).unwrap_or(f).display().to_string();
                println!("  {}", printable_name(&f));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", printable(&e.to_string()));
            ExitCode::from(2)
        }
    }
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
    if let Err(code) = is_site(root) {
        return code;
    }
    let made = match kind.document() {
        Some(kind) => {
            scaffold::new_document(root, kind, name, date.unwrap_or_else(scaffold::today))
        }
        None => {
            // Cite one of the site's sources, so the file is nearly complete.
            let text = crate::content::read_regular(&root.join("content/sources.yaml"))
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default();
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
                if let Ok(style) = indicatif::ProgressStyle::with_template(match name {
                    "links" => "{msg} {wide_bar} {pos}/{len} addresses ({eta} left)",
                    _ => "{msg} {wide_bar} {pos}/{len} files ({eta} left)",
                }) {
                    bar.set_style(style);
                }
                bar.set_message(match name {
                    "links" => "Checking outside links",
                    _ => "Rendering",
                });
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

    /// Said whether or not stderr is a terminal: a build that seems stuck must say why.
    fn waiting_for(&self, output: &std::path::Path) {
        let say = || {
            eprintln!(
                "Waiting for another build of {} to finish...",
                printable_name(&output.display().to_string())
            )
        };
        match &self.0 {
            Some(bar) => bar.suspend(say),
            None => say(),
        }
    }
}

fn report(outcome: &Outcome, verb: &str, started: Instant) -> ExitCode {
    let mut err = std::io::stderr().lock();
    if !outcome.diagnostics.is_empty() {
        let _ = err.write_all(outcome.diagnostics.render(&outcome.sources).as_bytes());
    }
    if let Some(links) = &outcome.links {
        let _ = writeln!(err, "Links: {}", links.summary());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_are_one_to_four_per_core() {
        assert_eq!(jobs_within("1", 2), Ok(1));
        assert_eq!(jobs_within("8", 2), Ok(8));
        for bad in ["0", "9", "65535"] {
            let e = jobs_within(bad, 2).unwrap_err();
            assert!(e.contains("outside 1 to 8"), "{e}");
            assert!(e.contains("2 cores"), "{e}");
        }
        assert!(
            jobs_within("65536", 2)
                .unwrap_err()
                .contains("not a number")
        );
        assert!(jobs_within("-1", 1).unwrap_err().contains("from 1 to 4"));
    }

    /// `new` takes every kind by its front matter name, then `metric`, and nothing else.
    #[test]
    fn new_takes_the_kinds_by_their_names() {
        use crate::content::Kind;
        use clap::ValueEnum;
        for kind in Kind::ALL {
            let parsed = NewKind::from_str(kind.name(), false).unwrap();
            assert_eq!(parsed.document(), Some(kind));
        }
        assert_eq!(NewKind::from_str("metric", false).unwrap().document(), None);
        assert!(NewKind::from_str("Report", false).is_err());
        assert!(NewKind::from_str("pressrelease", false).is_err());
        assert_eq!(NewKind::value_variants().len(), Kind::ALL.len() + 1);
    }
}
