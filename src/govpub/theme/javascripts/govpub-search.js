/*
 * govpub site search (govpub.search), no framework, nothing from another host.
 *
 * - Every page: "/" moves the focus to the search field (unless one is typing
 *   in a field already). The header's form opens the search page of the
 *   page's language with the words typed (?q=).
 * - The search page ([data-gp-search]) loads Pagefind from the site's own
 *   pagefind/ folder, the first time it is needed: the list of shards,
 *   pagefind.js of the first shard of the page's language, its WebAssembly,
 *   each shard's metadata, and only the index chunks and result fragments the
 *   query needs. Results are links with an excerpt, five at a time (each result's
 *   fragment, which carries its excerpt, is fetched only when it is shown: five
 *   first, as Pagefind's own interface does, five more with "more"); a status line
 *   (role="status") says how many pages match, for screen readers too.
 *
 * Every word shown comes from data- attributes of the page (the message
 * catalogs, in the page's language); text from the index is inserted as text,
 * never as HTML (only Pagefind's <mark> around the matched words is kept).
 */
(function () {
  "use strict";

  // results shown at a time: each costs a fragment download (about 1.3 KB at 10,000
  // pages), and a first screen of five is what Pagefind's own interface shows
  var PAGE_SIZE = 5;

  function typingInField(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typingInField(event.target)) return;
    var field = document.querySelector("[data-gp-search-input]") ||
      document.querySelector("[data-gp-search-shortcut]");
    if (!field || field.offsetParent === null) {
      var form = document.querySelector(".gp-search-box");
      if (form) { event.preventDefault(); form.submit(); }
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    field.focus();
    field.select();
  }, true);

  var root = document.querySelector("[data-gp-search]");
  if (!root) return;

  function text(key) { return root.getAttribute("data-gp-search-" + key) || ""; }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  var form = root.querySelector("form");
  var input = root.querySelector("[data-gp-search-input]");
  var status = root.querySelector("[data-gp-search-status]");
  var list = root.querySelector("[data-gp-search-results]");
  var more = root.querySelector("[data-gp-search-more]");
  var bundle = new URL(text("bundle"), document.baseURI).href;
  var siteRoot = new URL(text("root"), document.baseURI).pathname;

  // The index is in shards (govpub.search.index): pagefind/shards.json names, per page
  // language, the shards holding pages of it. The first one's pagefind.js is loaded; the
  // others are merged into it (Pagefind then searches them all and sorts by score).
  // null: no page of this language is indexed.
  var pagefind = null;
  function loadPagefind() {
    if (!pagefind) {
      var language = (document.documentElement.getAttribute("lang") || "unknown").toLowerCase();
      var settings = { baseUrl: siteRoot,
                       ranking: { metaWeights: JSON.parse(text("weights") || "{}") } };
      // given before Pagefind starts (its first call), noWorker keeps the search on this
      // page's thread: pagefind-worker.js (41 KB) is never downloaded (docs/build.md, "Search")
      var first = { noWorker: true, baseUrl: settings.baseUrl, ranking: settings.ranking };
      pagefind = fetch(bundle + "shards.json").then(function (response) {
        if (!response.ok) throw new Error("pagefind/shards.json: HTTP " + response.status);
        return response.json();
      }).then(function (list) {
        var shards = (list.languages && list.languages[language]) || [];
        if (!shards.length) return null;
        return import(bundle + shards[0] + "/pagefind.js").then(function (module) {
          return module.options(first).then(function () {
            return Promise.all(shards.slice(1).map(function (name) {
              return module.mergeIndex(bundle + name + "/", settings);
            }));
          }).then(function () { return module; });
        });
      });
      pagefind.catch(function () { pagefind = null; });  // a later search tries again
    }
    return pagefind;
  }

  var current = { serial: 0, query: "", results: [], shown: 0 };

  function setStatus(message) { status.textContent = message; }
  // "searching", "done" or "failed": what the page shows now (tests wait for "done")
  function setState(state) { root.setAttribute("data-gp-search-state", state); }

  function countMessage(query, count) {
    if (count === 0) return fill(text("none"), { query: query });
    var message = fill(text(count === 1 ? "one" : "many"), { query: query, count: count });
    if (count > current.shown) {
      message += " " + fill(text("shown"), { shown: current.shown, count: count });
    }
    return message;
  }

  // Pagefind's excerpt: the page's text with < and > escaped and <mark> around matches
  function appendExcerpt(parent, excerpt) {
    var marked = false;
    excerpt.replace(/\u200b/g, "").split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>") { marked = true; return; }
      if (part === "</mark>") { marked = false; return; }
      if (!part) return;
      var node = document.createTextNode(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
      if (marked) {
        var mark = document.createElement("mark");
        mark.appendChild(node);
        parent.appendChild(mark);
      } else {
        parent.appendChild(node);
      }
    });
  }

  function sameSitePath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/";
  }

  function renderResult(data) {
    var item = document.createElement("li");
    item.className = "gp-search__result";
    var link = document.createElement("a");
    link.className = "gp-search__link";
    if (sameSitePath(data.url)) link.href = data.url;
    link.textContent = ((data.meta && data.meta.title) || data.url || "").replace(/\u200b/g, "");
    var heading = document.createElement("h2");
    heading.className = "gp-search__title";
    heading.appendChild(link);
    item.appendChild(heading);
    if (data.excerpt) {
      var excerpt = document.createElement("p");
      excerpt.className = "gp-search__excerpt";
      appendExcerpt(excerpt, data.excerpt);
      item.appendChild(excerpt);
    }
    return item;
  }

  function showMore(serial, moveFocus) {
    var batch = current.results.slice(current.shown, current.shown + PAGE_SIZE);
    return Promise.all(batch.map(function (result) { return result.data(); }))
      .then(function (pages) {
        if (serial !== current.serial) return;
        var first = null;
        pages.forEach(function (data) {
          var item = renderResult(data);
          list.appendChild(item);
          if (!first) first = item.querySelector("a");
        });
        current.shown += pages.length;
        more.hidden = current.shown >= current.results.length;
        setStatus(countMessage(current.query, current.results.length));
        setState("done");
        if (moveFocus && first) first.focus();
      });
  }

  function search(query, options) {
    var serial = ++current.serial;
    query = query.trim();
    current.query = query;
    current.results = [];
    current.shown = 0;
    list.textContent = "";
    more.hidden = true;
    var address = new URL(window.location.href);
    if (query) address.searchParams.set("q", query); else address.searchParams.delete("q");
    window.history.replaceState(null, "", address.href);
    if (!query) { setStatus(text("empty")); setState("done"); return Promise.resolve(); }
    setStatus(text("searching"));
    setState("searching");
    return loadPagefind().then(function (module) {
      if (!module) return { results: [] };
      return options && options.debounce ? module.debouncedSearch(query, {}, 250)
        : module.search(query);
    }).then(function (found) {
      if (found === null || serial !== current.serial) return;  // a newer query took over
      current.results = found.results;
      return showMore(serial, false);
    }).catch(function (error) {
      if (serial !== current.serial) return;
      setStatus(text("unavailable"));
      setState("failed");
      if (window.console) window.console.error(error);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search(input.value);
  });
  input.addEventListener("input", function () { search(input.value, { debounce: true }); });
  more.addEventListener("click", function () { showMore(current.serial, true); });

  var initial = new URL(window.location.href).searchParams.get("q") || "";
  input.value = initial;
  input.focus();
  search(initial);
})();
