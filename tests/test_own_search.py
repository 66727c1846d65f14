"""govpub's own static search index (govpub.search.own): its pure parts.

Terms, the bytes of a term file, what is taken from a page, page-local scores,
page numbers, and an update after every kind of change being byte for byte a
full index of the result. The browser's half (govpub-search.js) is held to the
same terms, hash and file format by running it in Node on the same examples.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import math
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from govpub.search.own import build, codec, terms
from govpub.search.own.extract import page_url, read_page

JS = Path(build.__file__).parents[2] / "theme" / "javascripts" / "govpub-search.js"


# --- terms ---------------------------------------------------------------------------


def test_chinese_text_gives_every_character_and_every_pair_of_neighbours():
    counts = terms.text_terms("专利年费")
    assert set(counts) == {"专", "利", "年", "费", "专利", "利年", "年费"}
    assert terms.text_terms("专利，专利")["专利"] == 2


def test_no_pair_spans_latin_text_punctuation_or_a_line():
    found = terms.text_terms("专利PCT申请。复审\n年费")
    assert "利申" not in found and "审年" not in found and "请复" not in found
    assert {"专利", "申请", "复审", "年费", "pct"} <= set(found)


def test_latin_words_are_lowercased_and_full_width_letters_folded():
    assert dict(terms.text_terms("Patent FEES, ＰＣＴ 2024 patent")) == {
        "patent": 2, "fees": 1, "pct": 1, "2024": 1}


def test_a_query_needs_all_its_pairs_one_character_itself_and_the_last_word_is_a_prefix():
    assert terms.query_terms("专利年费") == (["专利", "利年", "年费"], None)
    assert terms.query_terms("专") == (["专"], None)
    assert terms.query_terms("年费 年费") == (["年费"], None)
    assert terms.query_terms("Patent fe") == (["patent"], "fe")
    assert terms.query_terms("fee 专利") == (["fee", "专利"], None)
    assert terms.query_terms("  ") == ([], None)


# --- bytes ---------------------------------------------------------------------------


def test_a_term_file_decodes_to_what_was_encoded():
    rng = random.Random(17)
    content = {
        "专利": {n: rng.randint(1, 255) for n in rng.sample(range(70_000), 3000)},
        "patent": {0: 200, 127: 1, 128: 2, 16_383: 3, 16_384: 4, 2**31: 255},
        "𠀀": {5: 9},  # four UTF-8 bytes
        "empty": {},
    }
    data = codec.encode_terms(content)
    assert codec.decode_terms(data) == {k: v for k, v in content.items() if v}
    assert codec.decode_terms(codec.gunzip_bytes(codec.gzip_bytes(data))) == \
        codec.decode_terms(data)


def test_the_same_content_is_the_same_bytes_whatever_the_order():
    one = {"b": {3: 1, 1: 2}, "a": {9: 9}}
    two = {"a": {9: 9}, "b": {1: 2, 3: 1}}
    assert codec.gzip_bytes(codec.encode_terms(one)) == codec.gzip_bytes(codec.encode_terms(two))


def test_a_latin_word_is_filed_under_its_first_letters_so_a_prefix_finds_it():
    assert codec.bucket_of("patent", 4096) == codec.bucket_of("patents", 4096) == \
        codec.bucket_of("pat", 4096)
    assert codec.bucket_key("专利") == "专利"
    assert codec.fnv1a(b"") == 0x811C9DC5 and codec.fnv1a(b"a") == 0xE40C292C


# --- pages ---------------------------------------------------------------------------


def page(title: str, text: str, lang: str = "zh-CN", extra: str = "") -> str:
    return (f'<!doctype html><html lang="{lang}"><head><title>站点</title></head><body>'
            f'<nav>导航 navigation</nav><article><div data-search-body '
            f'data-meta="不应索引"><h1 id="gp-title">{title}'
            f'<a class="headerlink" href="#t">¶</a></h1>'
            f'<div class="govpub-status">状态横幅</div><p>{text}</p>{extra}'
            f'<div class="gp-print-meta">打印信息</div><div data-search-ignore>忽略部分</div>'
            f'</div><aside>文件信息</aside></article><footer>主办单位</footer></body></html>')


def test_only_the_indexed_element_is_taken_without_the_parts_left_out():
    got = read_page("notices/a/index.html",
                    page("专利年费通知", "正文&lt;b&gt;内容", extra="<ul><li>一</li><li>二</li></ul>")
                    .encode())
    assert (got.url, got.language, got.title) == ("/notices/a/", "zh-cn", "专利年费通知")
    assert got.text == "正文<b>内容\n一\n二"
    for absent in ("导航", "状态", "打印", "忽略", "文件信息", "主办", "¶", "不应索引"):
        assert absent not in got.text + got.title
    assert read_page("x.html", b"<html><body><h1>no body</h1></body></html>") is None
    assert page_url("index.html") == "/" and page_url("a/b.html") == "/a/b.html"


def test_a_title_hit_scores_above_any_number_of_mentions():
    titled = build.page_scores("专利年费", "无关内容")
    mentioned = build.page_scores("通知", "专利" * 200)
    assert titled["专利"] >= build.TITLE_FLOOR > mentioned["专利"] >= 1
    assert build.page_scores("通知", "专利" * 50 + "内容" * 10)["专利"] < build.TITLE_FLOOR
    few, many = build.page_scores("通知", "专利" + "内容" * 100), \
        build.page_scores("通知", "专利" * 5 + "内容" * 100)
    assert many["专利"] > few["专利"]
    short, long = build.page_scores("通知", "专利内容"), \
        build.page_scores("通知", "专利内容" + "其他" * 2000)
    assert short["专利"] > long["专利"]
    assert all(1 <= s <= 255 for s in build.page_scores("专利专利专利", "专利" * 999).values())


def test_page_numbers_are_a_function_of_the_set_and_a_new_page_moves_few_others():
    urls = [f"/notices/{n}/" for n in range(3000)]
    slots = build.slots_for(len(urls))
    numbers = build.number_pages(urls, slots)
    assert sorted(numbers.values()) == sorted(set(numbers.values()))
    assert all(0 <= n < slots for n in numbers.values())
    assert build.number_pages(list(reversed(urls)), slots) == numbers
    grown = build.number_pages([*urls, "/notices/new/"], slots)
    moved = [u for u in urls if grown[u] != numbers[u]]
    assert len(moved) <= 5


# --- updating ------------------------------------------------------------------------


def write(site: Path, rel: str, html: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


WORDS = ["专利", "年费", "复审", "商标", "申请", "审查", "通知", "公开", "登记", "减缴"]


def a_site(site: Path, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    for n in range(count):
        title = "关于" + "".join(rng.sample(WORDS, 2)) + f"的通知（{n}）"
        write(site, f"notices/{n}/index.html",
              page(title, "".join(rng.choices(WORDS, k=rng.randint(5, 80)))))
    for n in range(count // 5):
        write(site, f"en/{n}/index.html",
              page(f"Notice {n} on patent fees", " ".join(
                  rng.choices(["patent", "patents", "fee", "review", "trademark"], k=30)),
                   lang="en"))
    write(site, "index.html", "<html lang='zh-CN'><body><h1>首页</h1>专利</body></html>")


def check_same_as_full(site: Path, out: Path, tmp: Path) -> None:
    full = tmp / "full-index"
    shutil.rmtree(full, ignore_errors=True)
    build.build_index(site, full)
    assert files(out) == files(full)


@pytest.fixture
def indexed(tmp_path):
    site, out = tmp_path / "site", tmp_path / "index"
    a_site(site, 60)
    build.build_index(site, out)
    return site, out


def changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}


def test_every_kind_of_change_updates_to_exactly_the_full_index(indexed, tmp_path):
    site, out = indexed
    changes = [
        lambda: write(site, "notices/3/index.html", page("关于复审的通知", "年费年费减缴")),
        lambda: write(site, "notices/4/index.html",
                      (site / "notices/4/index.html").read_text().replace("关于", "有关", 1)),
        lambda: write(site, "notices/new/index.html", page("新增专利页", "新增内容")),
        lambda: (site / "notices/5/index.html").unlink(),
        lambda: write(site, "notices/6/index.html", page("改为英文", "now english", lang="en")),
        lambda: write(site, "notices/7/index.html", "<html lang='zh-CN'><h1>不再索引</h1></html>"),
        lambda: write(site, "en/0/index.html", page("Patent review", "patent trademark",
                                                    lang="en")),
        lambda: None,
    ]
    for change in changes:
        change()
        outcome = build.update_index(site, out)
        assert outcome.full == []  # none of these changes the size of a language
        check_same_as_full(site, out, tmp_path)
    assert build.update_index(site, out).written == 0  # nothing changed: nothing written


def test_a_text_change_touches_only_the_files_of_the_terms_the_page_had_or_has(indexed):
    site, out = indexed
    before = files(out)
    old = read_page("notices/3/index.html", (site / "notices/3/index.html").read_bytes())
    write(site, "notices/3/index.html", page(old.title, old.text + "复审年费"))
    build.update_index(site, out)
    state = json.loads((out / "pages.json").read_text())
    lang, number, _sha, _stat = state["pages"]["notices/3/index.html"]
    buckets = state["languages"][lang]["buckets"]
    allowed = {f"{lang}/t/{codec.bucket_of(t, buckets)}.gpi"
               for t in build.page_scores(old.title, old.text + "复审年费")}
    allowed |= {f"{lang}/p/{number}.gpf", "pages.json"}
    assert changed_files(before, files(out)) <= allowed
    assert f"{lang}/p/{number}.gpf" in changed_files(before, files(out))


def test_an_edit_reads_only_the_term_files_of_the_postings_whose_score_moved(tmp_path):
    """A few characters more change the scores of few of a long page's terms: the files
    of the others are not read at all, and the index is still the full index."""
    site, out = tmp_path / "site", tmp_path / "index"
    a_site(site, 40)
    rng = random.Random(7)
    text = "".join(rng.choices([*WORDS, "制度", "办理", "流程", "材料"], k=600))
    write(site, "notices/3/index.html", page("关于复审的通知", text))
    build.build_index(site, out)
    state = json.loads((out / "pages.json").read_text())
    lang, _number, _sha, _stat = state["pages"]["notices/3/index.html"]
    buckets = state["languages"][lang]["buckets"]
    before = build.page_scores("关于复审的通知", text)
    after = build.page_scores("关于复审的通知", text + "办理")
    moved = {t for t in before.keys() | after.keys() if before.get(t) != after.get(t)}
    assert moved and len(moved) < len(after) / 2  # the premise: most scores stay
    write(site, "notices/3/index.html", page("关于复审的通知", text + "办理"))
    outcome = build.update_index(site, out)
    assert outcome.edited == len({codec.bucket_of(t, buckets) for t in moved})
    assert outcome.edited < len({codec.bucket_of(t, buckets) for t in after})
    check_same_as_full(site, out, tmp_path)


def test_growing_past_the_page_number_space_writes_the_language_anew_the_same(indexed, tmp_path):
    site, out = indexed
    slots = json.loads((out / "index.json").read_text())["languages"]["zh-cn"]["slots"]
    for n in range(60, slots // 4 + 10):
        write(site, f"notices/{n}/index.html", page(f"新通知{n}", "专利复审"))
    outcome = build.update_index(site, out)
    assert outcome.full == ["zh-cn"]
    check_same_as_full(site, out, tmp_path)


def test_an_unreadable_state_means_a_full_index_not_a_wrong_one(indexed, tmp_path):
    site, out = indexed
    (out / "pages.json").write_text("{not json", encoding="utf-8")
    write(site, "notices/3/index.html", page("关于复审的通知", "年费"))
    outcome = build.update_index(site, out)
    assert sorted(outcome.full) == ["en", "zh-cn"]
    check_same_as_full(site, out, tmp_path)


def test_two_processes_write_the_same_index_as_one(tmp_path):
    site = tmp_path / "site"
    a_site(site, 200, seed=2)
    build.build_index(site, tmp_path / "one", workers=1)
    build.build_index(site, tmp_path / "two", workers=2)
    assert files(tmp_path / "one") == files(tmp_path / "two")


# --- the browser's half, in Node -----------------------------------------------------


def run_js(tmp_path: Path, body: str):
    module = tmp_path / "govpub-search.cjs"
    shutil.copyfile(JS, module)
    script = f"const own = require({json.dumps(str(module))});\n{body}"
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


QUERIES = ["专利年费", "专", "年费 年费", "Patent fe", "fee 专利", "ＰＣＴ申请", "  ", "复审 patent"]


def test_the_browser_reads_queries_hashes_and_term_files_as_the_indexer_writes_them(tmp_path):
    content = {"专利": {1: 200, 130: 5, 20_000: 77}, "patent": {0: 1, 2**31: 255}}
    data = list(codec.encode_terms(content))
    names = ["专利", "patent", "pat", "𠀀", ""]
    got = run_js(tmp_path, f"""
      const queries = {json.dumps(QUERIES)}.map(q => own.queryTerms(q));
      const hashes = {json.dumps(names)}.map(t => own.fnv1a(own.bucketKey(t)));
      const decoded = {{}};
      for (const [term, list] of own.decodeTerms(Uint8Array.from({json.dumps(data)})))
        decoded[term] = Object.fromEntries([...list.pages].map((p, i) => [p, list.scores[i]]));
      console.log(JSON.stringify({{queries, hashes, decoded}}));""")
    assert got["queries"] == [{"required": r, "prefix": p}
                              for r, p in map(terms.query_terms, QUERIES)]
    assert got["hashes"] == [codec.fnv1a(codec.bucket_key(t).encode()) for t in names]
    assert {t: {int(k): v for k, v in m.items()} for t, m in got["decoded"].items()} == content


def _gzip_named(data: bytes) -> bytes:
    """gzip with a file name and a comment in its header (as a gzip tool may write it)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="t.gpi", fileobj=buffer, mode="wb", mtime=1) as stream:
        stream.write(data)
    packed = bytearray(buffer.getvalue())
    packed[3] |= 16  # FCOMMENT: a comment after the name
    end_of_name = packed.index(0, 10) + 1
    return bytes(packed[:end_of_name] + b"a comment\0" + packed[end_of_name:])


