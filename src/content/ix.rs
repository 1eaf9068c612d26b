//! Index newtypes: a document's, a plan's and a metric's place in the loaded [`Site`], so that
//! the compiler tells a metric index from a document index after loading.

use std::ops::Index;

use super::{Document, Metric, Site};

/// A document's place in [`Site::documents`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct DocIx(pub(crate) usize);

/// A plan's place in [`Site::documents`]: a plan is a document (with `kind: plan`), and this
/// says that the document at this place is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct PlanIx(pub(crate) DocIx);

/// A metric's place in [`Site::metrics`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct MetricIx(pub(crate) usize);

impl PlanIx {
    /// The plan's document.
    pub(crate) fn doc(self) -> DocIx {
        self.0
    }
}

impl From<PlanIx> for DocIx {
    fn from(p: PlanIx) -> DocIx {
        p.0
    }
}

impl Site {
    /// Every document's index, in order.
    pub(crate) fn doc_ixs(&self) -> impl Iterator<Item = DocIx> + use<> {
        (0..self.documents.len()).map(DocIx)
    }

    /// Every metric's index, in order.
    pub(crate) fn metric_ixs(&self) -> impl Iterator<Item = MetricIx> + use<> {
        (0..self.metrics.len()).map(MetricIx)
    }
}

impl Index<DocIx> for Vec<Document> {
    type Output = Document;
    fn index(&self, i: DocIx) -> &Document {
        &self[i.0]
    }
}

impl Index<PlanIx> for Vec<Document> {
    type Output = Document;
    fn index(&self, p: PlanIx) -> &Document {
        &self[p.0.0]
    }
}

impl Index<MetricIx> for Vec<Metric> {
    type Output = Metric;
    fn index(&self, i: MetricIx) -> &Metric {
        &self[i.0]
    }
}
