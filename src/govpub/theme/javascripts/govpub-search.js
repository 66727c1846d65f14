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
 * address (?q=) while the page is still loading: the term files (asked for at once
 * when the meta's data-buckets gives the build's count of them, beside index.json, not
 * after it) and the first results' fragments are on their way while the page is
 * parsed; the files come by XMLHttpRequest (download) and are unpacked here
 * (gunzipBytes), not in a promise or stream whose steps would each wait behind the
 * page's own long tasks; only the query's entries of a term file are decoded and only
 * the first five results ordered (Results); and the results
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

/*
 * A file of the index: {status, bytes}. XMLHttpRequest, not fetch(): its load event comes
 * in the task that finishes the download, where fetch()'s body promise was settled in a
 * task of its own, which waited behind the page's parsing and its first frame while the
 * page loads (25-60 ms for the query's term file, traced).
 */
function download(url) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("GET", url);
    request.responseType = "arraybuffer";
    request.onload = () => resolve({ status: request.status,
      bytes: new Uint8Array(request.response || new ArrayBuffer(0)) });
    request.onerror = () => reject(new Error(url + ": network error"));
    request.send();
  });
}

function gunzip(bytes) {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;  // a server decoded it already
  return gunzipBytes(bytes);
}

/*
 * gzip (RFC 1952, one member) inflated here, at once. Not DecompressionStream: its stream
 * answers in several tasks, and each waits its turn behind the page's own long tasks
 * (parsing, styles, layout) while the page loads: 60-90 ms for a term file then, where
 * this takes a few. The files are small (a term file: tens of KB) and gzip's own CRC is
 * not checked (HTTP carried them whole). A code is read with one look-up in a table of
 * its longest code's bits, not bit by bit: this runs once, before the engine has
 * compiled it (bit by bit took 12-24 ms for a 12 KB term file).
 */
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
  67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
  5, 5, 5, 5, 0];
const DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
  513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
  10, 11, 11, 12, 12, 13, 13];
const LENGTHS_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * A canonical Huffman code from its code lengths, as a table: {bits: its longest code's
 * length, table: the entry of every `bits`-bit value read (codes come first bit first, so
 * a code's bits are reversed to index it): symbol << 4 | code length (0: no such code)}.
 */
function huffman(lengths) {
  let longest = 0;
  for (const length of lengths) if (length > longest) longest = length;
  const counts = new Uint16Array(16);
  for (const length of lengths) counts[length]++;
  counts[0] = 0;
  const next = new Uint16Array(16);
  for (let length = 1, code = 0; length < 16; length++) {
    code = (code + counts[length - 1]) << 1;
    next[length] = code;
  }
  const table = new Uint16Array(1 << longest);
  for (let symbol = 0; symbol < lengths.length; symbol++) {
    const length = lengths[symbol];
    if (!length) continue;
    const code = next[length]++;
    let reversed = 0;
    for (let i = 0; i < length; i++) reversed |= ((code >> i) & 1) << (length - 1 - i);
    for (let i = reversed; i < table.length; i += 1 << length) table[i] = (symbol << 4) | length;
  }
  return { bits: longest, table };
}

let fixedCodes = null;

function gunzipBytes(bytes) {
  const flags = bytes[3];
  let at = 10;
  if (flags & 4) at += 2 + (bytes[at] | (bytes[at + 1] << 8));  // extra field
  if (flags & 8) while (bytes[at++]);  // file name
  if (flags & 16) while (bytes[at++]);  // comment
  if (flags & 2) at += 2;  // header CRC
  const end = bytes.length;
  const size = (bytes[end - 4] | (bytes[end - 3] << 8) | (bytes[end - 2] << 16) |
    (bytes[end - 1] << 24)) >>> 0;
  const out = new Uint8Array(size);
  // `held`: `count` bits read ahead (up to 31), first bit lowest; past the end, zeros
  let held = 0, count = 0, written = 0;
  const fill = (needed) => {
    while (count < needed) {
      if (at >= end) throw new Error("gzip: cut short");
      held |= bytes[at++] << count;
      count += 8;
    }
  };
  const bits = (needed) => {
    if (!needed) return 0;
    fill(needed);
    const value = held & ((1 << needed) - 1);
    held >>>= needed;
    count -= needed;
    return value;
  };
  const decode = ({ bits: longest, table }) => {
    while (count < longest) {  // the last code may end before the bits looked at do
      held |= (at < end ? bytes[at] : 0) << count;
      at++;
      count += 8;
    }
    const entry = table[held & ((1 << longest) - 1)];
    const length = entry & 15;
    if (!length) throw new Error("gzip: bad code");
    held >>>= length;
    count -= length;
    return entry >> 4;
  };
  let last = 0;
  while (!last) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {  // stored: from the next whole byte (the bytes read ahead given back)
      at -= count >> 3;
      held = 0;
      count = 0;
      const length = bytes[at] | (bytes[at + 1] << 8);
      out.set(bytes.subarray(at + 4, at + 4 + length), written);
      at += 4 + length;
      written += length;
      continue;
    }
    if (type === 3) throw new Error("gzip: bad block");
    let literals, distances;
    if (type === 1) {
      if (!fixedCodes) {
        const lengths = new Uint8Array(288).fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280)
          .fill(8, 280);
        fixedCodes = [huffman(lengths), huffman(new Uint8Array(30).fill(5))];
      }
      [literals, distances] = fixedCodes;
    } else {
      const literalCount = bits(5) + 257, distanceCount = bits(5) + 1, codeCount = bits(4) + 4;
      const codeLengths = new Uint8Array(19);
      for (let i = 0; i < codeCount; i++) codeLengths[LENGTHS_ORDER[i]] = bits(3);
      const lengthCode = huffman(codeLengths);
      const lengths = new Uint8Array(literalCount + distanceCount);
      for (let i = 0; i < lengths.length;) {
        const symbol = decode(lengthCode);
        if (symbol < 16) { lengths[i++] = symbol; continue; }
        const value = symbol === 16 ? lengths[i - 1] : 0;
        let repeat = symbol === 16 ? 3 + bits(2) : symbol === 17 ? 3 + bits(3) : 11 + bits(7);
        while (repeat--) lengths[i++] = value;
      }
      literals = huffman(lengths.subarray(0, literalCount));
      distances = huffman(lengths.subarray(literalCount));
    }
    for (;;) {
      const symbol = decode(literals);
      if (symbol < 256) { out[written++] = symbol; continue; }
      if (symbol === 256) break;
      const length = LENGTH_BASE[symbol - 257] + bits(LENGTH_EXTRA[symbol - 257]);
      const code = decode(distances);
      const distance = DISTANCE_BASE[code] + bits(DISTANCE_EXTRA[code]);
      for (let i = 0; i < length; i++, written++) out[written] = out[written - distance];
    }
  }
  return out.subarray(0, written);
}

