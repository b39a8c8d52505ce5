// The standard system page: the shared confirmation dialog of each node's "停用" and the
// structure diagram (标准体系结构图) drawn with ECharts from the page's JSON data.
(function () {
  "use strict";

  // A confirmation dialog shared by many rows: the button that opens it names the action's
  // URL (data-confirm-url) and the question (data-confirm-title).
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

  var FONT = 13;

  function leaves(node) {
    if (!node.children || !node.children.length) return 1;
    return node.children.reduce(function (sum, child) { return sum + leaves(child); }, 0);
  }

  function depth(node) {
    if (!node.children || !node.children.length) return 1;
    return 1 + Math.max.apply(null, node.children.map(depth));
  }

  function labelText(node) {
    return node.name + (node.count ? "（" + node.count + "）" : "");
  }

  // A box's width in pixels (Chinese characters are square; padding and border added).
  function boxWidth(text) {
    return text.length * FONT + 14;
  }

  // The widest label of the nodes that have children, and of those that have none.
  function widest(node, wantLeaves) {
    var leaf = !node.children || !node.children.length;
    var own = leaf === wantLeaves ? boxWidth(labelText(node)) : 0;
    if (leaf) return own;
    return Math.max.apply(null, [own].concat(node.children.map(function (child) {
      return widest(child, wantLeaves);
    })));
  }

  // Every node a box centred on it with its name and standard count; each leaf has a row of
  // its own whatever its depth, and the levels stand a box's width apart so that connectors
  // run between the boxes, never across them.
  function decorate(node, level) {
    var leaf = !node.children || !node.children.length;
    var entry = {
      name: node.name,
      value: node.code ? node.code + " " + node.name + "：" + (node.count || 0) + " 项标准" : node.name,
      label: {
        formatter: labelText(node),
        fontWeight: level <= 1 ? "bold" : "normal",
        backgroundColor: level === 0 ? "#206bc4" : "#ffffff",
        color: level === 0 ? "#ffffff" : "#1d273b",
      },
    };
    if (!leaf) {
      entry.children = node.children.map(function (child) { return decorate(child, level + 1); });
    }
    return entry;
  }

  function drawDiagram() {
    var el = document.getElementById("system-diagram");
    var source = document.getElementById("system-diagram-data");
    if (!el || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    if (!data.children || !data.children.length) return;
    var left = boxWidth(labelText(data)) / 2 + 10;
    var right = widest(data, true) / 2 + 10;
    var below = { name: "", children: data.children };
    var gap = Math.max(widest(below, false), widest(data, true)) + 28;
    var width = left + gap * (depth(data) - 1) + right;
    // On a phone the diagram keeps its shape and scrolls sideways.
    function fit() {
      el.style.width = Math.max(el.parentNode.clientWidth, width) + "px";
    }
    fit();
    el.style.height = leaves(data) * 28 + 20 + "px";
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "item", renderMode: "richText", formatter: function (p) { return p.value; } },
      series: [
        {
          type: "tree",
          data: [decorate(data, 0)],
          orient: "LR",
          top: 10,
          bottom: 10,
          left: left,
          right: right,
          symbol: "circle",
          symbolSize: 6,
          edgeShape: "polyline",
          initialTreeDepth: -1,
          expandAndCollapse: false,
          roam: false,
          lineStyle: { color: "#8a96a8", width: 1, curveness: 0 },
          itemStyle: { color: "#206bc4", borderColor: "#206bc4" },
          label: {
            position: "inside",
            fontSize: FONT,
            lineHeight: 16,
            padding: [3, 6],
            borderColor: "#206bc4",
            borderWidth: 1,
            borderRadius: 3,
          },
        },
      ],
    });
    window.addEventListener("resize", function () {
      fit();
      chart.resize();
    });
  }

  document.addEventListener("DOMContentLoaded", drawDiagram);
})();
