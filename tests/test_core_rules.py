"""Front matter, catalog and link rules: exact rule id, path and line."""

from __future__ import annotations

from factory import NOW, REPO, guide, make_repo, notice, service_item

from govpub.checker import check_repository
from govpub.config import load_policy

NOTICE = "notices/2026-11-20-a.md"


def check(tmp_path, files, **kwargs):
    root = make_repo(tmp_path, files, **kwargs)
    return check_repository(load_policy(root), NOW)


def found(result, rule=None):
    return [(f.rule, f.path, f.line) for f in result.findings if rule in (None, f.rule)]


def test_missing_source_says_how_to_fix(tmp_path):
    result = check(tmp_path, {NOTICE: notice(source=None).replace(
        "source: 国家知识产权局办公室\n", "")})
    [finding] = [f for f in result.findings if f.rule == "GP102"]
    assert finding.path == "content/" + NOTICE and finding.line == 6  # the closing ---
    assert "'source' is missing — add the originating department" in finding.message
    assert NOTICE in result.blocked


def test_malformed_published_and_updated_before_published(tmp_path):
    result = check(tmp_path, {
        "notices/a.md": notice(published="20 November 2026"),
        "notices/b.md": notice(updated="2026-11-01T10:00:00+08:00"),
    })
    assert ("GP102", "content/notices/a.md", 4) in found(result)
    assert ("GP102", "content/notices/b.md", 7) in found(result)


def test_disclosure_other_than_proactive_blocks(tmp_path):
    result = check(tmp_path, {NOTICE: notice().replace("proactive", "on-request")})
    assert found(result, "GP103") == [("GP103", "content/" + NOTICE, 5)]
    assert NOTICE in result.blocked


def test_schema_errors_each_with_field_line(tmp_path):
    page = service_item(online_depth="5", documents="[{name: 请求书, form: scan, copies: 1, "
                        "required: true}]", tittle="typo")
    result = check(tmp_path, {"catalog/113500100001.md": page})
    schema = found(result, "GP101")
    lines = {line for _, _, line in schema}
    assert 11 in lines  # documents[0].form
    assert 15 in lines  # online_depth
    assert 20 in lines  # tittle
    messages = " ".join(f.message for f in result.findings if f.rule == "GP101")
    assert "unknown field `tittle`" in messages


def test_future_published_is_scheduled_and_held_back(tmp_path):
    result = check(tmp_path, {NOTICE: notice(published="2027-01-05T09:00:00+08:00")})
    [finding] = [f for f in result.findings if f.rule == "GP104"]
    assert str(finding.severity) == "info" and "2027-01-05T09:00+08:00" in finding.message
    assert NOTICE in result.blocked
    later = check_repository(result.context.policy, NOW.replace(year=2027, month=2))
    assert NOTICE not in later.blocked


def test_page_outside_any_column(tmp_path):
    result = check(tmp_path, {"misc/x.md": notice()})
    assert ("GP105", "content/misc/x.md", 1) in found(result)


def test_service_item_cross_field_rules(tmp_path):
    page = service_item(time_limit="{statutory_days: 20, promised_days: 30}", online_depth="4",
                        visits="1", online_url=None, free=None,
                        fees="[{name: 申请费, amount: 900}]")
    result = check(tmp_path, {"catalog/113500100001.md": page})
    rules = {f.rule for f in result.findings}
    assert {"GP402", "GP403", "GP404", "GP405"} <= rules


def test_item_code_unique_and_equal_to_file_name(tmp_path):
    result = check(tmp_path, {
        "catalog/113500100001.md": service_item(),
        "catalog/fee.md": service_item(),
    })
    messages = [f.message for f in result.findings if f.rule == "GP401"]
    assert any("should be named content/catalog/113500100001.md" in m for m in messages)
    assert sum("also used by" in m for m in messages) == 2


def test_guide_items_must_exist(tmp_path):
    result = check(tmp_path, {"catalog/113500100001.md": service_item(),
                              "guides/a.md": guide(codes=("113500100001", "113500100099"))})
    assert found(result, "GP406") == [("GP406", "content/guides/a.md", 6)]


