// The period pages (no inline script under the CSP): the new-period form fills the dates
// and the name from the chosen cadence; the period page draws the bar chart of totals
// (the numbers are also in the ranking table); the appeal and manual-entry forms show
// upload progress while their evidence files are sent.
(function () {
  "use strict";

  function data(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function cadence() {
    var form = document.querySelector("[data-period-form]");
    var defaults = data("period-cadence-defaults");
    if (!form || !defaults) return;
    var select = form.querySelector("[data-cadence]");
    if (!select) return;
    select.addEventListener("change", function () {
      var d = defaults[select.value];
      if (!d) return;
      form.querySelector("[name=starts_on]").value = d.starts_on;
      form.querySelector("[name=ends_on]").value = d.ends_on;
      var name = form.querySelector("[name=name]");
      if (d.name) name.value = d.name;
    });
  }

  function bars() {
    var el = document.getElementById("period-chart");
    var d = data("period-chart-data");
    if (!el || !d || !window.echarts || !d.names.length) return;
    var narrow = el.clientWidth < 600;
    el.style.height = Math.max(220, d.names.length * 30 + 60) + "px";
    var colours = { excellent: "#2fb344", good: "#206bc4", pass: "#f59f00", fail: "#d63939" };
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      grid: { top: 10, bottom: 10, left: 10, right: 40, containLabel: true },
      xAxis: { type: "value", max: d.max || null },
      yAxis: { type: "category", data: d.names, inverse: true, axisLabel: { width: narrow ? 90 : 180, overflow: "truncate" } },
      series: [{
        name: "总分",
        type: "bar",
        barMaxWidth: 22,
        label: { show: true, position: "right" },
        data: d.totals.map(function (value, i) {
          return { value: value, itemStyle: { color: colours[d.grades[i]] || "#626976" } };
        }),
      }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-rendered", "1");
  }

  // htmx reports upload progress on the form that sent the request.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest ? event.target.closest("[data-upload-form]") : null;
    if (!form || !event.detail.lengthComputable) return;
    var bar = form.querySelector("[data-upload-bar]");
    if (!bar) return;
    var percent = Math.round((event.detail.loaded / event.detail.total) * 100);
    bar.value = percent;
    bar.textContent = percent + "%";
  });

  document.addEventListener("DOMContentLoaded", function () { cadence(); bars(); });
})();
