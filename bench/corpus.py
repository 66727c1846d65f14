"""Generate a realistic site repository of any size, for benchmarks.

``generate(root, pages=10_000)`` writes ``site_config/`` (copied from this
repository), pages of every type in Chinese and English with links between
them, PDF attachments with real text, and sign-off records for everything,
so that ``govpub check`` on the result reports nothing blocking.

Run directly: ``python bench/corpus.py OUT_DIR [PAGES]``.
"""

from __future__ import annotations

import random
import shutil
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from govpub.digest import digest_for

REPO = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2024, 1, 1, 9, 0, tzinfo=TZ)

ZH = ["国家知识产权局", "专利", "商标", "审查", "申请人", "办理", "受理", "通知", "规定", "实施", "服务", "事项", "材料", "期限", "费用", "减缴", "复审", "无效", "宣告", "代理", "机构", "集成电路", "布图设计", "登记", "国际", "申请", "评价", "报告", "政务", "公开", "数据", "平台", "网站", "建设", "管理", "监督", "保护", "运用", "转化", "创新", "发展", "工作", "方案", "意见"]
EN = ["patent", "application", "examination", "office", "service", "item", "fee", "reduction", "request", "review", "invalidation", "agency", "layout", "design", "registration", "international", "report", "public", "data", "platform", "website", "management", "supervision", "protection", "innovation", "plan"]

SHARES = [("notices", 0.35), ("news", 0.1), ("policies", 0.1), ("catalog", 0.1),
          ("guides", 0.1), ("faq", 0.05), ("reproduced", 0.1), ("en", 0.1)]

def _pdf(text: str) -> bytes:
    """A minimal valid one-page PDF whose text pypdf and pdftotext can extract."""
    stream = b"BT /F1 12 Tf 72 760 Td (" + text.encode("ascii") + b") Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj" % number + body + b"endobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _words(rng: random.Random, vocabulary, count: int, sep: str) -> str:
    return sep.join(rng.choice(vocabulary) for _ in range(count))


def _body(rng: random.Random, english: bool, links: list[str]) -> str:
    vocab, sep, end = (EN, " ", ".") if english else (ZH, "", "。")
    parts = []
    for section in range(rng.randint(2, 4)):
        parts.append(f"## {'Section' if english else '第'}{section + 1}"
                     f"{'' if english else '部分'}\n")
        for _ in range(rng.randint(2, 4)):
            parts.append(_words(rng, vocab, rng.randint(25, 60), sep) + end + "\n")
    for target in links:
        parts.append(f"- [{'See also' if english else '相关链接'}]({target})")
    return "\n".join(parts) + "\n"


def _front(fields: dict) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False,
                                    width=1000) + "---\n\n"


def _item_fields(code: str, depth: int, rng: random.Random) -> dict:
    statutory = rng.choice([10, 20, 30, 60])
    fields = {
        "code": code, "item_type": rng.choice(["administrative-licensing",
                                               "administrative-confirmation",
                                               "public-service", "other"]),
        "category": rng.choice(["专利申请", "专利审查", "专利费用", "专利代理", "集成电路布图设计"]),
        "legal_basis": ["《中华人民共和国专利法》"],
        "conditions": ["申请文件齐备"],
        "documents": [{"name": "请求书", "form": "electronic", "copies": 1, "required": True}],
        "process": [{"step": "申请", "description": "提交申请"},
                    {"step": "受理", "description": "审查受理条件", "days": 5},
                    {"step": "决定", "description": "作出决定"}],
        "time_limit": {"statutory_days": statutory, "promised_days": statutory // 2},
        "free": True,
        "online_depth": depth,
        "visits": 0 if depth == 4 else 1,
        "channels": ["online", "hall"],
        "contact": {"enquiry": "12330", "complaint": "010-62083114"},
    }
    if depth >= 3:
        fields["online_url"] = "https://cponline.cnipa.gov.cn/"
    return fields


def generate(root: Path, pages: int = 10_000, seed: int = 0) -> dict:
    """Write a complete repository at ``root``; return counts by column."""
    rng = random.Random(seed)
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(REPO / "site_config", root / "site_config")
    content = root / "content"
    counts = {column: max(1, int(pages * share)) for column, share in SHARES}
    counts["notices"] += pages - sum(counts.values())
    files: dict[str, bytes] = {}
    codes = [f"{113500200000 + i:012d}" for i in range(counts["catalog"])]
    for index, code in enumerate(codes):
        fields = {"title": f"服务事项 {index}", "source": "专利局初审及流程管理部",
                  "published": (START + timedelta(hours=index)).isoformat(),
                  "disclosure": "proactive", **_item_fields(code, index % 4 + 1, rng)}
        if index % 10 == 0:
            attachment = f"attachments/form-{code}.pdf"
            files[attachment] = _pdf(f"Application form {code}")
            fields["documents"][0]["template"] = f"../{attachment}"
        files[f"catalog/{code}.md"] = (_front(fields) + _body(rng, False, [])).encode()
    dated: dict[str, list[str]] = {}
    policy_paths = []
    for column, count in counts.items():
        if column == "catalog":
            continue
        for index in range(count):
            when = START + timedelta(hours=7 * index + rng.randint(0, 6))
            name = f"{column}/{when:%Y-%m-%d}-{column}-{index:05d}.md"
            english = column == "en"
            fields = {"title": (f"Notice {index} on " + _words(rng, EN, 3, " ")) if english
                      else f"关于{_words(rng, ZH, 4, '')}的通知（{index}）",
                      "source": "General Office" if english else "国家知识产权局办公室",
                      "published": when.isoformat(), "disclosure": "proactive"}
            if english:
                fields["lang"] = "en"
            if column in ("notices", "news"):
                fields["category"] = "通知"
            elif column == "policies":
                fields.update(policy_kind="normative-document", status="in-force",
                              doc_number=f"国知发〔{when.year}〕{index}号")
                policy_paths.append(name)
            elif column == "guides":
                fields["items"] = [codes[index % len(codes)]]
            elif column == "reproduced":
                fields["reproduces"] = {"url": f"https://www.gov.cn/zhengce/content/{index}.htm",
                                        "title": f"国务院文件 {index}", "publisher": "国务院办公厅",
                                        "published": when.isoformat()}
            dated.setdefault(column, []).append(name)
            previous = dated[column][-2] if len(dated[column]) > 1 else None
            links = [f"../catalog/{codes[index % len(codes)]}.md"]
            if previous:
                links.append("../" + previous + "#" + ("section1" if english else "第1部分"))
            files[name] = (_front(fields) + _body(rng, english, links)).encode()
    review = root / "review"
    for rel, data in files.items():
        target = content / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        reviewers = ["li-wei", "zhang-min"] if rel in policy_paths else ["li-wei"]
        record = {"content": rel, "digest": digest_for(rel, data),
                  "signoffs": [{"reviewer": r, "at": "2026-11-01T10:00:00+08:00",
                                "decision": "public", "note": "benchmark"} for r in reviewers]}
        record_file = review / (rel + ".yml")
        record_file.parent.mkdir(parents=True, exist_ok=True)
        record_file.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False),
                               encoding="utf-8")
    return counts


if __name__ == "__main__":
    out = Path(sys.argv[1])
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    print(generate(out, total))
