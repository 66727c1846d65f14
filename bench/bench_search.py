"""Benchmark: what a search costs a reader — Pagefind (govpub's search) against Material's.

    .venv/bin/python bench/bench_search.py             # 10,000 pages
    .venv/bin/python bench/bench_search.py 1000        # another size
    .venv/bin/python bench/bench_search.py --repeat 5  # median of 5 runs per query

One corpus (``bench/corpus.py``, shared with ``bench_build.py``), two sites of
the same staged pages:

- *Pagefind*: ``govpub build`` (the site as published: Pagefind's chunked index
  under ``pagefind/``, the search page ``search/``);
- *Material*: a plain ``mkdocs build`` of the same staging folder with Material's
  own theme and search plugin (``search/search_index.json``, loaded whole).

Both are served on 127.0.0.1 by a server that counts every byte it sends, and
driven by Debian's Chromium (Playwright), each query in a fresh browser
context (nothing cached). For each query:

- **bytes**: everything the search downloads — Pagefind: from pressing Enter
  on the search page until the first ten results are shown (pagefind.js, its
  WebAssembly, the index metadata and chunks, the result fragments); Material:
  its search worker, lunr's language files and ``search_index.json``, which it
  loads whatever the query. Also shown: what the same files weigh gzipped
  (a server with compression on), measured on the files themselves;
- **cold**: ms from the start of navigation to ``search/?q=…`` (Pagefind) or
  ``?q=…`` (Material opens its search from that parameter) until the first
  result is on screen: page load, index load and search;
- **warm**: ms from typing a second query on the same page until its first
  result is on screen.

Targets (issue 17): under 300 KB per query and first results under 300 ms
in a real browser at 10,000 pages. The machine is shared: the load average is
printed with the figures, and the bytes (which do not depend on load) are the
firm result; times are the median of ``--repeat`` runs.
"""

from __future__ import annotations

import gzip
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(BENCH))

from bench_build import corpus  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
QUERIES = ("专利", "年费", "复审", "专利费用减缴")
WARM_QUERY = "审查"
COMPRESSIBLE = (".js", ".json", ".css", ".html", ".svg", ".txt", ".map")
FIRST_RESULT_MARKS = """(selector) => {
  window.__marks = [];
  let shown = 0;
  new MutationObserver(() => {
    const now = document.querySelectorAll(selector).length;
    if (now > 0 && shown === 0) window.__marks.push(performance.now());
    shown = now;
  }).observe(document, {subtree: true, childList: true});
}"""


# --- sites ------------------------------------------------------------------------------