def test_the_browser_unpacks_gzip_as_the_indexer_and_other_tools_pack_it(tmp_path):
    """gunzipBytes (the search page unpacks the index files itself, at once, not in a
    stream) gives back every byte: stored, fixed and dynamic Huffman blocks, matches far
    back, a term file as the indexer writes it, a header with a name and a comment."""
    chooser = random.Random(5)
    term_file = codec.encode_terms(
        {"专利": {n: chooser.randint(1, 255) for n in chooser.sample(range(70_000), 9000)}})
    samples = [b"", b"a", "专利年费缴纳须知。".encode() * 3000, chooser.randbytes(70_000),
               chooser.randbytes(3000) + b"abc" * 30_000 + chooser.randbytes(40_000)[:100]]
    cases = [gzip.compress(data, level, mtime=0) for data in samples for level in (0, 1, 9)]
    cases += [codec.gzip_bytes(term_file), _gzip_named(term_file)]
    wanted = [data for data in samples for _level in (0, 1, 9)] + [term_file, term_file]
    packed = tmp_path / "cases.json"  # too long for a command line
    packed.write_text(json.dumps([base64.b64encode(c).decode() for c in cases]))
    got = run_js(tmp_path, f"""
      const cases = JSON.parse(require("fs").readFileSync({json.dumps(str(packed))}, "utf8"));
      console.log(JSON.stringify(cases.map((c) => Buffer.from(
        own.gunzipBytes(new Uint8Array(Buffer.from(c, "base64")))).toString("base64"))));""")
    assert [base64.b64decode(g) for g in got] == wanted


