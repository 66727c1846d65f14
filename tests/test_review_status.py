"""`govpub review status` tells what each item is; `reject` takes a reason code that
travels to the editor (the check's GitHub annotations, `review status`)."""

from __future__ import annotations

import json

try:
    from desk_fixtures import as_user, run
    from review_fixtures import make_site, reviewers_yml
except ImportError:  # tests/ imported as a package
    from tests.desk_fixtures import as_user, run
    from tests.review_fixtures import make_site, reviewers_yml

from govpub.review.records import read_record

ID_NUMBER = "110105199003071239"  # a valid resident identity number: GP501 blocks


def queue_site(tmp_path, **kwargs):
    site = make_site(tmp_path, column_levels={"policies": 2}, **kwargs)
    site.page("notices/2026-12-01-9bf55ca8.md", title="关于春节期间业务办理的通知",
              body="春节期间暂停办理。")
    site.commit("ed", "notice", date="2026-11-01T09:00:00+08:00")
    site.page("policies/fee-rules.md", title="专利收费管理办法", body="第一条。")
    site.commit("wang-fang", "policy", date="2026-11-02T09:00:00+08:00")
    site.page("notices/leak.md", title="关于补发证书的通知", body=f"申请人身份证号 {ID_NUMBER}。")
    site.commit("ed", "leak", date="2026-11-03T09:00:00+08:00")
    return site


def leak_path(site) -> str:
    return str(site.root / "content/notices/leak.md")


def status_json(site, *args):
    code, out, err = run(site, "review", "status", "--format", "json",
                         "--now", "2026-11-05T09:00:00", *args)
    assert code == 0, err
    return json.loads(out)


def test_status_tells_title_column_type_authors_age_and_blocking_findings(tmp_path):
    site = queue_site(tmp_path)
    code, out, _ = run(site, "review", "status", "--now", "2026-11-05T09:00:00")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("2026-11-01 09:00  no sign-off record          "
                        "content/notices/2026-12-01-9bf55ca8.md  (ed <ed@example.gov.cn>)")
    assert lines[1] == ("    关于春节期间业务办理的通知 · 通知公告 · notice · 4 days · level 1 of 1 · "
                        "authors: ed <ed@example.gov.cn> · 0 blocking findings")
    assert lines[2].startswith("    digest sha256:")
    details = {line.split(" · ")[0].strip(): line for line in lines if " · " in line}
    assert "level 1 of 2" in details["专利收费管理办法"]
    assert "wang-fang <wang.fang@example.gov.cn>" in details["专利收费管理办法"]
    assert "1 blocking finding" in details["关于补发证书的通知"]
    items = status_json(site)
    assert [i["path"] for i in items] == [  # oldest change first
        "content/notices/2026-12-01-9bf55ca8.md", "content/policies/fee-rules.md",
        "content/notices/leak.md"]
    leak = items[2]
    assert (leak["title"], leak["column"], leak["column_title"], leak["type"]) == (
        "关于补发证书的通知", "notices", "通知公告", "notice")
    assert leak["state"] == "unsigned" and leak["age_hours"] == 48.0
    assert leak["blocking_findings"] == 1
    assert [f["rule"] for f in leak["findings"] if f["severity"] == "error"] == ["GP501"]
    assert leak["authors"] == ["ed <ed@example.gov.cn>"]


def test_status_filters_by_column_and_level(tmp_path):
    site = queue_site(tmp_path)
    as_user(site, "li-wei")
    code, _, err = run(site, "review", "approve", "--commit", "content/policies/fee-rules.md")
    assert code == 0, err
    assert [i["path"] for i in status_json(site, "--column", "policies")] == [
        "content/policies/fee-rules.md"]
    second = status_json(site, "--level", "2")
    assert [i["path"] for i in second] == ["content/policies/fee-rules.md"]
    assert second[0]["signed_by"] == ["li-wei"] and second[0]["state"] == "partial"
    assert "content/policies/fee-rules.md" not in [i["path"] for i in status_json(
        site, "--level", "1")]
    _, out, _ = run(site, "review", "status", "--column", "policies")
    assert "level 2 of 2 · signed by li-wei" in out
    code, _, err = run(site, "review", "status", "--column", "nowhere")
    assert code == 2 and "not a column" in err


