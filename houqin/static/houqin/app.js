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
})();
