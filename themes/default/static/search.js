// Site search on top of Pagefind (https://pagefind.app), for the page at <base>/search/.
// A plain ES module: no framework, no inline script, no innerHTML. Expects:
//   <div id="search-fallback"> … links to the listings … </div>   (shown without JS)
//   <form role="search" id="search-form" hidden> <label for="q">…</label>
//     <input type="search" id="q" name="q"> <button>Search</button> </form>
//   <p id="search-status" role="status"></p> <ol id="search-results"></ol>
// and, optionally, inside the form, <fieldset id="search-filters" hidden> holding one
// <select name="F"> per Pagefind filter F (kind, plan), each in a .search-filter wrapper: the
// script fills them from the index, shows those that have values, and keeps them in the URL.
// The Pagefind bundle is looked up at ../pagefind/pagefind.js relative to this file (so a
// site served under a sub-path such as /sub/ works), or at the form's data-pagefind
// attribute (resolved against the page URL) when that is set.
// Under `plainsight serve`, which writes the whole index again in the background after each
// edit, the pages changed since the last whole write come as a small index of their own: its
// address is in the data-search-recent attribute of serve's script; it is merged in, and the
// changed pages' earlier versions in the whole index are left out of the results.
// The words it writes come from the form's data-strings attribute (the theme's strings for
// the page's language, as JSON): see `say`.

const MAX_RESULTS = 20;

const form = document.getElementById("search-form");
const input = document.getElementById("q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const fallback = document.getElementById("search-fallback");
const filterBox = document.getElementById("search-filters");
const selects = filterBox ? [...filterBox.querySelectorAll("select[name]")] : [];

if (form && input && status && list) {
  start();
}

// The theme's string `key` in the page's language, its {holes} filled from `values` (numbers
// written as the language writes them); a string with plural forms picks one by
// values.count, with the browser's CLDR plural rules, as the build does with ICU4X.
function say(key, values = {}) {
  const lang = document.documentElement.lang || undefined;
  let strings = {};
  try {
    strings = JSON.parse(form?.dataset.strings || "{}");
  } catch {
    // A theme that gives no strings: the keys stand in.
  }
  let text = strings[key] ?? key;
  if (typeof text === "object") {
    text = text[new Intl.PluralRules(lang).select(values.count ?? 0)] ?? text.other ?? key;
  }
  return String(text).replace(/\{(\w+)\}/g, (_, hole) => {
    const v = values[hole];
    return typeof v === "number" ? v.toLocaleString(lang) : String(v ?? "");
  });
}

function start() {
  const bundle = form.dataset.pagefind
    ? new URL(form.dataset.pagefind, document.baseURI)
    : new URL("../pagefind/pagefind.js", import.meta.url);
  const baseTitle = document.title;

  let pagefind = null; // Promise of the Pagefind module, loaded once
  const hidden = new Set(); // ids of results not to show (see mergeRecent)
  const loadPagefind = () => {
    pagefind ??= import(bundle.href).then(async (pf) => {
      // Starts fetching pagefind-entry.json, the meta index and the wasm in a worker.
      await pf.init();
      await mergeRecent(pf, new URL("..", bundle).pathname, hidden);
      await addFilterOptions(pf);
      return pf;
    });
    return pagefind;
  };

  let generation = 0; // Bumped by every search, so a slow earlier search can't overwrite a later one.

  async function run(rawQuery, filters = {}) {
    const query = rawQuery.trim();
    const mine = ++generation;
    const filtered = describeFilters(filters);
    // "for “knife” with kind: Report", as the status and the title say it.
    const withFilters = filtered && say("search_with", { filters: filtered });
    const what = [query && say("search_for", { query }), withFilters].filter(Boolean).join(" ");
    const asked = [query && say("search_asked", { query }), withFilters].filter(Boolean).join(" ");
    document.title = asked ? `${asked} – ${baseTitle}` : baseTitle;
    if (!query && !filtered) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = say("search_searching");
    list.setAttribute("aria-busy", "true");
    try {
      const pf = await loadPagefind();
      // No words but a filter: every page the filter keeps.
      const response = await pf.search(query || null, { filters });
      if (mine !== generation) return;
      // Each page once: a changed page's earlier version, and a page both indexes hold, not twice.
      const seen = new Set();
      const found = response.results.filter((r) => {
        const show = !hidden.has(r.id) && !seen.has(r.id);
        seen.add(r.id);
        return show;
      });
      const shown = await Promise.all(found.slice(0, MAX_RESULTS).map((r) => r.data()));
      if (mine !== generation) return;

      list.replaceChildren(...shown.map(resultItem));

      const n = found.length;
      status.textContent =
        n === 0
          ? say("search_no_results", { what })
          : say("search_results", { count: n, what }) +
            (n > shown.length ? say("search_showing", { count: shown.length }) : "");
    } catch (err) {
      if (mine !== generation) return;
      console.error("Search failed:", err);
      list.replaceChildren();
      status.textContent = say("search_unavailable");
      if (fallback) fallback.hidden = false;
    } finally {
      if (mine === generation) list.removeAttribute("aria-busy");
    }
  }

  const queryFromUrl = () => new URLSearchParams(location.search).get("q") ?? "";
  // The filters the URL names (?kind=Report&plan=…), as Pagefind takes them.
  const filtersFromUrl = () => {
    const params = new URLSearchParams(location.search);
    return Object.fromEntries(selects.map((s) => [s.name, params.get(s.name)]).filter(([, v]) => v));
  };
  const chosenFilters = () =>
    Object.fromEntries(selects.filter((s) => s.value).map((s) => [s.name, s.value]));

  // A new search (Enter, the button, or a filter changed): into the URL, so Back returns here.
  const searchNow = () => {
    const query = input.value.trim();
    const filters = chosenFilters();
    const url = new URL(location.href);
    for (const [name, value] of [["q", query], ...selects.map((s) => [s.name, filters[s.name]])]) {
      if (value) url.searchParams.set(name, value);
      else url.searchParams.delete(name);
    }
    if (url.href !== location.href) history.pushState(null, "", url);
    run(query, filters); // focus stays where it was (the field, or the filter just changed)
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    searchNow();
  });
  for (const select of selects) select.addEventListener("change", searchNow);

  // Back/forward between searches: show the search the URL names.
  const showUrlSearch = () => {
    const query = queryFromUrl();
    const filters = filtersFromUrl();
    input.value = query;
    for (const select of selects) select.value = filters[select.name] ?? "";
    run(query, filters);
  };
  window.addEventListener("popstate", showUrlSearch);

  // JavaScript works: swap the no-JS fallback for the form.
  if (fallback) fallback.hidden = true;
  form.hidden = false;

  const initial = queryFromUrl();
  input.value = initial;
  if (initial.trim() || Object.keys(filtersFromUrl()).length) {
    // The filter lists are filled once the index is loaded; then select what the URL names.
    loadPagefind().then(showUrlSearch, () => run(initial));
  } else {
    loadPagefind().catch(() => {}); // warm up; errors surface on the first search
  }
}

