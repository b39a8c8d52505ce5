// The clause editor (standards/editor.html). Autosave is declared on each row form with htmx
// (hx-post, hx-trigger "input delay:800ms, change"); this file adds the structure operations
// (buttons with data-op, keyboard shortcuts), the caret offset for splitting, table grid
// operations, focus after a re-render, and keeps conflict answers (409) visible.
// Every request goes through htmx with the editor's hx-sync queue, so one save finishes (and
// hands back the new revision) before the next one starts. No inline script: CSP 'self'.
(function () {
  "use strict";

  function editor() { return document.getElementById("clause-editor"); }

  function opUrl(root, pk, op) {
    return root.getAttribute("data-op-url").replace(/\/0\/move\/$/, "/" + pk + "/" + op + "/");
  }

  function caret(row) {
    var field = row && row.querySelector("textarea[name=text]");
    if (!field) return null;
    // The server counts characters (code points); JavaScript counts UTF-16 units.
    return Array.from(field.value.slice(0, field.selectionStart)).length;
  }

  function send(source, url, values, target, swap) {
    return htmx.ajax("POST", url, {
      source: source,
      values: values,
      target: target || "#clause-tree",
      swap: swap || "innerHTML"
    });
  }

  function run(button) {
    var root = editor();
    var op = button.getAttribute("data-op");
    var row = button.closest("form.ed-row");
    var kind = button.getAttribute("data-kind");
    var pk = row ? row.getAttribute("data-row") : null;
    var source = row || button;
    var addUrl = root.getAttribute("data-add-url");
    if (op === "add-after") return send(source, addUrl, { after: pk, kind: kind });
    if (op === "add-child") {
      var values = { parent: button.getAttribute("data-parent") || pk, kind: kind };
      if (button.hasAttribute("data-standard")) values.standard = button.getAttribute("data-standard");
      return send(source, addUrl, values);
    }
    if (op === "add-top") return send(source, addUrl, { kind: kind });
    if (!row) return null;
    if (op === "up" || op === "down" || op === "indent" || op === "outdent") {
      return send(row, opUrl(root, pk, "move"), { direction: op });
    }
    if (op === "split") {
      var at = caret(row);
      return send(row, opUrl(root, pk, "split"), { at: at === null ? "" : String(at) });
    }
    if (op === "merge") return send(row, opUrl(root, pk, "merge"));
    if (op === "delete") {
      if (!window.confirm(button.getAttribute("data-confirm"))) return null;
      return send(row, opUrl(root, pk, "delete"));
    }
    return null;
  }

  document.addEventListener("click", function (event) {
    var root = editor();
    if (!root) return;
    var button = event.target.closest("[data-op], [data-grid]");
    if (!button || !root.contains(button) || button.disabled) return;
    event.preventDefault();
    if (button.hasAttribute("data-grid")) {
      var row = button.closest("form.ed-row");
      send(row, row.getAttribute("hx-post"), { grid: button.getAttribute("data-grid") },
        row, "outerHTML");
      return;
    }
    run(button);
  });

  function rowOp(row, op) {
    var allowed = (row.getAttribute("data-ops") || "").split(" ");
    if (allowed.indexOf(op) < 0) return false;
    var button = row.querySelector('[data-op="' + op + '"]');
    if (button) run(button);
    return true;
  }

  document.addEventListener("keydown", function (event) {
    var root = editor();
    if (!root || !root.contains(event.target)) return;
    var row = event.target.closest("form.ed-row");
    if (!row) return;
    if (event.isComposing || event.keyCode === 229) return;  // typing through an IME
    var key = event.key;
    if (event.altKey && !event.ctrlKey && !event.metaKey) {
      var op = null;
      if (!event.shiftKey && key === "ArrowUp") op = "up";
      if (!event.shiftKey && key === "ArrowDown") op = "down";
      if (event.shiftKey && key === "ArrowRight") op = "indent";
      if (event.shiftKey && key === "ArrowLeft") op = "outdent";
      if (op) {
        event.preventDefault();
        rowOp(row, op);
      }
      return;
    }
    var field = event.target;
    if (key !== "Enter" || field.name !== "text" || field.tagName !== "TEXTAREA") return;
    if (event.altKey || event.metaKey) return;
    event.preventDefault();  // one clause is one paragraph: Enter never adds a line break
    if (event.shiftKey) return;
    var text = field.value;
    var at = field.selectionStart;
    if (text.trim() && text.slice(at).trim() === "") {
      var add = row.querySelector('[data-op="add-after"][data-kind="' + row.getAttribute("data-kind") + '"]');
      if (add) run(add);
    } else if (text.slice(0, at).trim() && text.slice(at).trim()) {
      var split = row.querySelector('[data-op="split"]');
      if (split) run(split);
    }
  });

  // While the author types, say so; the answer of the save replaces it with "已保存 …".
  document.addEventListener("input", function (event) {
    var root = editor();
    if (!root || !event.target.closest("form.ed-row")) return;
    var status = document.getElementById("save-status");
    if (status) status.textContent = "正在输入…";
  });

  // 409 (conflict) and 400 (refused) answers carry out-of-band parts: let htmx swap them
  // (the answer sets HX-Reswap: none, so nothing else on the page changes).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var root = editor();
    if (!root || !root.contains(event.detail.elt)) return;
    var status = event.detail.xhr.status;
    if (status === 409 || status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    if (status === 409) {
      var row = event.detail.elt.closest && event.detail.elt.closest("form.ed-row");
      if (row) row.classList.add("ed-row-conflict");
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var root = editor();
    if (!root || !root.contains(event.detail.elt)) return;
    var status = document.getElementById("save-status");
    if (status) status.textContent = "保存失败，请检查网络后再改一次";
  });
  document.addEventListener("htmx:sendError", function (event) {
    var root = editor();
    if (!root || !root.contains(event.detail.elt)) return;
    var status = document.getElementById("save-status");
    if (status) status.textContent = "网络断开，没有保存；联网后再改一次";
  });

  // Leaving the page while text sits in the conflict banner: ask first.
  window.addEventListener("beforeunload", function (event) {
    var unsaved = document.getElementById("conflict-unsaved");
    if (unsaved && unsaved.children.length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // After a structure edit the tree is new: put the focus back on the row worked on.
  document.addEventListener("editor-focus", function (event) {
    var row = document.getElementById("row-" + event.detail.value);
    if (!row) return;
    var field = row.querySelector(".ed-focus") || row.querySelector(".ed-ops-toggle");
    if (field) field.focus();
    if (row.scrollIntoView) row.scrollIntoView({ block: "nearest" });
  });
})();