def test_links_broken_escaping_blocked_and_anchors(tmp_path):
    body = "\n".join([
        "[ok](2026-11-20-a.md#正文标题)",
        "[missing](nope.md)",
        "[escape](../../site_config/site.yml)",
        "[blocked](2026-11-21-blocked.md)",
        "[bad anchor](2026-11-20-a.md#nowhere)",
        "[column](../guides/)",
    ])
    files = {
        NOTICE: notice(body="## 正文标题\n\n内容"),
        "notices/2026-11-21-links.md": notice(body=body),
        "notices/2026-11-21-blocked.md": notice(disclosure="withheld"),
    }
    result = check(tmp_path, files)
    links = "content/notices/2026-11-21-links.md"
    assert ("GP301", links, 10) in found(result)
    assert ("GP303", links, 11) in found(result)
    assert ("GP302", links, 12) in found(result)
    assert ("GP304", links, 13) in found(result)
    assert len(found(result, "GP304")) == 1 and len(found(result, "GP301")) == 1
    assert "notices/2026-11-21-links.md" in result.blocked
    assert NOTICE not in result.blocked


def test_blocking_propagates_through_chains_of_links(tmp_path):
    files = {
        "notices/a.md": notice(body="[b](b.md)"),
        "notices/b.md": notice(body="[c](c.md)"),
        "notices/c.md": notice(),
    }
    root = make_repo(tmp_path, files, sign=["notices/a.md", "notices/b.md"])
    result = check_repository(load_policy(root), NOW)
    assert result.blocked == {"notices/a.md", "notices/b.md", "notices/c.md"}


def test_attachment_templates_in_front_matter_are_links(tmp_path):
    item = service_item(documents="[{name: 请求书, form: electronic, copies: 1, required: true, "
                        "template: ../attachments/form.docx}]")
    root = make_repo(tmp_path, {"catalog/113500100001.md": item,
                                "attachments/form.docx": b"PK\x03\x04 docx"},
                     sign=["catalog/113500100001.md"])
    result = check_repository(load_policy(root), NOW)
    assert ("GP209", "content/attachments/form.docx", 1) in found(result)
    assert ("GP302", "content/catalog/113500100001.md", 11) in found(result)


def test_interpretation_must_point_at_a_policy(tmp_path):
    interp = notice(policy_kind="interpretation", status="in-force",
                    interprets="policies/missing.md", category=None)
    result = check(tmp_path, {"policies/2026-01-01-interp.md": interp})
    assert ("GP407", "content/policies/2026-01-01-interp.md", 8) in found(result)


def test_parallel_check_finds_exactly_what_the_serial_check_finds(tmp_path, monkeypatch):
    import govpub.checker as checker

    files = {f"notices/2026-11-{day:02d}-n.md": notice(body=f"[next](2026-11-{day + 1:02d}-n.md)")
             for day in range(1, 20)}
    files["notices/2026-11-20-n.md"] = notice()
    files["notices/2026-11-05-n.md"] = notice(disclosure="withheld")
    files["notices/bad.md"] = "---\ntitle: [\n---\n"
    # a PDF: read by the first worker process, whatever the machine (checker.plan_chunks)
    files["attachments/form.pdf"] = b"%PDF-1.4 not really"
    root = make_repo(tmp_path, files)
    policy = load_policy(root)
    serial = check_repository(policy, NOW, use_cache=False)  # the cache has its own tests
    monkeypatch.setattr(checker, "MIN_FILES_PER_SHARE", 1)
    parallel = check_repository(policy, NOW, use_cache=False)
    assert parallel.findings == serial.findings
    assert parallel.blocked == serial.blocked
    lean = check_repository(policy, NOW, keep_bodies=False, use_cache=False)  # what `govpub check` asks for
    assert lean.findings == serial.findings and lean.blocked == serial.blocked
    assert any(d.body is None for d in lean.context.corpus.documents.values())
    focused = check_repository(policy, NOW, focus={"notices/2026-11-01-n.md"})
    assert focused.findings_for("notices/2026-11-01-n.md") == serial.findings_for(
        "notices/2026-11-01-n.md")
    assert "notices/2026-11-01-n.md" in focused.blocked
    # the withheld page, the bad one, the four linking back, and the unreadable PDF
    assert len(serial.blocked) == 7


