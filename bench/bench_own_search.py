"""Benchmark (design spike): govpub's own static search index against Pagefind, same site, same run.

**A record, not maintained.** This is the measurement that chose govpub's own
index over Pagefind (December 2026; figures in docs/build.md, "Search: govpub's own
index against Pagefind", and in ``bench_own_search.results.txt``). It runs at the
trial's commit (8697db9), where govpub still built a Pagefind index
and ``pagefind_bin_extended`` was installed: it needs a site built by that govpub
(``data-pagefind-body`` pages and a ``pagefind/`` bundle). The search in use is
measured by ``bench_search.py``.

    PYTHONPATH=$PWD/src python bench/bench_own_search.py SITE [SITE ...]
    PYTHONPATH=$PWD/src python bench/bench_own_search.py --repeat 3 --no-browser SITE

``SITE``: a site built by ``govpub build`` with its Pagefind index (e.g.
``bench/out/search-pagefind-10000`` of ``bench_search.py``). It is only read:
the pages are hard-linked into a folder of this bench's own (``bench/out/own-*``),
and a page the bench changes is written anew there (the link is replaced, the
site's file never written).

1. **Indexing** (each a process of its own: wall and CPU of the process tree):
   Pagefind (the extended binary, govpub's options) over those pages, then
   govpub's own index (``govpub.search.own``) with one worker process and with
   one per core; the size of each index (bytes, files, on disk in 4 KB blocks).
2. **A one-page change**, four kinds (a notice's text, a notice's title, a
   page added, a page removed), each followed by an update of the own index:
   time and files written or removed. Pagefind cannot index one page: its
   figure for any change is a full index. At the end the updated index is
   compared, file by file, with a full index of the changed pages.
3. **In Chromium** (both sites served by ``bench_search.serve``, which counts
   every byte sent; nothing cached; each query in a fresh context): per query
   and engine, the search's own bytes and files, ms to the first result (cold:
   from navigation to ``search/?q=…``; for a query with no result: until the page
   says so), ms from typing a second query to its first result (warm, includes
   the 250 ms both pages wait for typing to pause), how many pages match, and
   the titles of the first five results.

The own engine's search page is the site's search page with the Pagefind
script swapped for ``own-search.js`` (same markup, texts and five results at a
time), served from a folder of links to the site (``own-view-*``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

from bench_search import (  # noqa: E402
    CHROMIUM,
    FIRST_RESULT_MARKS,
    PATIENCE_MS,
    Counter,
    file_kind,
    gzipped_size,
    serve,
)
from timing import run_timed  # noqa: E402

OWN_JS = REPO / "src" / "govpub" / "search" / "own" / "own-search.js"
#: (query, search page, second query typed)
QUERIES = (("专利", "search/", "审查"), ("年费", "search/", "审查"), ("复审", "search/", "审查"),
           ("patent", "en/search/", "review"))
DONE_MARK = """() => {
  window.__done = [];
  const seen = () => {
    const root = document.querySelector('[data-gp-search]');
    if (root && root.getAttribute('data-gp-search-state') === 'done' && !window.__done.length)
      window.__done.push(performance.now());
  };
  new MutationObserver(seen).observe(document, {subtree: true, attributes: true,
                                                 attributeFilter: ['data-gp-search-state']});
}"""


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f}"


def now() -> str:
    return time.strftime("%H:%M:%S UTC", time.gmtime())


# --- the pages, linked ------------------------------------------------------------------

def link_pages(site: Path, farm: Path) -> int:
    """Every HTML file of the site (Pagefind's bundle left out), hard-linked into ``farm``."""
    shutil.rmtree(farm, ignore_errors=True)
    count = 0
    for folder, dirs, names in os.walk(site):
        here = Path(folder)
        if here == site:
            dirs[:] = [d for d in dirs if d != "pagefind"]
        for name in names:
            if name.endswith(".html"):
                target = farm / (here / name).relative_to(site)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(here / name, target)
                count += 1
    return count


def rewrite(path: Path, data: bytes) -> None:
    """Write ``path`` anew (a new file: the site's file behind the old link is untouched)."""
    tmp = path.with_name(path.name + ".bench-tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def notices(farm: Path) -> list[Path]:
    return sorted((farm / "notices").glob("*/index.html"))


# --- indexing, each run a process of its own --------------------------------------------

def own_step(kind: str, pages: Path, out: Path, workers: int) -> tuple[float, float, dict]:
    code = ("import json,sys; from pathlib import Path; "
            "from govpub.search.own.build import build_index, update_index; "
            f"o = {'build_index' if kind == 'full' else 'update_index'}"
            "(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])); "
            "print(json.dumps(o.__dict__))")
    timed = run_timed([sys.executable, "-c", code, str(pages), str(out), str(workers)])
    return timed.wall, timed.cpu, json.loads(timed.proc.stdout.strip().splitlines()[-1])


def pagefind_index(pages: Path, out: Path) -> tuple[float, float]:
    from govpub.search.index import pagefind_command

    shutil.rmtree(out, ignore_errors=True)
    timed = run_timed(pagefind_command(pages, out))
    return timed.wall, timed.cpu


def index_size(folder: Path, pattern: str = "*") -> tuple[int, int, int]:
    """(files, bytes, bytes on disk in 4 KB blocks)."""
    files = [p for p in folder.rglob(pattern) if p.is_file()]
    sizes = [p.stat().st_size for p in files]
    return len(files), sum(sizes), sum(-(-s // 4096) * 4096 for s in sizes)


def same_tree(a: Path, b: Path) -> list[str]:
    """Paths that differ between two folders (missing on a side, or other bytes)."""
    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
    left, right = files(a), files(b)
    return sorted(rel for rel in left.keys() | right.keys()
                  if rel not in left or rel not in right
                  or left[rel].read_bytes() != right[rel].read_bytes())


def numbering_cost(own: Path) -> None:
    """What the hash-slot page numbers cost in bytes: the term files again with dense
    numbers (each page's rank among its language's numbers: the same order, gaps of ~1)."""
    from govpub.search.own import codec

    state = json.loads((own / "pages.json").read_text(encoding="utf-8"))
    for language, params in sorted(state["languages"].items()):
        numbers = sorted(n for lang, n, *_rest in state["pages"].values() if lang == language)
        rank = {n: i for i, n in enumerate(numbers)}
        slot_total = dense_total = 0
        common = ("专利", "复审") if language.startswith("zh") else ("patent",)
        files = {codec.bucket_of(t, params["buckets"]): t for t in common}
        for path in sorted((own / language / "t").glob("*.gpi")):
            data = path.read_bytes()
            content = codec.decode_terms(codec.gunzip_bytes(data))
            dense = codec.gzip_bytes(codec.encode_terms(
                {t: {rank[n]: s for n, s in p.items()} for t, p in content.items()}))
            slot_total += len(data)
            dense_total += len(dense)
            bucket = int(path.stem)
            if bucket in files:
                print(f"  {language}: the term file of {files[bucket]}: "
                      f"{len(data) / 1024:.1f} KB with slot numbers, {len(dense) / 1024:.1f} KB "
                      "dense")
        print(f"  {language}: term files {slot_total / 1e6:.2f} MB with slot numbers, "
              f"{dense_total / 1e6:.2f} MB dense ({dense_total / slot_total:.0%})", flush=True)


def index_figures(site: Path, label: str) -> Path:
    farm = OUT / f"own-pages-{label}"
    own = OUT / f"own-index-{label}"
    count = link_pages(site, farm)
    print(f"\n=== {label}: {count} HTML files of {site} ({now()}, {load()})", flush=True)
    wall, cpu = pagefind_index(farm, OUT / f"own-pagefind-{label}")
    files, size, disk = index_size(OUT / f"own-pagefind-{label}")
    print(f"Pagefind full index        {wall:6.1f} s wall {cpu:6.1f} s CPU   "
          f"{files} files, {size / 1e6:.1f} MB ({disk / 1e6:.1f} MB on disk)  [{load()}]",
          flush=True)
    pagefind_cpu = cpu
    pagefind_wall = wall
    for workers in (1, os.cpu_count() or 1):
        shutil.rmtree(own, ignore_errors=True)
        wall, cpu, outcome = own_step("full", farm, own, workers)
        print(f"own full index, {workers} process{'es' if workers > 1 else ''}  {wall:6.1f} s wall "
              f"{cpu:6.1f} s CPU   ({cpu / pagefind_cpu:.0%} of Pagefind's CPU) "
              f"[{load()}]", flush=True)
    files, size, disk = index_size(own)
    terms = index_size(own, "*.gpi")
    fragments = index_size(own, "*.gpf")
    state = (own / "pages.json").stat().st_size
    print(f"own index: {files} files, {size / 1e6:.1f} MB ({disk / 1e6:.1f} MB on disk): "
          f"term files {terms[0]} ({terms[1] / 1e6:.1f} MB), fragments {fragments[0]} "
          f"({fragments[1] / 1e6:.1f} MB), pages.json {state / 1e3:.0f} KB (build only); "
          f"index.json {(own / 'index.json').read_text()}")
    print("page numbers: hash slots (a change moves few) against dense numbers (a page "
          "added or removed renumbers every page after it):")
    numbering_cost(own)
    one = notices(farm)[len(notices(farm)) // 2]
    other = notices(farm)[len(notices(farm)) // 3]
    gone = notices(farm)[len(notices(farm)) // 4]
    added = one.parent.parent / "zz-bench-added" / "index.html"

    def text_change():
        rewrite(one, one.read_bytes().replace(b"<p>", "<p>专利年费缴纳说明。".encode(), 1))

    def title_change():
        rewrite(other, re.sub(rb'(<h1[^>]*>)', "\\1专利年费".encode(), other.read_bytes(),
                              count=1))

    def page_added():
        added.parent.mkdir(parents=True, exist_ok=True)
        data = re.sub(rb'(<h1[^>]*>)', "\\1复审年费新增页".encode(), one.read_bytes(), count=1)
        rewrite(added, data)

    def page_removed():
        gone.unlink()

    print(f"{'one-page change':<16} {'wall s':>7} {'CPU s':>6} {'pages read':>10} "
          f"{'files written':>13} {'removed':>7}  (Pagefind: a full index, "
          f"{pagefind_wall:.1f} s wall {pagefind_cpu:.1f} s CPU)")
    for name, change in (("text", text_change), ("title", title_change),
                         ("page added", page_added), ("page removed", page_removed),
                         ("nothing", lambda: None)):
        change()
        wall, cpu, outcome = own_step("update", farm, own, 1)
        print(f"{name:<16} {wall:>7.2f} {cpu:>6.2f} {outcome['pages_read']:>10} "
              f"{outcome['written']:>13} {outcome['removed']:>7}  "
              f"{'(written anew: ' + ','.join(outcome['full']) + ')' if outcome['full'] else ''}"
              f" [{load()}]", flush=True)
    check = OUT / f"own-index-{label}-full"
    own_step("full", farm, check, os.cpu_count() or 1)
    differ = same_tree(own, check)
    print("updated index == full index of the changed pages: "
          + ("yes, every file" if not differ else f"NO: {len(differ)} files differ, "
             f"e.g. {differ[:5]}"), flush=True)
    shutil.rmtree(check)
    # the browser measures the index of the site's own pages (the changes undone)
    own_step("full", site, own, os.cpu_count() or 1)
    return own


# --- in Chromium --------------------------------------------------------------------

def own_search_page(original: str) -> str:
    """The site's search page with the own index's script instead of Pagefind's."""
    page = original.replace('../pagefind/"', '../ownsearch/"').replace(
        '../../pagefind/"', '../../ownsearch/"')
    page = re.sub(r'<link rel="preload" href="([./]*)pagefind/shards.json"[^>]*>',
                  r'<link rel="preload" href="\1ownsearch/index.json" as="fetch" crossorigin>',
                  page)
    page = re.sub(r'<link rel="modulepreload" href="([./]*)pagefind/[^"]*">',
                  r'<link rel="modulepreload" href="\1javascripts/own-search.js">', page)
    page, swapped = re.subn(
        r'<script src="([./]*)javascripts/govpub-search.js" defer></script>',
        r'<script type="module">import {attach} from "\1javascripts/own-search.js"; '
        r'attach(document.querySelector("[data-gp-search]"));</script>', page)
    if not swapped:
        raise SystemExit("the site's search page has no govpub-search.js to swap")
    return page


def own_view(site: Path, own: Path, label: str) -> Path:
    """A folder of links to the site, with the own search pages, script and index."""
    view = OUT / f"own-view-{label}"
    shutil.rmtree(view, ignore_errors=True)

    def mirror(source: Path, target: Path, special: set[str]) -> None:
        target.mkdir(parents=True)
        for entry in source.iterdir():
            if entry.name not in special:
                (target / entry.name).symlink_to(entry)

    mirror(site, view, {"search", "en", "javascripts", "pagefind"})
    mirror(site / "en", view / "en", {"search"})
    mirror(site / "javascripts", view / "javascripts", set())
    shutil.copyfile(OWN_JS, view / "javascripts" / "own-search.js")
    for folder in ("search", "en/search"):
        (view / folder).mkdir(parents=True)
        original = (site / folder / "index.html").read_text(encoding="utf-8")
        (view / folder / "index.html").write_text(own_search_page(original), encoding="utf-8")
    (view / "ownsearch").symlink_to(own.resolve())
    return view


def is_search_file(engine: str, path: str) -> bool:
    if engine == "pagefind":
        return path.startswith("/pagefind/")
    return path.startswith("/ownsearch/") or path.endswith("/own-search.js")


#: where the cold time goes (ms from the start of navigation): the page's scripts may run,
#: the search's script is in, its index files are in, the results are ranked (the first
#: fragment is asked for)
CRITICAL_PATH = """(engine) => {
  const all = performance.getEntriesByType('resource');
  const of = (test) => all.filter(e => test(new URL(e.name).pathname));
  const last = (list) => list.length ? Math.max(...list.map(e => e.responseEnd)) : NaN;
  const own = engine === 'own';
  return {page: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
          script: last(of(p => p.endsWith(own ? '/own-search.js' : '/pagefind.js'))),
          index: last(of(p => own ? p.endsWith('.gpi') : p.endsWith('.pf_index'))),
          ranked: Math.min(...of(p => p.endsWith(own ? '.gpf' : '.pf_fragment'))
                               .map(e => e.startTime))};
}"""


def measure(browser, engine: str, address: str, site: Path, counter: Counter, query: str,
            page_path: str, second: str) -> dict:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.set_default_timeout(300_000)
    selector = ".gp-search__result"
    context.add_init_script(f"({FIRST_RESULT_MARKS})({selector!r})")
    context.add_init_script(f"({DONE_MARK})()")
    page = context.new_page()
    try:
        start = counter.mark()
        page.goto(f"{address}{page_path}?q={quote(query)}", wait_until="commit")
        page.wait_for_selector("[data-gp-search-state=done]", state="attached",
                               timeout=PATIENCE_MS)
        marks = page.evaluate("window.__marks")
        cold = marks[0] if marks else page.evaluate("window.__done[0]")
        found = re.findall(r"\d+", page.text_content("[data-gp-search-status]") or "")
        steps = page.evaluate(CRITICAL_PATH, engine)
        titles = page.eval_on_selector_all(".gp-search__result a",
                                           "links => links.map(a => a.textContent.trim())")
        sent = [(path, size) for path, size in counter.since(start)
                if is_search_file(engine, path)]
        warm = float("nan")
        page.fill("#gp-search-q", "")
        page.wait_for_function(f"() => document.querySelectorAll({selector!r}).length === 0")
        before = page.evaluate("window.__marks.length")
        typed_at = page.evaluate("performance.now()")
        page.type("#gp-search-q", second)
        try:
            page.wait_for_function(f"() => window.__marks.length > {before}",
                                   timeout=PATIENCE_MS)
            warm = page.evaluate("window.__marks[window.__marks.length - 1]") - typed_at
        except PlaywrightTimeout:
            pass
    finally:
        context.close()
    kinds: dict[str, int] = {}
    for path, size in sent:
        kind = file_kind(path) if engine == "pagefind" else \
            {"gpi": "terms", "gpf": "fragments", "js": "js", "json": "index.json"}.get(
                path.rsplit(".", 1)[-1], "other")
        kinds[kind] = kinds.get(kind, 0) + size
    return {"bytes": sum(size for _p, size in sent), "files": len(sent), "cold": cold,
            "gzip": sum(gzipped_size(site, path, size) for path, size in sent), "steps": steps,
            "warm": warm, "found": max((int(n) for n in found), default=0) if marks else 0,
            "titles": titles, "kinds": kinds, "no_result": not marks}


def browser_figures(site: Path, own: Path, label: str, repeat: int) -> None:
    from playwright.sync_api import sync_playwright

    view = own_view(site, own, label)
    counters = {"pagefind": Counter(), "own": Counter()}
    sites = {"pagefind": site, "own": view}
    servers = {engine: serve(sites[engine], counters[engine]) for engine in sites}
    results: dict[tuple[str, str], list[dict]] = {}
    started = f"{now()}, {load()}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for _ in range(repeat):  # interleaved: both engines see the same load
                for query, page_path, second in QUERIES:
                    for engine in ("pagefind", "own"):
                        address = f"http://127.0.0.1:{servers[engine].server_address[1]}/"
                        results.setdefault((engine, query), []).append(measure(
                            browser, engine, address, sites[engine], counters[engine], query,
                            page_path, second))
            browser.close()
    finally:
        for server in servers.values():
            server.shutdown()
    print(f"\nin Chromium, median of {repeat} (started {started}; ended {now()}, {load()}):")
    print(f"{'query':<8} {'engine':<9} {'files':>5} {'search KB':>9} {'gzip KB':>7} "
          f"{'cold ms':>8} {'warm ms':>8} {'matches':>8}  KB by kind; cold: ms from navigation "
          "to page ready / script in / index in / ranked")
    for query, _path, _second in QUERIES:
        for engine in ("pagefind", "own"):
            runs = results[(engine, query)]
            med = {key: statistics.median(r[key] for r in runs)
                   for key in ("bytes", "gzip", "files", "cold", "warm", "found")}
            steps = "/".join(f"{statistics.median(r['steps'][key] for r in runs):.0f}"
                             for key in ("page", "script", "index", "ranked"))
            kinds = ", ".join(f"{kind} {size / 1024:.1f}"
                              for kind, size in runs[0]["kinds"].items())
            note = " (no result: ms until the page says so)" if runs[0]["no_result"] else ""
            print(f"{query:<8} {engine:<9} {med['files']:>5.0f} {med['bytes'] / 1024:>9.1f} "
                  f"{med['gzip'] / 1024:>7.1f} {med['cold']:>8.0f} {med['warm']:>8.0f} "
                  f"{med['found']:>8.0f}  {kinds}; {steps}{note}")
    print("\nfirst five results (titles):")
    for query, _path, _second in QUERIES:
        for engine in ("pagefind", "own"):
            titles = results[(engine, query)][0]["titles"]
            print(f"{query} {engine}: " + (" | ".join(titles) or "(none)"))


def main(args: list[str]) -> None:
    repeat = 3
    if "--repeat" in args:
        at = args.index("--repeat")
        repeat = int(args[at + 1])
        del args[at:at + 2]
    browser = "--no-browser" not in args
    sites = [Path(a) for a in args if not a.startswith("--")]
    if not sites:
        raise SystemExit(__doc__)
    OUT.mkdir(exist_ok=True)
    for site in sites:
        site = site.resolve()
        if not (site / "pagefind" / "shards.json").is_file():
            raise SystemExit(f"{site}: not a govpub site with its Pagefind index")
        label = site.name
        own = index_figures(site, label)
        if browser:
            browser_figures(site, own, label, repeat)


if __name__ == "__main__":
    main(sys.argv[1:])
