/*
 * govpub site search (govpub.search), no framework, nothing from another host.
 *
 * - Every page: "/" moves the focus to the search field (unless one is typing
 *   in a field already). The header's form opens the search page of the
 *   page's language with the words typed (?q=).
 * - The search page ([data-gp-search]) searches govpub's own static index in
 *   the site's search-index/ folder (govpub.search.index): a query loads
 *   index.json (about 150 bytes), then one term file per term of the query (the
 *   file is the term's hash: no list of terms is downloaded), ranks the pages of
 *   the page's language (every term required; score = sum over the terms of IDF
 *   × the page's score byte, so a title hit, 128 or more, outranks pages that
 *   only mention the term), and fetches the fragment of each result shown, five
 *   at a time ("more" fetches five more), to make its excerpt here. A status line
 *   (role="status") says how many pages match, for screen readers too.
 *
 * The rules of terms are those of govpub/search/own/terms.py (queryTerms) and
 * codec.py (fnv1a, bucketKey, the term file); tests hold both to the same examples.
 * Every word shown comes from data- attributes of the page (the message catalogs,
 * in the page's language); text from the index is inserted as text, never as HTML.
 * A classic script in the head of every page, before the stylesheets (both
 * renderers: theme/partials/govpub-search-head.html): the file, async, on every
 * page but a search page, which carries it in a <script> element of its own (no
 * request to wait for: nothing in this file may close that element or read as a
 * template, a test says so) and runs it at once. There (the head's
 * govpub-search-index meta says where the index is) it starts the query of the
 * address (?q=) while the page is still loading: the term files and the first
 * results' fragments are on their way while the page is parsed, and the results
 * are shown as soon as the parser has passed the search section (whenSearchParsed),
 * before the scripts at the end of the body run (Material's bundle is deferred
 * there: theme/main.html). In Node it exports its functions (module.exports) for
 * the tests and attaches nothing.
 */
