"""Benchmark: what a search costs a reader and the build — govpub's own index against Material's.

    .venv/bin/python bench/bench_search.py              # 1,000 and 10,000 pages
    .venv/bin/python bench/bench_search.py 1000         # other sizes
    .venv/bin/python bench/bench_search.py --repeat 5   # median of 5 runs per query
    .venv/bin/python bench/bench_search.py --browser-only 1000  # the sites of the last run
    .venv/bin/python bench/bench_search.py --govpub-only 10000   # no Material site
    .venv/bin/python bench/bench_search.py --queries 专利,patent 10000  # some queries only

One corpus per size (``bench/corpus.py``, shared with ``bench_build.py`` and
``bench_incremental.py``), two sites of the same staged pages:

- *govpub*: ``govpub build`` (the site as published: govpub's own index under
  ``search-index/``, the search page ``search/``), with an empty cache folder
  (a full build), then again after one notice's text changed and was signed
  off (the incremental rebuild, which updates the index); the index step is
  then run once more on its own, in full: its time and its share of each build;
- *Material*: a plain ``mkdocs build`` of the same staging folder with Material's
  own theme and search plugin (``search/search_index.json``, loaded whole), and
  once without the plugin: the difference is what Material's index costs the build.
  Material is measured as govpub shipped it before: with jieba, which its
  search plugin uses to segment Chinese (``pip install -e '.[bench]'``;
  ``make bench`` installs it). Without jieba the bench stops: Material's index
  would be another one, which finds no Chinese word inside a sentence.
  With jieba, Material's index at 10,000 pages is 82.7 MB and takes about
  45 minutes to write (4 December 2026): at that size use ``--govpub-only``.

Both sites are served on 127.0.0.1 by a server that counts every byte it sends
(no compression: govpub's index files are gzip already), and driven by
Debian's Chromium (Playwright), each query in a fresh browser context (nothing
cached). For each query:

- **search KB**: what the search itself downloads — govpub: its script
  (``govpub-search.js``; the search page carries it, and its bytes count), ``index.json``, the term files of the query and the
  fragments of the results shown first (five); Material: its search worker,
  lunr's language files and ``search_index.json``, which it loads whatever the
  query. Printed per kind of file for govpub (KB and number of files);
- **gzip KB**: the same from a server that gzips text (scripts, JSON) as a
  production web server does (``bench_site.py`` measures pages that way);
  govpub's index files count as they are;
- **total KB**: every byte sent from the start of the navigation until the
  first result is on screen (the page, its stylesheets and scripts included);
- **cold**: ms from the start of navigation to ``search/?q=…`` (govpub; ``en/search/``
  for the English word) or
  ``?q=…`` (Material opens its search from that parameter) until the first
  result is on screen — the first frame drawn once it is in the page, laid out
  and inside the window (none is drawn while the page's stylesheets load), not
  the moment it is put in — or (govpub) until its term files are in when nothing
  matches;
- **warm**: ms from typing a second query on the same page until its first
  result is on screen.

Targets (issue 17): under 300 KB per query and first results under 300 ms
in a real browser at 10,000 pages. The machine is shared: the load average is
printed with the figures, and the bytes (which do not depend on load) are the
firm result; times are the median of ``--repeat`` runs. The comparison with
Pagefind, which govpub used before, is ``bench_own_search.py`` (docs/build.md).
"""

from __future__ import annotations

import gzip
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import forkserver
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(BENCH))

from bench_build import corpus, handouts_printed, share_handouts  # noqa: E402
from bench_incremental import a_notice, change_text, reused_line, timed  # noqa: E402
from timing import children_cpu  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
#: a Latin word is searched on the English search page (govpub keeps an index per page
#: language; Material has one search for the whole site)
QUERIES = ("专利", "年费", "复审", "patent")
ENGINES = ("govpub", "material")
WARM_QUERY = "审查"
WARM_QUERY_EN = "examination"


