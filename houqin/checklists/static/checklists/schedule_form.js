// The schedule form and the reassign form: show only the fields of the chosen frequency and
// kind of assignee (a box marked data-show-when="name=value[,value]"). Without this script
// every field shows and the server ignores the ones that do not apply.
(function () {
  "use strict";
  function sync(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (box) {
      var rule = box.getAttribute("data-show-when").split("=");
      var checked = form.querySelector('input[name="' + rule[0] + '"]:checked');
      box.hidden = !checked || rule[1].split(",").indexOf(checked.value) < 0;
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-schedule-form]");
    if (form) sync(form);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-schedule-form]").forEach(sync);
  });
})();