def test_reject_with_a_reason_code_reaches_status_and_the_pull_request_check(tmp_path):
    site = queue_site(tmp_path)
    as_user(site, "li-wei")
    code, _, err = run(site, "review", "reject", "content/notices/leak.md", "--code",
                       "personal-data", "--reason", "第1段含申请人身份证号", "--commit")
    assert code == 0, err
    rec, problems = read_record(site.root / "review/notices/leak.md.yml")
    assert not problems
    signoff = rec.signoffs[0]
    assert (signoff.decision, signoff.reason_code, signoff.note) == (
        "not-public", "personal-data", "第1段含申请人身份证号")
    text = (site.root / "review/notices/leak.md.yml").read_text(encoding="utf-8")
    assert "decision: not-public\n  reason_code: personal-data\n  reason: 第1段含申请人身份证号" in text
    _, out, _ = run(site, "review", "status")
    assert ("rejected by li-wei (li-wei) — personal data: 第1段含申请人身份证号") in out
    leak = next(i for i in status_json(site) if i["path"] == "content/notices/leak.md")
    assert leak["state"] == "rejected"
    assert leak["rejections"] == [{"reviewer": "li-wei", "code": "personal-data",
                                   "label": "personal data", "reason": "第1段含申请人身份证号"}]
    code, out, _ = run(site, "check", "--format", "github", leak_path(site))
    assert code == 1
    assert ("::error file=content/notices/leak.md,line=1,col=1,title=GP204::li-wei decided "
            "not-public (personal data): 第1段含申请人身份证号") in out


def test_reason_codes_and_labels_come_from_reviewers_yml(tmp_path, monkeypatch):
    site = queue_site(tmp_path)
    site.write("site_config/reviewers.yml", reviewers_yml() + (
        "reject_reasons:\n"
        "  - {code: personal-data, label: 含个人信息, label_en: Personal data}\n"
        "  - {code: embargo, label: 尚未到发布时间}\n"))
    site.commit("ed", "reasons")
    as_user(site, "li-wei")
    code, _, err = run(site, "review", "reject", "content/notices/leak.md")
    assert code == 2 and "needs a reason code" in err and "personal-data, embargo" in err
    code, _, err = run(site, "review", "reject", "content/notices/leak.md", "--code",
                       "state-secret")
    assert code == 2 and "'state-secret' is not a reason code" in err
    assert not (site.root / "review").exists()
    code, _, err = run(site, "review", "reject", "content/notices/leak.md", "--code", "embargo")
    assert code == 0, err  # the text is optional when the code says it
    _, out, _ = run(site, "review", "status")
    assert "rejected by li-wei (li-wei) — 尚未到发布时间" in out
    code, _, err = run(site, "review", "reject", "content/notices/leak.md", "--code",
                       "personal-data", "--reason", "身份证号")
    assert code == 0, err
    _, out, _ = run(site, "review", "status")
    assert "rejected by li-wei (li-wei) — Personal data: 身份证号" in out  # label_en
    monkeypatch.setenv("GOVPUB_LANG", "zh-CN")
    _, out, _ = run(site, "check", "--format", "github", leak_path(site))
    assert "（含个人信息）：身份证号" in out


def test_other_needs_words_and_an_old_record_without_a_code_still_reads(tmp_path):
    site = queue_site(tmp_path)
    as_user(site, "zhao-min")
    code, _, err = run(site, "review", "reject", "content/notices/leak.md", "--code", "other")
    assert code == 2 and "say why" in err
    code, _, _ = run(site, "review", "reject", "content/notices/leak.md", "--reason", "待核实")
    assert code == 0
    rec, _ = read_record(site.root / "review/notices/leak.md.yml")
    assert rec.signoffs[0].reason_code == "other"
    # a record written before reason codes existed
    site.write("review/notices/leak.md.yml", (
        f"content: notices/leak.md\ndigest: {rec.digest}\nsignoffs:\n"
        "  - reviewer: zhao-min\n    at: '2026-11-21T10:00:00+08:00'\n"
        "    decision: not-public\n    reason: 含内部信息\n"))
    _, out, _ = run(site, "review", "status")
    assert "rejected by zhao-min (zhao-min) — ?: 含内部信息" in out
    code, out, _ = run(site, "check", leak_path(site))
    assert "GP204 error: zhao-min decided not-public: 含内部信息" in out
    assert "GP207" not in out


def test_a_reason_code_listed_twice_is_a_configuration_error(tmp_path):
    site = queue_site(tmp_path)
    site.write("site_config/reviewers.yml", reviewers_yml() + (
        "reject_reasons:\n  - {code: other, label: 其他}\n  - {code: other, label: 别的}\n"))
    code, _, err = run(site, "review", "status")
    assert code == 2 and "reason code 'other' is listed twice" in err
