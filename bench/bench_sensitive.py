"""Cost of the sensitive-content scan (GP501–GP507) relative to `govpub check`.

    .venv/bin/python bench/bench_sensitive.py            # 1,000 pages + 20 PDF/DOCX attachments
    .venv/bin/python bench/bench_sensitive.py --pages 3000

Generates a corpus of realistic Chinese pages (front matter, ~3 KB of body
with numbers, hotlines, dates, links, an occasional planted secret), then
times the whole check (load + every registered rule) with and without the
GP5xx rules. Target: the scan adds under 30 % to `govpub check`.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from integrity_fixtures import NOW, make_site, page

from govpub.checker import run_checks
from govpub.config import load_policy
from govpub.content import load_corpus
from govpub.rules import registry
from govpub.sensitive import extract

PARAGRAPH = ("根据《中华人民共和国专利法》及其实施细则，申请人可以通过专利业务办理系统在线提交申请，"
             "咨询电话 12330，办公电话 010-62356655，事项编码 113100000000，"
             "文号国知发〔2026〕13号，发布日期 2026年11月20日。本法所称商业秘密，"
             "是指不为公众所知悉的技术信息。详见 [中国政府网](https://www.gov.cn/zhengce/)。\n\n")


def corpus(pages: int, attachments: int) -> dict[str, str | bytes]:
    import docx

    rng = random.Random(7)
    files: dict[str, str | bytes] = {}
    for i in range(pages):
        body = f"# 标题 {i}\n\n" + PARAGRAPH * 8
        if rng.random() < 0.02:
            body += "联系人手机 13812345678\n"
        files[f"notices/p{i:05d}.md"] = page(body, doc_number=f"国知发〔2026〕{i}号")
    for i in range(attachments):
        document = docx.Document()
        for _ in range(20):
            document.add_paragraph(PARAGRAPH.strip())
        buffer = io.BytesIO()
        document.save(buffer)
        files[f"notices/form{i:03d}.docx"] = buffer.getvalue()
    return files


def timed(root: Path, rules, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        # a real `govpub check` is one process: no extracted text from a previous run
        # (segments are derived per Document, and the corpus is loaded afresh below)
        extract._extract_cached.cache_clear()
        start = time.perf_counter()
        policy = load_policy(root)
        run_checks(policy, load_corpus(policy.content_dir), NOW, rules=rules)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--attachments", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = make_site(Path(tmp), corpus(args.pages, args.attachments))
        every = registry.all()
        without = [r for r in every if not r.id.startswith("GP5")]
        only = [r for r in every if r.id.startswith("GP5")]
        timed(root, without, 1)  # warm the file cache and imports
        base = timed(root, without, args.repeat)
        full = timed(root, every, args.repeat)
        scan = timed(root, only, args.repeat)
    n = args.pages + args.attachments
    print(f"corpus: {args.pages} pages + {args.attachments} DOCX attachments")
    print(f"check without GP5xx: {base:.2f} s")
    print(f"check with GP5xx:    {full:.2f} s")
    print(f"scan alone (load + GP5xx): {scan:.2f} s = {scan / n * 1000:.2f} ms per file")
    print(f"added by the scan: {(full - base) / base * 100:.1f} % (target < 30 %)")


if __name__ == "__main__":
    main()
