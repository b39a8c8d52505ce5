// The draft editor of a scheme: the running total of the weights while an indicator's
// weight is typed, and "取消" closing a form opened in the page instead of leaving it.
(function () {
  "use strict";

  function round(value) {
    return Math.round(value * 100) / 100;
  }

  function refresh(form) {
    var input = form.querySelector("[data-weight-input]");
    var sum = form.querySelector("[data-weight-sum]");
    var gap = form.querySelector("[data-weight-gap]");
    if (!input || !sum) return;
    var total = round((parseFloat(form.getAttribute("data-others")) || 0) + (parseFloat(input.value) || 0));
    sum.textContent = String(total);
    sum.classList.toggle("text-success", total === 100);
    sum.classList.toggle("text-danger", total !== 100);
    if (gap) {
      gap.textContent = total === 100 ? "（正好 100 分）" : total < 100 ? "（还差 " + round(100 - total) + " 分）" : "（多了 " + round(total - 100) + " 分）";
    }
  }

  function refreshAll(root) {
    if (!root || !root.querySelectorAll) return;
    if (root.hasAttribute && root.hasAttribute("data-others")) refresh(root);
    root.querySelectorAll("[data-others]").forEach(refresh);
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("[data-others]");
    if (form) refresh(form);
  });
  document.addEventListener("htmx:load", function (event) { refreshAll(event.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () { refreshAll(document); });
  document.addEventListener("click", function (event) {
    var close = event.target.closest && event.target.closest("[data-slot-close]");
    if (!close) return;
    var slot = close.closest(".scheme-slot");
    if (slot) {
      event.preventDefault();
      slot.innerHTML = "";
    }
  });
})();