def search_page(query: str) -> str:
    """govpub's search page for ``query``: the English one for a Latin word."""
    return "en/search/" if query.isascii() else "search/"
COMPRESSIBLE = (".js", ".json", ".css", ".html", ".svg", ".txt", ".map")
#: when the first result is on screen: not when it is put in the page (the page may not be
#: drawn yet: no frame is drawn while its stylesheets load) but at the first frame drawn
#: once it is in, laid out and inside the window (requestAnimationFrame runs just before a
#: frame is drawn); window.__inserted keeps when it was put in. It says ANSWERED on the
#: console once a result is on screen, or (govpub) once the page says nothing matches: the
#: bench waits for that message, not with wait_for_function, whose first call in a page
#: runs Playwright's own script there (12-65 ms of the page's main thread, measured in a
#: trace, while the page loads: a cost no reader pays)
ANSWERED = "bench-search-answered"
FIRST_RESULT_MARKS = """(selector) => {
  window.__marks = [];
  window.__inserted = [];
  let shown = 0;
  const answered = () => {
    if (!window.__answered) { window.__answered = true; console.log("ANSWERED"); }
  };
  const onScreen = (element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.top < innerHeight;
  };
  new MutationObserver(() => {
    const now = document.querySelectorAll(selector).length;
    if (now > 0 && shown === 0) {
      window.__inserted.push(performance.now());
      const first = document.querySelector(selector);
      const frame = () => requestAnimationFrame(() => {
        if (onScreen(first)) { window.__marks.push(performance.now()); answered(); }
        else if (first.isConnected) frame();
      });
      frame();
    }
    shown = now;
    const state = '[data-gp-search-state=done], [data-gp-search-state=failed]';
    if (now === 0 && document.querySelector(state)) answered();  // govpub: nothing matches
  }).observe(document, {subtree: true, childList: true, attributes: true,
                        attributeFilter: ["data-gp-search-state"]});
}""".replace("ANSWERED", ANSWERED)


# --- sites ------------------------------------------------------------------------------

def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def govpub_site(pages: int) -> tuple[Path, Path, dict]:
    """(repository, site, seconds): a full build, an incremental one-page rebuild, the index."""
    from govpub.search.index import write_search_index

    root = corpus(pages)
    site = OUT / f"search-govpub-{pages}"
    shutil.rmtree(site, ignore_errors=True)
    build = [str(BIN / "govpub"), "--root", str(root), "build", "--site-dir", str(site)]
    with tempfile.TemporaryDirectory(prefix="govpub-bench-cache-") as cache_dir:
        cache = Path(cache_dir)
        if not handouts_printed(root):  # a new corpus: print them first
            share_handouts(root, root, cache)
            timed(build, root, cache)
            shutil.rmtree(cache)
            cache.mkdir()
            shutil.rmtree(site)
        share_handouts(root, root, cache)
        full, full_cpu, _out = timed(build, root, cache)
        change_text(root, a_notice(root), f"search-{time.time_ns()}")
        incremental, incremental_cpu, out = timed(build, root, cache)
    before = children_cpu() + own_cpu()
    start = time.perf_counter()
    write_search_index(None, site)  # once more, alone and in full: what a full build pays
    index = time.perf_counter() - start
    # its workers are children of multiprocessing's fork server, whose CPU counts once it
    # has ended and been waited for (a private call: the bench's, not govpub's)
    forkserver._forkserver._stop()
    index_cpu = children_cpu() + own_cpu() - before
    return root, site, {"full": full, "incremental": incremental, "index": index,
                        "full_cpu": full_cpu, "incremental_cpu": incremental_cpu,
                        "index_cpu": index_cpu, "reused": reused_line(out)}


