//! JSON Schemas of the files authors write (site.yaml, sources.yaml, metric files, front
//! matter), generated from the serde types the build reads them with so that the two cannot
//! drift; `plainsight schema` and `init` write them for editors' YAML language servers.

use std::path::{Path, PathBuf};

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, json_schema};

/// A date as `parse_date` takes it: YYYY-MM-DD in the years 1000 to 2999.
pub(crate) const DATE: &str = r"^[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
/// A period as `Period::parse` takes it: YYYY or YYYY-MM.
pub(crate) const PERIOD: &str = r"^[12][0-9]{3}(-(0[1-9]|1[0-2]))?$";
/// A month or a day, as `next_update:` takes it: YYYY-MM or YYYY-MM-DD.
pub(crate) const MONTH_OR_DATE: &str =
    r"^[12][0-9]{3}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$";
/// A year, a month or a day, as a commitment's `due:` takes it.
pub(crate) const WHEN: &str = r"^[12][0-9]{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$";
/// An id as `is_valid_id` takes it.
pub(crate) const ID: &str = r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$";
/// `plan-id/priority-id` or `plan-id/commitment-id`.
pub(crate) const REF: &str = r"^[A-Za-z0-9_-][A-Za-z0-9._-]*/[A-Za-z0-9_-][A-Za-z0-9._-]*$";
/// A BCP 47 language tag, checked for shape as `LanguageTag::parse` does.
pub(crate) const LANGUAGE: &str = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$";
/// A theme: the name of a folder under themes/.
pub(crate) const THEME: &str = r"^[A-Za-z0-9_-]+$";
/// An absolute http(s) address with no query or fragment, as `BaseUrl::parse` takes it.
pub(crate) const BASE_URL: &str = r"^https?://[^?#]+$";

/// An absolute http(s) address, as a source's `url:` takes it.
pub(crate) const HTTP_URL: &str = r"^https?://";

/// The years a period may be written in as a bare number (`2021`).
const YEARS: (i32, i32) = (1000, 2999);

/// A period that YAML reads as a number (`2021`) or as text (`2021-12`): `pattern` says which
/// texts are taken.
pub(crate) fn year_or_text(pattern: &str, description: &str) -> Schema {
    json_schema!({
        "description": description,
        "anyOf": [
            { "type": "integer", "minimum": YEARS.0, "maximum": YEARS.1 },
            { "type": "string", "pattern": pattern },
        ],
    })
}

/// A string that is one of `words`.
pub(crate) fn one_of(words: &[&str], description: &str) -> Schema {
    json_schema!({
        "description": description,
        "type": "string",
        "enum": words,
    })
}

/// YAML reads `title: 2024` or `author: true` as a number or a boolean, and the build takes
/// either as text: a free text field says so, so that an editor does not flag what builds.
/// Text with a pattern or a list of words keeps its shape.
fn scalars_as_text(schema: &mut Schema) {
    schemars::transform::transform_subschemas(&mut scalars_as_text, schema);
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if object.contains_key("pattern") || object.contains_key("enum") {
        return;
    }
    let text = ["string", "number", "boolean"];
    let widened = match object.get("type") {
        Some(t) if *t == serde_json::json!("string") => serde_json::json!(text),
        Some(t) if *t == serde_json::json!(["string", "null"]) => {
            serde_json::json!([text[0], text[1], text[2], "null"])
        }
        _ => return,
    };
    object.insert("type".into(), widened);
}

/// One schema file: its name in the schemas folder and its text.
pub(crate) struct SchemaFile {
    pub(crate) name: &'static str,
    pub(crate) text: String,
}

/// The schema of `T` as the root of a file named `name`, titled `title`. Draft 7, because the
/// YAML language server (VS Code's YAML extension and every editor that uses it) validates
/// draft 7 and earlier only.
fn root<T: JsonSchema>(name: &'static str, title: &str) -> SchemaFile {
    let mut schema = SchemaSettings::draft07()
        .with_transform(scalars_as_text)
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("$id".into(), format!("urn:plainsight:schema:{name}").into());
    schema.insert("title".into(), title.into());
    if name == SOURCES {
        // sources.yaml's keys are the sources' ids.
        schema.insert("propertyNames".into(), serde_json::json!({ "pattern": ID }));
        schema.insert(
            "description".into(),
            "The publications the site cites, each under its id (letters, digits, -, _ and .)"
                .into(),
        );
    }
    // serde_json's maps keep keys sorted, so the text is the same on every run.
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    SchemaFile { name, text }
}

