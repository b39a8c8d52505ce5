// The lifecycle pages' script (CSP: no inline script).
(function () {
  "use strict";
  // "提意见" beside a clause: pick that clause in the comment form and go to the text box.
  // Without this script the link reloads the page with ?clause=<uid>, which does the same.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-comment-clause]") : null;
    if (!link) return;
    var select = document.getElementById("id_clause");
    var text = document.getElementById("id_text");
    if (!select || !text) return;
    event.preventDefault();
    select.value = link.getAttribute("data-comment-clause");
    text.scrollIntoView({ block: "center" });
    text.focus({ preventScroll: true });
  });

  // A search box over a long pick list (people): hide the names that do not match.
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-pick-filter")) return;
    var list = document.getElementById(box.getAttribute("data-pick-filter"));
    if (!list) return;
    var words = box.value.trim().toLowerCase();
    list.querySelectorAll("label").forEach(function (label) {
      label.hidden = words !== "" && label.textContent.toLowerCase().indexOf(words) === -1;
    });
  });

  // Show how many are ticked in each pick list.
  function count(list) {
    var out = document.querySelector('[data-pick-count="' + list.id + '"]');
    if (out) {
      var n = list.querySelectorAll("input:checked").length;
      out.textContent = n ? "（已选 " + n + "）" : "";
    }
  }
  document.addEventListener("change", function (event) {
    var list = event.target.closest ? event.target.closest(".pick-list") : null;
    if (list) count(list);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".pick-list[id]").forEach(count);
  });
})();
