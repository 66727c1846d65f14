"""Benchmark: the public site as a phone and an inspector see it.

    make bench-site                     # installs Lighthouse and vnu (bench/package.json), runs this
    .venv/bin/python bench/bench_site.py [--repeat N]

Builds the demo (content/, review/, site_config/, disclosure/, mkdocs.yml) with
`govpub build`, serves it on 127.0.0.1 with gzip like a production web server,
and reports:

1. **Lighthouse** (mobile, its default: simulated slow 4G and a mid-range
   phone) on the home, catalog, service item, notice and policy pages:
   performance, accessibility, best practices and SEO scores, and FCP, LCP,
   TBT, CLS. The median of ``--repeat`` runs (default 1). Targets (issue 14):
   performance ≥ 95, the three others 100, CLS < 0.1.
2. **Page weight** of every page of the sitemap on a cold load at 390 px (every
   request the page makes, bytes as sent with gzip and as files): median,
   90th percentile and largest page, and the number of requests.
3. **The W3C validator** (vnu, Java) over every built HTML page, errors only,
   grouped by message and by where the markup comes from: govpub's templates
   (classes gp-*/govpub-*), Material's templates (md-*) or page content.
   Target: no error from govpub's templates.

Nothing here is a test: the figures go in the issue notes.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out" / "site-bench"
LIGHTHOUSE = BENCH / "node_modules" / "lighthouse" / "cli" / "index.js"
VNU = BENCH / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = "/usr/bin/chromium"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the client accepts it (as nginx with gzip on)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts or not path.endswith(COMPRESSIBLE) or not os.path.isfile(path):
            return super().send_head()
        with open(path, "rb") as handle:
            body = gzip.compress(handle.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_args) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def build_demo() -> tuple[Path, object]:
    from govpub.build import BuildOptions, run_build

    repo = OUT / "repo"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    for name in ("content", "review", "site_config", "disclosure"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, repo / name)
    shutil.copy(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    state = run_build(BuildOptions(root=repo, echo=lambda _line: None))
    return state.site_dir, state.model


def serve(site_dir: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def sitemap_paths(site_dir: Path, base_url: str) -> list[str]:
    xml = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    return [loc.removeprefix(base_url) for loc in re.findall(r"<loc>(.*?)</loc>", xml)]


def lighthouse(address: str, pages: dict[str, str], repeat: int) -> None:
    print("Lighthouse (mobile), median of", repeat, "run(s)")
    print(f"  {'page':<10} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} "
          f"{'FCP s':>6} {'LCP s':>6} {'TBT ms':>7} {'CLS':>6}")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    for name, path in pages.items():
        runs = []
        for _ in range(repeat):
            proc = subprocess.run(
                ["node", str(LIGHTHOUSE), address + path, "--output=json", "--quiet",
                 "--output-path=stdout", "--max-wait-for-load=60000",
                 "--only-categories=performance,accessibility,best-practices,seo",
                 "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                capture_output=True, text=True, env=env, check=False, timeout=600)
            if proc.returncode != 0:
                print(f"  {name}: lighthouse failed: {proc.stderr.strip()[-300:]}")
                break
            report = json.loads(proc.stdout)
            categories = report["categories"]
            audits = report["audits"]
            runs.append({
                "perf": categories["performance"]["score"] * 100,
                "a11y": categories["accessibility"]["score"] * 100,
                "best": categories["best-practices"]["score"] * 100,
                "seo": categories["seo"]["score"] * 100,
                "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
                "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
                "tbt": audits["total-blocking-time"]["numericValue"],
                "cls": audits["cumulative-layout-shift"]["numericValue"],
                "failed": [a["id"] for cat in ("accessibility", "best-practices", "seo")
                           for a in (audits[ref["id"]] for ref in categories[cat]["auditRefs"])
                           if a.get("score") is not None and a["score"] < 1
                           and a.get("scoreDisplayMode") in ("binary", "numeric")],
            })
        if not runs:
            continue
        med = {key: statistics.median(r[key] for r in runs) for key in runs[0] if key != "failed"}
        print(f"  {name:<10} {med['perf']:>5.0f} {med['a11y']:>5.0f} {med['best']:>5.0f} "
              f"{med['seo']:>5.0f} {med['fcp']:>6.2f} {med['lcp']:>6.2f} {med['tbt']:>7.0f} "
              f"{med['cls']:>6.3f}")
        failed = sorted({audit for run in runs for audit in run["failed"]})
        if failed:
            print(f"  {'':<10} audits below 100: {', '.join(failed)}")


def page_weight(address: str, paths: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    totals = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for path in paths:
            context = browser.new_context(viewport={"width": 390, "height": 800})
            page = context.new_page()
            sizes: list[tuple[str, int, int]] = []

            def on_finished(request, sizes=sizes):
                response = request.response()
                if response is None:
                    return
                body = response.body()
                sent = request.sizes()["responseBodySize"]
                sizes.append((request.url, sent, len(body)))

            page.on("requestfinished", on_finished)
            page.goto(address + path, wait_until="networkidle")
            totals.append((path, sum(s[1] for s in sizes), sum(s[2] for s in sizes), len(sizes)))
            context.close()
        browser.close()
    sent = sorted(t[1] for t in totals)
    raw = sorted(t[2] for t in totals)
    requests = sorted(t[3] for t in totals)
    heaviest = max(totals, key=lambda t: t[1])

    def kb(value):
        return f"{value / 1024:.0f} KB"

    p90 = sent[int(0.9 * (len(sent) - 1))]
    print(f"Page weight, cold load at 390 px, {len(totals)} pages (sent with gzip / as files):")
    print(f"  median {kb(statistics.median(sent))} / {kb(statistics.median(raw))}, "
          f"90th percentile {kb(p90)}, largest {kb(heaviest[1])} ({heaviest[0] or 'home'})")
    print(f"  requests per page: median {statistics.median(requests):.0f}, max {max(requests)}")


def validator(site_dir: Path) -> None:
    files = sorted(str(p) for p in site_dir.rglob("*.html"))
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True, check=False)
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    origins = Counter()
    by_message = Counter()
    for message in messages:
        extract = message.get("extract", "")
        classes = " ".join(re.findall(r'class="([^"]*)"', extract))
        if re.search(r"\b(gp|govpub)-", classes) or "gp-" in extract:
            origin = "govpub templates"
        elif "md-" in classes or "md-" in extract or "__drawer" in extract:
            origin = "Material templates"
        else:
            origin = "page content"
        origins[origin] += 1
        by_message[(origin, message["message"][:110])] += 1
    print(f"W3C validator (vnu): {len(messages)} error(s) in {len(files)} pages")
    for origin in ("govpub templates", "Material templates", "page content"):
        print(f"  from {origin}: {origins[origin]}")
    for (origin, text), count in by_message.most_common():
        print(f"    {count:>4} × [{origin}] {text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="Lighthouse runs per page")
    args = parser.parse_args()
    missing = [str(p) for p in (LIGHTHOUSE, VNU) if not p.exists()]
    if missing or not shutil.which("java") or not Path(CHROMIUM).exists():
        print("bench_site: missing tools (" + ", ".join(missing or ["java or chromium"]) +
              "): run `make bench-site`", file=sys.stderr)
        return 2
    site_dir, model = build_demo()
    server, address = serve(site_dir)
    try:
        base = model.policy.base_url
        paths = sitemap_paths(site_dir, base)
        pages = {"home": "", "catalog": "catalog/",
                 "item": model.of_type("service-item")[0].url,
                 "notice": model.of_type("notice")[0].url,
                 "policy": model.of_type("policy")[0].url}
        lighthouse(address, pages, args.repeat)
        page_weight(address, paths)
        validator(site_dir)
    finally:
        server.shutdown()
    print(f"(site: {site_dir}; host {urlsplit(address).netloc})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
