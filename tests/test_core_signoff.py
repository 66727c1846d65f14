"""Sign-off rules and the digest: approval binds to exact bytes."""

from __future__ import annotations

import shutil

import pytest
from factory import NOW, make_repo, notice
from hypothesis import given, settings
from hypothesis import strategies as st

from govpub.checker import check_repository
from govpub.config import load_policy
from govpub.digest import digest_for, normalize_text_bytes
from govpub.review.records import add_signoff, record_path_for

NOTICE = "notices/2026-11-20-a.md"


def rules_on(result, path="content/" + NOTICE):
    return sorted(f.rule for f in result.findings if f.path == path)


def test_unsigned_page_and_attachment(tmp_path):
    root = make_repo(tmp_path, {NOTICE: notice(), "attachments/x.pdf": b"%PDF-1.4"}, sign=False)
    result = check_repository(load_policy(root), NOW)
    assert rules_on(result) == ["GP201"]
    assert "GP209" in rules_on(result, "content/attachments/x.pdf")
    assert result.blocked >= {NOTICE, "attachments/x.pdf"}


def test_edit_after_signoff_voids_it(tmp_path):
    root = make_repo(tmp_path, {NOTICE: notice()})
    page = root / "content" / NOTICE
    page.write_text(notice(body="改动后的正文。"), encoding="utf-8")
    result = check_repository(load_policy(root), NOW)
    assert rules_on(result) == ["GP202"]


def test_bom_and_crlf_do_not_void_a_signoff(tmp_path):
    root = make_repo(tmp_path, {NOTICE: notice()})
    page = root / "content" / NOTICE
    page.write_bytes(b"\xef\xbb\xbf" + page.read_bytes().replace(b"\n", b"\r\n"))
    result = check_repository(load_policy(root), NOW)
    assert NOTICE not in result.blocked


def test_binary_attachments_are_hashed_as_they_are():
    assert digest_for("a.pdf", b"1\r\n2") != digest_for("a.pdf", b"1\n2")
    assert digest_for("a.md", b"1\r\n2") == digest_for("a.md", b"1\n2")


def test_unknown_reviewer_not_public_and_levels(tmp_path):
    root = make_repo(tmp_path, {NOTICE: notice(), "notices/b.md": notice(),
                                "policies/2026-01-01-p.md": notice(
                                    category=None, policy_kind="rule", status="in-force")})
    policy = load_policy(root)
    record = record_path_for(policy, NOTICE)
    reviewer = sorted(policy.reviewers)[0]
    record.write_text(record.read_text(encoding="utf-8").replace(reviewer, "mallory"),
                      encoding="utf-8")
    add_signoff(policy, "notices/b.md", reviewer, "not-public", "contains names", NOW)
    policies_record = record_path_for(policy, "policies/2026-01-01-p.md")
    policies_record.unlink()
    add_signoff(policy, "policies/2026-01-01-p.md", reviewer, "public", "ok", NOW)
    result = check_repository(policy, NOW)
    assert "GP203" in {f.rule for f in result.findings}
    assert "GP204" in rules_on(result, "content/notices/b.md")
    assert policy.levels_for("policies/2026-01-01-p.md") == 2
    assert rules_on(result, "content/policies/2026-01-01-p.md") == ["GP205"]
    assert result.blocked == {NOTICE, "notices/b.md", "policies/2026-01-01-p.md"}


def test_orphan_and_malformed_and_misplaced_records(tmp_path):
    root = make_repo(tmp_path, {NOTICE: notice(), "notices/b.md": notice()})
    policy = load_policy(root)
    (root / "content" / "notices" / "b.md").unlink()
    record = record_path_for(policy, NOTICE)
    shutil.copy(record, record_path_for(policy, "notices/c.md"))
    (root / "content" / "notices" / "c.md").write_text(notice(), encoding="utf-8")
    record.write_text("content: [unclosed\n", encoding="utf-8")
    result = check_repository(policy, NOW)
    found = {(f.rule, f.path) for f in result.findings}
    assert ("GP206", "review/notices/b.md.yml") in found
    assert ("GP207", "review/" + NOTICE + ".yml") in found
    assert ("GP207", "review/notices/c.md.yml") in found  # names another file
    assert ("GP201", "content/" + NOTICE) in found
    assert {NOTICE, "notices/c.md"} <= result.blocked


@pytest.fixture(scope="module")
def approved_page(tmp_path_factory):
    """One approved page for every example (building a repository per example took
    four minutes on a busy machine); each example puts the original bytes back."""
    root = make_repo(tmp_path_factory.mktemp("p"), {NOTICE: notice()})
    policy = load_policy(root)
    assert NOTICE not in check_repository(policy, NOW).blocked
    return root / "content" / NOTICE, policy


@settings(max_examples=60)
@given(st.data())
def test_any_byte_change_to_an_approved_file_unapproves_it(approved_page, data):
    page, policy = approved_page
    original = page.read_bytes()
    position = data.draw(st.integers(0, len(original)))
    insert = data.draw(st.binary(min_size=1, max_size=4))
    changed = original[:position] + insert + original[position + 1:]
    if normalize_text_bytes(changed) == normalize_text_bytes(original):
        return  # a BOM or line-ending change: normalized away by design
    page.write_bytes(changed)
    try:
        result = check_repository(policy, NOW)
    finally:
        page.write_bytes(original)
    assert NOTICE in result.blocked


def test_the_record_evaluated_is_the_one_record_path_for_names(tmp_path):
    """The sign-off evaluation names each file's record by text (not by Path arithmetic):
    the same file as record_path_for, for names with spaces, Chinese and dots, and a
    record that is a symbolic link or missing is still no record."""
    from govpub.review.approval import evaluate_one

    odd = {"notices/2026-11-21-空 格.md": notice(), "notices/2026-11-22-a.b.c.md": notice(),
           "notices/2026-11-23-linked.md": notice(), "notices/2026-11-24-none.md": notice()}
    root = make_repo(tmp_path, {NOTICE: notice(), **odd},
                     sign=[NOTICE, *list(odd)[:3]])
    policy = load_policy(root)
    linked = record_path_for(policy, "notices/2026-11-23-linked.md")
    target = linked.with_name("elsewhere.yml")
    linked.rename(target)
    linked.symlink_to(target)
    documents = check_repository(policy, NOW).context.corpus.documents
    for path in [NOTICE, *list(odd)[:2]]:
        state = evaluate_one(policy, documents[path])
        assert state.record_file == record_path_for(policy, path)
        assert str(state.record_file) == str(record_path_for(policy, path))
        assert state.approved, path
    for path in list(odd)[2:]:
        state = evaluate_one(policy, documents[path])
        assert state.record_file is None and state.record is None and not state.approved