/**
 * The entries of one term file whose term `wanted` accepts: [{term, pages: Uint32Array
 * (ascending), scores: Uint8Array}]. `wanted(bytes, from, to)` sees the term's UTF-8 bytes
 * (null: every entry). The entries it refuses are stepped over, not decoded: a query
 * needs one entry of a file of some hundred (its byte length of gaps says how far).
 */
function termLists(bytes, wanted = null) {
  const found = [];
  const decoder = new TextDecoder();
  let at = 0;
  const varint = () => {
    let value = 0, shift = 0, byte;
    do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return value;
  };
  while (at < bytes.length) {
    const size = varint();
    const name = at;
    at += size;
    const count = varint();
    const gapBytes = varint();
    const end = at + gapBytes + count;
    if (!wanted || wanted(bytes, name, name + size)) {
      const pages = new Uint32Array(count);
      let page = 0;
      for (let i = 0; i < count; i++) {
        const byte = bytes[at];  // most gaps are one byte: no call for them
        if (byte < 0x80) { at++; page += byte; } else page += varint();
        pages[i] = page;
      }
      found.push({ term: decoder.decode(bytes.subarray(name, name + size)), pages,
        scores: bytes.subarray(end - count, end) });
    }
    at = end;
  }
  return found;
}

/** a `wanted` of termLists: the term `term` (prefix: every term that begins with it) */
function termMatcher(term, prefix = false) {
  const target = new TextEncoder().encode(term);
  return (bytes, from, to) => {
    if (prefix ? to - from < target.length : to - from !== target.length) return false;
    for (let i = 0; i < target.length; i++) if (bytes[from + i] !== target[i]) return false;
    return true;
  };
}

