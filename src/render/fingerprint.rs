//! Fingerprints: for each route, a digest of everything its file is made from, worked out
//! without rendering it. `serve` renders again only the routes whose fingerprint changed.
//!
//! A page's fingerprint is a digest of the very context its template is given (built by the
//! route table, serialised), of its template's text and of the templates every page shares;
//! so it cannot miss a field. Documents' bodies enter it as their digest and the digest of
//! where their links point ([`view::Body::Digest`]), so fingerprinting does not render Markdown;
//! charts are left out, being drawn from their metric alone (which `data` covers).
//! A data file's fingerprint is a digest of the data it is made from. site.yaml, sources.yaml,
//! the metrics and the drafts setting enter every fingerprint, as they did every view.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use xxhash_rust::xxh3::{Xxh3Default, Xxh3DefaultBuilder, xxh3_64};

use super::{Renderer, view};
use crate::content::Site;
use crate::diag::SourceFiles;
use crate::routes::{Entry, Make, Route};

/// Every route's fingerprint, by output path.
pub(crate) type Fingerprinted = HashMap<String, u64, Xxh3DefaultBuilder>;

pub(crate) struct Fingerprints<'r, 'a> {
    renderer: &'r Renderer<'a>,
    /// The parts many pages share, each digested once.
    digests: view::Digests,
    /// What every output depends on: the data files and the drafts setting.
    data: u64,
    /// Per page template: its text with the shared templates'.
    templates: BTreeMap<&'r str, u64>,
}

impl<'r, 'a> Fingerprints<'r, 'a> {
    /// `data` is a digest of site.yaml, sources.yaml and the metric files; `entries` the
    /// routes' entries, which name the page templates (every other template is shared, and a
    /// change to it changes every page).
    pub(crate) fn new<'e>(
        renderer: &'r Renderer<'a>,
        sources: &SourceFiles,
        data: u64,
        entries: impl IntoIterator<Item = &'e Entry>,
    ) -> Self {
        let builder = renderer.builder(None);
        let site: &Site = builder.site;
        let digests = view::Digests {
            chrome: serialised(builder.chrome),
            summaries: site
                .doc_ixs()
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|i| serialised(&builder.full_summary(i)))
                .collect(),
            sources: site
                .sources
                .keys()
                .filter_map(|id| Some((id.clone(), serialised(&builder.source(id, false)?))))
                .collect(),
        };
        let pages: BTreeSet<&str> = entries.into_iter().filter_map(|e| e.template).collect();
        let text = |name: &str| {
            site.theme
                .templates
                .get(name)
                .map(|&f| xxh3_64(sources.text(f).as_bytes()))
        };
        let shared = digest(
            site.theme
                .templates
                .keys()
                .filter(|n| !pages.contains(n.as_str()))
                .map(|n| (n, text(n)))
                .collect::<Vec<_>>(),
        );
        let templates = site
            .theme
            .templates
            .keys()
            .filter(|n| pages.contains(n.as_str()))
            .map(|n| (n.as_str(), digest((text(n), shared))))
            .collect();
        Fingerprints {
            data: digest((data, builder.graph.include_drafts)),
            renderer,
            digests,
            templates,
        }
    }

    /// The fingerprint of `route`, whose entry is `entry`.
    pub(crate) fn of(&self, route: Route, entry: &Entry) -> u64 {
        route.make(
            &self.renderer.builder(Some(&self.digests)),
            Print {
                prints: self,
                entry,
            },
        )
    }
}

/// A digest of `value`, serialised as render hands it to the template: into one buffer per
/// thread, kept between calls, with [`bytes::Writer`], and hashed in one go (much faster than
/// a streaming hasher fed field by field, or a new buffer grown for each page).
fn serialised<T: Serialize>(value: &T) -> u64 {
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        match value.serialize(&mut bytes::Writer(buffer)) {
            Ok(()) => xxh3_64(buffer),
            Err(_) => never_the_same(),
        }
    })
}

fn digest(parts: impl Hash) -> u64 {
    let mut h = Xxh3Default::new();
    parts.hash(&mut h);
    h.finish()
}

/// Digests what a route makes.
struct Print<'p, 'r, 'a> {
    prints: &'p Fingerprints<'r, 'a>,
    entry: &'p Entry,
}

