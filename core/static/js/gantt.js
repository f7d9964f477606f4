// Gantt charts: each <div data-gantt> holding a <script type="application/json"> list of tasks
// ({id, name, start, end, progress, dependencies, custom_class}) is drawn, read-only, into its
// .erp-gantt-chart with frappe-gantt, served locally (core/static/vendor/frappe-gantt).
(function () {
  if (typeof Gantt === "undefined") { return; }
  const language = (document.documentElement.lang || "en").slice(0, 2);
  document.querySelectorAll("[data-gantt]").forEach(function (box) {
    const tasks = JSON.parse(box.querySelector("script[type='application/json']").textContent);
    if (!tasks.length) { return; }
    new Gantt(box.querySelector(".erp-gantt-chart"), tasks, {
      readonly: true, view_mode: box.dataset.viewMode || "Day", language: language,
      today_button: false, scroll_to: "start", popup_on: "click",
    });
    // "start" puts the first bar at the very edge: leave a column of room before it.
    const container = box.querySelector(".gantt-container");
    if (container) { container.scrollLeft = Math.max(0, container.scrollLeft - 60); }
  });
})();
