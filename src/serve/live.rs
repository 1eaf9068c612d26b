//! The small script `serve` adds to every page: reload on rebuild, show build errors.

/// Listens for `reload` and `build-error` events. The error overlay is an alert region with
/// the report as preformatted text; it goes away with the reload that follows the fix.
pub(crate) const SCRIPT: &str = r#"(() => {
  const source = new EventSource('/__plainsight/events');
  source.addEventListener('reload', () => location.reload());
  source.addEventListener('build-error', (event) => {
    let box = document.getElementById('plainsight-build-error');
    if (!box) {
      box = document.createElement('section');
      box.id = 'plainsight-build-error';
      box.setAttribute('role', 'alert');
      box.setAttribute('aria-labelledby', 'plainsight-build-error-title');
      Object.assign(box.style, {
        position: 'fixed', inset: '0 0 auto 0', maxHeight: '60vh', overflow: 'auto', zIndex: '2147483647',
        background: '#fff', color: '#1b1f24', borderBottom: '4px solid #b4232c', padding: '1rem',
        font: '1rem/1.4 system-ui, sans-serif'
      });
      const title = document.createElement('h2');
      title.id = 'plainsight-build-error-title';
      title.textContent = 'The site has errors: showing the last good version';
      const report = document.createElement('pre');
      report.tabIndex = 0;
      Object.assign(report.style, { whiteSpace: 'pre-wrap', font: '0.9rem/1.4 ui-monospace, monospace' });
      box.append(title, report);
      document.body.prepend(box);
    }
    box.querySelector('pre').textContent = event.data;
  });
})();
"#;
