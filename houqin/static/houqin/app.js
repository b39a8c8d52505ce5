// Houqin's own script: no inline handlers anywhere (CSP script-src 'self').
(function () {
  "use strict";
  // Filter bars submit when a drop-down changes, so a phone user needs one tap less.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.closest("form.filter-bar")) {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
  });

  // Bulk actions: count the ticked rows, select all, name the action in the confirmation.
  function refreshBulk() {
    var form = document.getElementById("bulk-form");
    if (!form) return;
    var ticked = document.querySelectorAll("[data-bulk-item]:checked").length;
    form.querySelectorAll("[data-bulk-count]").forEach(function (el) { el.textContent = ticked; });
    var open = form.querySelector("[data-bulk-open]");
    if (open) open.disabled = ticked === 0;
    var select = form.querySelector("select[name=bulk_action]");
    var label = form.querySelector("[data-bulk-label]");
    if (select && label) label.textContent = select.options[select.selectedIndex].text;
    form.querySelectorAll("[data-bulk-confirm]").forEach(function (el) {
      el.hidden = !select || el.getAttribute("data-bulk-confirm") !== select.value;
    });
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-bulk-all")) {
      document.querySelectorAll("[data-bulk-item]").forEach(function (box) { box.checked = target.checked; });
    }
    if (target.closest && (target.closest("#bulk-form") || target.hasAttribute("data-bulk-item") || target.hasAttribute("data-bulk-all"))) {
      refreshBulk();
    }
  });
  document.addEventListener("DOMContentLoaded", refreshBulk);

  // A notification marked read in place: reload so that the bell and the counts agree.
  document.addEventListener("notifications-changed", function () { window.location.reload(); });
})();