def pagefind_site(pages: int) -> tuple[Path, Path, float]:
    """(repository, site, seconds Pagefind took to index it)."""
    from govpub.search.index import write_search_index

    root = corpus(pages)
    site = OUT / f"search-pagefind-{pages}"
    shutil.rmtree(site, ignore_errors=True)
    run = subprocess.run([str(BIN / "govpub"), "--lang", "en", "--root", str(root), "build",
                          "--site-dir", str(site)], capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"govpub build failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    start = time.perf_counter()
    write_search_index(None, site)  # again, alone: the cost of the index step
    return root, site, time.perf_counter() - start


def material_site(root: Path, pages: int) -> tuple[Path, float]:
    """A plain ``mkdocs build`` of the staged pages with Material's theme and search."""
    empty_theme = OUT / "material-theme-unchanged"
    empty_theme.mkdir(parents=True, exist_ok=True)
    site = OUT / f"search-material-{pages}"
    shutil.rmtree(site, ignore_errors=True)
    config = {"INHERIT": str(REPO / "mkdocs.yml"), "hooks": [],
              "docs_dir": str(root / ".govpub" / "staging"), "site_dir": str(site),
              "theme": {"name": "material", "custom_dir": str(empty_theme)},
              "plugins": [{"search": {"lang": ["zh", "en"]}}], "extra_javascript": [],
              "extra_css": []}
    path = OUT / f"mkdocs-material-search-{pages}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    start = time.perf_counter()
    run = subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-f", str(path)],
                         capture_output=True, text=True,
                         env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if run.returncode != 0:
        raise SystemExit(f"mkdocs build failed:\n{run.stderr[-2000:]}")
    return site, time.perf_counter() - start


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
        return raw  # Pagefind's index files and WebAssembly are gzip streams already
    return len(gzip.compress(file.read_bytes(), 6))


# --- one query in Chromium --------------------------------------------------------------

def _is_search_file(engine: str, path: str) -> bool:
    if engine == "pagefind":
        return path.startswith("/pagefind/")
    return ("/search/" in path or "/workers/" in path or "/lunr/" in path)


def measure_query(browser, engine: str, address: str, site: Path, counter: Counter,
                  query: str) -> dict:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(300_000)
    selector = ".gp-search__result" if engine == "pagefind" else ".md-search-result__item"
    context.add_init_script(f"({FIRST_RESULT_MARKS})({selector!r})")
    page = context.new_page()
    try:
        start = counter.mark()
        target = "search/" if engine == "pagefind" else ""
        page.goto(f"{address}{target}?q={quote(query)}", wait_until="commit")
        page.wait_for_function("() => window.__marks && window.__marks.length > 0")
        if engine == "pagefind":
            page.wait_for_selector("[data-gp-search-state=done]", state="attached")
        cold_ms = page.evaluate("window.__marks[0]")
        sent = [(path, size) for path, size in counter.since(start)
                if _is_search_file(engine, path)]
        # a second query on the same page, typed
        field = "#gp-search-q" if engine == "pagefind" else "input.md-search__input"
        page.fill(field, "")
        page.wait_for_function(f"() => document.querySelectorAll({selector!r}).length === 0")
        before = page.evaluate("window.__marks.length")
        typed_at = page.evaluate("performance.now()")
        page.type(field, WARM_QUERY)
        page.wait_for_function(f"() => window.__marks.length > {before}")
        warm_ms = page.evaluate("window.__marks[window.__marks.length - 1]") - typed_at
    finally:
        context.close()
    raw = sum(size for _path, size in sent)
    return {"cold_ms": cold_ms, "warm_ms": warm_ms, "bytes": raw, "files": len(sent),
            "gzip_bytes": sum(gzipped_size(site, path, size) for path, size in sent)}


def run(pages: int, repeat: int) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(exist_ok=True)
    print(f"{pages} pages: building both sites (load average {os.getloadavg()[0]:.1f})…",
          flush=True)
    root, pf_site, index_seconds = pagefind_site(pages)
    mk_site, mk_seconds = material_site(root, pages)
    pf_files, pf_bytes = folder_size(pf_site / "pagefind")
    mk_index = mk_site / "search" / "search_index.json"
    mk_bytes = mk_index.stat().st_size
    mk_gzip = len(gzip.compress(mk_index.read_bytes(), 6))
    try:
        import jieba  # noqa: F401

        segmented = "with jieba (Chinese words segmented, as govpub shipped it before)"
    except ImportError:
        segmented = "without jieba (no Chinese segmentation: a smaller index than before)"
    print(f"Pagefind index: {pf_files} files, {pf_bytes / 1e6:.1f} MB on disk, "
          f"indexed in {index_seconds:.1f} s")
    print(f"Material index: search_index.json {mk_bytes / 1e6:.1f} MB "
          f"({mk_gzip / 1e6:.1f} MB gzipped), {segmented}; plain mkdocs build "
          f"{mk_seconds:.0f} s")
    counters = {"pagefind": Counter(), "material": Counter()}
    servers = {"pagefind": serve(pf_site, counters["pagefind"]),
               "material": serve(mk_site, counters["material"])}
    sites = {"pagefind": pf_site, "material": mk_site}
    results: dict[tuple[str, str], list[dict]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for _ in range(repeat):
                for query in QUERIES:
                    for engine in ("pagefind", "material"):
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
    print(f"{'query':<10} {'engine':<9} {'files':>5} {'KB sent':>9} {'KB gzip':>9} "
          f"{'cold ms':>8} {'warm ms':>8}")
    for query in QUERIES:
        row = {}
        for engine in ("pagefind", "material"):
            runs = results[(engine, query)]
            row[engine] = {key: statistics.median(r[key] for r in runs)
                           for key in ("bytes", "gzip_bytes", "cold_ms", "warm_ms", "files")}
            r = row[engine]
            print(f"{query:<10} {engine:<9} {r['files']:>5.0f} {r['bytes'] / 1024:>9.0f} "
                  f"{r['gzip_bytes'] / 1024:>9.0f} {r['cold_ms']:>8.0f} {r['warm_ms']:>8.0f}")
        ratio = row["material"]["bytes"] / max(row["pagefind"]["bytes"], 1)
        verdict = "under" if row["pagefind"]["bytes"] < 300 * 1024 else "OVER"
        print(f"{'':<10} Material downloads {ratio:.0f}× the bytes; Pagefind {verdict} "
              f"300 KB; first result cold {row['pagefind']['cold_ms']:.0f} ms vs "
              f"{row['material']['cold_ms']:.0f} ms")


if __name__ == "__main__":
    args = sys.argv[1:]
    repeat = 3
    if "--repeat" in args:
        at = args.index("--repeat")
        repeat = int(args[at + 1])
        del args[at:at + 2]
    run(int(args[0]) if args else 10_000, repeat)