// Under `plainsight serve`: merge the index of the pages changed since the whole index was
// written, and add the ids of their earlier versions to `hidden`. `base` is the site's base
// path, which the merged index's URLs are relative to. Without serve, nothing to do.
async function mergeRecent(pf, base, hidden) {
  const from = document.querySelector("script[data-search-recent]")?.dataset.searchRecent;
  if (!from) return;
  const recent = await (await fetch(from, { cache: "no-store" })).json();
  for (const id of recent.hide ?? []) hidden.add(id);
  if (recent.index) await pf.mergeIndex(recent.index, { baseUrl: base });
}

// Fill each filter's list with the values the index holds (sorted), and show the filters
// that have any; a filter with no values stays hidden.
async function addFilterOptions(pf) {
  if (!filterBox || selects.length === 0) return;
  const available = (await pf.filters()) ?? {};
  let any = false;
  for (const select of selects) {
    const values = Object.keys(available[select.name] ?? {}).sort((a, b) => a.localeCompare(b));
    for (const value of values) select.append(new Option(value, value));
    const wrapper = select.closest(".search-filter") ?? select;
    wrapper.hidden = values.length === 0;
    any ||= values.length > 0;
  }
  filterBox.hidden = !any;
}

// The filters in words, as the status and the title say them: "kind: Report, plan: X".
function describeFilters(filters) {
  return selects
    .filter((s) => filters[s.name])
    .map((s) => `${say(`search_filter_${s.name}`)}: ${filters[s.name]}`)
    .join(", ");
}

// One result: its title as a link, its kind and date, and the excerpt with the matches marked.
function resultItem(data) {
  const li = document.createElement("li");
  const a = document.createElement("a");
  a.href = data.url; // already prefixed with the site's base path by Pagefind
  a.textContent = data.meta?.title || data.url;
  li.append(a);
  const about = resultAbout(data.meta ?? {});
  if (about) li.append(about);
  const p = document.createElement("p");
  p.className = "search-excerpt";
  p.append(...excerptNodes(data.excerpt));
  li.append(p);
  return li;
}

// "Report, published <time>24 March 2022</time>", from the page's Pagefind meta (see the
// theme's search-facets.html); null for a page that gives neither.
function resultAbout(meta) {
  if (!meta.kind && !meta.date) return null;
  const p = document.createElement("p");
  p.className = "search-result-meta";
  if (meta.kind) p.append(meta.kind);
  if (meta.date) {
    const label = (meta.date_label || "").toLowerCase();
    p.append(meta.kind ? `, ${label} ` : `${meta.date_label || ""} `.trimStart());
    const time = document.createElement("time");
    if (meta.date_iso) time.dateTime = meta.date_iso;
    time.textContent = meta.date;
    p.append(time);
  }
  return p;
}

// Pagefind's excerpt is the page's plain text (entities already decoded at index time)
// with only "<" and ">" escaped as &lt; and &gt; ("&" is NOT escaped), and each matched
// word wrapped in <mark>…</mark>. Because "<" is always escaped, the literal strings
// "<mark>" and "</mark>" can only be Pagefind's own tags: split on them, build <mark>
// elements for the highlighted runs and text nodes for the rest, decoding just &lt;/&gt;.
// (Limitation: visible page text that literally reads "&lt;" shows as "<".)
function excerptNodes(excerpt) {
  const nodes = [];
  let highlighted = false;
  for (const part of String(excerpt ?? "").split(/(<\/?mark>)/)) {
    if (part === "<mark>") highlighted = true;
    else if (part === "</mark>") highlighted = false;
    else if (part) {
      const text = document.createTextNode(part.replace(/&lt;|&gt;/g, (e) => (e === "&lt;" ? "<" : ">")));
      if (highlighted) {
        const mark = document.createElement("mark");
        mark.append(text);
        nodes.push(mark);
      } else {
        nodes.push(text);
      }
    }
  }
  return nodes;
}
