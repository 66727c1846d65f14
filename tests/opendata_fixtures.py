"""A tiny site repository for the open-data, feed, catalog and handout tests.

Its own minimal ``site_config/`` (the real one lives elsewhere), three
service items in two categories (one withheld, so the gate blocks it), a
guide, notices, a policy and reproductions (one blocked).
"""

from __future__ import annotations

import json
import textwrap
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from govpub.checker import run_checks
from govpub.config import load_policy
from govpub.content import load_corpus
from govpub.findings import Severity
from govpub.rules import Rule
from govpub.sitemodel import SiteModel, build_site_model

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TYPES = ("service-item", "guide", "notice", "policy", "reproduction", "page")


class WithheldBlocks(Rule):
    """Test stand-in for the real disclosure rule: only proactive pages publish."""

    id = "GP990"
    name = "test-disclosure"
    severity = Severity.ERROR

    def check(self, ctx):
        for doc in ctx.corpus.pages():
            if doc.has_meta and doc.meta.get("disclosure") != "proactive":
                yield ctx.finding(self, doc, doc.line_of("disclosure"), "not proactive")


def _item(code, title, category, item_type, depth, statutory, promised, channels,
          published, disclosure="proactive", extra=""):
    text = textwrap.dedent(f"""\
        ---
        title: {title}
        source: 专利局初审及流程管理部
        published: {published}
        disclosure: {disclosure}
        code: "{code}"
        item_type: {item_type}
        category: {category}
        online_depth: {depth}
        visits: 0
        channels: {json.dumps(channels)}
        time_limit:
          statutory_days: {statutory}
          promised_days: {promised}
        free: true
        legal_basis: ["《专利法》第三条"]
        conditions: ["申请人为专利权人"]
        documents:
          - {{name: 申请表, form: original, copies: 1, required: true, template: ../attachments/forms/a.pdf}}
        process:
          - {{step: 申请, description: 在线提交申请}}
          - {{step: 受理, description: 五日内受理, days: 5}}
        online_url: https://cponline.example.gov.cn/
        halls: [{{name: 受理大厅, address: 北京市海淀区西土城路6号, hours: "8:30-16:30"}}]
        contact: {{enquiry: "010-62356655", complaint: "010-62083114"}}
        ---
        # {title}

        办理{title}的完整指南。Apply online or in the hall.
        """)
    return text.replace("\n---\n# ", "\n" + extra + "---\n# ", 1)


CONTENT = {
    "catalog/000100000001.md": _item("000100000001", "专利权评价报告请求", "专利",
                                     "public-service", 4, 30, 20, ["online", "hall"],
                                     "2026-11-01T09:00:00"),
    "catalog/000200000002.md": _item("000200000002", "商标注册申请 <A&B>", "商标",
                                     "administrative-licensing", 3, 270, 180, ["online", "mail"],
                                     "2026-11-02T09:00:00+08:00",
                                     extra="updated: 2026-11-10T15:30:00+08:00\n"),
    "catalog/000300000003.md": _item("000300000003", "机密事项不得公开", "专利",
                                     "administrative-confirmation", 1, 20, 10, ["hall"],
                                     "2026-11-03T09:00:00", disclosure="withheld"),
    "attachments/forms/a.pdf": "%PDF-1.4\n%fake\n",
    "guides/patent-evaluation.md": textwrap.dedent("""\
        ---
        title: 专利权评价报告办事指南
        source: 专利局
        published: 2026-11-05T10:00:00+08:00
        disclosure: proactive
        items: ["000100000001"]
        ---
        Guide body.
        """),
    "guides/withheld-guide.md": textwrap.dedent("""\
        ---
        title: 内部办理口径
        source: 专利局
        published: 2026-11-06T10:00:00+08:00
        disclosure: withheld
        items: ["000100000001"]
        ---
        Not public.
        """),
    "notices/2026-11-20-fee.md": textwrap.dedent("""\
        ---
        title: 关于调整专利收费的公告 & "quotes"
        source: 办公室
        published: 2026-11-20T10:00:00+08:00
        disclosure: proactive
        doc_number: 第123号
        category: 公告
        ---
        Body.
        """),
    "notices/2026-11-21-hold.md": textwrap.dedent("""\
        ---
        title: 内部通知
        source: 办公室
        published: 2026-11-21T10:00:00+08:00
        disclosure: on-request
        ---
        Not public.
        """),
    "policies/patent-law.md": textwrap.dedent("""\
        ---
        title: 中华人民共和国专利法
        source: 全国人民代表大会常务委员会
        published: 2020-10-17T00:00:00+08:00
        updated: 2026-06-01T00:00:00+08:00
        disclosure: proactive
        policy_kind: law
        doc_number: 主席令第五十五号
        status: in-force
        ---
        Text.
        """),
    "reproduced/2026-11-25-state-council.md": textwrap.dedent("""\
        ---
        title: 国务院关于进一步优化政务服务的意见
        source: 国务院
        published: 2026-11-25T08:00:00+08:00
        disclosure: proactive
        reproduces:
          url: https://www.gov.cn/zhengce/content/2026-11/24/content_1.htm
          title: 国务院关于进一步优化政务服务的意见
          publisher: 国务院办公厅
          published: 2026-11-24T20:00:00
        ---
        Reproduced text.
        """),
    "reproduced/2026-11-26-blocked.md": textwrap.dedent("""\
        ---
        title: 未审核转载
        source: 国务院
        published: 2026-11-26T08:00:00+08:00
        disclosure: withheld
        reproduces: {url: "https://www.gov.cn/x", title: x, publisher: 国务院, published: 2026-11-26}
        ---
        Blocked.
        """),
}

BLOCKED_CODE = "000300000003"
BLOCKED_TITLES = ("机密事项不得公开", "内部通知", "未审核转载", "内部办理口径")


def write_repo(root: Path, content: dict[str, str] | None = None) -> Path:
    config = root / "site_config"
    (config / "types").mkdir(parents=True)
    (config / "site.yml").write_text(textwrap.dedent("""\
        name: 国家知识产权局
        name_en: CNIPA
        base_url: https://www.example.gov.cn/
        timezone: Asia/Shanghai
        languages: [zh, en]
        organizer: 国家知识产权局
        contact: {email: webmaster@example.gov.cn}
        """), encoding="utf-8")
    columns = {"catalog": ("service-item", "服务事项"), "guides": ("guide", "办事指南"),
               "notices": ("notice", "通知公告"), "policies": ("policy", "政策文件"),
               "reproduced": ("reproduction", "转载"), "attachments": ("page", "附件"),
               "": ("page", "首页")}
    lines = ["columns:"]
    for folder, (type_name, title) in columns.items():
        lines.append(f'  "{folder}": {{type: {type_name}, title: {title}, owner: 办公室}}')
    (config / "columns.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (config / "reviewers.yml").write_text(
        "reviewers:\n  - {id: li-wei, name: 李伟, emails: [li@example.gov.cn]}\n",
        encoding="utf-8")
    for type_name in TYPES:
        (config / "types" / f"{type_name}.schema.json").write_text('{"type": "object"}')
    for rel, text in (CONTENT if content is None else content).items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def model_of(root: Path, now: datetime = NOW) -> SiteModel:
    policy = load_policy(root)
    corpus = load_corpus(policy.content_dir)
    return build_site_model(run_checks(policy, corpus, now, rules=[WithheldBlocks]))


def site_model(tmp_path: Path) -> SiteModel:
    return model_of(write_repo(tmp_path / "repo"))
