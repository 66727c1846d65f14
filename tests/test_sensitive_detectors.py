"""The pure detectors: exactly what is flagged and what is not."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govpub.sensitive.cards import find_cards, luhn_ok
from govpub.sensitive.emails import find_foreign_emails
from govpub.sensitive.html import find_raw_html, is_active_url
from govpub.sensitive.ids import find_resident_ids, is_resident_id18
from govpub.sensitive.markings import find_markings
from govpub.sensitive.phones import find_mobiles

TODAY = date(2026, 11, 28)
VALID_ID = "110105199003071239"


def shown(hits):
    return [h.shown for h in hits]


class TestResidentIds:
    def test_valid_check_digit_is_flagged_and_masked(self):
        hits = list(find_resident_ids(f"身份证号：{VALID_ID}。", TODAY))
        assert shown(hits) == ["1101************39"]
        assert VALID_ID not in hits[0].shown

    @pytest.mark.parametrize("text", [
        "110105199003071234",  # wrong check digit
        "110105199013071235",  # month 13
        "110105203001011234",  # born in the future
        "990105199003071239",  # no province 99
        "1110105199003071239",  # 19 digits: part of a longer number
        "订单号 A110105199003071239",  # glued to a letter
    ])
    def test_invalid_numbers_are_not_flagged(self, text):
        assert list(find_resident_ids(text, TODAY)) == []

    def test_x_check_character(self):
        # 11010519491231002X is the textbook example with check character X
        assert is_resident_id18("11010519491231002X")
        assert shown(find_resident_ids("11010519491231002x", TODAY)) == ["1101************2x"]

    def test_fifteen_digit_form(self):
        assert shown(find_resident_ids("旧证 110105900307123", TODAY)) == ["1101*********23"]
        assert list(find_resident_ids("110105901307123", TODAY)) == []  # month 13


class TestMobiles:
    @pytest.mark.parametrize("text,expected", [
        ("联系人 13812345678", ["138****5678"]),
        ("电话：138-1234-5678", ["138****5678"]),
        ("+86 138 1234 5678", ["138****5678"]),
        ("手机19912345678。", ["199****5678"]),
        ("tel:+8613812345678", ["138****5678"]),
        ("0086-138-1234-5678", ["138****5678"]),
    ])
    def test_mobiles(self, text, expected):
        assert shown(find_mobiles(text)) == expected

    @pytest.mark.parametrize("text", [
        "咨询电话：12330",
        "服务热线 12345",
        "010-62356655",
        "0571-8888 6666",
        "基本编码 113100000000",  # 12-digit service item code
        "事项编码 138123456789",  # 12 digits starting like a mobile
        "2026年11月20日",
        "国知发〔2026〕138号",
        "申请号 202311234567.8",
        "https://www.gov.cn/zhengce/content/content_13812345678x.htm",
        "12812345678",  # 12x is not a mobile prefix
    ])
    def test_public_numbers_are_not_flagged(self, text):
        assert list(find_mobiles(text)) == []


class TestCards:
    def test_unionpay_card_is_flagged(self):
        assert shown(find_cards("6222020200000000006")) == ["6222***********0006"]
        assert shown(find_cards("卡 4111 1111 1111 1111")) == ["4111********1111"]

    def test_luhn_failure_is_not_flagged(self):
        assert not luhn_ok("6222020200000000007")
        assert list(find_cards("6222020200000000007")) == []

    def test_unknown_prefix_needs_context(self):
        number = "1000000000000008"  # Luhn-valid, no card prefix
        assert luhn_ok(number)
        assert list(find_cards(f"流水号 {number}")) == []
        assert shown(find_cards(f"银行卡号 {number}")) == ["1000********0008"]

    @pytest.mark.parametrize("text", [
        "113100000000",  # 12-digit item code
        VALID_ID,  # an identity number is GP501's, not a card
        "91110000100000000A",  # unified social credit code
        "62220202000000000060",  # 20 digits: too long
    ])
    def test_not_cards(self, text):
        assert list(find_cards(text)) == []


class TestEmails:
    def test_foreign_address_masked(self):
        assert shown(find_foreign_emails("来信 zhangsan@163.com", ["cnipa.gov.cn"])) == [
            "z***@163.com"]

    @pytest.mark.parametrize("text", ["ipr@cnipa.gov.cn", "a.b@mail.cnipa.gov.cn",
                                      "someone@example.com", "x@site.test"])
    def test_agency_and_reserved_domains_pass(self, text):
        assert list(find_foreign_emails(text, ["cnipa.gov.cn"])) == []

    def test_lookalike_domain_is_foreign(self):
        assert len(list(find_foreign_emails("a@evilcnipa.gov.cn", ["cnipa.gov.cn"]))) == 1


class TestMarkings:
    @pytest.mark.parametrize("text", [
        "秘密★1年", "机密★10年", "绝密★长期", "秘密★", "密级：秘密", "| 密级 | 机密 |",
        "**秘密**", "【内部资料】", "内部资料　注意保存", "# 机密", "秘密 关于印发的通知",
        "仅供内部使用", "INTERNAL USE ONLY", "For internal use only.", "Not for publication",
        "CONFIDENTIAL", "Confidential",
    ])
    def test_markings_are_flagged(self, text):
        assert len(list(find_markings(text))) == 1

    @pytest.mark.parametrize("text", [
        "商业秘密", "本法所称商业秘密，是指不为公众所知悉、具有商业价值的技术信息",
        "**商业秘密**是指", "## 商业秘密保护", "保守国家秘密是公民的义务", "国家秘密",
        "请注意保存受理通知书", "We keep your data confidential.", "数据的机密性和完整性",
    ])
    def test_ordinary_words_are_not_flagged(self, text):
        assert list(find_markings(text)) == []


class TestRawHtml:
    @pytest.mark.parametrize("text,detail", [
        ("<script>alert(1)</script>", "blocked element"),
        ('<iframe src="https://x"></iframe>', "blocked element"),
        ("<object data=x></object>", "blocked element"),
        ("<embed src=x>", "blocked element"),
        ("<img src=x onerror=alert(1)>", "inline event handler"),
        ("<div onclick='x()'>a</div>", "inline event handler"),
        ('<a href="javascript:alert(1)">y</a>', "script URL"),
        ('<a href="java\tscript:x">y</a>', "script URL"),
        ("[a](&#106;avascript:alert(1))", "script URL"),
        ("[a](JavaScript:alert(1))", "script URL"),
        ("<center>x</center>", "element not in html_allowed"),
    ])
    def test_blocked(self, text, detail):
        assert [h.detail for h in find_raw_html(text)] == [detail]

    @pytest.mark.parametrize("text", [
        "<div class=note>ok</div>", "a < b > c", "<https://www.gov.cn>",
        "`<script>`", "```html\n<script>alert(1)</script>\n```", "<br>", "<!-- comment -->",
    ])
    def test_allowed(self, text):
        assert list(find_raw_html(text)) == []

    def test_configured_allow_list_replaces_default(self):
        assert list(find_raw_html("<center>x</center>", ["center"])) == []
        assert [h.shown for h in find_raw_html("<div>x</div>", ["center"])] == ["<div>"]
        # active content stays blocked whatever the list says
        assert len(list(find_raw_html("<script>x</script>", ["script"]))) == 1

    def test_active_urls(self):
        assert is_active_url(" &#x6A;avascript:x")
        assert is_active_url("data:text/html;base64,xx")
        assert not is_active_url("https://www.gov.cn/")
        # no colon written: only an entity can make one
        assert is_active_url("javascript&#58;alert(1)") and is_active_url("javascript&colon;x")
        assert not is_active_url("../catalog/x.md") and not is_active_url("javascript")


def _markings_scanning_everything(text):
    """find_markings_in_text as it was before the pre-test: the candidate scan from 0."""
    from govpub.sensitive import markings

    done = -1
    for m in markings._CANDIDATE.finditer(text):
        if m.start() <= done:
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        done = text.find("\n", m.start())
        done = len(text) if done < 0 else done
        for hit in markings.find_markings(text[start:done]):
            yield (hit.start + start, hit.end + start, hit.shown, hit.detail)


MARKING_PIECES = ["秘密", "机密★10年", "密级：秘密", "商业秘密", "内部资料", "注意保存", "内部",
                  "Confidential", "CONFIDENTIAL", "cONFIDENTIAL", "internal use only", "INTERNAL",
                  "Not for public release", "public\nRelease", "PUBLIC RE", "publication",
                  "专利", "，", " ", "\n", "# ", "**", "【", "】", "x", "密"]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(MARKING_PIECES), max_size=12).map("".join))
def test_markings_in_text_are_those_of_the_full_scan(text):
    from govpub.sensitive.markings import find_markings_in_text

    found = [(h.start, h.end, h.shown, h.detail) for h in find_markings_in_text(text)]
    assert found == list(_markings_scanning_everything(text))


@pytest.mark.parametrize("text", ["", "专利申请", "x" * 50, "秘密", "a\n秘密★1年", "public"])
def test_markings_in_text_edge_texts(text):
    from govpub.sensitive.markings import find_markings_in_text

    found = [(h.start, h.end, h.shown, h.detail) for h in find_markings_in_text(text)]
    assert found == list(_markings_scanning_everything(text))


def test_every_other_decimal_digit_sends_the_text_to_the_whole_scan():
    import re

    from govpub.sensitive.numbers import may_hold_other_digits, number_lines

    every = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    digits = re.findall(r"\d", every)
    assert len(digits) > 600
    for digit in digits:
        assert may_hold_other_digits("专利" + digit), hex(ord(digit))
        assert number_lines("申请号\n" + digit) is None
    assert not may_hold_other_digits("专利申请，第1号：（一）《办法》——“通知”…★ ＡＢ ①")


NUMBER_PIECES = ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678",
                 "0086-13812345678", "110105199003071239", "11010519900307123X", "110105900307123",
                 "6222021234567890123", "6222 0212 3456 7890", "4111-1111-1111-1111",
                 "卡号", "1", "12", "1234", "-", " ", "\n", "\n", "专利", "a", "_", ".", "+",
                 "１３８１２３４５６７８", "1３8", "６２２２０２１２３４５６７８９０１２３", "٣"]


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(NUMBER_PIECES), max_size=14).map("".join))
def test_number_detectors_on_the_kept_lines_find_what_the_whole_scan_finds(text):
    from govpub.sensitive.numbers import number_lines

    lines = number_lines(text)
    for find in (lambda t, lines: find_resident_ids(t, TODAY, lines), find_cards, find_mobiles):
        assert [(h.start, h.end, h.shown, h.detail) for h in find(text, lines)] == \
            [(h.start, h.end, h.shown, h.detail) for h in find(text, None)]
