//! A document page's "On this page" contents list: built from its body's outline when the body
//! has enough `##` sections to need one.

use serde::Serialize;

use crate::markdown::Heading;

/// How many `##` headings a body needs before its page gets a contents list: fewer are seen
/// at a glance.
pub(crate) const CONTENTS_MIN_SECTIONS: usize = 3;

/// The id of the plan page's "Priorities" heading (themes/default/templates/document.html).
const PLAN_PRIORITIES_ID: &str = "ps-plan-priorities";

/// An entry of the contents list: a `##` heading with its `###` headings, or a `###` heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ContentsEntry {
    pub(crate) id: String,
    pub(crate) text: String,
    pub(crate) children: Vec<ContentsEntry>,
}

/// The contents list for a body with [`CONTENTS_MIN_SECTIONS`] or more `##` headings, `###`
/// headings nested under the `##` before them; deeper headings are left out. A plan's page
/// lists its "Priorities" section first, as the page shows it before the body.
pub(crate) fn contents(outline: &[Heading], plan: bool) -> Option<Vec<ContentsEntry>> {
    let sections = outline.iter().filter(|h| h.level == 2).count();
    if sections < CONTENTS_MIN_SECTIONS {
        return None;
    }
    let mut entries: Vec<ContentsEntry> = Vec::with_capacity(sections + 1);
    if plan {
        entries.push(entry(PLAN_PRIORITIES_ID, "Priorities"));
    }
    // The first heading of a body is a `##` (a skipped level is an error), so a `###` always
    // has a parent here; should one not, it is listed at the top level rather than lost.
    let mut open = false;
    for h in outline {
        match h.level {
            2 => {
                entries.push(entry(&h.id, &h.text));
                open = true;
            }
            3 if open => {
                let parent = entries.last_mut().expect("a ## is open");
                parent.children.push(entry(&h.id, &h.text));
            }
            3 => entries.push(entry(&h.id, &h.text)),
            _ => {}
        }
    }
    Some(entries)
}

fn entry(id: &str, text: &str) -> ContentsEntry {
    ContentsEntry {
        id: id.to_string(),
        text: text.to_string(),
        children: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::scan;

    fn ids(entries: &[ContentsEntry]) -> Vec<String> {
        entries
            .iter()
            .map(|e| {
                if e.children.is_empty() {
                    e.id.clone()
                } else {
                    format!("{}[{}]", e.id, ids(&e.children).join(","))
                }
            })
            .collect()
    }

    #[test]
    fn three_sections_get_a_contents_list_with_subsections_nested() {
        let body = "## One\n\ntext\n\n### One a\n\n### One b\n\n#### Deep\n\n## Two\n\n## Three\n\n### Three a\n";
        let list = contents(&scan(body).outline, false).expect("three ## headings");
        assert_eq!(ids(&list), ["one[one-a,one-b]", "two", "three[three-a]"]);
        assert_eq!(list[0].text, "One");
        assert_eq!(list[0].children[1].text, "One b");
    }

    #[test]
    fn two_sections_get_none_however_many_subsections() {
        let body = "## One\n\n### a\n\n### b\n\n### c\n\n## Two\n";
        assert_eq!(contents(&scan(body).outline, false), None);
        assert_eq!(contents(&scan("").outline, true), None);
    }

    #[test]
    fn a_plan_lists_its_priorities_first() {
        let body = "## One\n\n## Two\n\n## Three\n";
        let list = contents(&scan(body).outline, true).expect("three ## headings");
        assert_eq!(ids(&list), [PLAN_PRIORITIES_ID, "one", "two", "three"]);
        assert_eq!(list[0].text, "Priorities");
    }

    #[test]
    fn headings_in_notes_and_code_are_not_listed_and_text_is_plain() {
        let body = "## The `main` idea\n\nA.[^n]\n\n## *Two*\n\n```\n## not a heading\n```\n\n## Three\n\n[^n]: Note.\n\n    ## indented code\n";
        let list = contents(&scan(body).outline, false).expect("three ## headings");
        assert_eq!(ids(&list), ["the-main-idea", "two", "three"]);
        assert_eq!(list[0].text, "The main idea");
        assert_eq!(list[1].text, "Two");
    }

    #[test]
    fn a_leading_subsection_is_listed_not_lost() {
        let outline: Vec<Heading> = [(3, "a"), (2, "b"), (2, "c"), (2, "d")]
            .iter()
            .map(|&(level, id)| Heading {
                level,
                id: id.into(),
                text: id.into(),
            })
            .collect();
        let list = contents(&outline, false).expect("three ## headings");
        assert_eq!(ids(&list), ["a", "b", "c", "d"]);
    }
}
