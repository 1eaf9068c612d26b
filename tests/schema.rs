//! Editor support: the JSON Schemas `plainsight schema` writes accept the demo site and every
//! fixture's files, and reject exactly the bad fixtures' files that the build rejects for a
//! reason a schema can see (an unknown field, a wrong type, a missing field, a bad value);
//! the output is the same on every run, and `init` writes it with VS Code's settings.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// The files bad fixtures hold that the schemas reject, with the build's reason, as
/// (fixture, path under content/, why). Every other file of every fixture and of the demo
/// must pass.
const REJECTED: &[(&str, &str, &str)] = &[
    // Written with no value (`title:`, `summary: ~`): null where text is required.
    (
        "broken-empty",
        "metrics/trust.yaml",
        "`title:` with no value",
    ),
    (
        "broken-empty",
        "plans/our-plan.md",
        "a priority's `summary: ~` and a commitment's `text:` with no value",
    ),
    (
        "broken-empty",
        "reports/2024-01-01-untitled.md",
        "`title:` with no value",
    ),
    ("broken-empty", "sources.yaml", "`title: ~` in a source"),
    (
        "broken",
        "letters/2024-01-05-bad-kind.md",
        "unknown kind `leter`",
    ),
    (
        "broken",
        "plans/2024-01-13-typo-plan.md",
        "unknown field `ned` in `period`",
    ),
    (
        "broken",
        "press-releases/2024-01-01-misspelt.md",
        "unknown field `sumary`",
    ),
    ("broken", "reports/2024-01-03-no-title.md", "no `title`"),
    (
        "broken-commitments",
        "plans/plan-b.md",
        "a commitment due `spring 2023`",
    ),
    (
        "broken-commitments",
        "plans/plan-c.md",
        "unknown commitment field `onwer`",
    ),
    (
        "broken-commitments",
        "reports/2023-02-10-statuses.md",
        "unknown status `delyaed`",
    ),
    (
        "broken-commitments",
        "reports/2023-03-10-typo.md",
        "unknown progress field `notes`",
    ),
    (
        "broken-config",
        "site.yaml",
        "base_url `example.org`; language `english`",
    ),
    (
        "broken-fresh",
        "metrics/trust.yaml",
        "next_update `Autumn 2024`",
    ),
    (
        "broken-fresh",
        "metrics/year-only.yaml",
        "next_update a year, not a month or a date",
    ),
    (
        "broken-fresh",
        "reports/2024-02-22-key.md",
        "unknown correction field `notes`",
    ),
    (
        "broken-fresh",
        "site.yaml",
        "stale_after_months 0; as_of month 13",
    ),
    // A language code that is not a tag; a translation naming what it shares, or no title.
    ("broken-languages", "site.yaml", "language `e_x`"),
    (
        "broken-translations",
        "press-releases/2024-02-01-launch.cy.md",
        "`plans` and `date`, which a translation shares",
    ),
    (
        "broken-translations",
        "press-releases/2024-04-01-untitled.cy.md",
        "a translation with no title",
    ),
    (
        "broken-metrics",
        "metrics/bad-period.yaml",
        "period `December 2021`",
    ),
    (
        "broken-metrics",
        "metrics/not-a-number.yaml",
        "value `lots`, not a number",
    ),
    (
        "broken-sources",
        "sources.yaml",
        "archived_url without http(s)://",
    ),
    (
        "broken-status",
        "metrics/typo.yaml",
        "unknown status `projeted`",
    ),
    ("social-config", "site.yaml", "publisher_type `goverment`"),
];