/** term → {pages: Uint32Array (ascending), scores: Uint8Array} of one term file */
function decodeTerms(bytes) {
  return new Map(termLists(bytes).map(({ term, pages, scores }) => [term, { pages, scores }]));
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
      this.meta = download(this.base + "index.json").then(({ status, bytes }) => {
        if (status !== 200) throw new Error("index.json: HTTP " + status);
        return JSON.parse(new TextDecoder().decode(bytes));
      });
      this.meta.catch(() => { this.meta = null; });
    }
    return this.meta;
  }

  /** a term file's bytes, unpacked (its entries are read by termLists) */
  termFile(language, bucket) {
    const url = `${this.base}${language}/t/${bucket}.gpi`;
    if (!this.files.has(url)) {
      const file = download(url).then(({ status, bytes }) => {
        if (status === 404) return new Uint8Array(0);  // no term of the site in it
        if (status !== 200) throw new Error(url + ": HTTP " + status);
        return gunzip(bytes);
      });
      file.catch(() => this.files.delete(url));
      this.files.set(url, file);
    }
    return this.files.get(url);
  }

  /** {count, results: Results} for the pages of `language` */
  async search(query, language) {
    const { required, prefix } = queryTerms(query);
    const meta = (await this.info()).languages[language];
    if (!meta || (!required.length && !prefix)) return { count: 0, results: [] };
    const wanted = prefix ? [...required, prefix] : required;
    const files = await Promise.all(wanted.map((term) =>
      this.termFile(language, fnv1a(bucketKey(term)) & (meta.buckets - 1))));
    const lists = required.map((term, i) => termLists(files[i], termMatcher(term))[0] ||
      { pages: new Uint32Array(0), scores: new Uint8Array(0) });
    if (prefix) lists.push(prefixList(termLists(files[files.length - 1], termMatcher(prefix, true))));
    const results = new Results(intersect(lists, meta.pages),
      (number) => this.fragment(language, number));
    return { count: results.length, results };
  }

  /** a result's fragment, fetched once (the early start may have asked for it) */
  fragment(language, number) {
    const url = `${this.base}${language}/p/${number}.gpf`;
    if (!this.fragments.has(url)) {
      const data = download(url).then(({ status, bytes }) => {
        if (status !== 200) throw new Error("fragment " + number + ": HTTP " + status);
        return JSON.parse(new TextDecoder().decode(gunzip(bytes)));
      });
      data.catch(() => this.fragments.delete(url));
      this.fragments.set(url, data);
    }
    return this.fragments.get(url);
  }
}

/**
 * The pages that have every list's term, in page order: {pages, scores} (score = the sum
 * over the lists, rarest first, of IDF × the page's score byte). Each list's pages ascend,
 * so the lists are merged, not looked up: a common word matches most of the site (专利:
 * 9,000 of 10,000 pages) and this runs while the page is still loading.
 */
function intersect(lists, total) {
  lists = [...lists].sort((a, b) => a.pages.length - b.pages.length);
  if (!lists.length) return { pages: new Uint32Array(0), scores: new Float64Array(0) };
  const idf = (n) => Math.log(1 + (total - n + 0.5) / (n + 0.5));
  let pages = lists[0].pages;
  let scores = new Float64Array(pages.length);
  const first = idf(pages.length);
  for (let i = 0; i < pages.length; i++) scores[i] = first * lists[0].scores[i];
  for (const list of lists.slice(1)) {
    const n = list.pages.length;
    const weight = idf(n);
    const keptPages = new Uint32Array(pages.length);
    const keptScores = new Float64Array(pages.length);
    let kept = 0;
    for (let i = 0, j = 0; i < pages.length; i++) {
      while (j < n && list.pages[j] < pages[i]) j++;
      if (j < n && list.pages[j] === pages[i]) {
        keptPages[kept] = pages[i];
        keptScores[kept++] = scores[i] + weight * list.scores[j];
      }
    }
    pages = keptPages.subarray(0, kept);
    scores = keptScores.subarray(0, kept);
  }
  return { pages, scores };
}

/** The places of the `k` best scores, best first, ties by place (the pages ascend: by page
 * number). One pass: the first results need not wait for the whole order. */
function best(scores, k) {
  const chosen = [];
  if (k <= 0) return chosen;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    if (chosen.length === k && score <= scores[chosen[k - 1]]) continue;
    let at = Math.min(chosen.length, k - 1);
    while (at > 0 && scores[chosen[at - 1]] < score) at--;
    chosen.splice(at, 0, i);
    if (chosen.length > k) chosen.pop();
  }
  return chosen;
}

/**
 * {pages, scores} in page order, best first, ties by page number. Not a sort with a
 * comparator (called some 100,000 times for 专利, in code the engine has not compiled
 * yet): the scores are sorted natively, each page finds its score's place among the
 * distinct ones, and the pages are dealt out to their places in page order.
 */
