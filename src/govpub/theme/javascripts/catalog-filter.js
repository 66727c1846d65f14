/*
 * Service catalog filter (govpub): filters the rows of the generated catalog
 * page by category, item type, online depth and free text. No framework.
 *
 * Progressive enhancement: without JavaScript the whole catalog is shown and
 * the filter form stays hidden. Works with Material's instant navigation
 * (document$) as well as plain page loads. The filter state is kept in the
 * URL hash (#category=...) so a filtered view can be linked.
 */
(function () {
  "use strict";

  function setup(root) {
    if (root.dataset.gpReady) return;
    root.dataset.gpReady = "1";
    var form = root.querySelector(".gp-catalog__filter");
    var rows = Array.prototype.slice.call(root.querySelectorAll("tbody tr"));
    var sections = Array.prototype.slice.call(root.querySelectorAll(".gp-catalog__category"));
    var count = root.querySelector(".gp-catalog__count");
    var empty = root.querySelector(".gp-catalog__empty");
    if (!form) return;

    function value(name) {
      var field = form.elements[name];
      return field ? field.value : "";
    }

    function apply() {
      var category = value("category");
      var itemType = value("item-type");
      var depth = value("depth");
      var query = value("q").trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var visible = (!category || row.dataset.category === category) &&
          (!itemType || row.dataset.itemType === itemType) &&
          (!depth || row.dataset.depth === depth) &&
          (!query || row.dataset.search.indexOf(query) !== -1);
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      sections.forEach(function (section) {
        section.hidden = !section.querySelector("tbody tr:not([hidden])");
      });
      if (count) count.textContent = shown + " / " + rows.length;
      if (empty) empty.hidden = shown !== 0;
    }

    function saveHash() {
      var params = new URLSearchParams();
      ["category", "item-type", "depth", "q"].forEach(function (name) {
        if (value(name)) params.set(name, value(name));
      });
      var hash = params.toString();
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    }

    function loadHash() {
      var params = new URLSearchParams(location.hash.replace(/^#/, ""));
      ["category", "item-type", "depth", "q"].forEach(function (name) {
        var field = form.elements[name];
        if (field && params.has(name)) field.value = params.get(name);
      });
    }

    form.addEventListener("input", function () { apply(); saveHash(); });
    form.addEventListener("change", function () { apply(); saveHash(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    loadHash();
    apply();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-gp-catalog]"), setup);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
