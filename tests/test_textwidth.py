"""Columns a person reads in a terminal line up in Chinese too (a Chinese character is two
columns wide): the watcher's status board, the review queue, the YAML-slip caret."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from govpub import i18n
from govpub.textwidth import display_width, pad
from govpub.watch.board import obligation_lines
from govpub.watch.config import DutyConfig


def test_pad_counts_columns_not_characters():
    assert display_width("待办") == 4
    assert display_width("ab") == 2
    assert display_width("，") == 2  # full-width punctuation
    assert pad("待办", 6) == "待办  "
    assert pad("OPEN", 6) == "OPEN  "
    assert pad("很长很长的文字", 4) == "很长很长的文字", "a longer text is never cut"


def _open_item(number: int, seconds_left: int) -> dict:
    return {"id": number, "state": "open", "seconds_left": seconds_left,
            "overdue": seconds_left <= 0, "deadline": "2026-12-01T12:00:00+00:00",
            "title": f"政策{number}", "link": f"https://www.gov.cn/{number}.htm",
            "acked_by": None, "verify_note": None}


def test_the_status_board_lines_up_in_chinese():
    duty = DutyConfig(timezone=ZoneInfo("Asia/Shanghai"), people={})
    i18n.set_language("zh-CN")
    try:
        lines = [obligation_lines(_open_item(n, seconds), duty, ZoneInfo("Asia/Shanghai"))[0]
                 for n, seconds in ((1, 3 * 3600), (2, -int(timedelta(minutes=5).seconds)))]
        deadline_word = i18n._("deadline {time}").split("{")[0].strip()
    finally:
        i18n.set_language(None)
    assert deadline_word != "deadline" and all(deadline_word in line for line in lines), lines
    columns = [display_width(line[:line.index(deadline_word)]) for line in lines]
    assert columns[0] == columns[1], "\n".join(lines)
