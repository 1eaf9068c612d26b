// The commitments tracker's filter, for the page at <base>/commitments/: a progressive
// enhancement. A plain script (loaded with `defer`, no inline code, no innerHTML), so the site's
// Content-Security-Policy allows it. Expects:
//   <p id="tracker-status" role="status"></p>
//   <div id="tracker" data-total="M">
//     <section class="tracker-group" data-status="SLUG" data-label="LABEL">
//       <h2>… <span class="tracker-count">(N)</span></h2>
//       <section class="tracker-plan" data-plan="ID"> <h3>PLAN TITLE</h3>
//         <li class="tracker-item" data-plan="ID" data-status="SLUG" data-owner="OWNER"> …
// Without JavaScript the page lists every commitment and nothing here happens. With it, a form
// of three labelled lists (plan, status, owner) goes before the list; choosing in them hides
// the commitments that do not match, and any group left empty, and the status region says
// "N of M commitments shown". Its words come from #tracker's data-strings (the theme's strings
// for the page's language, as JSON).
(() => {
  "use strict";

  const tracker = document.getElementById("tracker");
  const status = document.getElementById("tracker-status");
  if (!tracker || !status) return;
  const items = [...tracker.querySelectorAll(".tracker-item")];
  const groups = [...tracker.querySelectorAll(".tracker-group")];
  if (items.length === 0) return;

  // The theme's string `key`, its {holes} filled from `values`; plural forms are picked by
  // values.count with the browser's CLDR rules (search.js does the same).
  const lang = document.documentElement.lang || undefined;
  let strings = {};
  try {
    strings = JSON.parse(tracker.dataset.strings || "{}");
  } catch {
    // No strings: the keys stand in.
  }
  const say = (key, values = {}) => {
    let text = strings[key] ?? key;
    if (typeof text === "object") {
      text = text[new Intl.PluralRules(lang).select(values.count ?? 0)] ?? text.other ?? key;
    }
    return String(text).replace(/\{(\w+)\}/g, (_, hole) => {
      const v = values[hole];
      return typeof v === "number" ? v.toLocaleString(lang) : String(v ?? "");
    });
  };

  // The value an item without an owner is filtered by.
  const NO_OWNER = "-";

  const unique = (values) => [...new Set(values)];

  // Each list's choices as [value, label], in page order (plans and statuses) or by name.
  const planChoices = unique(items.map((i) => i.dataset.plan)).map((id) => {
    const heading = tracker.querySelector(`.tracker-plan[data-plan="${CSS.escape(id)}"] h3`);
    return [id, heading ? heading.textContent.trim() : id];
  });
  const statusChoices = groups.map((g) => [g.dataset.status, g.dataset.label || g.dataset.status]);
  const owners = unique(items.map((i) => i.dataset.owner || ""));
  const ownerChoices = owners
    .filter(Boolean)
    .sort((a, b) => a.localeCompare(b))
    .map((o) => [o, o]);
  if (owners.includes("")) ownerChoices.push([NO_OWNER, say("tracker_no_owner")]);

  const form = document.createElement("form");
  form.setAttribute("role", "search");
  form.setAttribute("aria-label", say("tracker_filter"));
  form.className = "tracker-filter";

  const select = (name, label, all, choices) => {
    const wrap = document.createElement("div");
    wrap.className = "tracker-filter-field";
    const id = `filter-${name}`;
    const labelEl = document.createElement("label");
    labelEl.htmlFor = id;
    labelEl.textContent = label;
    const list = document.createElement("select");
    list.id = id;
    list.name = name;
    const first = new Option(all, "");
    list.append(first, ...choices.map(([value, text]) => new Option(text, value)));
    wrap.append(labelEl, list);
    form.append(wrap);
    return list;
  };
  const plan = select("plan", say("plan"), say("all_plans"), planChoices);
  const standing = select("status", say("status"), say("tracker_all_statuses"), statusChoices);
  const owner = select("owner", say("owner"), say("tracker_all_owners"), ownerChoices);

  const clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = say("tracker_show_all");
  form.append(clear);

  const matches = (item) =>
    (!plan.value || item.dataset.plan === plan.value) &&
    (!standing.value || item.dataset.status === standing.value) &&
    (!owner.value || (item.dataset.owner || NO_OWNER) === owner.value);

  const apply = () => {
    let shown = 0;
    for (const item of items) {
      const keep = matches(item);
      item.hidden = !keep;
      if (keep) shown++;
    }
    for (const group of groups) {
      for (const section of group.querySelectorAll(".tracker-plan")) {
        section.hidden = !section.querySelector(".tracker-item:not([hidden])");
      }
      const inGroup = group.querySelectorAll(".tracker-item:not([hidden])").length;
      group.hidden = inGroup === 0;
      const count = group.querySelector(".tracker-count");
      if (count) count.textContent = `(${inGroup.toLocaleString(lang)})`;
    }
    const total = items.length;
    status.textContent = say("tracker_shown", { count: total, shown });
  };

  for (const list of [plan, standing, owner]) list.addEventListener("change", apply);
  clear.addEventListener("click", () => {
    plan.value = standing.value = owner.value = "";
    apply();
    plan.focus();
  });
  // Nothing to send anywhere: the lists filter as they change.
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    apply();
  });

  status.before(form);
})();
