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

    var province = document.getElementById("province_code");
    var regency = document.getElementById("regency_code");
    if (province && regency) { linkRegions(province, regency); }

    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