def test_an_excerpt_marks_the_query_around_its_first_match(tmp_path):
    text = "开头" * 40 + "本通知说明专利年费的缴纳。" + "结尾" * 80
    got = run_js(tmp_path, f"""
      console.log(JSON.stringify([own.excerpt({json.dumps(text)}, "专利年费"),
                                  own.excerpt("No match here", "专利"),
                                  own.excerpt("Patents and fees", "patent FEE")]));""")
    near, none, latin = got
    assert ["专利年费", True] in near and near[0] == ["…", False]
    assert "".join(part for part, _m in near if part != "…") in text
    assert none == [["No match here", False]]
    assert [part for part, marked in latin if marked] == ["Patent", "fee"]


def test_results_are_the_pages_with_every_term_by_the_sum_of_idf_times_score(tmp_path):
    """The browser's ranking against the formula written out here: only pages that have
    every term; score = sum over the terms of ln(1 + (N - n + 0.5) / (n + 0.5)) × the
    page's score byte; higher first, ties by page number."""
    chooser = random.Random(17)
    total = 5_000
    lists = {}
    for term, size in (("专利", 4_000), ("年费", 900), ("复审", 60)):
        pages = sorted(chooser.sample(range(total), size))
        lists[term] = {page: chooser.choice([1, 7, 128, 200, 255]) for page in pages}
    cases = [["专利"], ["专利", "年费"], ["年费", "专利", "复审"], ["复审", "复审"], []]
    got = run_js(tmp_path, f"""
      const lists = {json.dumps({t: [list(m), list(m.values())] for t, m in lists.items()})};
      const cases = {json.dumps(cases)};
      console.log(JSON.stringify(cases.map((terms) => {{
        const ranked = own.rank(terms.map((t) => ({{pages: Uint32Array.from(lists[t][0]),
                                                     scores: Uint8Array.from(lists[t][1])}})),
                                {total});
        return [[...ranked.pages], [...ranked.scores]];
      }})));""")
    for words, (pages, scores) in zip(cases, got, strict=True):
        order = sorted(words, key=lambda t: len(lists[t]))
        common = set.intersection(*(set(lists[t]) for t in words)) if words else set()
        expected = {}
        for page in common:
            score = 0.0
            for term in order:
                n = len(lists[term])
                score += math.log(1 + (total - n + 0.5) / (n + 0.5)) * lists[term][page]
            expected[page] = score
        want = sorted(expected, key=lambda page: (-expected[page], page))
        assert pages == want, words
        assert scores == pytest.approx([expected[page] for page in want], rel=1e-12)
    assert len(got[1][0]) > 100 and len(got[2][0]) > 0  # the cases test an intersection


