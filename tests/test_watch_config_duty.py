"""feeds.yml / duty.yml validation (exit-2 errors with file and line) and duty resolution."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from watch_fixtures import PATIENT_TARGET, make_repo

from govpub.errors import ConfigError
from govpub.watch.config import load_duty, load_feeds
from govpub.watch.duty import next_change, on_duty, targets_at

TZ = ZoneInfo("Asia/Shanghai")


def local(*args):
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path, [{"id": "central", "url": "feed.xml", "publisher": "国务院"}],
                     smtp_port=2525, http_port=8025)


def test_loads_with_defaults(repo):
    feeds = load_feeds(repo)
    feed = feeds.feeds[0]
    assert feed.deadline_hours == 12 and feed.timezone == TZ
    assert feeds.state_path == repo / ".govpub/watch.sqlite3"
    assert feed.site.path == repo / "site"
    duty = load_duty(repo)
    assert duty.reminders_hours == (6, 2) and duty.leaders == ("leader",)


def test_bundled_demo_config_is_valid():
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    assert load_feeds(root).feeds[0].id == "gov-cn-policy"
    assert load_duty(root).leaders


@pytest.mark.parametrize("file, old, new, message, line", [
    ("feeds.yml", "poll_minutes: 1", "poll_minutes: -1", "poll_minutes", 6),
    ("feeds.yml", "timezone: Asia/Shanghai", "timezone: Mars/Olympus", "unknown time zone", 1),
    ("feeds.yml", "  - id: central", "  - id: Central Feed", "feeds.0.id", 13),
    ("feeds.yml", "max_redirects: 3", "max_redirect: 3", "max_redirect", None),
    ("duty.yml", "leaders: [leader]", "leaders: [nobody]", "'nobody' is not one of", 22),
    ("duty.yml", "days: [mon, tue, wed, thu, fri]\n    from: \"08:00\"",
     "days: [monday]\n    from: \"08:00\"", "not one of", 14),
    ("duty.yml", "fallback: [", "fallbacks: [", "fallback", None),
])
def test_config_errors_name_file_line_and_problem(repo, file, old, new, message, line):
    path = repo / "site_config" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    loader = load_feeds if file == "feeds.yml" else load_duty
    with pytest.raises(ConfigError) as info:
        loader(repo)
    assert file in str(info.value) and message in str(info.value)
    assert info.value.exit_code == 2
    if line:
        assert info.value.line == line


def test_duplicate_feed_id_and_backwards_shift(repo):
    path = repo / "site_config" / "feeds.yml"
    path.write_text(path.read_text() + '  - id: central\n    url: "b"\n    publisher: "p"\n')
    with pytest.raises(ConfigError, match="used twice"):
        load_feeds(repo)
    duty = repo / "site_config" / "duty.yml"
    duty.write_text(duty.read_text() + "shifts:\n  - person: leader\n    from: 2026-11-20T10:00\n"
                    "    to: 2026-11-20T09:00\n")
    with pytest.raises(ConfigError, match=r"ends .* before it starts"):
        load_duty(repo)


def test_missing_file_is_a_config_error(tmp_path):
    (tmp_path / "site_config").mkdir()
    with pytest.raises(ConfigError, match="missing"):
        load_feeds(tmp_path)


def test_weekly_rotation_with_overnight_slot(repo):
    duty = load_duty(repo)
    # 2026-11-20 is a Friday
    assert on_duty(duty, local(2026, 11, 20, 8, 0)) == ["duty-mail"]
    assert on_duty(duty, local(2026, 11, 20, 19, 59)) == ["duty-mail"]
    assert on_duty(duty, local(2026, 11, 20, 20, 0)) == ["duty-hook"]
    assert on_duty(duty, local(2026, 11, 21, 7, 59)) == ["duty-hook"]   # Sat morning: Fri night
    assert on_duty(duty, local(2026, 11, 21, 8, 0)) == []               # Sat day: nobody
    assert on_duty(duty, local(2026, 11, 23, 3, 0)) == []               # Mon 03:00: Sun night
    assert on_duty(duty, local(2026, 11, 17, 3, 0)) == ["duty-hook"]    # Tue 03:00: Mon night


def test_targets_fallback_and_escalation(repo):
    duty = load_duty(repo)
    port = "8025"
    assert targets_at(duty, local(2026, 11, 21, 12, 0)) == [
        f"json://127.0.0.1:{port}/fallback?{PATIENT_TARGET}"]
    escalated = targets_at(duty, local(2026, 11, 20, 21, 0), escalate=True)
    assert escalated == [f"json://127.0.0.1:{port}/duty?{PATIENT_TARGET}",
                         f"json://127.0.0.1:{port}/leader?{PATIENT_TARGET}"]
    assert next_change(duty, local(2026, 11, 20, 12, 0)) == local(2026, 11, 20, 20, 0)


def test_explicit_shift_overrides_rotation(repo):
    path = repo / "site_config" / "duty.yml"
    path.write_text(path.read_text() + "shifts:\n  - person: leader\n"
                    "    from: 2026-11-20T12:00\n    to: 2026-11-20T14:00+08:00\n")
    duty = load_duty(repo)
    assert on_duty(duty, local(2026, 11, 20, 13, 0)) == ["leader"]
    assert on_duty(duty, local(2026, 11, 20, 14, 0)) == ["duty-mail"]
