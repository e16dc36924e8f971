/* The monitoring dashboard's charts, drawn from the JSON the page carries
   (<script type="application/json" id="monitoring-chart-data">). No inline script: CSP 'self'.
   Suppressed figures arrive as null and are drawn as gaps; the table beside each chart
   shows them with their mark. */
(function () {
  "use strict";
  var palette = ["#0b5cab", "#8a6d00", "#2e7d32", "#b3261e", "#6a1b9a", "#00838f", "#5d4037", "#9db8de"];
  function draw() {
    var source = document.getElementById("monitoring-chart-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    data.charts.forEach(function (chart) {
      var canvas = document.getElementById("chart-" + chart.key);
      if (!canvas) { return; }
      new Chart(canvas, {
        type: chart.type,
        data: {
          labels: chart.labels,
          datasets: [{
            label: chart.series,
            data: chart.values,
            backgroundColor: chart.type === "line" ? "#0b5cab" : palette,
            borderColor: chart.type === "line" ? "#0b5cab" : undefined,
            spanGaps: false
          }]
        },
        options: {
          animation: false,
          plugins: { legend: { display: chart.type === "doughnut" } },
          scales: chart.type === "doughnut" ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
