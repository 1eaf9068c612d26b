// Site search on top of Pagefind (https://pagefind.app), for the page at <base>/search/.
// A plain ES module: no framework, no inline script, no innerHTML. Expects:
//   <div id="search-fallback"> … links to the listings … </div>   (shown without JS)
//   <form role="search" id="search-form" hidden> <label for="q">…</label>
//     <input type="search" id="q" name="q"> <button>Search</button> </form>
//   <p id="search-status" role="status"></p> <ol id="search-results"></ol>
// The Pagefind bundle is looked up at ../pagefind/pagefind.js relative to this file (so a
// site served under a sub-path such as /sub/ works), or at the form's data-pagefind
// attribute (resolved against the page URL) when that is set.

const MAX_RESULTS = 20;

const form = document.getElementById("search-form");
const input = document.getElementById("q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const fallback = document.getElementById("search-fallback");

if (form && input && status && list) {
  start();
}

function start() {
  const bundle = form.dataset.pagefind
    ? new URL(form.dataset.pagefind, document.baseURI)
    : new URL("../pagefind/pagefind.js", import.meta.url);
  const baseTitle = document.title;

  let pagefind = null; // Promise of the Pagefind module, loaded once
  const loadPagefind = () => {
    pagefind ??= import(bundle.href).then(async (pf) => {
      // Starts fetching pagefind-entry.json, the meta index and the wasm in a worker.
      await pf.init();
      return pf;
    });
    return pagefind;
  };

  let generation = 0; // Bumped by every search, so a slow earlier search can't overwrite a later one.

  async function run(rawQuery) {
    const query = rawQuery.trim();
    const mine = ++generation;
    document.title = query ? `${query} – ${baseTitle}` : baseTitle;
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    list.setAttribute("aria-busy", "true");
    try {
      const pf = await loadPagefind();
      const response = await pf.search(query);
      if (mine !== generation) return;
      const found = response.results;
      const shown = await Promise.all(found.slice(0, MAX_RESULTS).map((r) => r.data()));
      if (mine !== generation) return;

      const items = shown.map((data) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = data.url; // already prefixed with the site's base path by Pagefind
        a.textContent = data.meta?.title || data.url;
        const p = document.createElement("p");
        p.append(...excerptNodes(data.excerpt));
        li.append(a, p);
        return li;
      });
      list.replaceChildren(...items);

      const n = found.length;
      status.textContent =
        n === 0
          ? `No results for “${query}”`
          : `${n} ${n === 1 ? "result" : "results"} for “${query}”` +
            (n > shown.length ? `, showing the first ${shown.length}` : "");
    } catch (err) {
      if (mine !== generation) return;
      console.error("Search failed:", err);
      list.replaceChildren();
      status.textContent = "Search is unavailable right now; browse the listings instead.";
      if (fallback) fallback.hidden = false;
    } finally {
      if (mine === generation) list.removeAttribute("aria-busy");
    }
  }

  const queryFromUrl = () => new URLSearchParams(location.search).get("q") ?? "";

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = input.value.trim();
    const url = new URL(location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    if (url.href !== location.href) history.pushState(null, "", url);
    run(query); // focus stays where it was (the input when Enter was pressed)
  });

  // Back/forward between searches: show the search the URL names.
  window.addEventListener("popstate", () => {
    const query = queryFromUrl();
    input.value = query;
    run(query);
  });

  // JavaScript works: swap the no-JS fallback for the form.
  if (fallback) fallback.hidden = true;
  form.hidden = false;

  const initial = queryFromUrl();
  input.value = initial;
  if (initial.trim()) run(initial);
  else loadPagefind().catch(() => {}); // warm up; errors surface on the first search
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
