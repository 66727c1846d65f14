"""Writing govpub's own search index, all of it or only what a change touched.

Layout of the index folder (``OWN_DIR`` of the site):

- ``index.json`` (the only file every query loads, about 150 bytes): per page
  language, how many pages are indexed (for IDF), the page-number space and
  the number of term files;
- ``<lang>/t/<bucket>.gpi``: the term files (:mod:`.codec`), gzip;
- ``<lang>/p/<page number>.gpf``: one per page, gzip JSON ``{"u": address,
  "t": title, "x": text}``: fetched for the results shown, the excerpt is made
  from it in the browser;
- the *state*: what the next build needs to change only what changed (every
  indexed file's path, language, page number, SHA-256 and stat). No reader
  needs it, so the build keeps it in its cache, never in the site
  (:mod:`govpub.search.index`); used on its own (the tests, the benchmark),
  :func:`update_index` keeps it in ``pages.json`` beside the index.

**Scores are page-local.** A page's score for a term depends on that page
only (:func:`page_scores`): a title hit puts it in the upper half of the
byte (128–255) above any page that only mentions the term (1–127), and
within each half, a saturating term frequency normalised by the page's own
length. IDF is computed in the browser from a term's number of pages. So a
change to one page changes only the term files of the terms it had or has.

**Page numbers** are slots of a hash table (``slots``: a power of two, at
least four per page): a page goes to the slot its address hashes to, or the
next free one, pages placed in order of (slot, address). The numbering is a
function of the set of pages (a full build and an update give the same
numbers), and adding or removing a page moves at most the few pages after it
in its run of taken slots. When the number of pages crosses a power of two
the space doubles and the language is written anew.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
from array import array
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import codec, terms
from .extract import Page, body_start, language_of, page_url, read_page, site_pages

OWN_DIR = "ownsearch"
INDEX_FILE = "index.json"
STATE_FILE = "pages.json"
#: change when anything below changes what is written: no index of another format is updated
FORMAT = 2
#: BM25's k1 and b; the page's own length is compared with REFERENCE_LENGTH characters
#: (not the site's average length, which would make every score depend on every page)
K1 = 1.2
LENGTH_WEIGHT = 0.75
REFERENCE_LENGTH = 1000
TITLE_FLOOR = 128
MIN_BUCKETS, MAX_BUCKETS = 16, 4096
PAGES_PER_BUCKET = 2


def page_scores(title: str, text: str) -> dict[str, int]:
    """Term → score byte (1–255) of one page; every term of its title is 128 or more."""
    body = terms.text_terms(text)
    head = terms.text_terms(title)
    norm = K1 * (1 - LENGTH_WEIGHT + LENGTH_WEIGHT * len(text) / REFERENCE_LENGTH)
    title_size = max(1, sum(len(t) for t in head if len(t) == 1 or not terms.is_han(t)))
    by_count: dict[int, int] = {}

    def mention(tf: int) -> int:
        score = by_count.get(tf)
        if score is None:
            score = by_count[tf] = 1 + round(126 * tf / (tf + norm))
        return score

    scores = {term: mention(tf) for term, tf in body.items()}
    for term, count in head.items():
        tf = body.get(term, 0)
        cover = min(1.0, len(term) * count / title_size)
        scores[term] = TITLE_FLOOR + round(127 * (0.5 * cover + 0.5 * tf / (tf + norm)))
    return scores


def slots_for(pages: int) -> int:
    size = 64
    while size < 4 * pages:
        size *= 2
    return size


def buckets_for(pages: int) -> int:
    size = MIN_BUCKETS
    while size < MAX_BUCKETS and size * PAGES_PER_BUCKET < pages:
        size *= 2
    return size


def _home(url: str) -> int:
    # only the build numbers pages (the browser never hashes an address): any stable hash
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=4).digest(), "big")


def number_pages(urls, slots: int) -> dict[str, int]:
    """Address → page number: see the module's note (a function of the set of addresses)."""
    taken = bytearray(slots)
    numbers = {}
    homes = sorted((_home(url) & (slots - 1), url) for url in urls)
    for home, url in homes:
        slot = home
        while taken[slot]:
            slot = (slot + 1) & (slots - 1)
        taken[slot] = 1
        numbers[url] = slot
    return numbers


