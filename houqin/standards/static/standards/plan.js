// The plan page: the shared confirmation dialog of each item's "删除" and the Gantt chart
// (ECharts custom series: one bar per item from its start to its due date, coloured by its
// state, slipped items in red with "滞后 N 天", a dashed line for today).
(function () {
  "use strict";

  document.addEventListener("show.bs.modal", function (event) {
    var trigger = event.relatedTarget;
    if (!trigger || !trigger.getAttribute("data-confirm-url")) return;
    var modal = event.target;
    var form = modal.querySelector("form");
    if (form) form.setAttribute("action", trigger.getAttribute("data-confirm-url"));
    var title = modal.querySelector("h2");
    if (title && trigger.getAttribute("data-confirm-title")) {
      title.textContent = trigger.getAttribute("data-confirm-title");
    }
  });

  var COLOURS = { done: "#2fb344", active: "#206bc4", pending: "#9aa0ac", slipped: "#d63939" };

  function time(iso) {
    var parts = iso.split("-");
    return new Date(+parts[0], +parts[1] - 1, +parts[2]).getTime();
  }

  function renderBar(params, api) {
    var row = api.value(0);
    var start = api.coord([api.value(1), row]);
    var end = api.coord([api.value(2), row]);
    var height = Math.min(22, api.size([0, 1])[1] * 0.6);
    var box = params.coordSys;
    var shape = window.echarts.graphic.clipRectByRect(
      { x: start[0], y: start[1] - height / 2, width: Math.max(end[0] - start[0], 2), height: height },
      { x: box.x, y: box.y, width: box.width, height: box.height }
    );
    if (!shape) return null;
    var children = [{ type: "rect", shape: shape, style: { fill: api.visual("color") } }];
    var late = api.value(3);
    if (late > 0) {
      var right = shape.x + shape.width + 4;
      var inside = right + 70 > box.x + box.width;
      children.push({
        type: "text",
        style: {
          text: "滞后" + late + "天",
          x: inside ? shape.x + shape.width - 4 : right,
          y: start[1],
          align: inside ? "right" : "left",
          verticalAlign: "middle",
          fill: inside ? "#ffffff" : "#b02a2a",
          font: "bold 12px sans-serif",
        },
      });
    }
    return { type: "group", children: children };
  }

  function drawGantt() {
    var el = document.getElementById("plan-gantt");
    var source = document.getElementById("plan-gantt-data");
    if (!el || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var items = data.items;
    if (!items.length) return;
    var narrow = el.clientWidth < 600;
    el.style.height = Math.max(220, items.length * 40 + 90) + "px";
    // A phone has room for the title only; the table below says what each item is.
    var names = items.map(function (item) { return narrow ? item.title : item.name; });
    var series = data.states.map(function (state, index) {
      var entry = {
        name: state.label,
        type: "custom",
        renderItem: renderBar,
        itemStyle: { color: COLOURS[state.key] },
        encode: { x: [1, 2], y: 0 },
        data: [],
      };
      items.forEach(function (item, row) {
        if (item.state !== state.key) return;
        entry.data.push({
          value: [row, time(item.start), time(item.end), item.late],
          item: item,
        });
      });
      if (index === 0) {
        entry.markLine = {
          silent: true,
          symbol: "none",
          lineStyle: { color: "#d63939", type: "dashed", width: 1.5 },
          label: { formatter: "今天", position: "start", color: "#b02a2a" },
          data: [{ xAxis: time(data.today) }],
        };
      }
      return entry;
    });
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      legend: { top: 0, left: narrow ? 0 : "center", itemWidth: 14, itemHeight: 10 },
      tooltip: {
        trigger: "item",
        renderMode: "richText",
        formatter: function (p) {
          var item = p.data.item;
          var text = item.name + "\n" + item.start + " ～ " + item.due + "\n进度：" + item.progress;
          if (item.late > 0) text += "\n已滞后 " + item.late + " 天";
          return text;
        },
      },
      grid: { top: 40, bottom: 30, left: 10, right: 16, containLabel: true },
      xAxis: {
        type: "time",
        min: time(data.min),
        max: time(data.max),
        splitLine: { show: true, lineStyle: { color: "#eef1f4" } },
        axisLabel: {
          hideOverlap: true,
          formatter: function (value) {
            var d = new Date(value);
            return d.getMonth() === 0 ? d.getFullYear() + "年" : d.getMonth() + 1 + "月";
          },
        },
      },
      yAxis: {
        type: "category",
        data: names,
        inverse: true,
        axisTick: { show: false },
        axisLabel: { width: narrow ? 96 : 260, overflow: "truncate" },
      },
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-rendered", "1");
  }

  document.addEventListener("DOMContentLoaded", drawGantt);
})();
