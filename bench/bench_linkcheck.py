"""Link-check time on generated 1,000- and 10,000-page MkDocs sites: lychee vs linkchecker.

    .venv/bin/python bench/bench_linkcheck.py                 # 1,000 pages, both tools; 10,000 lychee
    .venv/bin/python bench/bench_linkcheck.py --sizes 1000 --linkchecker-max 1000

The site is a plain MkDocs site (theme ``mkdocs``) with a small nav (the home
page and one index page per folder, listing the folder's pages, as govpub's
column index pages do), every page linking to six others, three of them with
an anchor. Ten broken links (five missing pages, five missing
anchors) are planted; each tool must find exactly those. Built sites are
cached in ``bench/.cache/`` between runs.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from govpub.integrity.linkcheck import check_site_links

CACHE = Path(__file__).resolve().parent / ".cache"
FOLDERS = 20
PLANTED = 10


def generate(size: int, root: Path) -> None:
    rng = random.Random(size)
    docs = root / "docs"
    pages = [f"f{i % FOLDERS:02d}/p{i:05d}.md" for i in range(size)]
    for folder in range(FOLDERS):
        (docs / f"f{folder:02d}").mkdir(parents=True, exist_ok=True)
        listing = "".join(f"- [{p}]({p.split('/')[1]})\n" for p in pages[folder::FOLDERS])
        # a column index lists its pages, as govpub's generated index pages do
        (docs / f"f{folder:02d}" / "index.md").write_text(f"# 栏目 {folder}\n\n{listing}")
    broken = set(rng.sample(range(size), PLANTED))
    for index, page in enumerate(pages):
        lines = [f"# 页面 {index}", "", "正文段落。" * 5, ""]
        for k in range(6):
            target = pages[rng.randrange(size)]
            rel = "../" + target
            anchor = "#section-2" if k % 2 else ""
            lines.append(f"- [链接 {k}]({rel}{anchor})")
        if index in broken:
            lines.append("- [坏链接](../missing/nowhere.md)" if index % 2
                         else f"- [坏锚点](../{pages[0]}#no-such-anchor)")
        lines += ["", "## Section 1", "", "文字。", "", "## Section 2", "", "文字。", ""]
        (docs / page).write_text("\n".join(lines), encoding="utf-8")
    (docs / "index.md").write_text("# 首页\n\n" + "".join(
        f"- [栏目 {f}](f{f:02d}/index.md)\n" for f in range(FOLDERS)), encoding="utf-8")
    nav = "\n".join(f"  - 栏目 {f}: f{f:02d}/index.md" for f in range(FOLDERS))
    (root / "mkdocs.yml").write_text(
        "site_name: bench\ntheme:\n  name: mkdocs\nvalidation:\n  links:\n"
        "    not_found: ignore\n  omitted_files: ignore\n"
        f"nav:\n  - 首页: index.md\n{nav}\n", encoding="utf-8")


def built_site(size: int) -> tuple[Path, float | None]:
    root = CACHE / f"site-{size}"
    site = root / "site"
    if (site / "index.html").is_file():
        return site, None
    shutil.rmtree(root, ignore_errors=True)
    generate(size, root)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"),
                    "-d", str(site)], check=True)
    return site, time.perf_counter() - start


def measure(site: Path, tool: str, timeout: float) -> tuple[float, int | str]:
    start = time.perf_counter()
    try:
        broken = check_site_links(site, tool=tool, timeout=timeout)
    except Exception as exc:  # a timeout is a result here
        return time.perf_counter() - start, f"{type(exc).__name__}: {exc}"
    return time.perf_counter() - start, len(broken)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--linkchecker-max", type=int, default=1000,
                        help="largest site linkchecker is run on (it is slow)")
    parser.add_argument("--timeout", type=float, default=900, help="lychee time limit (s)")
    parser.add_argument("--linkchecker-timeout", type=float, default=240,
                        help="linkchecker time limit (s); the decision needs only '> 60 s'")
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        site, build_time = built_site(size)
        built = f"built in {build_time:.1f} s" if build_time else "cached build"
        print(f"{size} pages ({built}), {PLANTED} broken links planted", flush=True)
        for tool in ("lychee", "linkchecker"):
            if tool == "linkchecker" and size > args.linkchecker_max:
                continue
            limit = args.linkchecker_timeout if tool == "linkchecker" else args.timeout
            seconds, found = measure(site, tool, limit)
            rows.append((size, tool, seconds, found))
            print(f"  {tool:12s} {seconds:8.1f} s   broken found: {found}", flush=True)
    by = {(s, t): sec for s, t, sec, _ in rows}
    for size in {s for s, _, _, _ in rows}:
        if (size, "lychee") in by and (size, "linkchecker") in by:
            print(f"{size} pages: linkchecker / lychee >= "
                  f"{by[(size, 'linkchecker')] / by[(size, 'lychee')]:.1f}x "
                  "(a lower bound when linkchecker hit its time limit)")


if __name__ == "__main__":
    main()
