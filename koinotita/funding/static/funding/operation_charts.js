/* The operation page's two charts, drawn from the JSON that the page carries
   (<script type="application/json" id="funding-chart-data">). No inline script: CSP 'self'. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("funding-chart-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var lang = document.documentElement.lang || "el";
    var euro = new Intl.NumberFormat(lang === "en" ? "en-GB" : "el-GR", { style: "currency", currency: "EUR" });
    var num = function (v) { return v === null ? null : Number(v); };
    var money = { callbacks: { label: function (c) { return c.dataset.label + ": " + euro.format(c.parsed.y); } } };
    var years = document.getElementById("chart-years");
    if (years) {
      new Chart(years, {
        type: "bar",
        data: {
          labels: data.years.labels,
          datasets: [
            { label: data.labels.budget, data: data.years.budget.map(num), backgroundColor: "#9db8de" },
            { label: data.labels.spent, data: data.years.spent.map(num), backgroundColor: "#0b5cab" }
          ]
        },
        options: { plugins: { tooltip: money }, scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return euro.format(v); } } } } }
      });
    }
    var burn = document.getElementById("chart-burn");
    if (burn) {
      new Chart(burn, {
        type: "line",
        data: {
          labels: data.burn.map(function (p) { return p.month; }),
          datasets: [
            { label: data.labels.cumulative, data: data.burn.map(function (p) { return num(p.spent); }), borderColor: "#0b5cab", pointRadius: 0, spanGaps: false },
            { label: data.labels.time, data: data.burn.map(function (p) { return num(p.time); }), borderColor: "#8a6d00", borderDash: [6, 4], pointRadius: 0 }
          ]
        },
        options: { plugins: { tooltip: money }, scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return euro.format(v); } } } } }
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