def fragment_bytes(page: Page) -> bytes:
    data = json.dumps({"u": page.url, "t": page.title, "x": page.text}, ensure_ascii=False,
                      separators=(",", ":"))
    return codec.gzip_bytes(data.encode("utf-8"))


def read_fragment(path: Path, language: str) -> Page:
    data = json.loads(codec.gunzip_bytes(path.read_bytes()))
    return Page(data["u"], language, data["t"], data["x"])


def term_path(out: Path, language: str, bucket: int) -> Path:
    return out / language / "t" / f"{bucket}.gpi"


def fragment_path(out: Path, language: str, number: int) -> Path:
    return out / language / "p" / f"{number}.gpf"


@dataclass
class Outcome:
    """What one write did: pages read, term files and fragments written or removed."""

    full: list[str] = field(default_factory=list)  # languages written anew
    pages_read: int = 0
    written: int = 0
    removed: int = 0
    #: term files an update edited (read, changed, written unless the same)
    edited: int = 0
    #: the state of the index written (see the module's note)
    state: dict = field(default_factory=dict)
    #: an index was updated (not written in full)
    updated: bool = False


def _write(path: Path, data: bytes, outcome: Outcome) -> None:
    try:
        if path.read_bytes() == data:
            return
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    outcome.written += 1


def _unlink(path: Path, outcome: Outcome) -> None:
    try:
        path.unlink()
        outcome.removed += 1
    except FileNotFoundError:
        pass


def _write_term_files(out: Path, language: str, buckets: int, gathered: dict,
                      outcome: Outcome) -> None:
    """Write every term file of a language written anew; ``gathered``: term → (page
    numbers, score bytes)."""
    files: dict[int, dict] = {}
    for term, (ids, scores) in gathered.items():
        files.setdefault(codec.bucket_of(term, buckets), {})[term] = \
            dict(zip(ids, scores, strict=True))
    for bucket, content in files.items():
        _write(term_path(out, language, bucket), codec.gzip_bytes(codec.encode_terms(content)),
               outcome)


def _edit_term_file(path: Path, changes: list[tuple[str, int, int]],
                    outcome: Outcome) -> None:
    """Apply (term, page number, score) postings to one term file; score 0 removes the
    page. Only the terms changed are decoded; a file left empty is removed."""
    try:
        entries = codec.split_entries(codec.gunzip_bytes(path.read_bytes()))
    except FileNotFoundError:
        entries = {}
    by_term: dict[str, list[tuple[int, int]]] = {}
    for term, number, score in changes:  # removals come first (listed first)
        by_term.setdefault(term, []).append((number, score))
    for term, edits_of_term in by_term.items():
        postings = codec.decode_entry(entries[term]) if term in entries else {}
        for number, score in edits_of_term:
            if score:
                postings[number] = score
            else:
                postings.pop(number, None)
        if postings:
            entries[term] = codec.encode_entry(term, postings)
        else:
            entries.pop(term, None)
    if entries:
        _write(path, codec.gzip_bytes(codec.join_entries(entries)), outcome)
    else:
        _unlink(path, outcome)


def _term_edits(left: dict[tuple[str, int], dict[str, int]],
                coming: dict[tuple[str, int], dict[str, int]], old_params: dict,
                params: dict) -> dict[tuple[str, int], list[tuple[str, int, int]]]:
    """(language, bucket) → the (term, page number, score) postings to apply, removals
    (score 0) first; ``left``/``coming``: the scores of the postings that leave and come,
    by (language, page number).

    A posting that leaves and comes back with the same page number and score is no
    change, and is left out: an edit to a page changes the scores of few of its terms
    (a score is a byte, and a length a few characters longer seldom moves it), so its
    other term files are not even read. Before, a one-line edit rewrote the entries of
    all 480 terms of the page, re-encoding those of words in nearly every page.
    """
    edits: dict[tuple[str, int], list[tuple[str, int, int]]] = {}
    added: list[tuple[str, str, int, int]] = []
    for key, scores in coming.items():
        before = left.get(key, {})
        for term, score in scores.items():
            if before.get(term) != score:
                added.append((key[0], term, key[1], score))
    for (lang, number), scores in left.items():
        now = coming.get((lang, number), {})
        buckets = old_params[lang]["buckets"]
        for term, score in scores.items():
            if now.get(term) != score:
                edits.setdefault((lang, codec.bucket_of(term, buckets)), []).append(
                    (term, number, 0))
    for lang, term, number, score in added:
        edits.setdefault((lang, codec.bucket_of(term, params[lang]["buckets"])), []).append(
            (term, number, score))
    return edits