def material_site(root: Path, pages: int, search: bool = True) -> tuple[Path, float]:
    """A plain ``mkdocs build`` of the staged pages with Material's theme (and its search);
    (site, CPU seconds: the wall time of a one-process build on a shared machine says less)."""
    empty_theme = OUT / "material-theme-unchanged"
    empty_theme.mkdir(parents=True, exist_ok=True)
    name = "material" if search else "material-nosearch"
    site = OUT / f"search-{name}-{pages}"
    shutil.rmtree(site, ignore_errors=True)
    config = {"INHERIT": str(REPO / "mkdocs.yml"), "hooks": [],
              "docs_dir": str(root / ".govpub" / "staging"), "site_dir": str(site),
              "theme": {"name": "material", "custom_dir": str(empty_theme)},
              "plugins": [{"search": {"lang": ["zh", "en"]}}] if search else [],
              "extra_javascript": [], "extra_css": []}
    path = OUT / f"mkdocs-{name}-{pages}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    _wall, cpu, _out = timed([str(BIN / "mkdocs"), "build", "-q", "-f", str(path)], root,
                             OUT / "no-cache")
    if not search:
        shutil.rmtree(site, ignore_errors=True)
    return site, cpu


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


# --- a server that counts what it sends -------------------------------------------------

class Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: list[tuple[str, int]] = []

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.sent.append((path, size))

    def mark(self) -> int:
        with self.lock:
            return len(self.sent)

    def since(self, mark: int) -> list[tuple[str, int]]:
        with self.lock:
            return list(self.sent[mark:])


class _CountingHandler(SimpleHTTPRequestHandler):
    counter: Counter

    def log_message(self, format, *args):
        pass

    def copyfile(self, source, outputfile):
        size = 0
        while chunk := source.read(64 * 1024):
            outputfile.write(chunk)
            size += len(chunk)
        self.counter.add(unquote(urlsplit(self.path).path), size)


def serve(site: Path, counter: Counter) -> ThreadingHTTPServer:
    handler = type("Handler", (_CountingHandler,), {"counter": counter})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def gzipped_size(site: Path, url_path: str, raw: int) -> int:
    file = site / url_path.lstrip("/")
    if file.is_dir():
        file = file / "index.html"
    if file.suffix.lower() not in COMPRESSIBLE or not file.is_file():
        return raw  # govpub's index files are gzip already
    return len(gzip.compress(file.read_bytes(), 6))


# --- one query in Chromium --------------------------------------------------------------

#: the kinds of govpub's search files, by how their names end (the rest: "other")
KINDS = (("govpub-search.js", "js"), ("index.json", "index.json"), (".gpi", "terms"),
         (".gpf", "fragments"))


def file_kind(path: str) -> str:
    name = path.split("?", 1)[0]
    return next((kind for end, kind in KINDS if name.endswith(end)), "other")


def _is_search_file(engine: str, path: str) -> bool:
    if engine == "govpub":
        return path.startswith("/search-index/") or path.endswith("/govpub-search.js")
    return ("/search/" in path or "/workers/" in path or "/lunr/" in path)


#: where the cold time goes (ms from the start of navigation): the page's first frame (first
#: paint), its scripts may run (DOMContentLoaded), govpub's script is in (0: it is written
#: into the search page), index.json is in, the term files are asked for and are in, the
#: search has ranked the pages (the first result fragment is asked for; none when nothing
#: matches), the first result is put in the page
CRITICAL_PATH = """() => {
  const all = performance.getEntriesByType('resource');
  const of = (end) => all.filter(e => new URL(e.name).pathname.endsWith(end));
  const last = (list) => list.length ? Math.max(...list.map(e => e.responseEnd)) : 0;
  const paint = performance.getEntriesByType('paint').find(e => e.name === 'first-paint');
  return {paint: paint ? paint.startTime : NaN,
          page: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
          script: last(of('/govpub-search.js')), meta: last(of('/index.json')),
          asked: Math.min(...of('.gpi').map(e => e.startTime)), chunks: last(of('.gpi')),
          ranked: Math.min(...of('.gpf').map(e => e.startTime)),
          inserted: window.__inserted.length ? window.__inserted[0] : NaN};
}"""

