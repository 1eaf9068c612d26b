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
// "N of M commitments shown".
(() => {
  "use strict";

  const tracker = document.getElementById("tracker");
  const status = document.getElementById("tracker-status");
  if (!tracker || !status) return;
  const items = [...tracker.querySelectorAll(".tracker-item")];
  const groups = [...tracker.querySelectorAll(".tracker-group")];
  if (items.length === 0) return;

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
  if (owners.includes("")) ownerChoices.push([NO_OWNER, "No owner named"]);

  const form = document.createElement("form");
  form.setAttribute("role", "search");
  form.setAttribute("aria-label", "Filter commitments");
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
  const plan = select("plan", "Plan", "All plans", planChoices);
  const standing = select("status", "Status", "All statuses", statusChoices);
  const owner = select("owner", "Owner", "All owners", ownerChoices);

  const clear = document.createElement("button");
  clear.type = "button";
  clear.textContent = "Show all";
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
      if (count) count.textContent = `(${inGroup})`;
    }
    const total = items.length;
    status.textContent = `${shown} of ${total} commitment${total === 1 ? "" : "s"} shown`;
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
