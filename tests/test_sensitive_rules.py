"""The GP5xx rules over a real tiny repository: exactly what is flagged, and where."""

from __future__ import annotations

import io

import docx
from integrity_fixtures import findings_of, full_findings, make_site, page

VALID_ID = "110105199003071239"


def minimal_pdf(text: str | None) -> bytes:
    """A one-page PDF with ``text`` in Helvetica (or no text layer at all when None)."""
    stream = (f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET" if text else "0 0 m 10 10 l S").encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def minimal_docx(header: str, paragraphs: list[str]) -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = header
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_body_findings_with_lines(tmp_path):
    body = "\n".join([
        "第一段，没有问题。",  # line 8
        f"申请人身份证号 {VALID_ID}。",  # 9: GP501
        "错误校验位 110105199003071234。",  # 10: nothing
        "联系人手机 13812345678，咨询电话 12330，座机 010-62356655。",  # 11: GP502 only
        "退费账户 6222020200000000006。",  # 12: GP503
        "来信 zhangsan@163.com 或 ipr@cnipa.gov.cn。",  # 13: GP504 once
        "秘密★1年",  # 14: GP505
        "本法所称商业秘密，是指不为公众所知悉的信息。",  # 15: nothing
        "<script>alert(1)</script>",  # 16: GP506
        "事项编码 113100000000。",  # 17: nothing
    ])
    root = make_site(tmp_path, {"notices/a.md": page(body)})
    assert findings_of(root, "GP5") == [
        ("GP501", "content/notices/a.md", 9),
        ("GP502", "content/notices/a.md", 11),
        ("GP503", "content/notices/a.md", 12),
        ("GP504", "content/notices/a.md", 13),
        ("GP505", "content/notices/a.md", 14),
        ("GP506", "content/notices/a.md", 16),
    ]


def test_messages_never_contain_the_secret(tmp_path):
    body = f"{VALID_ID} 13812345678 6222020200000000006 zhangsan@163.com"
    root = make_site(tmp_path, {"notices/a.md": page(body)})
    findings = full_findings(root, "GP5")
    assert {f.rule for f in findings} == {"GP501", "GP502", "GP503", "GP504"}
    for f in findings:
        for secret in (VALID_ID, "13812345678", "6222020200000000006", "zhangsan"):
            assert secret not in f.message
    assert all("allow:" in f.message for f in findings)


def test_front_matter_values_are_scanned_recursively(tmp_path):
    text = page("正文。", contact="{person: 13812345678}", classification="机密")
    root = make_site(tmp_path, {"notices/a.md": text})
    # front matter: title 2, source 3, published 4, disclosure 5, contact 6, classification 7
    assert findings_of(root, "GP5") == [("GP502", "content/notices/a.md", 6),
                                        ("GP505", "content/notices/a.md", 7)]


def test_allow_entry_suppresses_only_its_rule(tmp_path):
    allowed = page(f"公示 {VALID_ID}\n手机 13812345678",
                   allow="[{rule: GP501, reason: 依法公示的行政处罚决定}]")
    no_reason = page(f"公示 {VALID_ID}", allow="[{rule: GP501, reason: ''}]")
    root = make_site(tmp_path, {"notices/a.md": allowed, "notices/b.md": no_reason})
    assert findings_of(root, "GP5") == [("GP502", "content/notices/a.md", 10),
                                        ("GP501", "content/notices/b.md", 9)]


def test_pdf_attachment_text_is_scanned(tmp_path):
    files = {
        "notices/marked.pdf": minimal_pdf("INTERNAL USE ONLY - call 13812345678"),
        "notices/clean.pdf": minimal_pdf("Patent fee schedule, hotline 12330"),
        "notices/scan.pdf": minimal_pdf(None),
        "notices/broken.pdf": b"%PDF-1.4 this is not really a pdf",
        "notices/old.doc": b"\xd0\xcf\x11\xe0 legacy",
        "notices/photo.png": b"\x89PNG 13812345678",  # media: not scanned
    }
    root = make_site(tmp_path, files)
    assert findings_of(root, "GP5") == [
        ("GP507", "content/notices/broken.pdf", 1),
        ("GP502", "content/notices/marked.pdf", 1),
        ("GP505", "content/notices/marked.pdf", 1),
        ("GP507", "content/notices/old.doc", 1),
        ("GP507", "content/notices/scan.pdf", 1),
    ]
    messages = {f.rule: f.message for f in full_findings(root, "GP5")
                if f.path.endswith("marked.pdf")}
    assert "attachment page 1" in messages["GP505"]
    assert "redact the attachment" in messages["GP502"]


def test_docx_header_and_body_are_scanned(tmp_path):
    files = {
        "notices/form.docx": minimal_docx("秘密★5年", ["申请表", f"身份证号：{VALID_ID}"]),
        "notices/ok.docx": minimal_docx("国家知识产权局", ["商业秘密保护指引", "咨询电话 12330"]),
    }
    root = make_site(tmp_path, files)
    findings = full_findings(root, "GP5")
    assert sorted((f.rule, f.path) for f in findings) == [
        ("GP501", "content/notices/form.docx"), ("GP505", "content/notices/form.docx")]
    by_rule = {f.rule: f.message for f in findings}
    assert "attachment header 1" in by_rule["GP505"]
    assert "paragraph 2" in by_rule["GP501"]


def test_docx_text_is_the_text_python_docx_reads():
    from govpub.sensitive.extract import extract_bytes

    data = minimal_docx("页眉 秘密★5年", ["第一段", "", "第三段\t制表"])
    document = docx.Document(io.BytesIO(data))
    expected = [("header 1", document.sections[0].header.paragraphs[0].text)] + [
        (f"paragraph {n}", p.text) for n, p in enumerate(document.paragraphs, start=1)
        if p.text.strip()]
    assert extract_bytes(".docx", data).chunks == expected


def test_hostile_docx_is_unreadable_not_a_crash():
    from govpub.sensitive.extract import extract_bytes

    bomb = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(bomb, "w") as z:
        z.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
                   "<x>&a;</x>")
    assert "document type" in extract_bytes(".docx", bomb.getvalue()).error
    assert extract_bytes(".docx", b"PK\x03\x04 not a zip").error
    assert extract_bytes(".pdf", b"").error


def test_html_allowed_from_site_yml(tmp_path):
    from integrity_fixtures import SITE_YML
    body = "<center>x</center>\n<div>y</div>\n`<script>` in code is fine"
    root = make_site(tmp_path, {"notices/a.md": page(body)},
                     site_yml=SITE_YML + "html_allowed: [center]\n")
    # <center> (line 8) is now allowed; <div> (line 9) is not in the replaced list
    assert findings_of(root, "GP506") == [("GP506", "content/notices/a.md", 9)]


def test_exceptions_are_listed_for_the_audit(tmp_path):
    from govpub.config import load_policy
    from govpub.content import load_corpus
    from govpub.sensitive.exceptions import list_exceptions

    text = page("x", allow="[{rule: GP501, reason: 依法公示}, {rule: GP502}]")
    root = make_site(tmp_path, {"notices/a.md": text, "notices/b.md": page("y")})
    corpus = load_corpus(load_policy(root).content_dir)
    assert [e.as_dict() for e in list_exceptions(corpus)] == [
        {"path": "content/notices/a.md", "line": 6, "rule": "GP501", "reason": "依法公示"},
        {"path": "content/notices/a.md", "line": 6, "rule": "GP502", "reason": ""},
    ]
