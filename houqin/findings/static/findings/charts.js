// The charts of the findings pages (ECharts, no inline script under the CSP): the heat map
// of places on the compliance view (places × days, weeks or months) and the bars of open
// rectifications by department on the board. Each chart reads its data from a JSON script
// element; the numbers are also in a table under the chart.
(function () {
  "use strict";

  function data(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function heat() {
    var el = document.getElementById("heat-chart");
    var d = data("heat-chart-data");
    if (!el || !d || !window.echarts || !d.places.length) return;
    var narrow = el.clientWidth < 600;
    el.style.height = Math.max(260, d.places.length * 32 + 120) + "px";
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      tooltip: {
        renderMode: "richText",
        formatter: function (p) {
          return d.places[p.value[1]] + "\n" + d.buckets[p.value[0]] + "：" + p.value[2];
        },
      },
      grid: { top: 10, bottom: 70, left: 10, right: 16, containLabel: true },
      xAxis: { type: "category", data: d.buckets, splitArea: { show: true }, axisLabel: { hideOverlap: true } },
      yAxis: {
        type: "category",
        data: d.places,
        inverse: true,
        axisLabel: { width: narrow ? 80 : 180, overflow: "truncate" },
      },
      visualMap: {
        min: 0,
        max: Math.max(1, d.max),
        calculable: true,
        orient: "horizontal",
        left: "center",
        bottom: 0,
        itemHeight: narrow ? 120 : 200,
        inRange: { color: ["#fff7e6", "#f59f00", "#d63939"] },
        text: ["多", "少"],
      },
      series: [{ type: "heatmap", data: d.cells, label: { show: !narrow }, emphasis: { itemStyle: { borderColor: "#1d273b", borderWidth: 1 } } }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-rendered", "1");
  }

  function bars() {
    var el = document.getElementById("board-chart");
    var d = data("board-chart-data");
    if (!el || !d || !window.echarts || !d.names.length) return;
    var narrow = el.clientWidth < 600;
    el.style.height = Math.max(200, d.names.length * 36 + 90) + "px";
    var colours = ["#f59f00", "#d63939", "#206bc4", "#ae3ec9"];
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      legend: { top: 0, left: narrow ? 0 : "center" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      grid: { top: 40, bottom: 10, left: 10, right: 24, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: d.names, inverse: true, axisLabel: { width: narrow ? 80 : 160, overflow: "truncate" } },
      series: d.series.map(function (s, i) {
        return { name: s.name, type: "bar", stack: "open", barMaxWidth: 28, data: s.values, itemStyle: { color: colours[i % colours.length] } };
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-rendered", "1");
  }

  document.addEventListener("DOMContentLoaded", function () { heat(); bars(); });
})();