/// The file name of sources.yaml's schema.
const SOURCES: &str = "sources.schema.json";

/// Every schema, in a fixed order.
pub(crate) fn files() -> Vec<SchemaFile> {
    vec![
        root::<crate::config::RawConfig>(
            "site.schema.json",
            "plainsight site settings (content/site.yaml)",
        ),
        root::<crate::yaml::UniqueMap<crate::content::sources::Raw>>(
            SOURCES,
            "plainsight sources (content/sources.yaml)",
        ),
        root::<crate::content::metrics::Raw>(
            "metric.schema.json",
            "plainsight metric (content/metrics/*.yaml)",
        ),
        root::<crate::content::front_matter::Raw>(
            "front-matter.schema.json",
            "plainsight document front matter (content/**/*.md)",
        ),
        root::<crate::content::translation::TranslationSchema>(
            "translation.schema.json",
            "plainsight translation front matter (content/**/*.CODE.md)",
        ),
    ]
}

/// Why the schemas could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}")]
pub(crate) struct WriteError {
    path: PathBuf,
    source: std::io::Error,
}

/// Write every schema into `dir` (made if missing), replacing older ones; returns the files.
pub(crate) fn write(dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    std::fs::create_dir_all(dir).map_err(|source| WriteError {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for f in files() {
        let path = dir.join(f.name);
        std::fs::write(&path, f.text).map_err(|source| WriteError {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// `.vscode/settings.json` for a site whose schemas are in `schemas/`: the YAML extension
/// (redhat.vscode-yaml) checks site.yaml, sources.yaml and metric files against them.
pub(crate) const VSCODE_SETTINGS: &str = r#"{
  "yaml.schemas": {
    "./schemas/site.schema.json": "content/site.yaml",
    "./schemas/sources.schema.json": "content/sources.yaml",
    "./schemas/metric.schema.json": "content/metrics/*.yaml"
  }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `s` matches `pattern`, as a JSON Schema validator reads it.
    fn matches(pattern: &str, s: &str) -> bool {
        let schema = serde_json::json!({ "type": "string", "pattern": pattern });
        jsonschema::validator_for(&schema)
            .expect("a valid pattern")
            .is_valid(&serde_json::json!(s))
    }

    #[test]
    fn the_patterns_take_what_the_build_takes() {
        use crate::content::front_matter::parse_date;
        use crate::content::metrics::Period;
        for s in [
            "2024-02-21",
            "2024-02-30",
            "0999-01-01",
            "3000-01-01",
            "24-02-21",
            "2024-2-21",
            "2024-13-01",
            "x",
        ] {
            // A pattern cannot know month lengths: 2024-02-30 passes it, and the build says so.
            let shape = parse_date(s).is_ok() || s == "2024-02-30";
            assert_eq!(matches(DATE, s), shape, "{s}");
        }
        for s in [
            "2021", "2021-12", "2021-13", "0999", "3000-01", "21", "2021-1",
        ] {
            assert_eq!(matches(PERIOD, s), Period::parse(s).is_some(), "{s}");
        }
        for s in ["a", "a-b_c.d", "A1", ".a", "", "a/b", "a b", "é"] {
            assert_eq!(matches(ID, s), crate::content::is_valid_id(s), "{s}");
        }
        for s in ["en", "en-GB", "cy", "english", "en_GB", "e"] {
            assert_eq!(
                matches(LANGUAGE, s),
                crate::config::LanguageTag::parse(s).is_some(),
                "{s}"
            );
        }
    }

    #[test]
    fn the_files_are_the_same_on_every_run() {
        let texts = |f: Vec<SchemaFile>| f.into_iter().map(|f| f.text).collect::<Vec<_>>();
        assert_eq!(texts(files()), texts(files()));
    }
}
