"""Benchmark: `govpub build --renderer pelican` against `--renderer mkdocs`, and both against
the plain tools (`pelican`, `mkdocs build`) on the same pages.

    .venv/bin/python bench/bench_pelican.py            # 1,000 and 10,000 pages
    .venv/bin/python bench/bench_pelican.py 500 2000   # other sizes
    .venv/bin/python bench/bench_pelican.py --repeat 3 # best of 3 (the machine is shared)

The corpus is ``bench/corpus.py``'s (the one ``bench_build.py`` uses: a
complete, signed-off repository). For each size, four full builds from an
empty output folder:

- ``govpub build --renderer mkdocs`` and ``govpub build --renderer pelican``:
  the whole governed build (rules, gate, staging, generated pages, render,
  post-build steps), the same site with either renderer;
- plain ``mkdocs build`` of ``content/`` (``bench_build.plain_config``: the
  same theme, Markdown extensions and search, one nav entry per column);
- plain ``pelican`` of ``content/``: Pelican's own Markdown reader and
  ``simple`` theme, the same Markdown extensions, pages only (no articles,
  feeds, tags or categories, no menu of every page), directory URLs like the
  governed build. Pelican skips the pages whose front matter says
  ``status: in-force`` (a policy's status, not one of Pelican's), so it
  renders fewer pages: the HTML page counts are printed beside the figures.

Each figure is one command as the operating system counts it (``os.wait4``):
wall time, CPU time (user + system, the render's worker processes included)
and peak memory (the largest resident set of the command or any one of its
worker processes). The PDF handouts are printed by the first governed build
of a new corpus and cached; that build is reported on its own line.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(BENCH))

from bench_build import corpus, output_stats, plain_config  # noqa: E402
from timing import run_timed  # noqa: E402

PELICAN_SETTINGS = """\
# plain Pelican over a govpub corpus (bench/bench_pelican.py): pages only, directory URLs
PATH = {content!r}
PAGE_PATHS = [""]
ARTICLE_PATHS = []
STATIC_PATHS = ["attachments"]
PATH_METADATA = r"(?P<slug>.*)\\.md"
PAGE_URL = "{{slug}}/"
PAGE_SAVE_AS = "{{slug}}/index.html"
PAGE_LANG_URL = PAGE_URL
PAGE_LANG_SAVE_AS = PAGE_SAVE_AS
# the simple theme lists every page in every page's menu (quadratic, like a nav entry per
# page in MkDocs); the plain MkDocs build has one entry per column, so no page menu here
DISPLAY_PAGES_ON_MENU = False
DIRECT_TEMPLATES = []
TAG_SAVE_AS = CATEGORY_SAVE_AS = AUTHOR_SAVE_AS = ARCHIVES_SAVE_AS = INDEX_SAVE_AS = ""
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
SITENAME = "plain pelican"
RELATIVE_URLS = True
MARKDOWN = {{"extension_configs": {extensions!r}, "output_format": "html5"}}
"""


def pelican_settings(root: Path) -> Path:
    """Settings for plain Pelican: the Markdown extensions of the repository's mkdocs.yml."""
    from pymdownx.slugs import slugify  # noqa: F401  (mkdocs.yml's toc slugify: checked here)

    extensions = {"markdown.extensions.meta": {}, "markdown.extensions.abbr": {},
                  "markdown.extensions.admonition": {}, "markdown.extensions.attr_list": {},
                  "markdown.extensions.def_list": {}, "markdown.extensions.footnotes": {},
                  "markdown.extensions.tables": {}, "markdown.extensions.fenced_code": {},
                  "markdown.extensions.toc": {"permalink": True}}
    path = root / "pelicanconf-plain.py"
    path.write_text(PELICAN_SETTINGS.format(content=str(root / "content"),
                                            extensions=extensions), encoding="utf-8")
    return path


def measured(args: list[str], cwd: Path) -> dict:
    """Wall seconds, CPU seconds and peak memory (MB) of one command (bench/timing.py)."""
    run = run_timed(args, cwd=cwd, extra_env={"NO_MKDOCS_2_WARNING": "1"})
    return {"wall": run.wall, "cpu": run.cpu, "memory": run.memory}


def commands(root: Path, sites: dict[str, Path]) -> dict[str, list[str]]:
    govpub = [str(BIN / "govpub"), "--root", str(root), "build", "--site-dir"]
    return {
        "govpub pelican": [*govpub, str(sites["govpub pelican"]), "--renderer", "pelican"],
        "govpub mkdocs": [*govpub, str(sites["govpub mkdocs"]), "--renderer", "mkdocs"],
        "plain pelican": [str(BIN / "pelican"), "-q", "-s", str(pelican_settings(root)),
                          "-o", str(sites["plain pelican"])],
        "plain mkdocs": [str(BIN / "mkdocs"), "build", "-q", "-f", str(plain_config(root)),
                         "-d", str(sites["plain mkdocs"])],
    }


def measure(pages: int, repeat: int) -> dict:
    """Best of ``repeat`` rounds of the four builds (the minimum is the signal on a shared
    machine); each build starts from an empty output folder."""
    root = corpus(pages)
    sites = {name: OUT / f"pelican-bench-{pages}-{name.replace(' ', '-')}"
             for name in ("govpub pelican", "govpub mkdocs", "plain pelican", "plain mkdocs")}
    handouts = root / ".govpub" / "cache" / "handouts"
    if not handouts.is_dir() or not any(handouts.iterdir()):
        shutil.rmtree(sites["govpub mkdocs"], ignore_errors=True)
        first = measured(commands(root, sites)["govpub mkdocs"], root)
        print(f"{pages:>6} pages: first govpub build, printing every PDF handout: "
              f"{first['wall']:.1f} s wall (not counted below)", flush=True)
    runs: dict[str, list[dict]] = {name: [] for name in sites}
    for _ in range(repeat):
        for name, args in commands(root, sites).items():
            shutil.rmtree(sites[name], ignore_errors=True)
            runs[name].append(measured(args, root))
    best = {name: {key: min(run[key] for run in found) for key in ("wall", "cpu", "memory")}
            for name, found in runs.items()}
    best["html_pages"] = {name: output_stats(site)[0] for name, site in sites.items()}
    return best


def report(pages: int, best: dict) -> None:
    print(f"{pages:>6} pages:", flush=True)
    for name in ("govpub pelican", "govpub mkdocs", "plain pelican", "plain mkdocs"):
        figures = best[name]
        print(f"    {name:<15} {figures['wall']:7.1f} s wall {figures['cpu']:7.1f} s CPU "
              f"{figures['memory']:7.0f} MB peak · {best['html_pages'][name]} HTML pages")
    for left, right in (("govpub pelican", "govpub mkdocs"), ("govpub pelican", "plain pelican"),
                        ("govpub mkdocs", "plain mkdocs"), ("plain pelican", "plain mkdocs")):
        a, b = best[left], best[right]
        print(f"    {left} / {right}: {a['wall'] / b['wall']:.2f} wall, "
              f"{a['cpu'] / b['cpu']:.2f} CPU, {a['memory'] / b['memory']:.2f} memory")


def main(sizes: list[int], repeat: int) -> None:
    OUT.mkdir(exist_ok=True)
    for pages in sizes:
        report(pages, measure(pages, repeat))


if __name__ == "__main__":
    args = sys.argv[1:]
    repeat = 1
    if "--repeat" in args:
        at = args.index("--repeat")
        repeat = int(args[at + 1])
        del args[at:at + 2]
    main([int(a) for a in args] or [1_000, 10_000], repeat)
