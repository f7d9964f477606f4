// Dashboard charts: each <canvas data-chart='{"kind": ..., "labels": [...], "datasets": [...]}'>
// written by core/templates/core/dashboard.html (core.dashboard.Chart.config) is drawn with
// Chart.js, served locally. A dataset with "axis": "right" gets a second scale; with "links"
// (one URL per label) clicking a bar or slice opens the records behind it.
(function () {
  if (typeof Chart === "undefined") { return; }
  const palette = ["#0d6efd", "#fd7e14", "#198754", "#dc3545", "#6f42c1", "#20c997", "#ffc107", "#6c757d",
                   "#0dcaf0", "#d63384", "#6610f2", "#adb5bd"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const spec = JSON.parse(canvas.dataset.chart);
    const round = spec.kind === "doughnut" || spec.kind === "pie";
    const twoScales = !round && spec.datasets.some(function (d) { return d.axis === "right"; });
    const datasets = spec.datasets.map(function (d, i) {
      const color = round ? spec.labels.map(function (_, j) { return palette[j % palette.length]; })
                          : palette[i % palette.length];
      return {label: d.label, data: d.data, backgroundColor: color, borderColor: round ? "#fff" : color,
              yAxisID: round ? undefined : (spec.horizontal ? undefined : (d.axis === "right" ? "y1" : "y")),
              xAxisID: round || !spec.horizontal ? undefined : (d.axis === "right" ? "x1" : "x"),
              fill: false, tension: 0.2};
    });
    const value = spec.horizontal ? "x" : "y";
    // A scale whose figures are all whole numbers (counts) has whole-number ticks.
    const whole = function (axis) {
      return spec.datasets.filter(function (d) { return (d.axis === "right") === (axis === "right"); })
        .every(function (d) { return d.data.every(Number.isInteger); });
    };
    const scales = {};
    if (!round) {
      scales[value] = {beginAtZero: true, position: spec.horizontal ? "bottom" : "left",
                       ticks: whole("left") ? {precision: 0} : {}};
      if (twoScales) {
        scales[value + "1"] = {beginAtZero: true, position: spec.horizontal ? "top" : "right",
                               grid: {drawOnChartArea: false}, ticks: whole("right") ? {precision: 0} : {}};
      }
    }
    new Chart(canvas, {
      type: spec.kind,
      data: {labels: spec.labels, datasets: datasets},
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        indexAxis: spec.horizontal ? "y" : "x",
        scales: scales,
        plugins: {legend: {display: round || datasets.length > 1, position: "bottom"}},
        onClick: function (event, elements) {
          if (spec.links.length && elements.length) { window.location.href = spec.links[elements[0].index]; }
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = spec.links.length && elements.length ? "pointer" : "default";
        },
      },
    });
  });
})();