#: the bytes of govpub-search.js when the search page carries it (no request for it)
SCRIPT_IN_PAGE = """() => [...document.scripts].filter(s => !s.src && s.text.includes('OwnIndex'))
  .reduce((size, s) => size + new TextEncoder().encode(s.text).length, 0)"""

#: how long a query may take to show its first result before it counts as finding nothing
PATIENCE_MS = 60_000


def _warm_query(page, engine: str, selector: str) -> float:
    """ms from typing a second query on the same page until its first result shows."""
    field = "#gp-search-q" if engine == "govpub" else "input.md-search__input"
    page.fill(field, "")
    page.press(field, "Backspace")  # Material reads its field on keyup, which fill() lacks
    page.wait_for_function(f"() => document.querySelectorAll({selector!r}).length === 0")
    before = page.evaluate("window.__marks.length")
    typed_at = page.evaluate("performance.now()")
    page.type(field, WARM_QUERY_EN if "/en/search/" in page.url else WARM_QUERY)
    if engine != "govpub":
        # Chinese characters are typed as text input, with no key events; Material reads
        # its field on keyup only: a key that changes nothing, as after an input method
        page.press(field, "End")
    try:
        page.wait_for_function(f"() => window.__marks.length > {before}", timeout=PATIENCE_MS)
    except PlaywrightTimeout:
        return float("nan")
    return page.evaluate("window.__marks[window.__marks.length - 1]") - typed_at


def _found_count(page) -> str:
    """How many pages the search page says match (its status line: the largest number)."""
    numbers = re.findall(r"\d+", page.text_content("[data-gp-search-status]") or "")
    return str(max(int(n) for n in numbers)) if numbers else "0"


def measure_query(browser, engine: str, address: str, site: Path, counter: Counter,
                  query: str) -> dict:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(300_000)
    selector = ".gp-search__result" if engine == "govpub" else ".md-search-result__item"
    context.add_init_script(f"({FIRST_RESULT_MARKS})({selector!r})")
    page = context.new_page()
    try:
        start = counter.mark()
        target = search_page(query) if engine == "govpub" else ""
        try:
            with page.expect_console_message(lambda message: message.text == ANSWERED,
                                             timeout=PATIENCE_MS):
                page.goto(f"{address}{target}?q={quote(query)}", wait_until="commit")
            marks = page.evaluate("window.__marks")
            cold_ms = marks[0] if marks else float("nan")
        except PlaywrightTimeout:
            cold_ms = float("nan")  # no result shown: printed as such
        found = ""
        steps: dict[str, float] = {}
        if engine == "govpub":
            page.wait_for_selector("[data-gp-search-state=done]", state="attached")
            found = _found_count(page)
            steps = page.evaluate(CRITICAL_PATH)
            if cold_ms != cold_ms:  # nothing matches: until the page says so
                cold_ms = page.evaluate(
                    "performance.getEntriesByType('resource').filter(e => e.name.endsWith('.gpi'))"
                    ".reduce((end, e) => Math.max(end, e.responseEnd), 0)")
        everything = counter.since(start)
        sent = [(path, size) for path, size in everything if _is_search_file(engine, path)]
        if engine == "govpub" and not any(file_kind(path) == "js" for path, _size in sent):
            # the search page carries the script: its bytes count (they came with the page)
            sent.append(("/javascripts/govpub-search.js", page.evaluate(SCRIPT_IN_PAGE)))
        warm_ms = float("nan")  # no result shown: printed as such
        if cold_ms == cold_ms:  # not NaN (nothing found: Material's dialog may not be open)
            warm_ms = _warm_query(page, engine, selector)
    finally:
        context.close()
    raw = sum(size for _path, size in sent)
    kinds: dict[str, list[int]] = {}
    for path, size in sent:
        kinds.setdefault(file_kind(path), []).append(size)
    return {"kinds": kinds, "steps": steps, "cold_ms": cold_ms, "warm_ms": warm_ms, "bytes": raw,
            "files": len(sent),
            "found": found,
            "total_bytes": sum(size for _path, size in everything),
            "gzip_bytes": sum(gzipped_size(site, path, size) for path, size in sent)}