# --- reading the site ----------------------------------------------------------------

def _scan(site_dir: Path, skip: tuple[str, ...], known: dict, stats: dict
          ) -> dict[str, tuple[str, str, str]]:
    """Every indexed file: path in the site → (SHA-256, language, path).

    A file whose stat (device, inode, size, time of change in ns) is the one the
    previous write recorded is that write's file: its SHA-256 and language are taken
    from the state (``known``), not read again. ``stats`` receives every file's stat.
    """
    found = {}
    for rel, path, st in site_pages(site_dir, skip):
        stat_now = [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]
        old = known.get(rel)
        if old is not None and old[3] == stat_now:
            found[rel] = (old[2], old[0], path)
            stats[rel] = stat_now
            continue
        with open(path, "rb") as file:
            data = file.read()
        if body_start(data) >= 0:
            found[rel] = (hashlib.sha256(data).hexdigest(), language_of(data), path)
            stats[rel] = stat_now
    return found


def _read(item: tuple[str, Path]) -> tuple[str, Page, dict[str, int]]:
    rel, path = item
    page = read_page(rel, Path(path).read_bytes())
    return rel, page, page_scores(page.title, page.text)


def _read_all(items: list[tuple[str, Path]], workers: int):
    if workers <= 1 or len(items) < 64:
        yield from map(_read, items)
        return
    # a fork server, not fork: the build runs this step in a thread beside others, and a
    # process forked from a threaded one may inherit a lock another thread held
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_read, items, chunksize=64)


# --- writing --------------------------------------------------------------------------

def build_index(site_dir: Path, out: Path | None = None, workers: int = 1,
                state: dict | None = None) -> Outcome:
    """Index the site again in full, into ``out`` (default ``site_dir/OWN_DIR``)."""
    site_dir = Path(site_dir)
    out = Path(out) if out is not None else site_dir / OWN_DIR
    if out.exists():
        shutil.rmtree(out)
    return update_index(site_dir, out, workers, state={} if state is not None else None)


def valid_state(state) -> dict:
    """``state`` when it is a state of this format, else {} (nothing is trusted)."""
    if not isinstance(state, dict) or state.get("format") != FORMAT \
            or not isinstance(state.get("pages"), dict) \
            or not isinstance(state.get("languages"), dict):
        return {}
    return state


def _load_state(out: Path) -> dict:
    try:
        state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return valid_state(state)