(function () {
"use strict";

const HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
const TOKEN = new RegExp(`[${HAN}]+|[0-9a-z]+`, "g");
const IS_HAN = new RegExp(`^[${HAN}]+$`);
const PREFIX_KEY = 3;
const PAGE_SIZE = 5;

function normalise(text) { return text.normalize("NFKC").toLowerCase(); }

/** {required: terms every result must have, prefix: a Latin last word, or null} */
function queryTerms(query) {
  const tokens = normalise(query).match(TOKEN) || [];
  let required = [];
  for (const token of tokens) {
    const grams = !IS_HAN.test(token) || token.length === 1 ? [token]
      : Array.from({ length: token.length - 1 }, (_, i) => token.slice(i, i + 2));
    for (const gram of grams) if (!required.includes(gram)) required.push(gram);
  }
  let prefix = null;
  if (tokens.length && !IS_HAN.test(tokens[tokens.length - 1])) {
    prefix = tokens[tokens.length - 1];
    required = required.filter((term) => term !== prefix);
  }
  return { required, prefix };
}

function fnv1a(text) {
  let value = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    value = Math.imul(value ^ byte, 0x01000193) >>> 0;
  }
  return value >>> 0;
}

function bucketKey(term) { return term && term[0] < "\u3400" ? term.slice(0, PREFIX_KEY) : term; }

async function gunzip(response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;  // a server decoded it already
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** term → {pages: Uint32Array (ascending), scores: Uint8Array} of one term file */
function decodeTerms(bytes) {
  const terms = new Map();
  const decoder = new TextDecoder();
  let at = 0;
  const varint = () => {
    let value = 0, shift = 0, byte;
    do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return value;
  };
  while (at < bytes.length) {
    const size = varint();
    const term = decoder.decode(bytes.subarray(at, at + size));
    at += size;
    const count = varint();
    varint();  // the byte length of the gaps (for readers that step over an entry)
    const pages = new Uint32Array(count);
    let page = 0;
    for (let i = 0; i < count; i++) { page += varint(); pages[i] = page; }
    terms.set(term, { pages, scores: bytes.slice(at, at + count) });
    at += count;
  }
  return terms;
}

class OwnIndex {
  constructor(base) {
    this.base = new URL(base, document.baseURI).href;
    this.files = new Map();
    this.fragments = new Map();
    this.meta = null;
  }

  info() {
    if (!this.meta) {
      this.meta = fetch(this.base + "index.json").then((response) => {
        if (!response.ok) throw new Error("index.json: HTTP " + response.status);
        return response.json();
      });
      this.meta.catch(() => { this.meta = null; });
    }
    return this.meta;
  }

  termFile(language, bucket) {
    const url = `${this.base}${language}/t/${bucket}.gpi`;
    if (!this.files.has(url)) {
      const file = fetch(url).then((response) => {
        if (response.status === 404) return new Map();  // no term of the site in it
        if (!response.ok) throw new Error(url + ": HTTP " + response.status);
        return gunzip(response).then(decodeTerms);
      });
      file.catch(() => this.files.delete(url));
      this.files.set(url, file);
    }
    return this.files.get(url);
  }

  /** {count, results: [{number, score, data()}]} for the pages of `language` */
  async search(query, language) {
    const { required, prefix } = queryTerms(query);
    const meta = (await this.info()).languages[language];
    if (!meta || (!required.length && !prefix)) return { count: 0, results: [] };
    const wanted = prefix ? [...required, prefix] : required;
    const files = await Promise.all(wanted.map((term) =>
      this.termFile(language, fnv1a(bucketKey(term)) & (meta.buckets - 1))));
    const lists = required.map((term, i) => files[i].get(term) ||
      { pages: new Uint32Array(0), scores: new Uint8Array(0) });
    if (prefix) lists.push(prefixList(files[files.length - 1], prefix));
    const { pages, scores } = rank(lists, meta.pages);
    const results = Array.from(pages, (number, i) =>
      ({ number, score: scores[i], data: () => this.fragment(language, number) }));
    return { count: results.length, results };
  }

  /** a result's fragment, fetched once (the early start may have asked for it) */
  fragment(language, number) {
    const url = `${this.base}${language}/p/${number}.gpf`;
    if (!this.fragments.has(url)) {
      const data = fetch(url).then((response) => {
        if (!response.ok) throw new Error("fragment " + number + ": HTTP " + response.status);
        return gunzip(response);
      }).then((bytes) => JSON.parse(new TextDecoder().decode(bytes)));
      data.catch(() => this.fragments.delete(url));
      this.fragments.set(url, data);
    }
    return this.fragments.get(url);
  }
}

/**
 * The pages that have every list's term, best first: {pages, scores} (score = the sum over
 * the lists, rarest first, of IDF × the page's score byte; ties by page number). Each
 * list's pages ascend, so the lists are merged, not looked up: a common word matches most
 * of the site (专利: 9,000 of 10,000 pages) and this runs while the page is still loading.
 */
function rank(lists, total) {
  lists = [...lists].sort((a, b) => a.pages.length - b.pages.length);
  let pages = lists.length ? lists[0].pages : new Uint32Array(0);
  let scores = new Float64Array(pages.length);
  for (const list of lists) {
    const n = list.pages.length;
    const idf = Math.log(1 + (total - n + 0.5) / (n + 0.5));
    const keptPages = new Uint32Array(pages.length);
    const keptScores = new Float64Array(pages.length);
    let kept = 0;
    for (let i = 0, j = 0; i < pages.length; i++) {
      while (j < n && list.pages[j] < pages[i]) j++;
      if (j < n && list.pages[j] === pages[i]) {
        keptPages[kept] = pages[i];
        keptScores[kept++] = scores[i] + idf * list.scores[j];
      }
    }
    pages = keptPages.subarray(0, kept);
    scores = keptScores.subarray(0, kept);
  }
  const order = Uint32Array.from(pages, (_, i) => i)
    .sort((a, b) => scores[b] - scores[a] || pages[a] - pages[b]);
  return { pages: Uint32Array.from(order, (i) => pages[i]),
    scores: Float64Array.from(order, (i) => scores[i]) };
}

/** the pages of every word of the file that begins with `prefix` (a page's best score) */
function prefixList(file, prefix) {
  const best = new Map();
  for (const [term, list] of file) {
    if (!term.startsWith(prefix)) continue;
    for (let i = 0; i < list.pages.length; i++) {
      const page = list.pages[i];
      best.set(page, Math.max(best.get(page) || 0, list.scores[i]));
    }
  }
  const pages = Uint32Array.from([...best.keys()].sort((a, b) => a - b));
  return { pages, scores: Uint8Array.from(pages, (page) => best.get(page)) };
}

/** [text, marked] parts of an excerpt of `text` around the first match of `query` */
function excerpt(text, query, before = 30, length = 110) {
  const { required, prefix } = queryTerms(query);
  const runs = (normalise(query).match(TOKEN) || []);
  const needles = [...new Set([...runs, ...required, ...(prefix ? [prefix] : [])])]
    .filter(Boolean).sort((a, b) => b.length - a.length);
  const lower = normalise(text);
  // normalise() keeps the length of Chinese text and ASCII; where it does not, no marks
  const aligned = lower.length === text.length;
  let start = 0;
  if (aligned) {
    const hits = needles.map((needle) => lower.indexOf(needle)).filter((at) => at >= 0);
    if (hits.length) start = Math.max(0, Math.min(...hits) - before);
  }
  const end = Math.min(text.length, start + length);
  const parts = [];
  let at = start;
  while (aligned && at < end) {
    let next = -1, size = 0;
    for (const needle of needles) {
      const found = lower.indexOf(needle, at);
      if (found >= 0 && found < end && (next < 0 || found < next)) { next = found; size = needle.length; }
    }
    if (next < 0) break;
    if (next > at) parts.push([text.slice(at, next), false]);
    parts.push([text.slice(next, Math.min(end, next + size)), true]);
    at = next + size;
  }
  if (at < end) parts.push([text.slice(at, end), false]);
  if (start > 0) parts.unshift(["…", false]);
  if (end < text.length) parts.push(["…", false]);
  return parts;
}

/** The search of the address's query, started before the page is parsed: {index, query,
 * found (the promise of index.search)}, or null on any page but a search page. The
 * fragments of the first results are asked for as soon as they are known. */
function startEarly(language) {
  const meta = document.querySelector('meta[name="govpub-search-index"]');
  if (!meta) return null;
  const index = new OwnIndex(meta.getAttribute("content"));
  const query = (new URL(window.location.href).searchParams.get("q") || "").trim();
  const found = query ? index.search(query, language) : null;
  if (found) {
    found.then((result) => result.results.slice(0, PAGE_SIZE).forEach((r) => r.data()))
      .catch(() => {});  // shown (or not) by the page's own search, which awaits `found`
  }
  return { index, query, found };
}

function pageLanguage() {
  return (document.documentElement.getAttribute("lang") || "unknown").toLowerCase();
}

/** The search page's form, status line and results; `early`: what startEarly began. */
function attach(root, early = null) {
  const text = (key) => root.getAttribute("data-gp-search-" + key) || "";
  const fill = (template, values) => template.replace(/\{(\w+)\}/g,
    (whole, name) => (name in values ? String(values[name]) : whole));
  const form = root.querySelector("form");
  const input = root.querySelector("[data-gp-search-input]");
  const status = root.querySelector("[data-gp-search-status]");
  const list = root.querySelector("[data-gp-search-results]");
  const more = root.querySelector("[data-gp-search-more]");
  const index = early ? early.index : new OwnIndex(text("bundle"));
  const siteRoot = new URL(text("root"), document.baseURI).pathname.replace(/\/$/, "");
  const language = pageLanguage();
  const current = { serial: 0, query: "", results: [], shown: 0 };
  let timer = null;

  const setState = (state) => root.setAttribute("data-gp-search-state", state);
  function countMessage(query, count) {
    if (count === 0) return fill(text("none"), { query });
    let message = fill(text(count === 1 ? "one" : "many"), { query, count });
    if (count > current.shown) message += " " + fill(text("shown"), { shown: current.shown, count });
    return message;
  }
  function render(data) {
    const item = document.createElement("li");
    item.className = "gp-search__result";
    const heading = document.createElement("h2");
    heading.className = "gp-search__title";
    const link = document.createElement("a");
    link.className = "gp-search__link";
    if (typeof data.u === "string" && data.u[0] === "/" && data.u[1] !== "/") link.href = siteRoot + data.u;
    link.textContent = data.t || data.u || "";
    heading.appendChild(link);
    item.appendChild(heading);
    const paragraph = document.createElement("p");
    paragraph.className = "gp-search__excerpt";
    for (const [part, marked] of excerpt(data.x || "", current.query)) {
      const node = document.createTextNode(part);
      if (marked) { const mark = document.createElement("mark"); mark.appendChild(node); paragraph.appendChild(mark); }
      else paragraph.appendChild(node);
    }
    item.appendChild(paragraph);
    return item;
  }
  async function showMore(serial, moveFocus) {
    const batch = current.results.slice(current.shown, current.shown + PAGE_SIZE);
    const pages = await Promise.all(batch.map((result) => result.data()));
    if (serial !== current.serial) return;
    let first = null;
    for (const data of pages) {
      const item = render(data);
      list.appendChild(item);
      first = first || item.querySelector("a");
    }
    current.shown += pages.length;
    more.hidden = current.shown >= current.results.length;
    status.textContent = countMessage(current.query, current.results.length);
    setState("done");
    if (moveFocus && first) first.focus();
  }
  async function search(query) {
    const serial = ++current.serial;
    query = query.trim();
    Object.assign(current, { query, results: [], shown: 0 });
    list.textContent = "";
    more.hidden = true;
    const address = new URL(window.location.href);
    if (query) address.searchParams.set("q", query); else address.searchParams.delete("q");
    window.history.replaceState(null, "", address.href);
    if (!query) { status.textContent = text("empty"); setState("done"); return; }
    status.textContent = text("searching");
    setState("searching");
    try {
      let pending = null;
      if (early && early.found && early.query === query) {
        pending = early.found;
        early = null;  // once: a later search of the same words asks again
      }
      const found = await (pending || index.search(query, language));
      if (serial !== current.serial) return;
      current.results = found.results;
      await showMore(serial, false);
    } catch (error) {
      if (serial !== current.serial) return;
      status.textContent = text("unavailable");
      setState("failed");
      console.error(error);
    }
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);  // the query is run now: not again when the typing pause ends
    search(input.value);
  });
  // a pause before a typed query runs (150 ms): not one query per key; the query shown
  // (or being searched) is not run again. While an input method composes (pinyin being
  // typed), nothing runs: its letters are not the words searched for; the words come
  // with compositionend.
  const typed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (input.value.trim() !== current.query) search(input.value);
    }, 150);
  };
  input.addEventListener("input", (event) => { if (!event.isComposing) typed(); });
  input.addEventListener("compositionend", typed);
  more.addEventListener("click", () => showMore(current.serial, true));
  const initial = new URL(window.location.href).searchParams.get("q") || "";
  input.value = initial;
  input.focus();
  search(initial);
}

