"""The index-number registry: every 索引号 ever assigned, kept forever.

政府信息公开 requires each proactively disclosed document to carry an index
number (索引号) of the form ``<agency code>/<year>-<sequence>``, e.g.
``CNIPA/2026-00017``: assigned once, never changed, never given to another
document. The registry is a CSV file in the repository,
``disclosure/index-numbers.csv``, that only ever grows::

    index_number,path,date,event
    CNIPA/2026-00001,notices/2026-01-09-spring-festival-hall-hours.md,2026-01-09,assigned
    CNIPA/2026-00001,notices/2026-01-09-hall-hours.md,2026-03-02,moved

- ``assigned``: the number is given to the page at ``path`` (content path).
  ``govpub disclosure assign`` appends these lines; nobody edits the file by hand.
- ``moved``: the page kept its number but moved to a new path (the old
  path must no longer exist).
- ``void``: withdraws a mistaken earlier line with the same number and path
  (lines are never deleted). The number stays used: it is never given again.

The number of a page is the last line naming it. A page whose file was
deleted keeps its number in the registry, so the number is never reused.
Rule GP109 (``govpub.rules.index_number``) checks the file against its own
git history: a line that was ever committed and is no longer in the file is
an error, and so is a number assigned twice or a page with two numbers.

The registry exists only where a site uses index numbers: the file's
presence turns them on (``govpub disclosure assign`` creates it).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..atomic import write_atomic
from ..i18n import _

REGISTRY_PATH = "disclosure/index-numbers.csv"
HEADER = ("index_number", "path", "date", "event")
EVENTS = ("assigned", "moved", "void")
NUMBER = re.compile(r"^(?P<agency>[0-9A-Z]{1,18})/(?P<year>\d{4})-(?P<sequence>\d{5})$")
DEFAULT_TYPES = ("notice", "policy")


@dataclass(frozen=True)
class Entry:
    line: int
    number: str
    path: str
    date: str
    event: str


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    #: the content path the problem concerns, when it concerns one page
    path: str | None = None


@dataclass
class Registry:
    """The parsed registry: its lines in order, what they mean now, what is wrong."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: index number -> the content path it belongs to now
    owner: dict[str, str] = field(default_factory=dict)
    #: content path -> its index number
    number_of: dict[str, str] = field(default_factory=dict)
    #: every number that appears in the registry, withdrawn ones included: never given again
    used: set[str] = field(default_factory=set)
    exists: bool = False

    def next_sequence(self, agency: str, year: int) -> int:
        numbers = {e.number for e in self.entries} | self.used
        used = [int(m["sequence"]) for m in (NUMBER.match(n) for n in numbers)
                if m and m["agency"] == agency and int(m["year"]) == year]
        return max(used, default=0) + 1


def registry_file(root: Path) -> Path:
    return Path(root) / REGISTRY_PATH


def disclosure_types(site: dict) -> tuple[str, ...]:
    """Content types whose pages get index numbers (site.yml ``disclosure.types``)."""
    configured = (site.get("disclosure") or {}).get("types")
    return tuple(configured) if configured else DEFAULT_TYPES


