//! Reading Atom feeds in tests: the elements RFC 4287 requires, in its namespace.

pub const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The text of `node`'s one child element called `name`, in the Atom namespace.
pub fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    node.children()
        .filter(|c| {
            c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(ATOM)
        })
        .collect()
}

pub fn one_text(node: roxmltree::Node, name: &str, what: &str) -> String {
    let found = child(node, name);
    assert_eq!(
        found.len(),
        1,
        "{what}: expected one atom:{name}, found {}",
        found.len()
    );
    let text = found[0].text().unwrap_or_default().trim().to_string();
    assert!(!text.is_empty(), "{what}: atom:{name} is empty");
    text
}

/// RFC 3339 date-time, as atom:updated requires.
pub fn timestamp(s: &str, what: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("{what}: `{s}` is not RFC 3339: {e}"))
}

pub fn absolute(iri: &str, what: &str) {
    let url = url::Url::parse(iri)
        .unwrap_or_else(|e| panic!("{what}: `{iri}` is not an absolute IRI: {e}"));
    assert_eq!(url.scheme(), "https", "{what}: {iri}");
}