/**
 * Runs `then` once the search page's elements are there. On a search page (`watch`) that
 * is as soon as the parser has passed the search section (its last element, the "more"
 * button): the parser may still wait for the page's other scripts at the end of the body
 * (Material's bundle, which runs for a long while), and the results need not wait for
 * them. Elsewhere, or if the section never comes: at readyState "interactive" (this
 * script runs before that: it is in the head).
 */
function whenSearchParsed(watch, then) {
  let done = false;
  const once = () => { if (!done) { done = true; then(); } };
  const parsed = () => document.querySelector("[data-gp-search] [data-gp-search-more]");
  if (document.readyState !== "loading" || (watch && parsed())) { once(); return; }
  let watcher = null;
  if (watch && typeof MutationObserver === "function") {
    watcher = new MutationObserver(() => { if (parsed()) { watcher.disconnect(); once(); } });
    watcher.observe(document, { childList: true, subtree: true });
  }
  document.addEventListener("readystatechange", () => {
    if (watcher) watcher.disconnect();
    once();
  }, { once: true });
}

const api = { normalise, queryTerms, fnv1a, bucketKey, decodeTerms, rank, excerpt, OwnIndex,
  attach, startEarly, whenSearchParsed };
if (typeof module === "object" && module && module.exports) {
  module.exports = api;
  return;
}

function typingInField(target) {
  if (!target || !target.tagName) return false;
  const tag = target.tagName.toLowerCase();
  return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
}

document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (typingInField(event.target)) return;
  const field = document.querySelector("[data-gp-search-input]") ||
    document.querySelector("[data-gp-search-shortcut]");
  if (!field || field.offsetParent === null) {
    const form = document.querySelector(".gp-search-box");
    if (form) { event.preventDefault(); form.submit(); }
    return;
  }
  event.preventDefault();
  event.stopImmediatePropagation();
  field.focus();
  field.select();
}, true);

const early = startEarly(pageLanguage());
whenSearchParsed(early !== null, () => {
  const searchRoot = document.querySelector("[data-gp-search]");
  if (searchRoot) attach(searchRoot, early);
});
})();