/// The schemas, by file name, as `plainsight schema` writes them.
fn schemas() -> Vec<(String, Value)> {
    let tmp = tempfile::tempdir().unwrap();
    let out = plainsight(&["schema", "--out", tmp.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    [
        "site.schema.json",
        "sources.schema.json",
        "metric.schema.json",
        "front-matter.schema.json",
        "translation.schema.json",
    ]
    .into_iter()
    .map(|name| {
        let text = read(tmp.path().join(name));
        (name.to_string(), serde_json::from_str(&text).unwrap())
    })
    .collect()
}

/// The YAML of `text` as JSON, as an editor's YAML language server sees it; an empty document
/// is an empty mapping, as the build reads it. `Err` when it is not YAML at all: the editor
/// says so itself, before any schema.
fn yaml_to_json(text: &str) -> Result<Value, String> {
    let v: Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    Ok(if v.is_null() {
        Value::Object(Default::default())
    } else {
        v
    })
}

/// Why a file fails: it is not YAML, or its schema rejects it (the validator's first complaint).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Rejection {
    Yaml(String),
    Schema(String),
}

/// The front matter of a Markdown file: the lines between a first line `---` and the next;
/// `None` when there is none (no schema applies).
fn front_matter(text: &str) -> Option<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let start = text.find('\n')? + 1;
    let mut at = start;
    for line in lines {
        if line.trim_end() == "---" {
            return Some(&text[start..at]);
        }
        at += line.len();
    }
    None
}

/// Every file under `content` a schema applies to, with the schema's name: a translation
/// (`x.CODE.md`, CODE one of site.yaml's `languages:`) has its own.
fn schema_files(content: &Path) -> Vec<(PathBuf, &'static str)> {
    let codes: Vec<String> = std::fs::read_to_string(content.join("site.yaml"))
        .ok()
        .and_then(|t| serde_yaml::from_str::<Value>(&t).ok())
        .and_then(|v| v.get("languages").and_then(Value::as_array).cloned())
        .into_iter()
        .flatten()
        .filter_map(|l| l.get("code").and_then(Value::as_str).map(str::to_string))
        .collect();
    let translation = |rel: &str| {
        let stem = rel.strip_suffix(".md").unwrap_or(rel);
        stem.rsplit_once('.')
            .is_some_and(|(_, code)| codes.iter().any(|c| c == code))
    };
    let mut out = Vec::new();
    let mut stack = vec![content.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(content)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                stack.push(path);
            } else if rel == "site.yaml" {
                out.push((path, "site.schema.json"));
            } else if rel == "sources.yaml" {
                out.push((path, "sources.schema.json"));
            } else if rel.starts_with("metrics/") && rel.ends_with(".yaml") {
                out.push((path, "metric.schema.json"));
            } else if rel.ends_with(".md") && translation(&rel) {
                out.push((path, "translation.schema.json"));
            } else if rel.ends_with(".md") {
                out.push((path, "front-matter.schema.json"));
            }
        }
    }
    out.sort();
    out
}

/// The files under `content` that fail, by path under content/, each with why.
fn rejected(
    content: &Path,
    schemas: &[(String, jsonschema::Validator)],
) -> Vec<(String, Rejection)> {
    let mut out = Vec::new();
    for (path, schema) in schema_files(content) {
        let rel = path.strip_prefix(content).unwrap().to_string_lossy();
        let rel = rel.replace('\\', "/");
        let Ok(text) = String::from_utf8(std::fs::read(&path).unwrap()) else {
            out.push((rel, Rejection::Yaml("not UTF-8".into())));
            continue;
        };
        let yaml = if schema == "front-matter.schema.json" || schema == "translation.schema.json" {
            match front_matter(&text) {
                Some(y) => y.to_string(),
                None => continue,
            }
        } else {
            text
        };
        let value = match yaml_to_json(&yaml) {
            Ok(v) => v,
            Err(e) => {
                out.push((rel, Rejection::Yaml(e)));
                continue;
            }
        };
        let validator = &schemas.iter().find(|(n, _)| n == schema).unwrap().1;
        if let Some(e) = validator.iter_errors(&value).next() {
            out.push((rel, Rejection::Schema(e.to_string())));
        }
    }
    out
}

fn validators() -> Vec<(String, jsonschema::Validator)> {
    schemas()
        .into_iter()
        .map(|(name, schema)| {
            let v = jsonschema::validator_for(&schema)
                .unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"));
            (name, v)
        })
        .collect()
}

