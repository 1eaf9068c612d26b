//! plainsight: a static site generator for public accountability publishing.
//!
//! The build is a pipeline of four stages with plain data between them:
//! [`content`] (load) -> [`graph`] (resolve) -> [`render`] -> [`output`] (write).
//! What the site outputs is one route table, [`routes`], which resolve's clash check, render,
//! the sitemap, search and `serve`'s fingerprints all read; every rule about URLs is in
//! [`urls`]. [`pipeline`] runs the stages through one render driver; [`incremental`] keeps them
//! between rebuilds for `serve`; `main.rs` only parses the command line.

// A `Diagnostic` (message, help, location, related places) is returned only on the error path,
// where its size costs nothing; boxing it everywhere would only add noise.
#![allow(clippy::result_large_err)]

mod address;
pub mod cli;
mod config;
pub mod content;
pub mod diag;
mod figures;
mod graph;
mod i18n;
pub mod incremental;
pub mod linkcheck;
mod markdown;
mod output;
pub mod pipeline;
// The test harness, for the library's own tests, tests/ and the fuzz target only.
#[cfg(any(test, feature = "probe"))]
pub mod probe;
pub mod render;
mod routes;
mod scaffold;
mod schema;
mod search;
mod serve;
mod site_root;
mod text;
mod urls;
mod yaml;