def update_index(site_dir: Path, out: Path | None = None, workers: int = 1,
                 state: dict | None = None) -> Outcome:
    """Bring the index in ``out`` up to the site's pages, touching only what changed.

    ``state``: the state of the index in ``out`` (the build's, from its cache), or
    None to read it from ``out/pages.json`` and write the new one there. The new
    state is ``Outcome.state``. A language whose size parameters (page-number
    space, number of term files) changed, or an index without a state of this
    format, is written anew. The result is byte for byte what :func:`build_index`
    writes. Files are replaced, never written through: ``out`` may hold hard links
    to the files of another index (the site the build replaces).
    """
    site_dir = Path(site_dir)
    out = Path(out) if out is not None else site_dir / OWN_DIR
    skip = (out.name,) if out.parent == site_dir else ()
    keep_state_beside = state is None
    state = _load_state(out) if keep_state_beside else valid_state(state)
    if not state and out.exists():
        shutil.rmtree(out)
    outcome = Outcome()
    old_pages = state.get("pages", {})
    old_params = state.get("languages", {})
    stats: dict[str, list[int]] = {}
    now = _scan(site_dir, skip, old_pages, stats)
    languages = sorted({language for _sha, language, _data in now.values()}
                       | set(old_params))
    params = {}
    for language in languages:
        count = sum(1 for _sha, lang, _data in now.values() if lang == language)
        if count:
            params[language] = {"pages": count, "slots": slots_for(count),
                                "buckets": buckets_for(count)}
    fresh = [lang for lang in languages
             if lang not in params or old_params.get(lang, {}).get("slots") !=
             params[lang]["slots"] or old_params.get(lang, {}).get("buckets") !=
             params[lang]["buckets"]]
    for language in fresh:
        if (out / language).exists():
            shutil.rmtree(out / language)
        if language in params:
            outcome.full.append(language)
    # page numbers, old and new
    numbers = {lang: number_pages([page_url(rel) for rel, v in now.items() if v[1] == lang],
                                  params[lang]["slots"]) for lang in params}
    new_pages = {rel: [lang, numbers[lang][page_url(rel)], sha]
                 for rel, (sha, lang, _data) in now.items()}
    # what changed: pages gone or moved (their old terms leave), pages new, edited or
    # moved (their terms come); pages of a language written anew count as new
    leaving: list[tuple[str, str, int]] = []   # (path, language, old number)
    coming: list[str] = []
    for rel, (lang, number, sha, _stat) in old_pages.items():
        if lang in fresh:
            continue
        if new_pages.get(rel) != [lang, number, sha]:
            leaving.append((rel, lang, number))
    for rel, entry in new_pages.items():
        if entry[0] in fresh or old_pages.get(rel, [None] * 3)[:3] != entry:
            coming.append(rel)
    # postings leaving: (language, page number) → term → the score it had
    left: dict[tuple[str, int], dict[str, int]] = {}
    for _rel, lang, number in leaving:
        old = read_fragment(fragment_path(out, lang, number), lang)
        left[(lang, number)] = page_scores(old.title, old.text)
    fragments_gone = set(left)
    items = [(rel, now[rel][2]) for rel in sorted(coming)]
    outcome.pages_read = len(items)
    fragments_new = {}
    coming_postings: dict[tuple[str, int], dict[str, int]] = {}
    accumulate = {lang: {} for lang in fresh if lang in params}
    for rel, page, scores in _read_all(items, workers):
        lang, number, _sha = new_pages[rel]
        fragments_new[(lang, number)] = fragment_bytes(page)
        if lang in accumulate:  # written anew: gathered in arrays (the whole site)
            gathered = accumulate[lang]
            for term, score in scores.items():
                entry = gathered.get(term)
                if entry is None:
                    entry = gathered[term] = (array("I"), bytearray())
                entry[0].append(number)
                entry[1].append(score)
        else:
            coming_postings[(lang, number)] = scores
    edits = _term_edits(left, coming_postings, old_params, params)
    outcome.edited = len(edits)
    for lang, gathered in accumulate.items():
        _write_term_files(out, lang, params[lang]["buckets"], gathered, outcome)
    for (lang, bucket), changes in sorted(edits.items()):
        _edit_term_file(term_path(out, lang, bucket), changes, outcome)
    for key in sorted(fragments_gone - fragments_new.keys()):
        _unlink(fragment_path(out, *key), outcome)
    for key, data in sorted(fragments_new.items()):
        _write(fragment_path(out, *key), data, outcome)
    public = {"format": FORMAT, "languages": params}
    _write(out / INDEX_FILE, json.dumps(public, sort_keys=True, separators=(",", ":"))
           .encode("utf-8"), outcome)
    state = {"format": FORMAT, "languages": params,
             "pages": {rel: [*new_pages[rel], stats[rel]] for rel in sorted(new_pages)}}
    outcome.state = state
    if keep_state_beside:
        _write(out / STATE_FILE, json.dumps(state, sort_keys=True, separators=(",", ":"))
               .encode("utf-8"), outcome)
    return outcome