#[test]
fn the_schemas_accept_the_demo_and_reject_exactly_the_listed_bad_files() {
    let validators = validators();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let demo = rejected(&root.join("content"), &validators);
    assert!(
        demo.is_empty(),
        "the demo's files fail their schemas: {demo:#?}"
    );

    let mut found = BTreeSet::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(root.join("tests/fixtures")).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        checked += schema_files(&dir.join("content")).len();
        for (path, why) in rejected(&dir.join("content"), &validators) {
            match why {
                Rejection::Schema(why) => {
                    found.insert((name.clone(), path, why));
                }
                // Not YAML: not for a schema to say, but only a bad fixture may hold it.
                Rejection::Yaml(why) => {
                    let report = read(dir.join("expected.txt"));
                    assert!(
                        report.contains(&format!("content/{path}")),
                        "{name}/{path} is not YAML ({why}), and the build takes it"
                    );
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} fixture files found");
    let expected: BTreeSet<(String, String)> = REJECTED
        .iter()
        .map(|(f, p, _)| (f.to_string(), p.to_string()))
        .collect();
    let got: BTreeSet<(String, String)> = found
        .iter()
        .map(|(f, p, _)| (f.clone(), p.clone()))
        .collect();
    assert_eq!(got, expected, "rejected files: {found:#?}");
    // Each listed file is one the build rejects too: its fixture has an expected report.
    for (fixture_name, path, _) in REJECTED {
        let report = read(fixture(fixture_name).join("expected.txt"));
        assert!(
            report.contains(&format!("content/{path}")),
            "{fixture_name}/{path}: the build does not reject it"
        );
    }
}

#[test]
fn the_schemas_reject_what_the_build_rejects_as_authors_type_it() {
    let validators = validators();
    let valid = |schema: &str, yaml: &str| {
        let v = &validators.iter().find(|(n, _)| n == schema).unwrap().1;
        v.is_valid(&yaml_to_json(yaml).unwrap())
    };
    let fm = "front-matter.schema.json";
    let doc = "title: T\ndate: 2024-02-21\n";
    assert!(valid(fm, doc));
    // YAML reads these as a number and a boolean; the build takes them as text.
    assert!(valid(fm, "title: 2024\nauthor: true\n"));
    assert!(valid(
        fm,
        "title: T\npriorities: [p/q]\nprogress:\n  - {commitment: p/c, status: on-track}\n"
    ));
    assert!(valid(
        fm,
        "title: P\nkind: plan\nperiod: {start: 2024-01-01, end: 2026-12-31}\npriorities:\n  - id: a\n    title: A\n    summary: S\n    commitments:\n      - {id: c, text: T, due: 2025, metric: m, target: {period: 2025-06, value: 3}}\n"
    ));
    for bad in [
        "date: 2024-02-21\n",                                         // no title
        "title: T\ndat: 2024-02-21\n",                                // unknown field
        "title: T\ndate: 21/02/2024\n",                               // not YYYY-MM-DD
        "title: T\nkind: press_release\n",                            // unknown kind
        "title: T\ndraft: maybe\n",                                   // not a boolean
        "title: T\npriorities: [p]\n",                                // not plan/priority
        "title: T\nprogress:\n  - {commitment: p/c, status: done}\n", // unknown status
        "title: P\npriorities:\n  - {id: a, title: A}\n", // a definition without summary
        "title: T\nplans: our-plan\n",                    // a list, not a string
    ] {
        assert!(!valid(fm, bad), "front matter accepted: {bad}");
    }
    let metric = "metric.schema.json";
    let m = "title: T\nunit: percent\nbetter: higher\nsource: s\nseries:\n  - {period: 2021, value: 1}\n";
    assert!(valid(metric, m));
    assert!(valid(
        metric,
        &format!("{m}target: {{period: 2026, value: 3}}\n")
    ));
    assert!(valid(
        metric,
        &format!(
            "{m}  - {{period: 2022-01, value: 2, status: provisional}}\nnext_update: 2025-06\n"
        )
    ));
    for bad in [
        m.replace("percent", "percentage"),
        m.replace("higher", "up"),
        m.replace("2021", "21"),
        m.replace("value: 1", "value: one"),
        format!("{m}  - {{period: 2022, value: 2, status: final}}\n"),
        format!("{m}next_update: 2025\n"),
        format!("{m}colour: red\n"),
        format!("{m}target: {{period: 2026, value: 3, status: projected}}\n"),
    ] {
        assert!(!valid(metric, &bad), "metric accepted: {bad}");
    }
    let site = "site.schema.json";
    let s = "title: T\nbase_url: https://example.org/\nlanguage: en-GB\n";
    assert!(valid(site, s));
    for bad in [
        s.replace("en-GB", "english"),
        s.replace("https://example.org/", "example.org"),
        format!("{s}search: yes please\n"),
        format!("{s}publisher_type: company\n"),
        format!("{s}stale_after_months: 0\n"),
        format!("{s}serch: true\n"),
        "title: T\nlanguage: en\n".to_string(),
    ] {
        assert!(!valid(site, &bad), "site.yaml accepted: {bad}");
    }
    let sources = "sources.schema.json";
    let src = "casey:\n  title: T\n  publisher: P\n  date: 2023-03-21\n";
    assert!(valid(sources, src));
    for bad in [
        src.replace("2023-03-21", "March 2023"),
        format!("{src}  ulr: https://example.org\n"),
        src.replace("  publisher: P\n", ""),
        src.replace("casey", "a b"),
    ] {
        assert!(!valid(sources, &bad), "sources.yaml accepted: {bad}");
    }
}

#[test]
fn schema_output_is_the_same_on_every_run_and_init_writes_it_with_vscode_settings() {
    let written = |dir: &Path| {
        let out = plainsight(&["schema", "--out", dir.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!(
                "Wrote JSON Schemas in {}:\n  site.schema.json\n  sources.schema.json\n  metric.schema.json\n  front-matter.schema.json\n  translation.schema.json\n",
                dir.display()
            )
        );
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = written(a.path());
    assert_eq!(first.len(), 5);
    assert_eq!(first, written(b.path()));
    // Run again over the same folder: the files are replaced, not refused.
    assert_eq!(first, written(a.path()));
    let site: Value = serde_json::from_slice(
        &first
            .iter()
            .find(|(n, _)| n == "site.schema.json")
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(site["$id"], "urn:plainsight:schema:site.schema.json");
    assert_eq!(site["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(
        site["title"],
        "plainsight site settings (content/site.yaml)"
    );
    assert_eq!(site["additionalProperties"], false);

    // `init` writes the same schemas under schemas/, and the settings that map them.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let out = plainsight(&["init", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = String::from_utf8_lossy(&out.stdout);
    for (name, bytes) in &first {
        assert!(listed.contains(&format!("  schemas/{name}\n")), "{listed}");
        assert_eq!(
            &std::fs::read(dir.join("schemas").join(name)).unwrap(),
            bytes,
            "{name}"
        );
    }
    assert!(listed.contains("  .vscode/settings.json\n"), "{listed}");
    assert_eq!(
        read(dir.join(".vscode/settings.json")),
        "{\n  \"yaml.schemas\": {\n    \"./schemas/site.schema.json\": \"content/site.yaml\",\n    \"./schemas/sources.schema.json\": \"content/sources.yaml\",\n    \"./schemas/metric.schema.json\": \"content/metrics/*.yaml\"\n  }\n}\n"
    );
    // The default folder is ROOT/schemas.
    let out = plainsight(&["schema", "--root", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(&format!(
        "Wrote JSON Schemas in {}:\n",
        dir.join("schemas").display()
    )));
    // The starter site's own files pass their schemas.
    let validators = validators();
    let bad = rejected(&dir.join("content"), &validators);
    assert!(bad.is_empty(), "{bad:#?}");
}
