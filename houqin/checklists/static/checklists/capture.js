// What the checklist pages share (no inline handlers: CSP script-src 'self'): keys made on
// the phone, what is kept in the browser, posts that answer JSON, photos downscaled (long side
// ≤ 1600 px) and stamped with the time and the place, signature boxes drawn with a finger.
// It also gives the scan page's start buttons a draft key, so a retried start finds the same
// record; fills the handover's signature; and forgets a finished record's keys.
(function () {
  "use strict";
  var PREFIX = "houqin.";
  var LONG_SIDE = 1600;

  function uuid4() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = [];
    for (var i = 0; i < 16; i++) hex.push((bytes[i] + 0x100).toString(16).slice(1));
    return hex.slice(0, 4).join("") + "-" + hex.slice(4, 6).join("") + "-" + hex.slice(6, 8).join("") +
      "-" + hex.slice(8, 10).join("") + "-" + hex.slice(10).join("");
  }

  function load(key, fallback) {
    try {
      var raw = window.localStorage.getItem(PREFIX + key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (error) { return fallback; }
  }
  function keep(key, value) {
    try { window.localStorage.setItem(PREFIX + key, JSON.stringify(value)); return true; } catch (error) { return false; }
  }
  function forget(key) {
    try { window.localStorage.removeItem(PREFIX + key); } catch (error) { /* nothing kept */ }
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // A POST whose answer is {status, data}; a lost connection rejects.
  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function dataUrlToBlob(url) {
    var parts = url.split(",");
    var mime = parts[0].replace("data:", "").replace(";base64", "");
    var bytes = atob(parts[1]);
    var buffer = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) buffer[i] = bytes.charCodeAt(i);
    return new Blob([buffer], { type: mime });
  }

  function pad2(n) { return (n < 10 ? "0" : "") + n; }
  function stampWords(place) {
    var d = new Date();
    var when = d.getFullYear() + "-" + pad2(d.getMonth() + 1) + "-" + pad2(d.getDate()) + " " +
      pad2(d.getHours()) + ":" + pad2(d.getMinutes());
    return place ? when + "  " + place : when;
  }

  // The photo downscaled on a canvas and stamped with the time and the place (a JPEG data URL).
  function preparePhoto(file, place, done) {
    var reader = new FileReader();
    reader.onerror = function () { done(null); };
    reader.onload = function () {
      var image = new Image();
      image.onerror = function () { done(null); };
      image.onload = function () {
        var scale = Math.min(1, LONG_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
        var width = Math.max(1, Math.round(image.naturalWidth * scale));
        var height = Math.max(1, Math.round(image.naturalHeight * scale));
        var canvas = document.createElement("canvas");
        canvas.width = width;
        canvas.height = height;
        var context = canvas.getContext("2d");
        context.drawImage(image, 0, 0, width, height);
        var size = Math.max(14, Math.round(Math.max(width, height) / 40));
        var band = Math.round(size * 1.8);
        context.fillStyle = "rgba(0, 0, 0, 0.55)";
        context.fillRect(0, height - band, width, band);
        context.fillStyle = "#fff";
        context.font = size + "px sans-serif";
        context.textBaseline = "middle";
        context.fillText(stampWords(place), Math.round(size * 0.6), height - band / 2, width - size);
        done(canvas.toDataURL("image/jpeg", 0.82));
      };
      image.src = reader.result;
    };
    reader.readAsDataURL(file);
  }

  // ---- signature boxes ---------------------------------------------------------------------

  function signaturePad(canvas) {
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    function clear() {
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      drawn = false;
    }
    function at(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * canvas.width / box.width,
        y: (event.clientY - box.top) * canvas.height / box.height
      };
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      if (canvas.setPointerCapture) canvas.setPointerCapture(event.pointerId);
      var point = at(event);
      context.beginPath();
      context.moveTo(point.x, point.y);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var point = at(event);
      context.lineWidth = 4;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#111";
      context.lineTo(point.x, point.y);
      context.stroke();
      drawn = true;
      event.preventDefault();
    });
    function stop() { drawing = false; }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    clear();
    return {
      clear: clear,
      isEmpty: function () { return !drawn; },
      png: function () { return canvas.toDataURL("image/png"); }
    };
  }

  function setupPads(root) {
    root.querySelectorAll("[data-signature]").forEach(function (box) {
      var canvas = box.querySelector("[data-pad]");
      if (!canvas) return;
      box.pad = signaturePad(canvas);
      var clear = box.querySelector("[data-pad-clear]");
      if (clear) clear.addEventListener("click", function () { box.pad.clear(); });
    });
  }

  // ---- start buttons -------------------------------------------------------------------------

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-start-task")) return;
    var name = "start." + form.getAttribute("data-start-task");
    var key = load(name, "") || uuid4();
    keep(name, key);
    form.querySelector("input[name=client_key]").value = key;
  });

  // ---- the handover page -------------------------------------------------------------------

  function setupHandover(form) {
    setupPads(form);
    var box = form.querySelector("[data-signature]");
    form.addEventListener("submit", function () {
      var field = form.querySelector("input[name=signature]");
      field.value = box.pad.isEmpty() ? "" : box.pad.png();
    });
  }

  // ---- the result page: the start key of a finished task is no longer needed ----
  function setupResult(box) {
    forget("record." + box.getAttribute("data-record-done"));
    var task = box.getAttribute("data-task");
    if (task) forget("start." + task);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var handover = document.querySelector("form[data-handover]");
    if (handover) setupHandover(handover);
    var result = document.querySelector("[data-record-done]");
    if (result) setupResult(result);
  });

  window.houqinCapture = {
    uuid4: uuid4,
    load: load,
    keep: keep,
    forget: forget,
    post: post,
    dataUrlToBlob: dataUrlToBlob,
    preparePhoto: preparePhoto,
    setupPads: setupPads
  };
})();