function order({ pages, scores }) {
  const sorted = Float64Array.from(scores).sort();
  const distinct = new Float64Array(sorted.length);
  let kinds = 0;
  for (let i = sorted.length - 1; i >= 0; i--) {
    if (kinds === 0 || distinct[kinds - 1] !== sorted[i]) distinct[kinds++] = sorted[i];
  }
  const place = new Uint32Array(pages.length);
  const starts = new Uint32Array(kinds + 1);
  for (let i = 0; i < pages.length; i++) {
    let low = 0, high = kinds - 1;  // distinct descends
    while (low < high) {
      const middle = (low + high) >> 1;
      if (distinct[middle] > scores[i]) low = middle + 1; else high = middle;
    }
    place[i] = low;
    starts[low + 1]++;
  }
  for (let i = 1; i <= kinds; i++) starts[i] += starts[i - 1];
  const ranked = { pages: new Uint32Array(pages.length), scores: new Float64Array(pages.length) };
  for (let i = 0; i < pages.length; i++) {
    const at = starts[place[i]]++;
    ranked.pages[at] = pages[i];
    ranked.scores[at] = scores[i];
  }
  return ranked;
}

/** The pages that have every list's term, best first: {pages, scores} (intersect, order). */
function rank(lists, total) { return order(intersect(lists, total)); }

/**
 * A search's results, best first, like an array of {number, score, data()} (`length`,
 * `slice`); data() fetches the page's fragment. Put in order only as far as asked: the
 * first five are picked in one pass over the matching pages (best), the whole order is
 * made when "more" asks for what follows.
 */
class Results {
  constructor(matches, fragment) {
    this.matches = matches;
    this.fragment = fragment;
    this.length = matches.pages.length;
    this.ordered = null;
  }

  slice(from = 0, to = this.length) {
    to = Math.min(to, this.length);
    const result = (number, score) => ({ number, score, data: () => this.fragment(number) });
    const { pages, scores } = this.matches;
    if (!this.ordered && to <= PAGE_SIZE) {
      return best(scores, to).slice(from).map((i) => result(pages[i], scores[i]));
    }
    this.ordered = this.ordered || order(this.matches);
    const out = [];
    for (let i = from; i < to; i++) out.push(result(this.ordered.pages[i], this.ordered.scores[i]));
    return out;
  }
}

/** one list of the pages of several (the words that begin with a prefix): a page's best
 * score */
function prefixList(lists) {
  const top = new Map();
  for (const list of lists) {
    for (let i = 0; i < list.pages.length; i++) {
      const page = list.pages[i];
      top.set(page, Math.max(top.get(page) || 0, list.scores[i]));
    }
  }
  const pages = Uint32Array.from([...top.keys()].sort((a, b) => a - b));
  return { pages, scores: Uint8Array.from(pages, (page) => top.get(page)) };
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
  // the term files are asked for at once, with the build's count of buckets (its count of
  // pages to index); index.json says the true count: the search asks for those files, the
  // same ones when the count was right (already on their way), others if it was not
  const buckets = Number(meta.getAttribute("data-buckets")) || 0;
  if (query && buckets > 0 && (buckets & (buckets - 1)) === 0) {
    const { required, prefix } = queryTerms(query);
    for (const term of prefix ? [...required, prefix] : required) {
      index.termFile(language, fnv1a(bucketKey(term)) & (buckets - 1)).catch(() => {});
    }
  }
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

  // the field takes the focus at the page's first frame or once the first search has
  // answered, whichever comes first, not at once: focus() lays the page out there and then
  // (25-40 ms before the first frame, traced), and the query's term file, whose answer
  // came next, waited behind it; not if the reader has moved the focus already
  let focusPending = true;
  const focusField = () => {
    if (!focusPending) return;
    focusPending = false;
    if (!document.activeElement || document.activeElement === document.body) input.focus();
  };
  const setState = (state) => {
    root.setAttribute("data-gp-search-state", state);
    if (state !== "searching") focusField();
  };
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
    // the address says the words searched; not written again when it does already (the
    // query of the address: a history entry costs the page's first steps some ms)
    if ((address.searchParams.get("q") || "").trim() !== query) {
      if (query) address.searchParams.set("q", query); else address.searchParams.delete("q");
      window.history.replaceState(null, "", address.href);
    }
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
  search(initial);
  requestAnimationFrame(focusField);
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

const api = { normalise, queryTerms, fnv1a, bucketKey, gunzipBytes, decodeTerms, termLists,
  termMatcher, intersect, rank, best, Results, excerpt, OwnIndex,
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