def test_the_first_results_picked_in_one_pass_are_those_of_the_whole_order(tmp_path):
    """The search page picks its first five results in one pass over the matching pages
    (Results, best) and makes the whole order only when more are asked for: the same pages
    in the same order as rank's, ties by page number, then the next five from the whole
    order; termLists reads one term of a term file as decodeTerms reads them all."""
    chooser = random.Random(23)
    total = 3_000
    lists = {}
    for term, size in (("专利", 2_500), ("年费", 700)):
        pages = sorted(chooser.sample(range(total), size))
        lists[term] = {page: chooser.choice([1, 2, 7, 128, 255]) for page in pages}
    data = list(codec.encode_terms(lists))
    got = run_js(tmp_path, f"""
      const file = Uint8Array.from({json.dumps(data)});
      const lists = ["专利", "年费"].map((t) => own.termLists(file, own.termMatcher(t))[0]);
      const all = own.decodeTerms(file);
      const same = lists.every((l) => [...l.pages].join() === [...all.get(l.term).pages].join()
        && [...l.scores].join() === [...all.get(l.term).scores].join());
      const out = [];
      for (const chosen of [[lists[0]], lists, [lists[1]]]) {{
        const ranked = own.rank(chosen, {total});
        const results = new own.Results(own.intersect(chosen, {total}), (n) => n);
        const first = results.slice(0, 5).map((r) => [r.number, r.score, r.data()]);
        const next = results.slice(5, 10).map((r) => [r.number, r.score]);
        out.push({{first, next, want: [...ranked.pages.slice(0, 10)],
                   scores: [...ranked.scores.slice(0, 10)], length: results.length,
                   count: ranked.pages.length}});
      }}
      console.log(JSON.stringify({{same, out, prefixes: own.termLists(file,
        own.termMatcher("专", true)).map((l) => l.term).sort()}}));""")
    assert got["same"]
    assert got["prefixes"] == ["专利"]
    for case in got["out"]:
        assert [n for n, _s, _d in case["first"]] == case["want"][:5]
        assert [d for _n, _s, d in case["first"]] == case["want"][:5]  # data() fetches its own
        assert [s for _n, s, _d in case["first"]] == case["scores"][:5]
        assert [n for n, _s in case["next"]] == case["want"][5:10]
        assert case["length"] == case["count"] > 10
    ties = [s for _n, s, _d in got["out"][2]["first"]]
    assert len(set(ties)) < len(ties)  # the case tests ties (by page number)


def test_the_script_can_be_written_into_the_search_page_as_it_is():
    """The search page carries govpub-search.js in a <script> element, included by both
    renderers' templates: nothing in it may end that element early or be read as a
    template (``</script``, ``<!--``, Jinja's ``{{``, ``{%``, ``{#``)."""
    text = JS.read_text(encoding="utf-8").lower()
    assert not [marker for marker in ("</script", "<!--", "{{", "{%", "{#") if marker in text]