def parse_registry(text: str) -> Registry:
    """Read the registry's text; every problem is kept with its line, nothing raises."""
    registry = Registry(exists=True)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(cell.strip() for cell in rows[0]) != HEADER:
        registry.problems.append(Problem(1, _("the first line must be the header {header}")
                                         .format(header=",".join(HEADER))))
        return registry
    entries = []
    for line, row in enumerate(rows[1:], start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        entry = _entry(line, row, registry)
        if entry is not None:
            entries.append(entry)
    voided = {(e.number, e.path): e for e in entries if e.event == "void"}
    withdrawn = set()
    for entry in entries:
        key = (entry.number, entry.path)
        if entry.event == "void":
            if key not in withdrawn:
                registry.problems.append(Problem(entry.line, _(
                    "no earlier line gives index number {number} to content/{path}; "
                    "a void line withdraws such a line").format(
                        number=entry.number, path=entry.path)))
            continue
        if key in voided and voided[key].line > entry.line:
            withdrawn.add(key)
            registry.used.add(entry.number)
            continue
        _apply(entry, registry)
    return registry


def _entry(line: int, row: list[str], registry: Registry) -> Entry | None:
    if len(row) != len(HEADER):
        registry.problems.append(Problem(line, _(
            "expected {count} fields ({header}), found {found}").format(
                count=len(HEADER), header=",".join(HEADER), found=len(row))))
        return None
    number, path, when, event = (cell.strip() for cell in row)
    problem = None
    if not NUMBER.match(number):
        problem = _("{number!r} is not an index number of the form AGENCY/YEAR-NNNNN "
                    "(e.g. CNIPA/2026-00017)").format(number=number)
    elif not path.endswith(".md") or path.startswith("/") or ".." in path.split("/"):
        problem = _("{path!r} is not the content path of a page (e.g. notices/x.md)").format(
            path=path)
    elif event not in EVENTS:
        problem = _("{event!r} is not one of {events}").format(
            event=event, events=", ".join(EVENTS))
    else:
        try:
            date.fromisoformat(when)
        except ValueError:
            problem = _("{value!r} is not a date (YYYY-MM-DD)").format(value=when)
    if problem:
        registry.problems.append(Problem(line, problem))
        return None
    return Entry(line, number, path, when, event)


def _apply(entry: Entry, registry: Registry) -> None:
    registry.used.add(entry.number)
    first = next((e for e in registry.entries if e.number == entry.number), None)
    if entry.event == "assigned" and first is not None:
        registry.problems.append(Problem(entry.line, _(
            "index number {number} was already assigned on line {line}; a number is never "
            "given to another document").format(number=entry.number, line=first.line),
            entry.path))
        return
    if entry.event == "moved" and first is None:
        registry.problems.append(Problem(entry.line, _(
            "index number {number} is moved before it was assigned").format(
                number=entry.number), entry.path))
        return
    holder = registry.number_of.get(entry.path)
    if holder is not None and holder != entry.number:
        registry.problems.append(Problem(entry.line, _(
            "content/{path} already has index number {number}; a document keeps the one "
            "number it was given").format(path=entry.path, number=holder), entry.path))
        return
    previous = registry.owner.get(entry.number)
    if previous is not None and registry.number_of.get(previous) == entry.number:
        del registry.number_of[previous]
    registry.entries.append(entry)
    registry.owner[entry.number] = entry.path
    registry.number_of[entry.path] = entry.number


def read_registry(root: Path) -> Registry:
    """The registry of the site at ``root`` (an empty one when the file does not exist)."""
    path = registry_file(root)
    if path.is_symlink():
        registry = Registry(exists=True)
        registry.problems.append(Problem(1, _("the registry is a symbolic link; replace the "
                                              "link with the file itself")))
        return registry
    if not path.is_file():
        return Registry()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        registry = Registry(exists=True)
        registry.problems.append(Problem(raw[:exc.start].count(b"\n") + 1,
                                         _("the file is not valid UTF-8; save it as UTF-8")))
        return registry
    return parse_registry(text.replace("\r\n", "\n"))


def new_lines(registry: Registry, agency: str,
              pages: list[tuple[str, datetime]]) -> list[tuple[str, str]]:
    """(number, path) for each page without a number, in the order given.

    The year of a number is the year the page is published; its sequence
    continues from the highest one of that agency and year ever assigned.
    """
    sequences: dict[int, int] = {}
    out = []
    for path, published in pages:
        if path in registry.number_of:
            continue
        year = published.year
        if year not in sequences:
            sequences[year] = registry.next_sequence(agency, year)
        out.append((f"{agency}/{year}-{sequences[year]:05d}", path))
        sequences[year] += 1
    return out


def append_lines(root: Path, lines: list[tuple[str, str]], today: date) -> None:
    """Append ``assigned`` lines to the registry (creating it with its header)."""
    path = registry_file(root)
    old = path.read_bytes().decode("utf-8-sig") if path.is_file() else ""
    if not old.strip():
        old = ",".join(HEADER) + "\n"
    if not old.endswith("\n"):
        old += "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for number, page in lines:
        writer.writerow([number, page, today.isoformat(), "assigned"])
    write_atomic(path, old + buffer.getvalue())


def lost_lines(root: Path) -> list[str]:
    """Registry lines that were committed once and are no longer in the file.

    Read from git: every line any commit reachable from HEAD removed (merges
    compared with each parent), and every line of the committed version, must
    still be in the file on disk. Outside a git repository there is no
    history to hold the file to, and nothing is reported.
    """
    from ..review.gitrun import find_repo

    path = registry_file(root)
    repo = find_repo(root)
    if repo is None or not repo.has_head():
        return []
    git_path = repo.to_git(REGISTRY_PATH)
    log = repo.run("log", "-m", "-p", "--format=", "--no-color", "--no-ext-diff", "-U0",
                   "HEAD", "--", git_path).decode("utf-8", "replace")
    once = {line[1:] for line in log.splitlines()
            if line.startswith("-") and not line.startswith("---")}
    committed = repo.show_blob("HEAD", git_path)
    if committed is not None:
        once |= set(committed.decode("utf-8-sig", "replace").replace("\r\n", "\n").splitlines())
    now = path.read_bytes().decode("utf-8-sig", "replace").replace("\r\n", "\n") \
        if path.is_file() and not path.is_symlink() else ""
    present = {line.strip() for line in now.splitlines()}
    return sorted(line for line in once if line.strip() and line.strip() not in present)