def test_comments_are_published_only_once_answered(tmp_path):
    demo = REPO / "content" / "comments"
    files = {f"comments/{p.name}": p.read_text(encoding="utf-8") for p in demo.glob("*.md")}
    result = check(tmp_path, files)
    held = {f.path.removeprefix("content/") for f in result.findings if f.rule == "GP108"}
    outcomes = {path: ("outcome: answered" in text, "outcome: withheld" in text)
                for path, text in files.items()}
    assert held == {p for p, (answered, _) in outcomes.items() if not answered}
    assert any(withheld for _, withheld in outcomes.values())
    assert held <= result.blocked
    assert any(answered for answered, _ in outcomes.values())
    for finding in result.findings:
        if finding.rule == "GP108":  # on a field of the page, never on the `---` line
            lines = files[finding.path.removeprefix("content/")].split("\n")
            assert lines[finding.line - 1].startswith(("outcome:", "received:")), finding


def test_a_focused_check_gives_the_full_verdict_for_the_focus(tmp_path):
    files = {
        "notices/a.md": notice(body="[b](b.md)"),
        "notices/b.md": notice(body="[c](c.md)"),
        "notices/c.md": notice(disclosure="withheld"),
        "notices/d.md": notice(source=None).replace("source: 国家知识产权局办公室\n", ""),
        "guides/g.md": guide(codes=("113500100001",)),
        "catalog/113500100001.md": service_item(),
    }
    root = make_repo(tmp_path, files)
    policy = load_policy(root)
    full = check_repository(policy, NOW)
    for focus in ({"notices/a.md"}, {"guides/g.md"}, {"notices"}, {"notices/d.md"}):
        focused = check_repository(policy, NOW, focus=focus)
        wanted = {p for p in files if any(p == f or p.startswith(f + "/") for f in focus)}
        assert wanted <= focused.context.scope
        for path in wanted:
            assert focused.findings_for(path) == full.findings_for(path), path
            assert (path in focused.blocked) == (path in full.blocked), path
    # only the focus and what it depends on were checked
    assert check_repository(policy, NOW, focus={"notices/d.md"}).context.scope == {
        "notices/d.md"}
    assert check_repository(policy, NOW, focus={"notices/a.md"}).context.scope == {
        "notices/a.md", "notices/b.md", "notices/c.md"}


def test_entries_are_planned_in_chunks_with_every_entry_once():
    from pathlib import Path

    from govpub.checker import CHUNK_FILES, plan_chunks
    from govpub.content import Entry

    def entries(names):
        return [Entry(Path("/x") / n, n) for n in names]

    pages = [f"notices/{k:05d}.md" for k in range(1000)]
    for pdfs in (0, 3, 500):
        listed = entries(sorted(pages + [f"attachments/{k}.pdf" for k in range(pdfs)]))
        chunks, first = plan_chunks(listed, 2)
        assert sorted(e.rel for c in chunks for e in c) == sorted(e.rel for e in listed)
        assert all(0 < len(c) <= CHUNK_FILES for c in chunks)
        pdf_chunks = [k for k, c in enumerate(chunks) if c[0].rel.endswith(".pdf")]
        assert pdf_chunks == list(range(len(pdf_chunks)))  # the costly ones first
        assert all(e.rel.endswith(".pdf") for k in pdf_chunks for e in chunks[k])
        # a few PDFs: one process reads them all; many: every process shares them
        assert first == ([] if not pdfs else pdf_chunks if pdfs == 3 else [0])


def test_rule_and_audit_check_ids_are_never_shared():
    """One id, one meaning: `govpub rules`, `govpub audit --list` and docs/rules.md
    are read by id, so a rule and an audit check may not carry the same one."""
    from govpub.audit.checks import CHECKS
    from govpub.rules import registry

    rule_ids = [rule.id for rule in registry.all()]
    check_ids = [check.id for check in CHECKS]
    assert len(set(check_ids)) == len(check_ids)
    assert not set(rule_ids) & set(check_ids)
