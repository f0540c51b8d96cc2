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

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) { linkMenu(toggle, nav); }

    document.querySelectorAll("select[data-regency-select]").forEach(function (province) {
      var regency = document.getElementById(province.getAttribute("data-regency-select"));
      if (regency) { linkRegions(province, regency); }
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
