/*
 * govpub page behaviour, no framework:
 *
 * - Care mode (适老化): text size in four steps (100 %, 125 %, 150 %, 175 %)
 *   and a high-contrast scheme, remembered across pages in localStorage
 *   ("gp-text-size", "gp-contrast"). The settings are applied in <head>
 *   before the first paint (partials/govpub-care-init.html); this file wires
 *   the buttons, keeps aria-pressed in step and announces each change in a
 *   polite status region for screen readers.
 * - Wide tables: each table sits in a focusable scrolling region
 *   (govpub.chrome.html.wrap_tables); when it is wider than the screen it gets
 *   data-overflow, which shows a visible cue (stylesheets/govpub.css).
 */
(function () {
  "use strict";
  var root = document.documentElement;
  var SIZES = ["100", "125", "150", "175"];

  function save(key, value) {
    try {
      if (value) localStorage.setItem(key, value); else localStorage.removeItem(key);
    } catch (error) { /* private browsing: the setting lasts for this page only */ }
  }

  function size() { return root.getAttribute("data-gp-text") || "100"; }
  function highContrast() { return root.getAttribute("data-gp-contrast") === "high"; }

  function each(panel, selector, action) {
    Array.prototype.forEach.call(panel.querySelectorAll(selector), action);
  }

  function sync(panel) {
    each(panel, "[data-gp-text-size]", function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-gp-text-size") === size()));
    });
    each(panel, "[data-gp-contrast-toggle]", function (button) {
      button.setAttribute("aria-pressed", String(highContrast()));
    });
  }

  function announce(panel, text) {
    var status = panel.querySelector("[data-gp-care-status]");
    if (status) status.textContent = text;
  }

  function setSize(value) {
    if (SIZES.indexOf(value) < 0) return;
    if (value === "100") root.removeAttribute("data-gp-text"); else root.setAttribute("data-gp-text", value);
    save("gp-text-size", value === "100" ? "" : value);
  }

  function setContrast(on) {
    if (on) root.setAttribute("data-gp-contrast", "high"); else root.removeAttribute("data-gp-contrast");
    save("gp-contrast", on ? "high" : "");
  }

  function setupCare(panel) {
    if (panel.getAttribute("data-gp-ready")) return;
    panel.setAttribute("data-gp-ready", "1");
    panel.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !panel.contains(button)) return;
      var status = panel.querySelector("[data-gp-care-status]");
      if (button.hasAttribute("data-gp-text-size")) {
        setSize(button.getAttribute("data-gp-text-size"));
        var template = status ? status.getAttribute("data-gp-template") : "{size}";
        announce(panel, template.replace("{size}", button.getAttribute("data-gp-label")));
      } else if (button.hasAttribute("data-gp-contrast-toggle")) {
        setContrast(!highContrast());
        announce(panel, button.getAttribute(highContrast() ? "data-gp-on" : "data-gp-off"));
      } else if (button.hasAttribute("data-gp-care-reset")) {
        setSize("100");
        setContrast(false);
        announce(panel, button.getAttribute("data-gp-done"));
      }
      sync(panel);
      markTables();
    });
    sync(panel);
  }

  function markTables() {
    each(document, ".gp-table", function (region) {
      if (region.scrollWidth > region.clientWidth + 1) region.setAttribute("data-overflow", "");
      else region.removeAttribute("data-overflow");
    });
  }

  function init() {
    each(document, "[data-gp-care]", setupCare);
    markTables();
  }

  window.addEventListener("resize", markTables);
  window.addEventListener("storage", function (event) {
    // another tab changed the setting: follow it
    if (event.key === "gp-text-size") setSize(event.newValue || "100");
    if (event.key === "gp-contrast") setContrast(event.newValue === "high");
    each(document, "[data-gp-care]", sync);
  });
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
