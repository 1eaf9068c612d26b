//! A seeded corpus generator for benchmarks: writes a complete plainsight site (and, with
//! `--hugo` and `--zola`, the same documents as a Hugo site and a Zola site) that passes
//! `plainsight check --strict`.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --docs 10000 --out /tmp/site [--seed 42] [--hugo /tmp/hugo-site]
//!     [--zola /tmp/zola-site] [--commitments 200] [--reports 2000]
//! ```
//!
//! Standard library only. The same arguments always give byte-identical files: every choice
//! comes from a SplitMix64 generator seeded by `--seed`, and nothing depends on hash order,
//! the clock or the machine.
//!
//! What it writes into `OUT/content/`:
//! - `site.yaml`, and `sources.yaml` with 40 sources, each cited by at least one page;
//! - 4 plans in `plans/`, each with 4 priorities;
//! - 500 metrics `metrics/m1.yaml` … `metrics/m500.yaml` (percent, 4–8 yearly points);
//! - N documents spread over `press-releases/`, `reports/`, `letters/` and `statements/`, each
//!   with a 4–6 KB body: headings, paragraphs, a list, footnotes, cross-links to other
//!   documents, a plan and a priority link, and figures linked to metric data whose text
//!   states the value exactly (`[61%](metric:m17@2019)`). One in ten has a table.
//! - `--commitments C` commitments (default 200) under the plans' priorities, and `--reports R`
//!   progress reports (default one for every five documents: 2,000 at 10,000) in the front
//!   matter of documents dated after the first plan. `--commitments 0 --reports 0` leaves both
//!   out, and the rest of the corpus is then byte for byte what it is with them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// ---------------------------------------------------------------------------------------------
// Random numbers: SplitMix64, so the output depends only on the seed.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        assert!(lo <= hi);
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
    fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.range(0, items.len() - 1)]
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.range(1, one_in) == 1
    }
    /// `k` distinct indices in `0..n`, in the order drawn.
    fn distinct(&mut self, k: usize, n: usize, exclude: Option<usize>) -> Vec<usize> {
        let mut out = Vec::with_capacity(k);
        while out.len() < k {
            let x = self.range(0, n - 1);
            if Some(x) != exclude && !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Word lists.

const AREAS: &[&str] = &[
    "Northfield",
    "Eastbrook",
    "Westmere",
    "Southgate",
    "Millbank",
    "Harrowdale",
    "Riverside",
    "Ashcombe",
    "Brookhill",
    "Castleford",
    "Deanwood",
    "Elmstead",
    "Fairholme",
    "Greenhithe",
    "Hollins Cross",
    "Ivybridge",
    "Kingsmead",
    "Larkfield",
    "Marsh Lane",
    "Newhaven Park",
    "Oakridge",
    "Pendle Green",
    "Queensway",
    "Redcliffe",
    "Stonebridge",
    "Thornbury",
    "Upton Vale",
    "Valley End",
    "Whitecross",
    "Yardley",
];

/// (topic as it reads in a sentence, slug)
const TOPICS: &[(&str, &str)] = &[
    ("knife crime", "knife-crime"),
    ("housing repairs", "housing-repairs"),
    ("bus punctuality", "bus-punctuality"),
    ("school places", "school-places"),
    ("air quality", "air-quality"),
    ("social care assessments", "social-care"),
    ("street lighting", "street-lighting"),
    ("fly-tipping", "fly-tipping"),
    ("library opening hours", "libraries"),
    ("youth services", "youth-services"),
    ("road safety", "road-safety"),
    ("temporary accommodation", "temporary-accommodation"),
    ("recycling rates", "recycling"),
    ("emergency response times", "response-times"),
    ("domestic abuse support", "domestic-abuse-support"),
    ("stop and search", "stop-and-search"),
    ("planning enforcement", "planning-enforcement"),
    ("council tax collection", "council-tax"),
    ("adult skills funding", "adult-skills"),
    ("flood defences", "flood-defences"),
];

const ACTORS: &[&str] = &[
    "the Assembly's oversight committee",
    "the Mayor",
    "the scrutiny panel",
    "the audit committee",
    "the council leader",
    "the police and crime panel",
    "the independent oversight board",
    "the health and wellbeing board",
    "the chief executive",
    "the cabinet member responsible",
];

const GROUPS: &[&str] = &[
    "tenants' associations",
    "local headteachers",
    "carers' organisations",
    "small business owners",
    "youth workers",
    "disability rights groups",
    "bus users' groups",
    "victim support volunteers",
    "neighbourhood watch coordinators",
    "faith and community leaders",
];

const CONCERNS: &[&str] = &[
    "the backlog had grown over the last two years",
    "complaints were not always answered within the published time limit",
    "the most vulnerable residents were often waiting longest",
    "information given to the public had sometimes been out of date",
    "the target had been set without consulting the people most affected",
    "spending had not been tracked against the outcomes it was meant to buy",
    "some wards had seen no improvement at all",
    "staff turnover had left several teams without experienced managers",
    "performance data was published too late to be useful to residents",
    "contracts with outside providers lacked clear penalties for poor service",
];

const ACTIONS: &[&str] = &[
    "an independent review of the service",
    "a new complaints procedure with fixed response times",
    "a public dashboard of monthly figures",
    "extra staff for the busiest teams",
    "a plain-English guide for residents",
    "joint inspections with partner agencies",
    "a ward-by-ward breakdown of the results",
    "a recovery plan with named milestones",
    "an annual survey of the people who use the service",
    "a review of every contract due for renewal",
];

const RECOMMENDATIONS: &[&str] = &[
    "sets a clear and measurable target for improvement",
    "consults residents before changing opening hours or locations",
    "shares its performance data with the committee every month",
    "reviews how complaints are recorded and answered",
    "publishes the cost of each commitment alongside its progress",
    "explains in writing any target that is missed",
    "asks service users to help design the next round of changes",
    "reports separately on the wards with the weakest results",
];

const SECTION_HEADINGS: &[&str] = &[
    "Background",
    "What we found",
    "Evidence we heard",
    "Our recommendations",
    "Response from the service",
    "Next steps",
    "Funding and resources",
    "What residents told us",
    "Progress against the plan",
    "Accountability and reporting",
];

const SUB_HEADINGS: &[&str] = &[
    "Figures for the year",
    "Views of residents",
    "Gaps in the data",
    "Commitments made",
    "Open questions",
    "Lessons from other areas",
];

const PUBLISHERS: &[&str] = &[
    "Office for Policing and Crime",
    "Housing Ombudsman Service",
    "Regional Transport Authority",
    "Department for Education",
    "Office for National Statistics",
    "Local Government Association",
    "Environment Agency",
    "Care Quality Commission",
    "National Audit Office",
    "Independent Office for Police Conduct",
];

const SOURCE_KINDS: &[&str] = &[
    "Annual Survey of Residents",
    "Performance Statistics",
    "Inspection Report",
    "Value for Money Review",
    "Quarterly Bulletin",
    "Statistical Release",
    "Thematic Review",
    "Service Audit",
];

const INDICATORS: &[&str] = &[
    "Share of housing repairs completed on time",
    "Share of residents who feel safe after dark",
    "Share of buses running on time",
    "Share of pupils offered a first-choice school place",
    "Share of days with good air quality",
    "Share of care assessments completed within 28 days",
    "Share of street lights working",
    "Share of fly-tipping cleared within two days",
    "Share of library visits that met the user's need",
    "Share of young people in education, employment or training",
    "Share of 999 calls answered within ten seconds",
    "Share of households leaving temporary accommodation within six months",
    "Share of household waste recycled",
    "Share of victims satisfied with the police response",
    "Share of stop and search encounters leading to further action",
    "Share of planning complaints resolved within eight weeks",
    "Share of council tax collected in year",
    "Share of adult learners completing their course",
    "Share of homes protected by flood defences",
    "Share of residents who trust the council",
];

/// The plan and priority (indices into `PLANS`) each of `INDICATORS` measures.
const INDICATOR_PRIORITY: [(usize, usize); 20] = [
    (1, 0),
    (0, 2),
    (2, 0),
    (3, 2),
    (2, 1),
    (3, 0),
    (2, 2),
    (2, 2),
    (3, 3),
    (0, 3),
    (0, 0),
    (1, 1),
    (2, 1),
    (0, 1),
    (0, 2),
    (1, 2),
    (1, 2),
    (3, 3),
    (1, 3),
    (0, 2),
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// (folder, kind name used in sentences, title stems)
const SECTIONS: &[(&str, &str, &[&str])] = &[
    (
        "press-releases",
        "press release",
        &[
            "Mayor welcomes progress on",
            "Committee demands answers on",
            "New targets set for",
            "Figures published on",
        ],
    ),
    (
        "reports",
        "report",
        &[
            "Review of",
            "Annual report on",
            "Scrutiny findings on",
            "Interim report on",
        ],
    ),
    (
        "letters",
        "letter",
        &[
            "Letter to the Mayor on",
            "Reply from the chief executive on",
            "Letter to the Commissioner about",
            "Committee chair writes on",
        ],
    ),
    (
        "statements",
        "statement",
        &[
            "Statement on",
            "Response to the inquiry into",
            "Joint statement on",
            "Chair's statement on",
        ],
    ),
];

struct PlanSpec {
    id: &'static str,
    title: &'static str,
    owner: &'static str,
    start: &'static str,
    end: &'static str,
    date: &'static str,
    /// (id, title, summary)
    priorities: [(&'static str, &'static str, &'static str); 4],
}

const PLANS: [PlanSpec; 4] = [
    PlanSpec {
        id: "community-safety-plan-2016-20",
        title: "Community Safety Plan 2016-20",
        owner: "Office for Policing and Crime",
        start: "2016-04-01",
        end: "2020-03-31",
        date: "2016-03-15",
        priorities: [
            (
                "reduce-serious-violence",
                "Reducing serious violence",
                "Fewer people harmed by knife and gun crime, with prevention work in the areas most affected.",
            ),
            (
                "support-victims",
                "Better support for victims",
                "Victims are kept informed, treated with respect and referred to the help they need.",
            ),
            (
                "neighbourhood-policing",
                "Visible neighbourhood policing",
                "Named officers in every ward who respond to the priorities residents set.",
            ),
            (
                "tackle-exploitation",
                "Tackling exploitation",
                "Children and adults protected from criminal and sexual exploitation.",
            ),
        ],
    },
    PlanSpec {
        id: "housing-delivery-plan-2018-22",
        title: "Housing Delivery Plan 2018-22",
        owner: "Housing and Regeneration Directorate",
        start: "2018-04-01",
        end: "2022-03-31",
        date: "2018-02-20",
        priorities: [
            (
                "repairs-on-time",
                "Repairs done right, on time",
                "Tenants' repairs completed within the promised time and fixed first time.",
            ),
            (
                "end-rough-sleeping",
                "Ending rough sleeping",
                "Nobody sleeps rough for a second night, and fewer families wait in temporary accommodation.",
            ),
            (
                "new-affordable-homes",
                "New affordable homes",
                "More homes at social rent built on public land.",
            ),
            (
                "safe-buildings",
                "Safe buildings",
                "Every tower block inspected and its fire safety work completed.",
            ),
        ],
    },
    PlanSpec {
        id: "transport-and-air-quality-plan-2020-24",
        title: "Transport and Air Quality Plan 2020-24",
        owner: "Regional Transport Authority",
        start: "2020-04-01",
        end: "2024-03-31",
        date: "2020-01-28",
        priorities: [
            (
                "reliable-buses",
                "Reliable buses",
                "Buses that run on time, with fewer cancelled journeys.",
            ),
            (
                "cleaner-air",
                "Cleaner air",
                "Air pollution below legal limits on every main road.",
            ),
            (
                "safer-streets",
                "Safer streets",
                "Fewer people killed or seriously injured on the roads.",
            ),
            (
                "step-free-access",
                "Step-free access",
                "More stations and stops usable without steps.",
            ),
        ],
    },
    PlanSpec {
        id: "health-and-care-plan-2022-26",
        title: "Health and Care Plan 2022-26",
        owner: "Health and Wellbeing Board",
        start: "2022-04-01",
        end: "2026-03-31",
        date: "2022-03-10",
        priorities: [
            (
                "timely-assessments",
                "Timely care assessments",
                "People who ask for care assessed within 28 days.",
            ),
            (
                "support-carers",
                "Support for carers",
                "Unpaid carers identified, offered a break and kept informed.",
            ),
            (
                "healthy-childhoods",
                "Healthy childhoods",
                "Fewer children living with obesity or waiting for mental health support.",
            ),
            (
                "independent-living",
                "Independent living",
                "More people supported to live safely in their own homes.",
            ),
        ],
    },
];

// ---------------------------------------------------------------------------------------------
// The corpus in memory.

struct Source {
    id: String,
    title: String,
    publisher: String,
    date: (u32, u32, u32),
}

struct Metric {
    title: String,
    /// (year, value)
    series: Vec<(u32, u32)>,
}

struct Doc {
    folder: &'static str,
    kind: &'static str,
    stem: String,
    title: String,
    topic: usize,
    area: usize,
    date: (u32, u32, u32),
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        _ => 28,
    }
}

fn random_date(rng: &mut Rng, first_year: u32, last_year: u32) -> (u32, u32, u32) {
    let y = rng.range(first_year as usize, last_year as usize) as u32;
    let m = rng.range(1, 12) as u32;
    let d = rng.range(1, days_in_month(y, m) as usize) as u32;
    (y, m, d)
}

fn iso((y, m, d): (u32, u32, u32)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

fn long_date((y, m, d): (u32, u32, u32)) -> String {
    format!("{d} {} {y}", MONTHS[m as usize - 1])
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A YAML double-quoted scalar.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

struct Corpus {
    sources: Vec<Source>,
    metrics: Vec<Metric>,
    docs: Vec<Doc>,
    commitments: Vec<Commitment>,
    /// Each document's progress reports, by document index.
    reports: Vec<Vec<Report>>,
}

fn make_corpus(rng: &mut Rng, n: usize) -> Corpus {
    let sources = (0..40)
        .map(|k| {
            let date = random_date(rng, 2012, 2024);
            let publisher = PUBLISHERS[k % PUBLISHERS.len()].to_string();
            let kind = SOURCE_KINDS[(k / PUBLISHERS.len() + k) % SOURCE_KINDS.len()];
            Source {
                id: format!("src-{:02}", k + 1),
                title: format!("{kind} {}, edition {}", date.0, k / PUBLISHERS.len() + 1),
                publisher,
                date,
            }
        })
        .collect();

    let metrics = (0..500)
        .map(|k| {
            let title = format!(
                "{} in {}",
                INDICATORS[k % INDICATORS.len()],
                AREAS[(k / INDICATORS.len()) % AREAS.len()]
            );
            let points = rng.range(4, 8);
            let mut values: Vec<u32> = Vec::new();
            while values.len() < points {
                let v = rng.range(20, 90) as u32;
                if !values.contains(&v) {
                    values.push(v);
                }
            }
            let series = values
                .into_iter()
                .enumerate()
                .map(|(i, v)| (2015 + i as u32, v))
                .collect();
            Metric { title, series }
        })
        .collect();

    let docs = (0..n)
        .map(|i| {
            let (folder, kind, stems) = SECTIONS[i % SECTIONS.len()];
            let topic = rng.range(0, TOPICS.len() - 1);
            let area = rng.range(0, AREAS.len() - 1);
            let date = random_date(rng, 2010, 2025);
            let title = format!(
                "{} {} in {} (ref. {}/{:05})",
                rng.pick(stems),
                TOPICS[topic].0,
                AREAS[area],
                date.0,
                i + 1
            );
            let stem = format!(
                "{}-{}-{}-{}",
                iso(date),
                TOPICS[topic].1,
                slugify(AREAS[area]),
                i
            );
            Doc {
                folder,
                kind,
                stem,
                title,
                topic,
                area,
                date,
            }
        })
        .collect();

    Corpus {
        sources,
        metrics,
        docs,
        commitments: Vec::new(),
        reports: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Commitments and progress reports. They are drawn from their own generator (seeded from
// `--seed`), so that leaving them out changes nothing else: the two sites differ only by the
// commitments and reports, which is what the benchmark compares.

/// A report's status, in the order reports cycle through them.
const STATUSES: [&str; 6] = [
    "not-started",
    "on-track",
    "at-risk",
    "delayed",
    "delivered",
    "dropped",
];

const DELIVERED: &str = "delivered";

const NOTES: &[&str] = &[
    "Officers told the committee that {action} is under way in {area}.",
    "The latest figures for {topic} were published with this update.",
    "{Actor} said the timetable depends on next year's budget.",
    "Residents in {area} were consulted before the change.",
    "The committee asked for a written explanation of the delay.",
    "Work has been paused while {action} is agreed with partners.",
];

struct Commitment {
    plan: usize,
    priority: usize,
    id: String,
    text: String,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    due: Option<String>,
    owner: Option<String>,
    target: Option<CommitmentTarget>,
}

struct CommitmentTarget {
    /// Index into `Corpus::metrics`.
    metric: usize,
    /// A year of the metric's; without it the target is judged at the due date.
    period: Option<u32>,
    value: u32,
    /// Whether every reading meets it; a `delivered` report on a target that some reading
    /// misses would be warned about, so only these are reported delivered.
    reachable: bool,
}

impl Commitment {
    fn may_be_delivered(&self) -> bool {
        self.target.as_ref().is_none_or(|t| t.reachable)
    }
}

struct Report {
    /// Index into `Corpus::commitments`.
    commitment: usize,
    status: &'static str,
    note: Option<String>,
}

/// A due date in one of the three shapes, within the plan's period (from the year after it
/// starts, so that a month never falls before its first day, to the year after it ends).
fn random_due(rng: &mut Rng, plan: &PlanSpec) -> String {
    let (start, end) = (parse_iso(plan.start).0, parse_iso(plan.end).0);
    let y = rng.range(start as usize + 1, end as usize + 1) as u32;
    let m = rng.range(1, 12) as u32;
    match rng.range(0, 2) {
        0 => y.to_string(),
        1 => format!("{y}-{m:02}"),
        _ => iso((y, m, rng.range(1, days_in_month(y, m) as usize) as u32)),
    }
}

/// A metric that measures the priority, when one does, else any metric; and a target on it.
fn random_target(
    rng: &mut Rng,
    plan: usize,
    priority: usize,
    metrics: &[Metric],
) -> CommitmentTarget {
    let own: Vec<usize> = (0..metrics.len())
        .filter(|k| INDICATOR_PRIORITY[k % INDICATORS.len()] == (plan, priority))
        .collect();
    let metric = if own.is_empty() {
        rng.range(0, metrics.len() - 1)
    } else {
        *rng.pick(&own)
    };
    let series = &metrics[metric].series;
    let period = rng.chance(2).then(|| rng.pick(series).0);
    let reachable = rng.chance(2);
    // Higher is better: the lowest reading meets the first, no reading meets the second.
    let value = if reachable {
        series.iter().map(|p| p.1).min().unwrap_or(0)
    } else {
        series.iter().map(|p| p.1).max().unwrap_or(0) + 5
    };
    CommitmentTarget {
        metric,
        period,
        value,
        reachable,
    }
}

/// `count` commitments, spread over the plans and then their priorities in turn. Two in three
/// have a due date, half an owner, one in four (each with a due date) a metric and a target.
fn make_commitments(rng: &mut Rng, count: usize, metrics: &[Metric]) -> Vec<Commitment> {
    (0..count)
        .map(|j| {
            let (plan, priority) = (j % PLANS.len(), (j / PLANS.len()) % 4);
            let topic = rng.range(0, TOPICS.len() - 1);
            let area = rng.word(AREAS);
            let action = rng.word(ACTIONS);
            let measured = rng.chance(4);
            let due = (measured || rng.range(1, 3) <= 2).then(|| random_due(rng, &PLANS[plan]));
            let owner = rng.chance(2).then(|| capitalise(rng.word(ACTORS)));
            let target = measured.then(|| random_target(rng, plan, priority, metrics));
            Commitment {
                plan,
                priority,
                id: format!("{}-{}", TOPICS[topic].1, j + 1),
                text: format!("Deliver {action} for {} in {area}", TOPICS[topic].0),
                due,
                owner,
                target,
            }
        })
        .collect()
}

/// `count` reports over the documents dated on or after the first plan (each in a shuffled
/// order, then round again if there are more reports than documents). Report `r` has status
/// `STATUSES[r % 6]` and names a commitment of a plan published by the document's date, not
/// already reported in that document; one in three has a note.
fn make_reports(rng: &mut Rng, count: usize, c: &Corpus) -> Vec<Vec<Report>> {
    let mut reports: Vec<Vec<Report>> = (0..c.docs.len()).map(|_| Vec::new()).collect();
    let first_plan = PLANS.iter().map(|p| p.date).min().unwrap_or_default();
    let mut dated: Vec<usize> = (0..c.docs.len())
        .filter(|&i| iso(c.docs[i].date).as_str() >= first_plan)
        .collect();
    for k in (1..dated.len()).rev() {
        dated.swap(k, rng.range(0, k));
    }
    for r in 0..count {
        let Some(&i) = dated.get(r % dated.len().max(1)) else {
            break;
        };
        let (doc, status) = (&c.docs[i], STATUSES[r % STATUSES.len()]);
        let date = iso(doc.date);
        let candidates: Vec<usize> = (0..c.commitments.len())
            .filter(|&k| {
                let ck = &c.commitments[k];
                PLANS[ck.plan].date <= date.as_str()
                    && (status != DELIVERED || ck.may_be_delivered())
                    && !reports[i].iter().any(|x| x.commitment == k)
            })
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let commitment = *rng.pick(&candidates);
        let note = rng.chance(3).then(|| {
            let actor = rng.word(ACTORS);
            rng.word(NOTES)
                .replace("{Actor}", &capitalise(actor))
                .replace("{action}", rng.word(ACTIONS))
                .replace("{topic}", TOPICS[doc.topic].0)
                .replace("{area}", AREAS[doc.area])
        });
        reports[i].push(Report {
            commitment,
            status,
            note,
        });
    }
    reports
}

/// Adds `commitments` commitments and `reports` reports to the corpus, from a generator of
/// their own.
fn add_promises(seed: u64, commitments: usize, reports: usize, c: &mut Corpus) {
    let mut rng = Rng::new(seed ^ 0xC0_33_17_ED);
    c.commitments = make_commitments(&mut rng, commitments, &c.metrics);
    c.reports = make_reports(&mut rng, reports, c);
}

/// A priority's `commitments:` in its plan's front matter (nothing when it has none).
fn commitments_yaml(plan: usize, priority: usize, c: &Corpus) -> String {
    let mut out = String::new();
    for k in c
        .commitments
        .iter()
        .filter(|k| k.plan == plan && k.priority == priority)
    {
        if out.is_empty() {
            out.push_str("    commitments:\n");
        }
        let _ = writeln!(out, "      - id: {}\n        text: {}", k.id, q(&k.text));
        if let Some(due) = &k.due {
            let _ = writeln!(out, "        due: {due}");
        }
        if let Some(owner) = &k.owner {
            let _ = writeln!(out, "        owner: {}", q(owner));
        }
        if let Some(t) = &k.target {
            let _ = writeln!(out, "        metric: m{}", t.metric + 1);
            match t.period {
                Some(p) => {
                    let _ = writeln!(out, "        target: {{ period: {p}, value: {} }}", t.value);
                }
                None => {
                    let _ = writeln!(out, "        target: {{ value: {} }}", t.value);
                }
            }
        }
    }
    out
}

/// Document `i`'s `progress:` in its front matter (nothing when it reports none).
fn progress_yaml(i: usize, c: &Corpus) -> String {
    let mut out = String::new();
    for r in c.reports.get(i).into_iter().flatten() {
        if out.is_empty() {
            out.push_str("progress:\n");
        }
        let k = &c.commitments[r.commitment];
        let _ = writeln!(
            out,
            "  - commitment: {}/{}\n    status: {}",
            PLANS[k.plan].id, k.id, r.status
        );
        if let Some(note) = &r.note {
            let _ = writeln!(out, "    note: {}", q(note));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Writing the plainsight site.

fn site_yaml() -> String {
    "title: Generated Accountability Corpus\n\
     base_url: https://example.org/\n\
     language: en-GB\n\
     publisher: Benchmark Oversight Office\n\
     accessible_formats:\n  contact_url: https://example.org/contact\n  response_days: 5\n\
     external_paths:\n  - /contact\n"
        .to_string()
}

fn sources_yaml(c: &Corpus) -> String {
    let mut out =
        String::from("# 40 generated sources; every one is cited by at least one page.\n\n");
    for s in &c.sources {
        let _ = write!(
            out,
            "{}:\n  title: {}\n  publisher: {}\n  date: {}\n  url: https://example.com/sources/{}\n\n",
            s.id,
            q(&s.title),
            q(&s.publisher),
            iso(s.date),
            s.id
        );
    }
    out
}

fn plan_md(p: &PlanSpec, index: usize, c: &Corpus) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: {}\ndate: {}", q(p.title), p.date);
    let _ = writeln!(
        out,
        "summary: {}",
        q(&format!(
            "The {} sets four priorities and says how the {} will report progress.",
            p.title, p.owner
        ))
    );
    let _ = writeln!(out, "author: {}\nowner: {}", q(p.owner), q(p.owner));
    let _ = writeln!(
        out,
        "period:\n  start: {}\n  end: {}\npriorities:",
        p.start, p.end
    );
    for (j, (id, title, summary)) in p.priorities.iter().enumerate() {
        let _ = writeln!(
            out,
            "  - id: {id}\n    title: {}\n    summary: {}",
            q(title),
            q(summary)
        );
        out.push_str(&commitments_yaml(index, j, c));
    }
    out.push_str("---\n\n## Overview\n\n");
    let _ = writeln!(
        out,
        "The {} was published by the {} on {}. It covers the period from {} to {} and sets four priorities, each with measures that are reported to the oversight committee every quarter.[^plan]\n",
        p.title,
        p.owner,
        long_date(parse_iso(p.date)),
        long_date(parse_iso(p.start)),
        long_date(parse_iso(p.end))
    );
    out.push_str("## The priorities\n\n");
    for (id, title, summary) in &p.priorities {
        let _ = writeln!(out, "- [{title}](priority:{}/{id}): {summary}", p.id);
    }
    out.push_str("\n## Evidence base\n\nThe plan draws on these publications:\n\n");
    // Every source is cited by one plan, whatever the number of documents.
    for s in c.sources.iter().skip(index).step_by(PLANS.len()) {
        let _ = writeln!(out, "- [{}](source:{}), {}", s.title, s.id, s.publisher);
    }
    let first = &c.sources[index];
    let _ = writeln!(
        out,
        "\n[^plan]: [{}](source:{}), {}, {}.",
        first.title,
        first.id,
        first.publisher,
        long_date(first.date)
    );
    out
}

fn parse_iso(s: &str) -> (u32, u32, u32) {
    let p: Vec<u32> = s.split('-').map(|x| x.parse().unwrap()).collect();
    (p[0], p[1], p[2])
}

fn metric_yaml(k: usize, m: &Metric, c: &Corpus) -> String {
    let (plan, prio) = INDICATOR_PRIORITY[k % INDICATORS.len()];
    let (plan, prio) = (&PLANS[plan], PLANS[plan].priorities[prio].0);
    let source = &c.sources[k % c.sources.len()];
    let mut out = String::new();
    let _ = writeln!(out, "title: {}", q(&m.title));
    out.push_str("unit: percent\nbetter: higher\n");
    let _ = writeln!(
        out,
        "description: {}",
        q(&format!(
            "Generated series for benchmarking, measured each year and reported by the {}.",
            source.publisher
        ))
    );
    let _ = writeln!(
        out,
        "source: {}\npriorities: [{}/{}]\nseries:",
        source.id, plan.id, prio
    );
    for (year, value) in &m.series {
        let _ = writeln!(out, "  - {{ period: {year}, value: {value} }}");
    }
    out
}

/// Fills `{actor}`, `{topic}`, … in a filler sentence.
fn filler(rng: &mut Rng, doc: &Doc) -> String {
    const T: &[&str] = &[
        "{Actor} told the committee that progress on {topic} in {area} had been slower than planned, and that {action} would follow before the end of {year}.",
        "Members asked how the service measures {topic}, who is accountable when targets are missed, and how residents are told about the results.",
        "Officers accepted that {concern}, and agreed to report back to the panel with a costed plan and a timetable.",
        "The panel heard evidence from {group}, who described the practical effect of changes to {topic} on daily life in {area}.",
        "Residents in {area} said that {concern}, and asked for the figures to be published ward by ward.",
        "The finance team confirmed that the budget for {topic} had been protected for {year}, but warned that savings elsewhere could put it at risk.",
        "Scrutiny members noted that several of the recommendations made last year had been carried out in full, while the rest remained open.",
        "The response commits the service to {action}, and names a senior officer who will answer for it at the next meeting.",
        "Independent auditors found that the data on {topic} was broadly reliable, although some records from {area} were incomplete.",
        "Campaigners welcomed the commitment but said that without regular public reporting it would be hard to tell whether anything had changed.",
        "The chair thanked witnesses for their candour and said the committee would return to {topic} once the next set of figures was available.",
        "A written answer later confirmed that {action} had been agreed with partner organisations across {area}.",
        "Members were told that staff shortages and rising demand had combined to put pressure on {topic}, particularly during the winter months.",
        "The committee recommends that the service {recommendation}, and that it publishes a short progress update every quarter.",
        "{Group} told members that {concern}, and that they had raised the same point with {actor} more than once.",
        "It was agreed that {action} should be in place before the budget for {year} is set, so that its cost is known in advance.",
    ];
    let t = *rng.pick(T);
    let actor = *rng.pick(ACTORS);
    let group = *rng.pick(GROUPS);
    t.replace("{Actor}", &capitalise(actor))
        .replace("{actor}", actor)
        .replace("{Group}", &capitalise(group))
        .replace("{group}", group)
        .replace("{topic}", TOPICS[doc.topic].0)
        .replace("{area}", AREAS[doc.area])
        .replace("{concern}", rng.word(CONCERNS))
        .replace("{action}", rng.word(ACTIONS))
        .replace("{recommendation}", rng.word(RECOMMENDATIONS))
        .replace("{year}", &(doc.date.0 + 1).to_string())
}

/// The link text for a cross-link to `target`: says what it is and what it is about.
fn doc_link_text(rng: &mut Rng, target: &Doc) -> String {
    let lead = *rng.pick(&["the", "an earlier", "a related", "the follow-up"]);
    format!(
        "{lead} {} on {} in {}",
        target.kind, TOPICS[target.topic].0, AREAS[target.area]
    )
}

fn document_md(rng: &mut Rng, i: usize, c: &Corpus) -> String {
    let doc = &c.docs[i];
    let n = c.docs.len();
    // The plan in force at the document's date (the first plan for earlier documents), or
    // now and then another one.
    let in_force = PLANS
        .iter()
        .rposition(|p| p.date <= iso(doc.date).as_str())
        .unwrap_or(0);
    let plan = if rng.chance(5) {
        &PLANS[rng.range(0, PLANS.len() - 1)]
    } else {
        &PLANS[in_force]
    };
    let prio = &plan.priorities[rng.range(0, 3)];

    // Front matter.
    let mut fm = String::new();
    let _ = writeln!(fm, "---\ntitle: {}\ndate: {}", q(&doc.title), iso(doc.date));
    let _ = writeln!(
        fm,
        "summary: {}",
        q(&format!(
            "{} sets out what was found on {} in {} and what {} has promised to do next.",
            capitalise(&format!("this {}", doc.kind)),
            TOPICS[doc.topic].0,
            AREAS[doc.area],
            rng.pick(ACTORS)
        ))
    );
    let _ = writeln!(fm, "author: {}", q(&capitalise(rng.word(ACTORS))));
    // A document answers (in front matter) only to a plan published by its date, except a
    // letter, which may answer to a draft; the body mentions the plan either way. The draws
    // are made regardless, so the rest of the document does not depend on this.
    let may_answer = plan.date <= iso(doc.date).as_str() || doc.folder == "letters";
    if rng.chance(3) && may_answer {
        let _ = writeln!(fm, "plans: [{}]", plan.id);
    }
    if rng.chance(4) {
        let other = &plan.priorities[rng.range(0, 3)];
        if may_answer {
            let _ = writeln!(fm, "priorities: [{}/{}]", plan.id, other.0);
        }
    }
    fm.push_str(&progress_yaml(i, c));
    fm.push_str("---\n");

    // Special sentences, to be spread over the paragraphs.
    let mut special: Vec<String> = Vec::new();
    special.push(format!(
        "This work answers to the [{}](plan:{}), which the {} published for the years it covers.",
        plan.title, plan.id, plan.owner
    ));
    special.push(format!(
        "It is most closely tied to the priority [{}](priority:{}/{}), whose progress is reported to members every quarter.",
        prio.1.to_lowercase(),
        plan.id,
        prio.0
    ));
    let links = rng.range(3, 6).min(n.saturating_sub(1));
    for j in rng.distinct(links, n, Some(i)) {
        let target = &c.docs[j];
        let text = doc_link_text(rng, target);
        let t = *rng.pick(&[
            "Members compared this with {link}, which raised similar concerns.",
            "The background is set out in {link}.",
            "Progress since then should be read alongside {link}.",
            "Several witnesses referred to {link} when giving evidence.",
        ]);
        special.push(t.replace(
            "{link}",
            &format!("[{text}](doc:{}/{})", target.folder, target.stem),
        ));
    }
    for _ in 0..rng.range(1, 2) {
        let k = rng.range(0, c.metrics.len() - 1);
        let m = &c.metrics[k];
        // A figure published by the document's date where the series allows it.
        let known = m
            .series
            .iter()
            .filter(|(y, _)| *y <= doc.date.0)
            .count()
            .max(1);
        let (year, value) = m.series[rng.range(0, known - 1)];
        let value_text = if rng.chance(2) {
            format!("{value}%")
        } else {
            format!("{value} per cent")
        };
        special.push(format!(
            "The published figure for the {} was [{value_text}](metric:m{}@{year}) in {year}.",
            lower_first(&m.title),
            k + 1
        ));
    }
    // Footnotes: the first cites source i % 40, so every source is cited.
    let footnotes = rng.range(2, 5);
    let mut note_sources = vec![i % c.sources.len()];
    while note_sources.len() < footnotes {
        note_sources.push(rng.range(0, c.sources.len() - 1));
    }

    // Layout: 3–8 paragraphs under 2–3 `##` sections, perhaps one `###`.
    let paragraphs = rng.range(3, 8);
    let sections = rng.range(2, 3).min(paragraphs);
    let headings = rng.distinct(sections, SECTION_HEADINGS.len(), None);
    let sub = if rng.chance(2) {
        Some(*rng.pick(SUB_HEADINGS))
    } else {
        None
    };
    let mut paras: Vec<Vec<String>> = vec![Vec::new(); paragraphs];
    special.reverse();
    let mut p = 0;
    while let Some(s) = special.pop() {
        paras[p % paragraphs].push(s);
        p += 1;
    }
    for p in paras.iter_mut() {
        p.insert(0, filler(rng, doc));
    }
    // Footnote references go at the end of a sentence, each used once.
    for (f, _) in note_sources.iter().enumerate() {
        let para = &mut paras[f % paragraphs];
        let last = para.len() - 1;
        let k = if f < paragraphs { 0 } else { last };
        para[k].push_str(&format!("[^n{}]", f + 1));
    }

    let bullet_count = rng.range(3, 5);
    let bullets: Vec<String> = rng
        .distinct(bullet_count, RECOMMENDATIONS.len(), None)
        .into_iter()
        .map(|r| format!("- That the service {}.", RECOMMENDATIONS[r]))
        .collect();
    let list = format!("The main recommendations were:\n\n{}\n", bullets.join("\n"));
    let table = if i.is_multiple_of(10) {
        let mut t = String::from("| Year | Cases opened | Cases closed |\n| --- | --- | --- |\n");
        for y in 0..rng.range(3, 5) {
            let _ = writeln!(
                t,
                "| {} | {} | {} |",
                doc.date.0 as usize - 4 + y,
                rng.range(100, 2000),
                rng.range(100, 2000)
            );
        }
        Some(t)
    } else {
        None
    };
    let mut notes = String::new();
    for (f, &s) in note_sources.iter().enumerate() {
        let s = &c.sources[s];
        let _ = writeln!(
            notes,
            "[^n{}]: [{}](source:{}), {}, {}.",
            f + 1,
            s.title,
            s.id,
            s.publisher,
            long_date(s.date)
        );
    }

    // Grow the paragraphs with filler until the body reaches its target size (4–6 KB).
    let target = rng.range(4300, 5700);
    let fixed: usize = list.len()
        + table.as_ref().map_or(0, String::len)
        + notes.len()
        + headings
            .iter()
            .map(|&h| SECTION_HEADINGS[h].len() + 5)
            .sum::<usize>()
        + sub.map_or(0, |s| s.len() + 6)
        + paragraphs * 2;
    let mut total = fixed + paras.iter().flatten().map(|s| s.len() + 1).sum::<usize>();
    let mut k = 0;
    while total < target {
        let mut s = filler(rng, doc);
        for _ in 0..8 {
            if !paras[k % paragraphs].contains(&s) {
                break;
            }
            s = filler(rng, doc);
        }
        total += s.len() + 1;
        let at = paras[k % paragraphs].len() - 1;
        // Keep footnote references and links where they are; filler goes before the last sentence.
        paras[k % paragraphs].insert(at, s);
        k += 1;
    }

    // Assemble: sections share the paragraphs; the list, the table and the sub-heading are
    // placed inside sections so heading levels never skip.
    let mut body = String::from("\n");
    let per = paragraphs / sections;
    let mut next = 0;
    for (si, &h) in headings.iter().enumerate() {
        let _ = write!(body, "## {}\n\n", SECTION_HEADINGS[h]);
        let count = if si + 1 == sections {
            paragraphs - next
        } else {
            per
        };
        for pi in 0..count {
            if si == 0
                && pi == count - 1
                && let Some(s) = sub
            {
                let _ = write!(body, "### {s}\n\n");
            }
            let _ = write!(body, "{}\n\n", paras[next].join(" "));
            next += 1;
        }
        if si == 0 {
            body.push_str(&list);
            body.push('\n');
        }
        if si == 1
            && let Some(t) = &table
        {
            body.push_str(t);
            body.push('\n');
        }
    }
    body.push_str(&notes);
    fm + &body
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// The Hugo and Zola twins.

/// Which peer a twin is written for: they differ in how a link to another page is spelled.
#[derive(Clone, Copy)]
enum Peer {
    Hugo,
    Zola,
}

/// Rewrites plainsight-only links: `doc:` and `plan:` become links to the peer's pages
/// (relative for Hugo; Zola's `@/` internal links, which Zola resolves and checks as plainsight
/// does); `priority:`, `source:` and `metric:` become their link text.
fn twin_body(body: &str, peer: Peer) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(close) = rest.find("](") {
        let Some(open) = rest[..close].rfind('[') else {
            out.push_str(&rest[..close + 2]);
            rest = &rest[close + 2..];
            continue;
        };
        let Some(end) = rest[close + 2..].find(')') else {
            break;
        };
        let text = &rest[open + 1..close];
        let dest = &rest[close + 2..close + 2 + end];
        out.push_str(&rest[..open]);
        let (scheme, target) = dest.split_once(':').unwrap_or(("", dest));
        match (scheme, peer) {
            // Hugo's pages are at /SECTION/STEM/, two levels below the root.
            ("doc", Peer::Hugo) => {
                let _ = write!(out, "[{text}](../../{target}/)");
            }
            ("plan", Peer::Hugo) => {
                let _ = write!(out, "[{text}](../../plans/{target}/)");
            }
            ("doc", Peer::Zola) => {
                let _ = write!(out, "[{text}](@/{target}.md)");
            }
            ("plan", Peer::Zola) => {
                let _ = write!(out, "[{text}](@/plans/{target}.md)");
            }
            ("priority" | "source" | "metric", _) => out.push_str(text),
            _ => {
                let _ = write!(out, "[{text}]({dest})");
            }
        }
        rest = &rest[close + 2 + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Splits a plainsight document into (title, date, summary, body).
fn split_front_matter(md: &str) -> (String, String, String, &str) {
    let after = md.strip_prefix("---\n").expect("front matter");
    let end = after.find("\n---\n").expect("closing ---");
    let (fm, body) = (&after[..end], &after[end + 5..]);
    let field = |name: &str| {
        fm.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .unwrap_or("")
            .to_string()
    };
    (field("title"), field("date"), field("summary"), body)
}

fn hugo_page(md: &str) -> String {
    let (title, date, summary, body) = split_front_matter(md);
    // The plan's priorities and period are plainsight fields; Hugo gets title, date, summary.
    format!(
        "---\ntitle: {title}\ndate: {date}\nsummary: {summary}\n---\n{}",
        twin_body(body, Peer::Hugo)
    )
}

/// A Zola page: TOML front matter with title, date and the summary as `description` (Zola's
/// `summary` is the text above a `<!-- more -->` marker, not a field).
fn zola_page(md: &str) -> String {
    let (title, date, summary, body) = split_front_matter(md);
    // The generator writes titles and summaries as double-quoted YAML strings (`q`), whose
    // escapes (`\\`, `\"`) are also those of a TOML basic string.
    debug_assert!(title.starts_with('"') && summary.starts_with('"'));
    format!(
        "+++\ntitle = {title}\ndate = {date}\ndescription = {summary}\n+++\n{}",
        twin_body(body, Peer::Zola)
    )
}

/// A Zola section's `_index.md`: newest first, 20 a page as plainsight's listings, with a feed.
fn zola_section(title: &str) -> String {
    format!(
        "+++\ntitle = {}\nsort_by = \"date\"\npaginate_by = 20\ngenerate_feeds = true\n+++\n",
        q(title)
    )
}

const HUGO_TOML: &str = r#"baseURL = "https://example.org/"
title = "Generated Accountability Corpus"
languageCode = "en-gb"
# Taxonomies are off (plainsight has none). RSS (home and each section, the newest 50 entries
# as in plainsight's Atom feeds) and the sitemap are on, as plainsight makes both, so that the
# two generators do comparable work.
disableKinds = ["taxonomy", "term"]
paginate = 20
[services.rss]
limit = 50
"#;

const BASEOF: &str = r##"<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>
</head>
<body>
<a href="#main">Skip to content</a>
<header>
<p><a href="{{ "/" | relURL }}">{{ site.Title }}</a></p>
<nav aria-label="Sections"><ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>
</header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
<footer><p>{{ site.Title }}</p></footer>
</body>
</html>
"##;

const SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
{{ .Content }}
</article>
{{ end }}
"#;

const LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range (.Paginate .Pages.ByDate.Reverse).Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></li>
{{ end }}
</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
"#;

const INDEX: &str = r#"{{ define "main" }}
<h1>{{ site.Title }}</h1>
<h2>Sections</h2>
<ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<h2>Latest</h2>
<ul>
{{ range first 10 site.RegularPages.ByDate.Reverse }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ul>
{{ end }}
"#;

const ZOLA_TOML: &str = r#"base_url = "https://example.org/"
title = "Generated Accountability Corpus"
default_language = "en"
# No taxonomies (plainsight has none). Atom feeds (home and each section, the newest 50 entries
# as in plainsight's) and the sitemap (Zola's default) are on, as plainsight makes both, so
# that the generators do comparable work. Zola's own search index is off (its default):
# Pagefind's CLI indexes the output instead.
generate_feeds = true
feed_limit = 50
"#;

/// The sections a Zola twin lists in its navigation, as (folder, title).
const ZOLA_SECTIONS: &[(&str, &str)] = &[
    ("press-releases", "Press releases"),
    ("reports", "Reports"),
    ("letters", "Letters"),
    ("statements", "Statements"),
    ("plans", "Plans"),
];

/// Zola's base template; `{NAV}` is replaced by the sections' links. `lang` is what Pagefind
/// reads the language from.
const ZOLA_BASE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock %}</title>
</head>
<body>
<a href="#main">Skip to content</a>
<header>
<p><a href="{{ get_url(path="/") }}">{{ config.title }}</a></p>
<nav aria-label="Sections"><ul>{NAV}</ul></nav>
</header>
<main id="main">
{% block main %}{% endblock %}
</main>
<footer><p>{{ config.title }}</p></footer>
</body>
</html>
"##;

/// Only pages carry `data-pagefind-body`, so that Pagefind indexes the documents and plans
/// alone, as plainsight's index does, and not the listings.
const ZOLA_PAGE: &str = r#"{% extends "base.html" %}
{% block title %}{{ page.title }} | {{ config.title }}{% endblock %}
{% block main %}
<article data-pagefind-body>
<h1>{{ page.title }}</h1>
<p><time datetime="{{ page.date }}">{{ page.date | date(format="%-d %B %Y") }}</time></p>
{% if page.description %}<p>{{ page.description }}</p>{% endif %}
{{ page.content | safe }}
</article>
{% endblock %}
"#;

const ZOLA_SECTION: &str = r#"{% extends "base.html" %}
{% block title %}{{ section.title }} | {{ config.title }}{% endblock %}
{% block main %}
<h1>{{ section.title }}</h1>
<ul>
{% for page in paginator.pages %}
<li><a href="{{ page.permalink | safe }}">{{ page.title }}</a> <time datetime="{{ page.date }}">{{ page.date | date(format="%-d %B %Y") }}</time></li>
{% endfor %}
</ul>
<nav aria-label="Pages">
{% if paginator.previous %}<a href="{{ paginator.previous | safe }}">Newer</a>{% endif %}
<span>Page {{ paginator.current_index }} of {{ paginator.number_pagers }}</span>
{% if paginator.next %}<a href="{{ paginator.next | safe }}">Older</a>{% endif %}
</nav>
{% endblock %}
"#;

/// The home page: the sections, and each one's newest pages (Zola's root section holds no
/// pages of its own; sections list newest first).
const ZOLA_INDEX: &str = r#"{% extends "base.html" %}
{% block main %}
<h1>{{ config.title }}</h1>
<h2>Latest</h2>
{% for path in section.subsections %}
{% set s = get_section(path=path) %}
<h3><a href="{{ s.permalink | safe }}">{{ s.title }}</a></h3>
<ul>
{% for page in s.pages | slice(end=3) %}
<li><a href="{{ page.permalink | safe }}">{{ page.title }}</a></li>
{% endfor %}
</ul>
{% endfor %}
{% endblock %}
"#;

fn zola_base() -> String {
    let nav: String = ZOLA_SECTIONS
        .iter()
        .map(|(folder, title)| {
            format!(
                "<li><a href=\"{{{{ get_url(path=\"@/{folder}/_index.md\") }}}}\">{title}</a></li>"
            )
        })
        .collect();
    ZOLA_BASE.replace("{NAV}", &nav)
}

/// Writes the parts of the Zola twin that are not documents: config, sections, plans, templates.
fn write_zola_frame(z: &Path, plans: &[(&str, String)]) -> Result<(), String> {
    write(&z.join("config.toml"), ZOLA_TOML)?;
    write(
        &z.join("content/_index.md"),
        "+++\ntitle = \"Generated Accountability Corpus\"\n+++\n",
    )?;
    for (folder, title) in ZOLA_SECTIONS {
        write(
            &z.join("content").join(folder).join("_index.md"),
            &zola_section(title),
        )?;
    }
    for (id, md) in plans {
        write(
            &z.join("content/plans").join(format!("{id}.md")),
            &zola_page(md),
        )?;
    }
    write(&z.join("templates/base.html"), &zola_base())?;
    write(&z.join("templates/page.html"), ZOLA_PAGE)?;
    write(&z.join("templates/section.html"), ZOLA_SECTION)?;
    write(&z.join("templates/index.html"), ZOLA_INDEX)
}

// ---------------------------------------------------------------------------------------------

/// What to write; public so that tests can generate a corpus in-process (tests/scale.rs).
pub struct Args {
    pub docs: usize,
    pub out: PathBuf,
    pub seed: u64,
    pub hugo: Option<PathBuf>,
    /// Where to write the same documents as a Zola site.
    pub zola: Option<PathBuf>,
    /// Commitments under the plans' priorities.
    pub commitments: usize,
    /// Progress reports in the documents' front matter.
    pub reports: usize,
}

/// Commitments when `--commitments` is not given.
pub const DEFAULT_COMMITMENTS: usize = 200;

/// Progress reports when `--reports` is not given: one for every five documents, so 2,000 at
/// 10,000 documents and the same share at any size.
pub fn default_reports(docs: usize) -> usize {
    docs / 5
}

const USAGE: &str = "usage: gen_corpus --docs N --out DIR [--seed S] [--hugo HUGO_DIR] [--zola ZOLA_DIR] [--commitments C] [--reports R]";

fn parse_args() -> Result<Args, String> {
    let mut docs = None;
    let mut out = None;
    let mut seed = 42;
    let mut hugo = None;
    let mut zola = None;
    let mut commitments = DEFAULT_COMMITMENTS;
    let mut reports = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value\n{USAGE}"));
        match a.as_str() {
            "--docs" => docs = Some(value()?.parse().map_err(|e| format!("--docs: {e}"))?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--hugo" => hugo = Some(PathBuf::from(value()?)),
            "--zola" => zola = Some(PathBuf::from(value()?)),
            "--commitments" => {
                commitments = value()?
                    .parse()
                    .map_err(|e| format!("--commitments: {e}"))?
            }
            "--reports" => reports = Some(value()?.parse().map_err(|e| format!("--reports: {e}"))?),
            "-h" | "--help" => return Err(USAGE.into()),
            _ => return Err(format!("unknown argument `{a}`\n{USAGE}")),
        }
    }
    let docs = docs.ok_or(USAGE)?;
    Ok(Args {
        docs,
        out: out.ok_or(USAGE)?,
        seed,
        hugo,
        zola,
        commitments,
        reports: reports.unwrap_or_else(|| default_reports(docs)),
    })
}

/// Refuse to write into a folder that already has content, so stale files never mix in.
fn fresh(dir: &Path) -> Result<(), String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| e.to_string())?
            .next()
            .is_some()
    {
        return Err(format!(
            "{} already exists and is not empty; remove it or choose another folder",
            dir.display()
        ));
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(args: Args) -> Result<(), String> {
    if args.docs == 0 {
        return Err("--docs must be at least 1".into());
    }
    if args.reports > 0 && args.commitments == 0 {
        return Err("--reports needs commitments to report on: give --commitments too".into());
    }
    let content = args.out.join("content");
    fresh(&content)?;
    if let Some(h) = &args.hugo {
        fresh(&h.join("content"))?;
        fresh(&h.join("layouts"))?;
    }
    if let Some(z) = &args.zola {
        fresh(&z.join("content"))?;
        fresh(&z.join("templates"))?;
    }
    let mut rng = Rng::new(args.seed);
    let mut c = make_corpus(&mut rng, args.docs);
    add_promises(args.seed, args.commitments, args.reports, &mut c);

    write(&content.join("site.yaml"), &site_yaml())?;
    write(&content.join("sources.yaml"), &sources_yaml(&c))?;
    let mut plans = Vec::new();
    for (i, p) in PLANS.iter().enumerate() {
        let md = plan_md(p, i, &c);
        write(&content.join("plans").join(format!("{}.md", p.id)), &md)?;
        plans.push((p.id, md));
    }
    for (k, m) in c.metrics.iter().enumerate() {
        write(
            &content.join("metrics").join(format!("m{}.yaml", k + 1)),
            &metric_yaml(k, m, &c),
        )?;
    }
    let (mut smallest, mut largest, mut sum) = (usize::MAX, 0, 0);
    for i in 0..c.docs.len() {
        let md = document_md(&mut rng, i, &c);
        let body = split_front_matter(&md).3.len();
        smallest = smallest.min(body);
        largest = largest.max(body);
        sum += body;
        let d = &c.docs[i];
        let rel = format!("{}/{}.md", d.folder, d.stem);
        write(&content.join(&rel), &md)?;
        if let Some(h) = &args.hugo {
            write(&h.join("content").join(&rel), &hugo_page(&md))?;
        }
        if let Some(z) = &args.zola {
            write(&z.join("content").join(&rel), &zola_page(&md))?;
        }
    }
    if let Some(h) = &args.hugo {
        write(&h.join("hugo.toml"), HUGO_TOML)?;
        for (id, md) in &plans {
            write(
                &h.join("content/plans").join(format!("{id}.md")),
                &hugo_page(md),
            )?;
        }
        write(&h.join("layouts/_default/baseof.html"), BASEOF)?;
        write(&h.join("layouts/_default/single.html"), SINGLE)?;
        write(&h.join("layouts/_default/list.html"), LIST)?;
        write(&h.join("layouts/index.html"), INDEX)?;
    }
    println!(
        "wrote {} documents, {} plans, {} commitments, {} progress reports, {} metrics and {} sources to {} (seed {}); bodies {}–{} bytes, mean {}",
        c.docs.len(),
        PLANS.len(),
        c.commitments.len(),
        c.reports.iter().map(Vec::len).sum::<usize>(),
        c.metrics.len(),
        c.sources.len(),
        content.display(),
        args.seed,
        smallest,
        largest,
        sum / c.docs.len()
    );
    if let Some(h) = &args.hugo {
        println!("wrote the Hugo twin to {}", h.display());
    }
    if let Some(z) = &args.zola {
        write_zola_frame(z, &plans)?;
        println!("wrote the Zola twin to {}", z.display());
    }
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
