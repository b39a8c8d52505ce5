// The drafting check beside the editor's rows (standards/editor.html).
// The check panel (a full check) and the live check of one saved clause both answer with a
// <template class="chk-payload"> of hits grouped per row: "clause" hits come from the clause
// rules, "doc" hits from the document rules. A full payload replaces every row's hits; a
// live payload replaces the saved row's clause hits and every row's doc hits. The toolbar
// counts are then the hits shown in the rows plus those that belong to no row.
// The fix forms of the panel take the editor's current revision when they are sent.
(function () {
  "use strict";

  var orphans = [0, 0, 0];
  var SEVERITIES = ["error", "warning", "hint"];

  function editor() { return document.getElementById("clause-editor"); }

  function clear(selector) {
    document.querySelectorAll(selector).forEach(function (part) { part.replaceChildren(); });
  }

  function count() {
    var counts = document.getElementById("check-counts");
    if (!counts) return;
    SEVERITIES.forEach(function (severity, index) {
      var n = document.querySelectorAll('.ed-hits [data-sev="' + severity + '"]').length + orphans[index];
      var badge = counts.querySelector('[data-count="' + severity + '"]');
      badge.querySelector("b").textContent = String(n);
      badge.hidden = n === 0;
    });
  }

  function apply(payload) {
    var scope = payload.getAttribute("data-scope");
    if (scope === "all") {
      clear(".ed-hits [data-part]");
    } else {
      clear(".ed-hits [data-part=doc]");
      clear("#hits-" + payload.getAttribute("data-only") + " [data-part=clause]");
    }
    payload.content.querySelectorAll("[data-for]").forEach(function (group) {
      var slot = document.querySelector(
        "#hits-" + group.getAttribute("data-for") + ' [data-part="' + group.getAttribute("data-part") + '"]');
      if (slot) slot.replaceChildren.apply(slot, Array.from(group.childNodes));
    });
    orphans = payload.getAttribute("data-orphans").split(" ").map(Number);
    payload.remove();
    count();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!editor()) return;
    event.target.querySelectorAll("template.chk-payload").forEach(apply);
  });

  // After an autosave of one row succeeds, rerun that clause's rules and the document rules.
  document.addEventListener("htmx:afterRequest", function (event) {
    var root = editor();
    var row = event.detail.elt;
    if (!root || !event.detail.successful || !row.matches || !row.matches("form.ed-row")) return;
    if (event.detail.requestConfig.verb !== "post" || event.detail.pathInfo.requestPath !== row.getAttribute("hx-post")) return;
    var url = root.getAttribute("data-live-url");
    if (!url) return;
    htmx.ajax("GET", url + "?clause=" + encodeURIComponent(row.getAttribute("data-row")), {
      source: document.getElementById("check-live"),
      target: "#check-live",
      swap: "innerHTML"
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var revision = document.getElementById("editor-revision");
    if (!form.hasAttribute("data-editor-revision") || !revision) return;
    form.querySelector("input[name=revision]").value = revision.value;
  });
})();