impl Make for Print<'_, '_, '_> {
    type Out = u64;

    fn page<T: Serialize>(self, context: &T) -> u64 {
        let template = self
            .entry
            .template
            .and_then(|t| self.prints.templates.get(t));
        let context = serialised(context);
        digest((self.prints.data, template, &self.entry.path, context))
    }

    fn data<D: Hash>(self, data: D, _: fn(D) -> Vec<u8>) -> u64 {
        digest((self.prints.data, &self.entry.path, data))
    }

    /// The page fails to render, every time: render it again to report it.
    fn failed(self, _: crate::diag::Diagnostic) -> u64 {
        never_the_same()
    }
}

/// A fingerprint no other call returns, for a context that cannot be serialised: its page is
/// always made again.
fn never_the_same() -> u64 {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    digest(("unserialisable", COUNT.fetch_add(1, Ordering::Relaxed)))
}

/// A serde serializer that writes a value as compact, unambiguous bytes (a tag before each
/// value, lengths before strings, an end mark after each sequence or map) for hashing: what
/// `serde_json` would write, less its escaping and number formatting, which were most of a
/// fingerprint's cost.
mod bytes {
    use serde::ser::{self, Serialize};

    pub(super) struct Writer<'b>(pub(super) &'b mut Vec<u8>);

    #[derive(Debug)]
    pub(super) struct Error;

    impl std::fmt::Display for Error {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a value could not be serialised")
        }
    }
    impl std::error::Error for Error {}
    impl ser::Error for Error {
        fn custom<T: std::fmt::Display>(_: T) -> Self {
            Error
        }
    }

    impl Writer<'_> {
        fn tag(&mut self, tag: u8, bytes: &[u8]) {
            self.0.push(tag);
            self.0.extend_from_slice(bytes);
        }
        fn text(&mut self, tag: u8, s: &[u8]) {
            self.tag(tag, &(s.len() as u64).to_le_bytes());
            self.0.extend_from_slice(s);
        }
    }

    const END: u8 = 0xff;

    macro_rules! numbers {
        ($($method:ident: $ty:ty = $tag:expr;)*) => {$(
            fn $method(self, v: $ty) -> Result<(), Error> {
                self.tag($tag, &v.to_le_bytes());
                Ok(())
            }
        )*};
    }

    impl<'a, 'b> ser::Serializer for &'a mut Writer<'b> {
        type Ok = ();
        type Error = Error;
        type SerializeSeq = Self;
        type SerializeTuple = Self;
        type SerializeTupleStruct = Self;
        type SerializeTupleVariant = Self;
        type SerializeMap = Self;
        type SerializeStruct = Self;
        type SerializeStructVariant = Self;

        numbers! {
            serialize_i8: i8 = 1; serialize_i16: i16 = 2; serialize_i32: i32 = 3;
            serialize_i64: i64 = 4; serialize_i128: i128 = 5; serialize_u8: u8 = 6;
            serialize_u16: u16 = 7; serialize_u32: u32 = 8; serialize_u64: u64 = 9;
            serialize_u128: u128 = 10; serialize_f32: f32 = 11; serialize_f64: f64 = 12;
        }
        fn serialize_bool(self, v: bool) -> Result<(), Error> {
            self.tag(13, &[u8::from(v)]);
            Ok(())
        }
        fn serialize_char(self, v: char) -> Result<(), Error> {
            self.tag(14, &u32::from(v).to_le_bytes());
            Ok(())
        }
        fn serialize_str(self, v: &str) -> Result<(), Error> {
            self.text(15, v.as_bytes());
            Ok(())
        }
        fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
            self.text(16, v);
            Ok(())
        }
        fn serialize_none(self) -> Result<(), Error> {
            self.tag(17, &[]);
            Ok(())
        }
        fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<(), Error> {
            self.tag(18, &[]);
            v.serialize(self)
        }
        fn serialize_unit(self) -> Result<(), Error> {
            self.tag(19, &[]);
            Ok(())
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
            self.serialize_unit()
        }
        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            v: &'static str,
        ) -> Result<(), Error> {
            self.text(20, v.as_bytes());
            Ok(())
        }
        fn serialize_newtype_struct<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            v: &T,
        ) -> Result<(), Error> {
            v.serialize(self)
        }
        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
            v: &T,
        ) -> Result<(), Error> {
            self.text(21, variant.as_bytes());
            v.serialize(self)
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self, Error> {
            self.tag(22, &[]);
            Ok(self)
        }
        fn serialize_tuple(self, _: usize) -> Result<Self, Error> {
            self.serialize_seq(None)
        }
        fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
            self.serialize_seq(None)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            v: &'static str,
            _: usize,
        ) -> Result<Self, Error> {
            self.text(21, v.as_bytes());
            self.serialize_seq(None)
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self, Error> {
            self.tag(23, &[]);
            Ok(self)
        }
        fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
            self.serialize_map(None)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            v: &'static str,
            _: usize,
        ) -> Result<Self, Error> {
            self.text(21, v.as_bytes());
            self.serialize_map(None)
        }
    }

    macro_rules! compound {
        ($($trait:ident :: $method:ident;)*) => {$(
            impl<'a, 'b> ser::$trait for &'a mut Writer<'b> {
                type Ok = ();
                type Error = Error;
                fn $method<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Error> {
                    v.serialize(&mut **self)
                }
                fn end(self) -> Result<(), Error> {
                    self.0.push(END);
                    Ok(())
                }
            }
        )*};
    }
    compound! {
        SerializeSeq::serialize_element;
        SerializeTuple::serialize_element;
        SerializeTupleStruct::serialize_field;
        SerializeTupleVariant::serialize_field;
    }

    impl<'a, 'b> ser::SerializeMap for &'a mut Writer<'b> {
        type Ok = ();
        type Error = Error;
        fn serialize_key<T: ?Sized + Serialize>(&mut self, k: &T) -> Result<(), Error> {
            k.serialize(&mut **self)
        }
        fn serialize_value<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Error> {
            v.serialize(&mut **self)
        }
        fn end(self) -> Result<(), Error> {
            self.0.push(END);
            Ok(())
        }
    }

    macro_rules! fields {
        ($($trait:ident;)*) => {$(
            impl<'a, 'b> ser::$trait for &'a mut Writer<'b> {
                type Ok = ();
                type Error = Error;
                fn serialize_field<T: ?Sized + Serialize>(&mut self, k: &'static str, v: &T) -> Result<(), Error> {
                    self.text(15, k.as_bytes());
                    v.serialize(&mut **self)
                }
                fn end(self) -> Result<(), Error> {
                    self.0.push(END);
                    Ok(())
                }
            }
        )*};
    }
    fields! {
        SerializeStruct;
        SerializeStructVariant;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Graph;
    use crate::routes::all;

    fn prints(site: &Site, sources: &SourceFiles, graph: &Graph) -> HashMap<Route, u64> {
        let renderer = Renderer::new(site, sources, graph).expect("the theme compiles");
        let entries: Vec<(Route, Entry)> = all(site, graph)
            .into_iter()
            .map(|r| (r, r.entry(site, sources, graph)))
            .collect();
        let prints = Fingerprints::new(&renderer, sources, 0, entries.iter().map(|e| &e.1));
        entries
            .iter()
            .map(|(r, e)| (*r, prints.of(*r, e)))
            .collect()
    }

    /// No list of fields to keep up to date: a document's new title changes the pages that
    /// show it, because their contexts change, and no others.
    #[test]
    fn a_fingerprint_follows_what_the_page_shows() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = crate::content::load(root);
        let mut site = loaded.site.expect("the demo loads");
        let sources = &loaded.sources;
        let (graph, _) = crate::graph::resolve(&site, sources, false);
        let before = prints(&site, sources, &graph);
        assert_eq!(before, prints(&site, sources, &graph));
        let doc = graph.latest[0];
        site.documents[doc.0].title.push_str(" (revised)");
        let after = prints(&site, sources, &graph);
        let changed: Vec<Route> = before
            .iter()
            .filter(|(r, f)| after.get(r) != Some(f))
            .map(|(r, _)| *r)
            .collect();
        for shows in [Route::Document(doc), Route::Home, Route::Timeline] {
            assert!(changed.contains(&shows), "{shows:?} in {changed:?}");
        }
        for not in [Route::Metrics, Route::Robots, Route::NotFound] {
            assert!(!changed.contains(&not), "{not:?} in {changed:?}");
        }
    }
}
