// A document form's line items (core/templates/documents/form.html): rows are added (a copy of
// the blank row in <template id="lines-template">), removed and moved up or down with buttons,
// so the keyboard does it too. On submit the inputs are renumbered in the rows' order
// (lines-0-..., lines-1-...), which is the order WTForms' FieldList and the server keep. Amounts
// a line computes (<output data-product="qty unit_price">) and the totals of summed columns
// (<output data-total="amount">) are previewed as one types; the server computes what is kept.
(function () {
  "use strict";
  const table = document.querySelector("table[data-lines]");
  if (!table) { return; }
  const prefix = table.dataset.lines;
  const body = table.tBodies[0];
  const template = document.getElementById("lines-template");
  const status = document.getElementById("lines-status");
  const form = table.closest("form");
  const numbered = new RegExp("^" + prefix + "-(\\d+|__index__)-");
  let next = 0;
  body.querySelectorAll("[name]").forEach(function (input) {
    const m = input.name.match(numbered);
    if (m && m[1] !== "__index__") { next = Math.max(next, Number(m[1]) + 1); }
  });

  function say(what) {
    if (status) { status.textContent = ""; status.textContent = status.dataset[what] || ""; }
  }

  function number(text) {
    const value = parseFloat(String(text || "").replace(/[,\s¥]/g, ""));
    return isFinite(value) ? value : 0;
  }

  const locale = (document.documentElement.lang || "").replace("_", "-");
  function format(value) {
    const options = {minimumFractionDigits: 2, maximumFractionDigits: 2};
    try { return value.toLocaleString(locale || undefined, options); } catch (e) { return value.toLocaleString(undefined, options); }
  }

  function field(row, name) {
    return row.querySelector('[data-line-field="' + name + '"]');
  }

  function value(row, name) {
    const element = field(row, name);
    if (!element) { return 0; }
    return number(element.tagName === "OUTPUT" ? element.dataset.value : element.value);
  }

  function refresh() {
    const rows = Array.from(body.rows);
    rows.forEach(function (row) {
      row.querySelectorAll("output[data-product]").forEach(function (out) {
        const factors = out.dataset.product.split(" ");
        const filled = factors.every(function (name) { const f = field(row, name); return f && String(f.value).trim() !== ""; });
        const product = factors.reduce(function (acc, name) { return acc * value(row, name); }, 1);
        out.dataset.value = filled ? String(product) : "";
        out.textContent = filled ? format(product) : "";
      });
    });
    table.querySelectorAll("output[data-total]").forEach(function (out) {
      const name = out.dataset.total;
      const sum = rows.reduce(function (acc, row) { return acc + value(row, name); }, 0);
      out.textContent = format(sum);
    });
    rows.forEach(function (row, i) {
      row.querySelectorAll("[data-line-action=up]").forEach(function (b) { b.setAttribute("aria-disabled", i === 0 ? "true" : "false"); });
      row.querySelectorAll("[data-line-action=down]").forEach(function (b) { b.setAttribute("aria-disabled", i === rows.length - 1 ? "true" : "false"); });
    });
  }

  function add() {
    if (!template) { return null; }
    const index = String(next++);
    const fragment = template.content.cloneNode(true);
    fragment.querySelectorAll("[name], [id], [for], [data-field]").forEach(function (element) {
      ["name", "id", "for", "data-field"].forEach(function (attribute) {
        const old = element.getAttribute(attribute);
        if (old) { element.setAttribute(attribute, old.split("__index__").join(index)); }
      });
    });
    const row = fragment.querySelector("tr");
    body.appendChild(fragment);
    if (window.erpChoices) { window.erpChoices(row); }
    refresh();
    say("added");
    const first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { (first.tomselect ? first.tomselect.control_input : first).focus(); }
    return row;
  }

  function act(button) {
    const row = button.closest("tr");
    const action = button.dataset.lineAction;
    if (action === "remove") {
      const neighbour = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      refresh();
      say("removed");
      const target = neighbour ? neighbour.querySelector('[data-line-action="remove"]') : document.getElementById("add-line");
      if (target) { target.focus(); }
      return;
    }
    const other = action === "up" ? row.previousElementSibling : row.nextElementSibling;
    if (!other) { return; }
    if (action === "up") { body.insertBefore(row, other); } else { body.insertBefore(other, row); }
    button.focus();
    refresh();
    say("moved");
  }

  // Before the form is sent: each row's inputs numbered by its place (0, 1, 2...).
  function renumber() {
    Array.from(body.rows).forEach(function (row, i) {
      row.querySelectorAll("[name]").forEach(function (input) {
        input.name = input.name.replace(numbered, prefix + "-" + i + "-");
      });
    });
  }

  table.addEventListener("click", function (event) {
    const button = event.target.closest("[data-line-action]");
    if (button && table.contains(button)) { act(button); }
  });
  table.addEventListener("input", refresh);
  table.addEventListener("change", refresh);
  document.querySelectorAll("[data-line-add]").forEach(function (button) {
    button.addEventListener("click", function () { add(); });
  });
  if (form) { form.addEventListener("submit", renumber); }
  refresh();
})();
