// The record page of a check on a phone (needs capture.js): each answer saved to the server as
// the person goes and kept on the phone until the server has it; while offline, answers,
// photos and the submission wait on the phone and go when the connection returns; a reload
// puts unsent answers back; one submission after a summary to confirm.
(function () {
  "use strict";
  var tools = window.houqinCapture;
  var uuid4 = tools.uuid4, load = tools.load, keep = tools.keep, forget = tools.forget;
  var post = tools.post, dataUrlToBlob = tools.dataUrlToBlob;
  var preparePhoto = tools.preparePhoto, setupPads = tools.setupPads;
  var RETRY_MS = 15000;
  var TYPING_MS = 800;

  function setupRecord(form) {
    var id = form.getAttribute("data-record");
    var place = form.getAttribute("data-place") || "";
    var stateKey = "record." + id;
    var state = load(stateKey, null) || { answers: {}, photos: [], submit: null };
    var status = form.querySelector("[data-status]");
    var progress = form.querySelector("[data-progress]");
    var confirm = form.querySelector("[data-confirm]");
    var flushing = null;
    var timers = {};

    function save() {
      if (!keep(stateKey, state)) show("手机存储空间不够，请联网后再继续。", "is-error");
    }
    function show(words, look) {
      status.textContent = words;
      status.className = "record-saved" + (look ? " " + look : "");
    }
    function showOffline() { show("已保存在手机上，联网后自动提交", "is-offline"); }
    function pending() {
      return Object.keys(state.answers).some(function (k) { return !state.answers[k].error; }) ||
        state.photos.length > 0 || state.submit !== null;
    }

    function cardOf(answerId) { return form.querySelector('[data-answer="' + answerId + '"]'); }
    function cards() { return Array.prototype.slice.call(form.querySelectorAll("[data-answer]")); }

    function valueOf(card) {
      var checked = card.querySelector("input[type=radio]:checked");
      if (checked) return checked.value;
      var field = card.querySelector("[name^=value_]:not([type=radio])");
      if (field) return field.value;
      var signed = card.querySelector("[data-sign-value]");
      return signed ? signed.value : "";
    }
    function noteOf(card) {
      var note = card.querySelector("[name^=note_]");
      return note ? note.value : "";
    }
    function setValue(card, value) {
      var radios = card.querySelectorAll("input[type=radio]");
      if (radios.length) {
        radios.forEach(function (radio) { radio.checked = radio.value === value; });
        return;
      }
      var field = card.querySelector("[name^=value_]");
      if (field) field.value = value;
    }

    // The outcome the server's rule gives, worked out here too so the page reacts offline.
    function outcomeOf(card, value) {
      value = (value || "").trim();
      var type = card.getAttribute("data-type");
      if (!value) return "";
      if (value === "na") return "na";
      if (type === "pass_fail") return value;
      if (type === "number") {
        var number = parseFloat(value.replace("，", ".").replace(",", "."));
        if (isNaN(number)) return "";
        var low = card.getAttribute("data-min");
        var high = card.getAttribute("data-max");
        var inside = (low === null || number >= parseFloat(low)) && (high === null || number <= parseFloat(high));
        return inside ? "pass" : "fail";
      }
      if (type === "choice") {
        var checked = card.querySelector("input[type=radio]:checked");
        return checked && checked.hasAttribute("data-fail") ? "fail" : "pass";
      }
      return "pass";
    }

    function photoCount(card) { return card.querySelectorAll("[data-thumbs] figure").length; }

    // Show the note and the camera after a failure, and mark what is still required.
    function refresh(card) {
      var outcome = outcomeOf(card, valueOf(card));
      var type = card.getAttribute("data-type");
      var rule = card.getAttribute("data-photo-rule");
      var failed = outcome === "fail";
      var needsPhoto = type === "photo" || rule === "always" || (failed && rule === "on_fail");
      var note = card.querySelector("[data-note]");
      var noteText = noteOf(card).trim();
      note.hidden = !failed && !noteText;
      note.querySelector("[data-note-required]").hidden = !(failed && card.hasAttribute("data-note-on-fail") && !noteText);
      var photos = card.querySelector("[data-photos]");
      photos.hidden = !(needsPhoto || failed || photoCount(card));
      photos.querySelector("[data-photo-required]").hidden = !(needsPhoto && !photoCount(card));
      card.classList.toggle("is-fail", failed);
      card.classList.toggle("is-done", !!outcome && !failed || (type === "photo" && photoCount(card) > 0));
      card.setAttribute("data-outcome", outcome);
      var done = cards().filter(function (c) {
        return c.getAttribute("data-outcome") || (c.getAttribute("data-type") === "photo" && photoCount(c) > 0);
      }).length;
      progress.textContent = "已填 " + done + " / " + progress.getAttribute("data-total") + " 项";
    }

    function setError(card, words) { card.querySelector("[data-error]").textContent = words || ""; }

    // ---- sending ----
    function sendAnswer(answerId) {
      var entry = state.answers[answerId];
      var card = cardOf(answerId);
      if (!entry || entry.error || !card) return Promise.resolve(true);
      var body = new FormData();
      body.append("value", entry.value);
      body.append("note", entry.note);
      return post(card.getAttribute("data-save-url"), body).then(function (reply) {
        var now = state.answers[answerId];
        if (reply.status === 200) {
          if (now && now.value === entry.value && now.note === entry.note) delete state.answers[answerId];
          setError(card, "");
        } else if (reply.status === 409) {
          return gone();
        } else {
          if (now) now.error = true;
          setError(card, reply.data.error || "没有保存成功，请检查后重填。");
        }
        save();
        return true;
      });
    }

    function sendPhoto(photo) {
      var card = cardOf(photo.answer);
      if (!card) return Promise.resolve(true);
      var body = new FormData();
      var signature = photo.kind === "signature";
      body.append(signature ? "signature" : "photo", dataUrlToBlob(photo.data), signature ? "签名.png" : "照片.jpg");
      var url = signature ? card.querySelector("[data-signature]").getAttribute("data-sign-url") : card.getAttribute("data-photo-url");
      return post(url, body).then(function (reply) {
        state.photos = state.photos.filter(function (p) { return p.id !== photo.id; });
        save();
        var figure = card.querySelector('[data-pending="' + photo.id + '"]');
        if (reply.status === 201 || reply.status === 200) {
          if (figure) {
            figure.classList.remove("is-pending");
            figure.removeAttribute("data-pending");
            figure.setAttribute("data-photo-id", reply.data.id);
          }
          if (signature) signed(card, reply.data.value);
          setError(card, "");
        } else if (reply.status === 409) {
          return gone();
        } else {
          if (figure) figure.parentNode.removeChild(figure);
          setError(card, reply.data.error || "照片没有上传成功，请重拍。");
        }
        refresh(card);
        return true;
      });
    }

    function sendSubmit() {
      var body = new FormData();
      body.append("latitude", state.submit.latitude || "");
      body.append("longitude", state.submit.longitude || "");
      return post(form.getAttribute("action"), body).then(function (reply) {
        if (reply.status === 200 && reply.data.url) {
          finished();
          window.location.assign(reply.data.url);
          return true;
        }
        state.submit = null;
        save();
        var words = (reply.data.messages || [reply.data.error || "没有提交成功，请再试一次。"]);
        confirm.hidden = false;
        confirm.innerHTML = "";
        var body2 = document.createElement("div");
        body2.className = "card-body";
        var title = document.createElement("div");
        title.className = "fw-bold text-danger mb-2";
        title.textContent = "还不能提交，请先补上：";
        var list = document.createElement("ul");
        words.forEach(function (w) { var li = document.createElement("li"); li.textContent = w; list.appendChild(li); });
        body2.appendChild(title);
        body2.appendChild(list);
        confirm.appendChild(body2);
        confirm.focus();
        show("", "");
        return true;
      });
    }

    // Everything waiting, in order: answers, photos, then the submission. Once at a time.
    function flush() {
      if (flushing) return flushing;
      if (!pending()) return Promise.resolve(true);
      if (navigator.onLine === false) { showOffline(); return Promise.resolve(false); }
      show("正在保存…", "");
      var chain = Promise.resolve(true);
      Object.keys(state.answers).forEach(function (answerId) {
        chain = chain.then(function () { return sendAnswer(answerId); });
      });
      state.photos.slice().forEach(function (photo) {
        chain = chain.then(function () { return sendPhoto(photo); });
      });
      chain = chain.then(function () {
        if (state.submit && !Object.keys(state.answers).some(function (k) { return !state.answers[k].error; }) && !state.photos.length) {
          return sendSubmit();
        }
        return true;
      });
      flushing = chain.then(function () {
        flushing = null;
        if (state.submit) showOffline();
        else if (!status.className.match(/is-error/)) show("已保存", "");
        return true;
      }, function () {
        flushing = null;
        showOffline();
        return false;
      });
      return flushing;
    }

    function finished() {
      forget(stateKey);
      var task = form.getAttribute("data-task");
      if (task) forget("start." + task);
      state = { answers: {}, photos: [], submit: null };
    }
    function gone() {
      // Submitted already (on another try or another page): nothing more to send.
      finished();
      window.location.reload();
      return false;
    }

    function remember(card) {
      state.answers[card.getAttribute("data-answer")] = { value: valueOf(card), note: noteOf(card) };
      save();
      refresh(card);
    }

    form.addEventListener("change", function (event) {
      var card = event.target.closest("[data-answer]");
      if (!card) return;
      if (event.target.hasAttribute("data-photo-input")) return takePhoto(card, event.target);
      remember(card);
      flush();
    });
    form.addEventListener("input", function (event) {
      var card = event.target.closest("[data-answer]");
      if (!card || event.target.type === "radio" || event.target.type === "file") return;
      remember(card);
      var answerId = card.getAttribute("data-answer");
      window.clearTimeout(timers[answerId]);
      timers[answerId] = window.setTimeout(flush, TYPING_MS);
    });

    function addThumb(card, data, photoId) {
      var figure = document.createElement("figure");
      figure.className = "record-thumb is-pending";
      figure.setAttribute("data-pending", photoId);
      var image = document.createElement("img");
      image.src = data;
      image.width = 96;
      image.height = 96;
      image.alt = card.querySelector(".record-item-title span:last-child").textContent + "的照片";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-icon record-thumb-delete";
      remove.setAttribute("data-photo-delete", "");
      remove.setAttribute("aria-label", "删除这张照片");
      remove.textContent = "×";
      figure.appendChild(image);
      figure.appendChild(remove);
      card.querySelector("[data-thumbs]").appendChild(figure);
    }

    function takePhoto(card, input) {
      var file = input.files && input.files[0];
      if (!file) return;
      show("正在处理照片…", "");
      preparePhoto(file, place, function (data) {
        input.value = "";
        if (!data) { setError(card, "这张照片打不开，请重拍。"); return; }
        var photo = { id: uuid4(), answer: card.getAttribute("data-answer"), data: data, kind: "photo" };
        state.photos.push(photo);
        save();
        addThumb(card, data, photo.id);
        refresh(card);
        flush();
      });
    }

    form.addEventListener("click", function (event) {
      var target = event.target.closest("button");
      if (!target) return;
      var card = target.closest("[data-answer]");
      if (target.hasAttribute("data-photo-delete") && card) {
        var figure = target.closest("figure");
        var waiting = figure.getAttribute("data-pending");
        if (waiting) {
          state.photos = state.photos.filter(function (p) { return p.id !== waiting; });
          save();
          figure.parentNode.removeChild(figure);
          refresh(card);
          return;
        }
        if (navigator.onLine === false) { setError(card, "没有网络，联网后才能删除已上传的照片。"); return; }
        var body = new FormData();
        body.append("photo", figure.getAttribute("data-photo-id"));
        post(card.getAttribute("data-photo-delete-url"), body).then(function (reply) {
          if (reply.status === 200) { figure.parentNode.removeChild(figure); refresh(card); }
          else setError(card, reply.data.error || "没有删除成功。");
        }, function () { setError(card, "没有网络，联网后才能删除已上传的照片。"); });
      } else if (target.hasAttribute("data-sign-save") && card) {
        var box = card.querySelector("[data-signature]");
        if (box.pad.isEmpty()) { setError(card, "请先在框里写上名字。"); return; }
        var photo = { id: uuid4(), answer: card.getAttribute("data-answer"), data: box.pad.png(), kind: "signature" };
        state.photos = state.photos.filter(function (p) { return !(p.kind === "signature" && p.answer === photo.answer); });
        state.photos.push(photo);
        save();
        signed(card, "");
        flush();
      } else if (target.hasAttribute("data-confirm-submit")) {
        queueSubmit();
      } else if (target.hasAttribute("data-confirm-back")) {
        confirm.hidden = true;
      }
    });

    function signed(card, value) {
      card.querySelector("[data-sign-value]").value = value || "已签名";
      card.querySelector("[data-sign-state]").textContent = value ? "已签名。要重签，在框里重新写，再点“保存签名”。" : "签名已保存在手机上，联网后上传。";
      refresh(card);
    }

    // ---- location (only if the person ticks it) ----
    var locate = form.querySelector("[data-locate]");
    locate.addEventListener("change", function () {
      var latitude = form.querySelector("[data-latitude]");
      var longitude = form.querySelector("[data-longitude]");
      latitude.value = longitude.value = "";
      if (!locate.checked || !navigator.geolocation) return;
      navigator.geolocation.getCurrentPosition(function (position) {
        latitude.value = position.coords.latitude.toFixed(6);
        longitude.value = position.coords.longitude.toFixed(6);
      }, function () {
        locate.checked = false;
        show("没有取得定位，不影响提交。", "");
      }, { timeout: 10000, maximumAge: 60000 });
    });

    // ---- submitting: a summary to confirm, then one submission (kept while offline) ----
    function localSummary() {
      var failed = cards().filter(function (c) { return c.getAttribute("data-outcome") === "fail"; });
      var box = document.createElement("div");
      box.className = "card-body";
      box.setAttribute("data-summary", "");
      var title = document.createElement("h2");
      title.className = "h2 mb-2";
      title.textContent = "提交前确认";
      var words = document.createElement("p");
      words.textContent = "现在没有网络。确认后先保存在手机上，联网后自动提交，得分在提交后算出。";
      box.appendChild(title);
      box.appendChild(words);
      if (failed.length) {
        var head = document.createElement("h3");
        head.textContent = "不合格 " + failed.length + " 项";
        var list = document.createElement("ul");
        list.className = "record-failures";
        failed.forEach(function (c) {
          var li = document.createElement("li");
          li.textContent = c.querySelector(".record-item-title span:last-child").textContent;
          list.appendChild(li);
        });
        box.appendChild(head);
        box.appendChild(list);
      }
      var ok = document.createElement("button");
      ok.type = "button";
      ok.className = "btn btn-primary btn-lg w-100";
      ok.setAttribute("data-confirm-submit", "");
      ok.textContent = "确认提交";
      var back = document.createElement("button");
      back.type = "button";
      back.className = "btn btn-lg w-100 mt-2";
      back.setAttribute("data-confirm-back", "");
      back.textContent = "返回修改";
      box.appendChild(ok);
      box.appendChild(back);
      confirm.innerHTML = "";
      confirm.appendChild(box);
    }

    function openConfirm() {
      confirm.hidden = false;
      confirm.scrollIntoView({ block: "start" });
      confirm.focus();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      flush().then(function (online) {
        if (!online || navigator.onLine === false || pending()) {
          localSummary();
          openConfirm();
          return;
        }
        fetch(form.getAttribute("data-summary-url"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
          .then(function (response) {
            if (response.redirected) { window.location.assign(response.url); return null; }
            return response.text();
          })
          .then(function (html) {
            if (html === null) return;
            confirm.innerHTML = html;
            openConfirm();
          }, function () { localSummary(); openConfirm(); });
      });
    });

    function queueSubmit() {
      state.submit = {
        latitude: form.querySelector("[data-latitude]").value,
        longitude: form.querySelector("[data-longitude]").value
      };
      save();
      confirm.hidden = true;
      if (navigator.onLine === false) { showOffline(); return; }
      flush();
    }

    // ---- back from a reload: answers and photos not yet sent are put back ----
    Object.keys(state.answers).forEach(function (answerId) {
      var card = cardOf(answerId);
      if (!card) { delete state.answers[answerId]; return; }
      var entry = state.answers[answerId];
      if (card.getAttribute("data-type") !== "signature" && card.getAttribute("data-type") !== "photo") {
        setValue(card, entry.value);
      }
      var note = card.querySelector("[name^=note_]");
      if (note) note.value = entry.note;
    });
    // ---- answers given while the page was still loading, before this ran, are kept too ----
    cards().forEach(function (card) {
      var type = card.getAttribute("data-type");
      if (state.answers[card.getAttribute("data-answer")] || type === "signature" || type === "photo") return;
      var given = card.querySelector("input[type=radio][checked]");
      var field = card.querySelector("[name^=value_]:not([type=radio])");
      var note = card.querySelector("[name^=note_]");
      var served = given ? given.value : field ? field.defaultValue : "";
      if (valueOf(card) !== served || (note && note.value !== note.defaultValue)) remember(card);
    });
    state.photos.forEach(function (photo) {
      var card = cardOf(photo.answer);
      if (!card) return;
      if (photo.kind === "signature") signed(card, "");
      else addThumb(card, photo.data, photo.id);
    });
    setupPads(form);
    cards().forEach(refresh);
    if (pending()) { showOffline(); flush(); }

    window.addEventListener("online", flush);
    window.addEventListener("offline", function () { if (pending()) showOffline(); });
    window.setInterval(function () { if (pending() && navigator.onLine !== false) flush(); }, RETRY_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var record = document.querySelector("form[data-record]");
    if (record) setupRecord(record);
  });
})();