def kind_line(kinds: dict[str, list[int]]) -> str:
    """What one query downloaded of each kind of file: KB (files)."""
    order = [kind for _end, kind in KINDS] + ["other"]
    return ", ".join(f"{kind} {sum(kinds[kind]) / 1024:.1f} ({len(kinds[kind])})"
                     for kind in order if kind in kinds)


def build_figures(pages: int, material: bool = True) -> None:
    """Build the sites, print what the index costs each build."""
    root, _site, seconds = govpub_site(pages)
    for clock, suffix in (("wall", ""), ("CPU", "_cpu")):
        index, full, incremental = (seconds["index" + suffix], seconds["full" + suffix],
                                    seconds["incremental" + suffix])
        print(f"govpub's index written in full in {index:.1f} s {clock} = {index / full:.0%} of "
              "a full govpub "
              f"build ({full:.1f} s), {index / incremental:.0%} of the one-page rebuild "
              f"({incremental:.1f} s: {seconds['reused']})")
    if not material:
        return
    mk_seconds = material_site(root, pages)[1]
    plain_seconds = material_site(root, pages, search=False)[1]
    material_cost = mk_seconds - plain_seconds
    print(f"Material: plain mkdocs build {mk_seconds:.1f} s CPU with the search plugin, "
          f"{plain_seconds:.1f} s without: the index costs {material_cost:.1f} s CPU "
          f"({material_cost / mk_seconds:.0%}) on every build", flush=True)


