// Importing a standard's text into a draft (standards/draft_import.html). The form posts
// through htmx (hx-post, hx-disabled-elt on the button); this file shows the upload's
// progress, then "正在读取……" with a spinner while the server reads the file, and says
// what went wrong when the request fails. Without JavaScript the form is a plain POST.
// No inline script: CSP 'self'.
(function () {
  "use strict";

  var phase = "";  // "upload" → "reading" → "done"

  function form(event) {
    var elt = event.detail && event.detail.elt;
    return elt && elt.id === "import-form" ? elt : null;
  }

  function part(root, name) { return root.querySelector("[data-import-" + name + "]"); }

  function show(root, percent, text, spinning) {
    var box = root.querySelector("#import-progress");
    if (!box) return;
    box.hidden = false;
    var bar = part(box, "bar");
    bar.style.width = percent + "%";
    bar.setAttribute("aria-valuenow", String(percent));
    part(box, "text").textContent = text;
    part(box, "spinner").hidden = !spinning;
  }

  function reading(root) {
    phase = "reading";
    show(root, 100, "正在读取……文件较长时需要几秒钟，请不要关闭页面。", true);
  }

  function fail(root, message) {
    phase = "";
    var box = root.querySelector("#import-progress");
    if (box) box.hidden = true;
    var alert = root.querySelector("#import-failed");
    if (alert) {
      alert.textContent = message;
      alert.hidden = false;
    }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var root = form(event);
    if (!root) return;
    if (phase === "done") {  // the editor is opening: never send the import twice
      event.preventDefault();
      return;
    }
    var failed = root.querySelector("#import-failed");
    if (failed) failed.hidden = true;
    var file = root.querySelector("input[type=file]");
    if (file && file.files && file.files.length) {
      phase = "upload";
      show(root, 0, "正在上传……", false);
    } else {
      reading(root);
    }
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var root = form(event);
    var detail = event.detail;
    if (!root || phase !== "upload" || !detail.lengthComputable || !detail.total) return;
    if (detail.loaded >= detail.total) {
      reading(root);
      return;
    }
    var percent = Math.floor((detail.loaded / detail.total) * 100);
    show(root, percent, "正在上传 " + percent + "%……", false);
  });

  // The upload's loadend comes first (the response's comes after htmx:afterRequest).
  document.addEventListener("htmx:xhr:loadend", function (event) {
    var root = form(event);
    if (root && phase === "upload") reading(root);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var root = form(event);
    var xhr = event.detail.xhr;
    if (!root || !event.detail.successful || !xhr) return;
    if (xhr.getResponseHeader("HX-Redirect")) {
      phase = "done";
      show(root, 100, "导入完成，正在打开编辑器……", true);
    } else {
      phase = "";
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var root = form(event);
    if (!root) return;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    fail(root, status === 413
      ? "文件太大，服务器拒绝接收，没有导入。请删除文件中的大图片后再试，或把文字粘贴进来。"
      : "导入没有完成（服务器返回 " + status + "），草案没有改动。请刷新页面后再试。");
  });

  document.addEventListener("htmx:sendError", function (event) {
    var root = form(event);
    if (root) fail(root, "网络中断，没有导入，草案没有改动。请检查网络后再导入一次。");
  });

  // After an error the form card is swapped in again: move to the first field to correct.
  document.addEventListener("htmx:afterSettle", function () {
    var card = document.getElementById("import-card");
    if (!card || phase === "done") return;
    phase = "";
    var invalid = card.querySelector(".is-invalid");
    if (invalid && document.activeElement === document.body) invalid.focus();
  });
})();
