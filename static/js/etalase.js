// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Kabupaten/kota choices follow the chosen province (codes start with the province code).
  function linkRegions(province, regency) {
    var all = Array.prototype.slice.call(regency.options).map(function (o) { return o.cloneNode(true); });
    function refresh() {
      var prefix = province.value + ".";
      var current = regency.value;
      regency.innerHTML = "";
      all.forEach(function (option) {
        if (!option.value || option.value.indexOf(prefix) === 0) { regency.appendChild(option.cloneNode(true)); }
      });
      regency.value = current && current.indexOf(prefix) === 0 ? current : "";
    }
    province.addEventListener("change", refresh);
    refresh();
  }

  document.documentElement.classList.add("has-js");

  function linkMenu(button, nav) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("is-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // -- Uploads: a busy button, a progress bar, and photos made smaller on the phone first. --

  // A photo larger than `limit` pixels on its long side becomes a JPEG of that size, turned
  // upright (the camera's orientation applied, as the server would). Any failure, or a browser
  // without these features, sends the original file: the server checks and resizes it anyway.
  function shrinkPhoto(file, limit) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap ||
        !HTMLCanvasElement.prototype.toBlob) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = limit / Math.max(bitmap.width, bitmap.height);
      if (scale >= 1) { bitmap.close(); return file; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // JPEG has no transparency: a white background, not black
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified }));
        }, "image/jpeg", 0.88);
      });
    }).catch(function () { return file; });
  }

  // The form's data, with its photos made smaller where the input asks for it (data-shrink-to).
  function uploadData(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var waits = [];
    form.querySelectorAll("input[type=file][data-shrink-to]").forEach(function (input) {
      if (!input.name || !input.files.length) { return; }
      var limit = parseInt(input.getAttribute("data-shrink-to"), 10);
      data.delete(input.name);
      var files = Array.prototype.map.call(input.files, function (f) { return shrinkPhoto(f, limit); });
      waits.push(Promise.all(files).then(function (shrunk) {
        shrunk.forEach(function (f) { data.append(input.name, f, f.name); });
      }));
    });
    return Promise.all(waits).then(function () { return data; });
  }

  function busyState(form) {
    var buttons = form.querySelectorAll("button[type=submit], button:not([type])");
    var status = document.createElement("div");
    status.className = "upload-status";
    status.setAttribute("role", "status");
    var label = document.createElement("p");
    label.textContent = form.getAttribute("data-uploading");
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.setAttribute("aria-label", form.getAttribute("data-uploading"));
    status.appendChild(label);
    status.appendChild(bar);
    var last = buttons[buttons.length - 1];
    (last || form.lastElementChild).insertAdjacentElement("afterend", status);
    form.setAttribute("aria-busy", "true");
    buttons.forEach(function (b) { b.disabled = true; });
    return {
      progress: function (share) { bar.value = Math.round(share * 100); },
      failed: function () {
        form.removeAttribute("aria-busy");
        buttons.forEach(function (b) { b.disabled = false; });
        status.remove();
        var note = document.createElement("p");
        note.className = "error js-upload-error";
        note.setAttribute("role", "alert");
        note.textContent = form.getAttribute("data-upload-failed");
        (last || form.lastElementChild).insertAdjacentElement("afterend", note);
      }
    };
  }

  // A redirect comes back as {"location": ...} (app/core/uploads.py); any other answer is the
  // page itself, for instance the form again with its errors, and replaces this one.
  function showAnswer(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("application/json") === 0) {
      var target = JSON.parse(xhr.responseText).location;
      if (target) { window.location.assign(target); return; }
    }
    document.open();
    document.write(xhr.responseText);
    document.close();
  }

  function sendUpload(form, data, busy) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("X-Etalase-Upload", "1");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { busy.progress(event.loaded / event.total); }
    });
    xhr.addEventListener("load", function () { showAnswer(xhr); });
    xhr.addEventListener("error", busy.failed);
    xhr.addEventListener("abort", busy.failed);
    xhr.send(data);
  }

  function linkUpload(form) {
    var canSend = window.FormData && window.Promise && "upload" in new XMLHttpRequest();
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
      if (!canSend) {
        // The browser sends the form itself; the busy state still says something is happening.
        // Later, so that the pressed button's own value still goes with the form.
        window.setTimeout(function () { busyState(form); }, 0);
        return;
      }
      event.preventDefault();
      var submitter = event.submitter;
      var busy = busyState(form);
      uploadData(form, submitter).then(function (data) { sendUpload(form, data, busy); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) { linkMenu(toggle, nav); }

    document.querySelectorAll("select[data-regency-select]").forEach(function (province) {
      var regency = document.getElementById(province.getAttribute("data-regency-select"));
      if (regency) { linkRegions(province, regency); }
    });

    // A print button where a page is meant for paper (the browser's print works without it).
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });

    // After a failed submit, take keyboard and screen-reader users to what needs fixing.
    var summary = document.querySelector(".form-errors");
    var invalid = document.querySelector("[aria-invalid=true]");
    if (invalid) { invalid.focus(); } else if (summary) { summary.focus(); }

    // Refuse an over-size file before a long upload ends in "too large".
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      input.addEventListener("change", function () {
        var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
        var tooBig = Array.prototype.some.call(input.files, function (f) { return f.size > limit; });
        var note = input.parentNode.querySelector(".js-size-error");
        if (note) { note.remove(); }
        if (tooBig) {
          note = document.createElement("p");
          note.className = "error js-size-error";
          note.textContent = input.getAttribute("data-too-large");
          input.insertAdjacentElement("afterend", note);
          input.value = "";
        }
      });
    });

    document.querySelectorAll("form[data-uploading]").forEach(linkUpload);

    // Escape closes the phone menu.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav && nav.classList.contains("is-open")) {
        nav.classList.remove("is-open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });

    // The catalogue's filters start open beside the results on a wide screen, folded on a phone.
    if (window.matchMedia("(min-width: 900px)").matches) {
      document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
    }

    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });

    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