def run(pages: int, repeat: int, browser_only: bool = False,
        engines: tuple[str, ...] = ENGINES, queries: tuple[str, ...] = QUERIES) -> dict:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    print(f"\n=== {pages} pages (load average {os.getloadavg()[0]:.1f})", flush=True)
    try:
        if "material" in engines:
            import jieba  # noqa: F401
    except ImportError:
        raise SystemExit("Material's search needs jieba to segment Chinese, as govpub shipped "
                         "it: pip install -e '.[bench]' (make bench installs it)") from None
    pf_site = OUT / f"search-govpub-{pages}"
    mk_site = OUT / f"search-material-{pages}"
    material = "material" in engines
    if not browser_only:
        build_figures(pages, material)
    elif not (pf_site / "search-index").is_dir() or (material and not mk_site.is_dir()):
        raise SystemExit(f"--browser-only: build the {pages}-page sites first")
    pf_files, pf_bytes = folder_size(pf_site / "search-index")
    print(f"govpub's index: {pf_files} files, {pf_bytes / 1e6:.1f} MB", flush=True)
    if material:
        mk_index = mk_site / "search" / "search_index.json"
        mk_bytes = mk_index.stat().st_size
        mk_gzip = len(gzip.compress(mk_index.read_bytes(), 6))
        print(f"Material's search_index.json {mk_bytes / 1e6:.1f} MB ({mk_gzip / 1e6:.1f} MB "
              "gzipped)", flush=True)
    sites = {"govpub": pf_site, "material": mk_site}
    counters = {engine: Counter() for engine in engines}
    servers = {engine: serve(sites[engine], counters[engine]) for engine in engines}
    results: dict[tuple[str, str], list[dict]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for _ in range(repeat):
                for query in queries:
                    for engine in engines:
                        address = f"http://127.0.0.1:{servers[engine].server_address[1]}/"
                        results.setdefault((engine, query), []).append(measure_query(
                            browser, engine, address, sites[engine], counters[engine], query))
            browser.close()
    finally:
        for server in servers.values():
            server.shutdown()
    load = os.getloadavg()
    print(f"\nper query, median of {repeat} (load average {load[0]:.1f} {load[1]:.1f} "
          f"{load[2]:.1f} on {os.cpu_count()} cores):")
    print(f"{'query':<8} {'engine':<9} {'files':>5} {'search KB':>10} {'gzip KB':>9} "
          f"{'total KB':>9} {'cold ms':>8} {'warm ms':>8}")
    rows = {}
    for query in queries:
        row = {}
        for engine in engines:
            runs = results[(engine, query)]
            row[engine] = {key: statistics.median(r[key] for r in runs)
                           for key in ("bytes", "gzip_bytes", "total_bytes", "cold_ms",
                                       "warm_ms", "files")}
            r = row[engine]
            print(f"{query:<8} {engine:<9} {r['files']:>5.0f} {r['bytes'] / 1024:>10.0f} "
                  f"{r['gzip_bytes'] / 1024:>9.0f} {r['total_bytes'] / 1024:>9.0f} "
                  f"{r['cold_ms']:>8.0f} {r['warm_ms']:>8.0f}")
        if "govpub" in engines:
            runs = results[("govpub", query)]
            print(f"{'':<8} {'':<9} govpub's files: " + kind_line(runs[0]["kinds"])
                  + f"; {runs[0]['found']} pages match")
            steps = {key: statistics.median(r["steps"][key] for r in runs)
                     for key in ("paint", "page", "script", "meta", "asked", "chunks", "ranked",
                                 "inserted")}
            script = (f"govpub-search.js in {steps['script']:.0f}" if steps["script"]
                      else "govpub-search.js in the page")
            print(f"{'':<8} {'':<9} cold, ms from navigation: first paint {steps['paint']:.0f}, "
                  f"page ready {steps['page']:.0f}, {script}, index.json in "
                  f"{steps['meta']:.0f}, terms asked {steps['asked']:.0f}, in "
                  f"{steps['chunks']:.0f}, "
                  f"ranked {steps['ranked']:.0f} (search {steps['ranked'] - steps['chunks']:.0f}"
                  f"), first result put in {steps['inserted']:.0f}, on screen "
                  f"{row['govpub']['cold_ms']:.0f}")
        verdict = ("under" if row["govpub"]["bytes"] < 300 * 1024 else "OVER") + \
            " 300 KB uncompressed, " + \
            ("under" if row["govpub"]["gzip_bytes"] < 300 * 1024 else "OVER") + \
            " from a server that gzips"
        if material:
            ratio = row["material"]["bytes"] / max(row["govpub"]["bytes"], 1)
            print(f"{'':<8} Material's search downloads {ratio:.0f}× govpub's; govpub "
                  f"{verdict}; first result cold {row['govpub']['cold_ms']:.0f} ms vs "
                  f"{row['material']['cold_ms']:.0f} ms")
        else:
            print(f"{'':<8} govpub {verdict}")
        rows[query] = row
    return {"pages": pages, "rows": rows}


def main(sizes: list[int], repeat: int, browser_only: bool, engines: tuple[str, ...],
         queries: tuple[str, ...] = QUERIES) -> None:
    for pages in sizes:
        run(pages, repeat, browser_only, engines, queries)


if __name__ == "__main__":
    args = sys.argv[1:]
    repeat = 3
    if "--repeat" in args:
        at = args.index("--repeat")
        repeat = int(args[at + 1])
        del args[at:at + 2]
    queries = QUERIES
    if "--queries" in args:  # some of them: --queries 专利,patent
        at = args.index("--queries")
        queries = tuple(args[at + 1].split(","))
        del args[at:at + 2]
    browser_only = "--browser-only" in args
    engines = ("govpub",) if "--govpub-only" in args else ENGINES
    args = [a for a in args if a not in ("--browser-only", "--govpub-only")]
    main([int(a) for a in args] or [1_000, 10_000], repeat, browser_only, engines, queries)
