"""Run the rules over a corpus and decide what may be published (the gate).

Rules run in two phases. Rules that look only at the content run once. Rules
that depend on what is blocked (a link into a blocked page blocks the linking
page too) declare their dependency edges; the blocked set is closed over them
in one graph walk, then those rules report against the final set — so a
quarantined page leaves no trace in the pages that pointed to it, and a long
chain of links costs one walk, not one pass per hop.
"""

from __future__ import annotations

import contextlib
import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cached_property
from time import time_ns

from . import checkmemo, collector
from .checkcache import CheckCache, cached_document, reading_records, unpack_head
from .config import Policy
from .content import Corpus, Document, Entry, list_entries, load_entry
from .digest import digest_for
from .errors import GovpubError
from .findings import Finding, Severity
from .forking import ShareFailed, map_chunks, share_count
from .i18n import _
from .rules import Rule, registry
from .timeparse import DateFormatError, parse_datetime


@dataclass
class CheckContext:
    """What a rule may read: the policy, the whole corpus, the time, the gate state."""

    policy: Policy
    corpus: Corpus
    now: datetime
    blocked: set[str] = field(default_factory=set)
    #: results shared between rules (parsed links, approval states), computed once
    cache: dict = field(default_factory=dict)
    #: content paths whose findings are wanted; None for all (see check_repository's focus)
    scope: frozenset[str] | None = None
    #: per clock ("now", "clock"): the instants at which the findings of the rules that
    #: read it may change (Rule.clock; govpub.verdicts keeps a verdict between two)
    instants: dict[str, list[datetime]] = field(
        default_factory=lambda: {"now": [], "clock": []})

    def documents(self):
        """The documents rules report on: all of them, or those in scope."""
        docs = self.corpus.documents.values()
        return docs if self.scope is None else (d for d in docs if d.path in self.scope)

    def pages(self):
        return (d for d in self.documents() if d.is_page)

    def changes_at(self, rule: type[Rule] | Rule, *instants: datetime) -> None:
        """Said by a rule that reads the clock: its findings may change at ``instants``."""
        self.instants[rule.clock].extend(instants)

    def memo(self, key: str, factory):
        if key not in self.cache:
            self.cache[key] = factory()
        return self.cache[key]

    def severity_of(self, rule: type[Rule] | Rule) -> Severity:
        return self.policy.severity_overrides.get(rule.id, rule.severity)

    def finding(self, rule: type[Rule] | Rule, doc: Document | str, line: int, message: str,
                column: int = 1) -> Finding:
        path = doc if isinstance(doc, str) else doc.repo_path
        return Finding(path, max(1, line), max(1, column), rule.id, self.severity_of(rule),
                       message)

    def type_of(self, doc: Document) -> str | None:
        column = self.policy.column_for(doc.path)
        return column.type if column else None

    def published(self, doc: Document) -> datetime | None:
        """The page's parsed ``published`` time, or None when absent or malformed."""
        return self._dates.get(doc.path, {}).get("published")

    def updated(self, doc: Document) -> datetime | None:
        return self._dates.get(doc.path, {}).get("updated")

    @cached_property
    def _dates(self) -> dict[str, dict[str, datetime]]:
        tz = self.policy.timezone
        dates: dict[str, dict[str, datetime]] = {}
        for doc in self.corpus.pages():
            if not doc.has_meta:
                continue
            for key in ("published", "updated"):
                if key in doc.meta:
                    with contextlib.suppress(DateFormatError):  # GP102 reports it
                        dates.setdefault(doc.path, {})[key] = parse_datetime(doc.meta[key], tz)
        return dates

    def is_publishable(self, content_path: str) -> bool:
        return content_path in self.corpus.documents and content_path not in self.blocked


@dataclass
class CheckResult:
    context: CheckContext
    findings: list[Finding]

    @property
    def blocked(self) -> set[str]:
        return self.context.blocked

    @property
    def instants(self) -> dict[str, list[datetime]]:
        """When the findings may change, the rest staying the same (see CheckContext)."""
        return self.context.instants

    @property
    def publishable(self) -> list[Document]:
        return [d for path, d in self.context.corpus.documents.items()
                if path not in self.context.blocked]

    def findings_for(self, content_path: str) -> list[Finding]:
        repo_path = "content/" + content_path
        return [f for f in self.findings if f.path == repo_path]

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]


def _midnights(now: datetime) -> tuple[datetime, datetime]:
    """The start of ``now``'s day and of the next, in ``now``'s time zone (a "day" rule
    reads ``now.date()``)."""
    day = now.date()
    return tuple(datetime.combine(day + timedelta(days=n), time(0), tzinfo=now.tzinfo)
                 for n in (0, 1))


def _allowed(doc: Document | None, rule: type[Rule]) -> bool:
    if doc is None or not rule.allowable or not doc.has_meta:
        return False
    entries = doc.meta.get("allow")
    if not isinstance(entries, list):
        return False
    return any(isinstance(e, dict) and e.get("rule") == rule.id and str(e.get("reason", "")).strip()
               for e in entries)


def _blocking_paths(findings: list[Finding], rules: dict[str, type[Rule]]) -> set[str]:
    paths = set()
    for f in findings:
        if f.path.startswith("content/") and (f.blocking or rules[f.rule].holds_back):
            paths.add(f.path.removeprefix("content/"))
    return paths


def _close_over(blocked: set[str], dependants: dict[str, list[str]]) -> set[str]:
    """Everything that depends, directly or through others, on a blocked file."""
    closed = set(blocked)
    pending = list(blocked)
    while pending:
        for page in dependants.get(pending.pop(), ()):
            if page not in closed:
                closed.add(page)
                pending.append(page)
    return closed


def _run(rule: type[Rule], ctx: CheckContext) -> list[Finding]:
    out = []
    for finding in rule().check(ctx):
        doc = ctx.corpus.get(finding.path.removeprefix("content/"))
        if not _allowed(doc, rule):
            out.append(finding)
    return out


def run_checks(policy: Policy, corpus: Corpus, now: datetime,
               rules: list[type[Rule]] | None = None, *,
               local_findings: list[Finding] | None = None,
               scope: frozenset[str] | None = None,
               instants: dict[str, list[datetime]] | None = None) -> CheckResult:
    """Run ``rules`` (default: all). ``local_findings``: the local rules already ran
    (``instants``: what they said of the clock, see CheckContext.changes_at)."""
    rules = rules if rules is not None else registry.all()
    by_id = {r.id: r for r in rules}
    ctx = CheckContext(policy=policy, corpus=corpus, now=now, scope=scope)
    for clock, said in (instants or {}).items():
        ctx.instants[clock].extend(said)
    for rule in rules:
        if rule.cacheable == "day" and rule.clock is not None:  # maybe not run: from the cache
            ctx.changes_at(rule, *_midnights(now))
    findings: list[Finding] = list(local_findings or [])
    for rule in rules:
        if not rule.needs_gate and not (rule.local and local_findings is not None):
            findings.extend(_run(rule, ctx))
    ctx.blocked = _blocking_paths(findings, by_id)
    gate_rules = [r for r in rules if r.needs_gate]
    dependants: dict[str, list[str]] = defaultdict(list)
    for rule in gate_rules:
        for page, target in rule().edges(ctx):
            dependants[target].append(page)
    gate_findings: list[Finding] = []
    while gate_rules:
        ctx.blocked = _close_over(ctx.blocked, dependants)
        gate_findings = [f for rule in gate_rules for f in _run(rule, ctx)]
        grown = ctx.blocked | _blocking_paths(gate_findings, by_id)
        if grown == ctx.blocked:
            break
        ctx.blocked = grown
    findings.extend(gate_findings)
    findings.sort(key=Finding.sort_key)
    return CheckResult(context=ctx, findings=findings)


#: per-document results worth sending back from the workers (the rest is dropped:
#: sending a value back costs more than most of them cost to compute)
SHARED_DERIVATIONS = frozenset({"page-links", "internal-links", "anchors"})
#: below this many files per process, one process is faster than starting workers
MIN_FILES_PER_SHARE = 200
#: files per chunk: every process takes the next chunk when it is free, so that all
#: end together (see forking.map_chunks); a chunk's results go back in one message
CHUNK_FILES = 96
#: values rules keep in CheckContext.cache that depend on the policy alone: made once
#: per process, not once per chunk (a schema is compiled to Python code)
POLICY_MEMOS = frozenset({"schema-validators", "item-code-pattern", "link-columns"})
#: what reading a PDF attachment costs, in pages: its text is extracted for the
#: sensitive-content rules, with a library that takes a while to import
PDF_COST = 25


def plan_chunks(entries: list[Entry], processes: int) -> tuple[list[list[Entry]], list[int]]:
    """(chunks of the entries, the chunks the first child does first).

    PDF attachments get chunks of their own, done first: by the first child
    alone while they cost no more than its part of the whole (the library that
    reads them is imported in one process only), else by all. Then the pages, in
    path order (each chunk's pages share a column and its schema).
    """
    pdfs = [e for e in entries if e.rel.lower().endswith(".pdf") and not e.refusal]
    if not pdfs:
        return [entries[k:k + CHUNK_FILES] for k in range(0, len(entries), CHUNK_FILES)], []
    picked = set(map(id, pdfs))
    rest = [e for e in entries if id(e) not in picked]
    size = max(1, CHUNK_FILES // PDF_COST)
    chunks = [pdfs[k:k + size] for k in range(0, len(pdfs), size)]
    first = list(range(len(chunks))) \
        if len(pdfs) * PDF_COST <= (len(rest) + len(pdfs) * PDF_COST) / max(processes, 1) else [0]
    chunks += [rest[k:k + CHUNK_FILES] for k in range(0, len(rest), CHUNK_FILES)]
    return chunks, first


@dataclass(frozen=True)
class _Chunks:
    """The job every process of a parallel check shares (inherited by fork, not sent)."""

    policy: Policy
    chunks: list[list[Entry]]
    now: datetime
    rules: list[type[Rule]]
    run_rules: bool
    keep_bodies: bool
    cache: CheckCache | None = None
    #: the process whose documents are kept whole; the others send theirs back
    parent: int = field(default_factory=os.getpid)
    #: this process's POLICY_MEMOS
    memos: dict = field(default_factory=dict)

    def __call__(self, index: int) -> tuple[list[Document], list[Finding], dict]:
        """Load one chunk; run the local rules on it and prepare the others' work.

        A worker's chunk goes back to the parent through a pipe, so only what
        later rules reuse is kept with it.
        """
        entries = self.chunks[index]
        kept: dict[str, tuple[bytes, bytes]] = {}
        if self.cache is not None:
            for entry in entries:
                self.cache.before_reading(entry)
        documents = [_load(self.policy, e) for e in entries]
        findings, instants = [], {}
        if self.run_rules:
            ctx = CheckContext(policy=self.policy, now=self.now,
                               corpus=Corpus(self.policy.content_dir,
                                             {d.path: d for d in documents}),
                               cache=dict(self.memos))
            findings = [f for rule in self.rules if rule.local and not rule.needs_gate
                        for f in _run(rule, ctx)]
            for rule in self.rules:
                if not rule.local:
                    instance = rule()
                    for doc in documents:
                        instance.prepare(doc, ctx)
            instants = ctx.instants
            self.memos.update((k, v) for k, v in ctx.cache.items() if k in POLICY_MEMOS)
            if self.cache is not None:
                kept = _keep(self.cache, documents, findings)
                # written chunk by chunk, while the other processes still work: written at
                # the end, every process waited for the others' transactions in turn
                self.cache.flush()
        if os.getpid() == self.parent:
            if self.cache is not None and self.cache.kept is not None:
                by_path = _by_path(findings)
                for doc in documents:
                    blobs = kept.get(doc.path)
                    if blobs is not None:
                        self.cache.keep_in_memory(doc.path, doc.digest, blobs[0], blobs[1],
                                                  by_path.get(doc.repo_path, []))
            return documents, findings, instants
        sent: list = []
        for doc in documents:
            blobs = kept.get(doc.path)
            if blobs is not None:  # packed for the cache already: sent as kept, not again
                sent.append((blobs[0], blobs[1] if self.keep_bodies else None))
                continue
            doc.derived = {k: v for k, v in doc.derived.items() if k in SHARED_DERIVATIONS}
            if not self.keep_bodies:
                doc.body = None
            doc.file = None  # the parent has it (see received): a Path is slow to unpickle
            sent.append(doc)
        return sent, findings, instants

    def received(self, index: int, result: tuple) -> tuple[list[Document], list, dict]:
        """A worker's chunk as the parent keeps it: its documents with their file paths, as
        the parent listed them (those sent as cache blobs made again, as a later check
        reads them). Done as each chunk arrives, between the parent's own chunks."""
        documents, findings, instants = result
        out = []
        keeping = self.cache is not None and self.cache.kept is not None
        by_path = _by_path(findings) if keeping else {}
        for doc, entry in zip(documents, self.chunks[index], strict=True):
            if isinstance(doc, tuple):
                head, rest = doc
                if keeping and rest is not None:
                    head = unpack_head(head)
                doc = cached_document(head, rest, entry.file)
                if keeping and rest is not None:
                    self.cache.keep_in_memory(doc.path, doc.digest, head, rest,
                                              by_path.get(doc.repo_path, []))
            else:
                doc.file = entry.file
            out.append(doc)
        return out, findings, instants

    def finish(self) -> None:
        """After a process's last chunk: write what it learned to the cache."""
        if self.cache is not None:
            self.cache.flush()


def _by_path(findings: list[Finding]) -> dict[str, list[Finding]]:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append(finding)
    return by_path


def _keep(cache: CheckCache, documents: list[Document],
          findings: list[Finding]) -> dict[str, tuple[bytes, bytes]]:
    """Store each document and its findings; the (head, rest) blobs of those kept."""
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append(finding)
    kept = {}
    for doc in documents:
        blobs = cache.store(doc, by_path.get(doc.repo_path, []))
        if blobs is not None:
            kept[doc.path] = blobs
    return kept


def _keep_daily(cache: CheckCache, documents, findings: list[Finding]) -> None:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append(finding)
    for doc in documents:
        cache.store_daily(doc, by_path.get(doc.repo_path, []))


def _load(policy: Policy, entry: Entry) -> Document:
    return load_entry(entry, max_page_bytes=policy.max_page_bytes,
                      max_attachment_bytes=policy.max_attachment_bytes)


def _load_all(policy: Policy, entries: list[Entry], now: datetime, *, run_rules: bool,
              rules: list[type[Rule]], keep_bodies: bool, cache: CheckCache | None = None):
    """Load every file (on every core for large trees); run the local rules there too.

    With a ``cache`` the local rules always run here (even in one process), and
    what each process loaded is kept in the cache.
    """
    workers = share_count(len(entries), MIN_FILES_PER_SHARE)
    if workers < 2 and cache is None:
        return Corpus(policy.content_dir, {e.rel: _load(policy, e) for e in entries}), None, {}
    if workers < 2:
        job = _Chunks(policy, [entries], now, rules, run_rules, keep_bodies, cache)
        documents, findings, instants = job(0)
        job.finish()
        return (Corpus(policy.content_dir, {d.path: d for d in documents}),
                findings if run_rules else None, instants)
    chunks, first = plan_chunks(entries, workers)
    job = _Chunks(policy, chunks, now, rules, run_rules, keep_bodies, cache)
    try:
        # both ends: each process meets fewer columns, and compiles fewer type schemas
        done = map_chunks(job, len(chunks), workers, first=first, finish=job.finish,
                          from_both_ends=True, received=job.received)
    except ShareFailed as exc:
        raise GovpubError(_("checking failed in a worker process: {error}").format(
            error=exc)) from None
    documents = {d.path: d for docs, _found, _said in done for d in docs}
    corpus = Corpus(policy.content_dir, dict(sorted(documents.items())))
    return (corpus, [f for _docs, found, _said in done for f in found] if run_rules else None,
            _merged([said for _docs, _found, said in done]))


def _merged(instants: list[dict[str, list[datetime]]]) -> dict[str, list[datetime]]:
    out: dict[str, list[datetime]] = {}
    for said in instants:
        for clock, times in said.items():
            out.setdefault(clock, []).extend(times)
    return out


def dependency_closure(ctx: CheckContext, paths, rules: list[type[Rule]]) -> frozenset[str]:
    """``paths`` and every file they depend on for their verdict, transitively.

    Documents whose body was not kept (see _load_all) are read again in full
    as the walk reaches them.
    """
    gate_rules = [rule() for rule in rules if rule.needs_gate]
    closed: set[str] = set()
    pending = [p for p in paths if p in ctx.corpus.documents]
    entries = {}
    while pending:
        path = pending.pop()
        if path in closed:
            continue
        closed.add(path)
        doc = ctx.corpus.documents[path]
        if doc.body is None:
            if not entries:
                entries = {e.rel: e for e in list_entries(ctx.policy.content_dir)}
            if path in entries:  # else it vanished since: keep what was loaded
                doc = ctx.corpus.documents[path] = _load(ctx.policy, entries[path])
        for rule in gate_rules:
            pending.extend(t for t in rule.targets(doc, ctx)
                           if t in ctx.corpus.documents and t not in closed)
    return frozenset(closed)


def check_repository(policy: Policy, now: datetime, *, focus: set[str] | None = None,
                     rules: list[type[Rule]] | None = None,
                     keep_bodies: bool = True, use_cache: bool = True,
                     keep: bool = False, fill_cache_at_once: bool = True) -> CheckResult:
    """Load ``content/`` and run every rule; large trees use every core.

    ``focus`` (content paths; the pull-request mode) asks for the verdicts of
    those files only. Every file is still loaded, and the rules across the
    whole tree (unique codes, orphan records) still run, but the per-file
    rules run only on the focus and on what it depends on (link targets,
    explained items, interpreted policies): nothing else can change their
    verdicts. The result's blocked set is then exact for that closure only.

    ``rules``: the rules to run (default: every registered rule).
    ``keep_bodies=False``: the caller reads findings only, so documents loaded
    in worker processes come back without their Markdown (``body`` is None).
    ``use_cache``: reuse per-file results of earlier runs (govpub.checkcache);
    the focused (pull-request) check never does.
    ``keep``: this process also keeps the cache's entries as read, for its next check of
    the same repository (``govpub serve``'s rebuilds; govpub.checkmemo). With the cache,
    every check with ``keep_bodies`` keeps the findings of the rules run on every check
    by bucket, in the process and in the cache, for the next check, whichever process
    runs it.
    ``fill_cache_at_once=False``: the first check of a cache's generation runs without
    it and only marks it seen; the checks after it fill and use it (``govpub check``:
    see govpub.checkcache, "Filled from the second check on").
    """
    rules = rules if rules is not None else registry.all()
    with collector.paused():  # documents hold no cycles: nothing to find while loading
        return _check_repository(policy, now, focus, rules, keep_bodies, use_cache, keep,
                                 fill_cache_at_once)


def _check_repository(policy: Policy, now: datetime, focus: set[str] | None,
                      rules: list[type[Rule]], keep_bodies: bool,
                      use_cache: bool = False, keep: bool = False,
                      fill_cache_at_once: bool = True) -> CheckResult:
    entries = list_entries(policy.content_dir)
    today = now.astimezone(policy.timezone).date().isoformat()
    # the findings of the rules run on every check are kept by bucket, in this process and
    # in the cache (govpub.checkmemo); serve's process keeps the cache's entries as well
    kept = checkmemo.kept_for(policy.root) if focus is None and use_cache and keep_bodies \
        else None
    cache = CheckCache.open(policy, rules, SHARED_DERIVATIONS, today,
                            kept.statuses if kept is not None and keep else None) \
        if focus is None and use_cache else None
    if cache is not None and not fill_cache_at_once and not cache.seen_before():
        cache.close()
        cache = None  # a first check: run without the cache, as no cache was ever made
    if cache is not None:
        if kept is not None and keep:
            cache.kept = kept.rows_for(cache.generation)
            cache.records = kept.records
            kept.statuses = cache.statuses
        try:
            with reading_records(cache):
                return _cached_check(policy, now, entries, rules, keep_bodies, cache, kept)
        finally:
            cache.close()
    if focus is None:
        corpus, local_findings, instants = _load_all(policy, entries, now, run_rules=True,
                                                     rules=rules, keep_bodies=keep_bodies)
        return run_checks(policy, corpus, now, rules, local_findings=local_findings,
                          instants=instants)
    # bodies not sent back: the dependency walk reloads the few it needs
    corpus, _none, _said = _load_all(policy, entries, now, run_rules=False, rules=rules,
                                     keep_bodies=False)
    wanted = {path for path in corpus.documents
              if any(f in ("", ".") or path == f or path.startswith(f.rstrip("/") + "/")
                     for f in focus)}
    scope = dependency_closure(CheckContext(policy=policy, corpus=corpus, now=now), wanted,
                               rules)
    return run_checks(policy, corpus, now, rules, scope=scope)


#: documents per chunk when the rules that are never cached run again on cached documents
AGAIN_CHUNK_FILES = 400


def _again_rules(rules: list[type[Rule]]) -> list[type[Rule]]:
    return [rule for rule in rules if rule.local and not rule.needs_gate and not rule.cacheable]


def _again_job(policy: Policy, now: datetime, rules: list[type[Rule]],
               documents: dict[str, Document], chunks: list[list[str]]):
    """``again(index)``: (findings, instants) of the rules run again on one chunk."""
    wanted = _again_rules(rules)

    def again(index: int) -> tuple[list[Finding], dict]:
        ctx = CheckContext(policy=policy, now=now, corpus=Corpus(
            policy.content_dir, {path: documents[path] for path in chunks[index]}))
        return [f for rule in wanted for f in _run(rule, ctx)], ctx.instants

    return again


def _run_chunks(again, count: int, files: int, cache: CheckCache) -> list:
    workers = share_count(files, MIN_FILES_PER_SHARE)
    if workers < 2:
        return [again(index) for index in range(count)]
    try:
        return map_chunks(again, count, workers, finish=cache.flush)
    except ShareFailed as exc:
        raise GovpubError(_("checking failed in a worker process: {error}").format(
            error=exc)) from None


def _run_again(policy: Policy, now: datetime, rules: list[type[Rule]],
               documents: dict[str, Document], cache: CheckCache,
               kept: checkmemo.KeptCheck | None = None):
    """(findings, instants) of the local rules that are not cacheable (sign-offs, the
    clock) on cached documents — on every core for large trees (the documents are
    there already in every process: only the findings come back). With ``kept``,
    a bucket of documents whose inputs are all as before is not run again
    (govpub.checkmemo)."""
    if kept is not None:
        return _run_again_kept(policy, now, rules, documents, cache, kept)
    paths = list(documents)
    chunks = [paths[k:k + AGAIN_CHUNK_FILES] for k in range(0, len(paths), AGAIN_CHUNK_FILES)]
    done = _run_chunks(_again_job(policy, now, rules, documents, chunks), len(chunks),
                       len(paths), cache)
    return [f for found, _said in done for f in found], _merged([said for _f, said in done])


def _run_again_kept(policy: Policy, now: datetime, rules: list[type[Rule]],
                    documents: dict[str, Document], cache: CheckCache,
                    kept: checkmemo.KeptCheck):
    started_ns = time_ns()
    before = {"now": (now, now), "clock": (checkmemo.clock_reading(now),) * 2}
    groups: dict[int, list[str]] = defaultdict(list)
    for path in documents:
        groups[kept.bucket_of(path)].append(path)
    for paths in groups.values():
        paths.sort()  # (the documents come reused first, then those loaded)
    checkmemo.stored_buckets(kept, cache)
    context = (cache.generation, tuple(f"{rule.__module__}.{rule.__qualname__}"
                                       for rule in _again_rules(rules)),
               str(now.tzinfo), now.utcoffset())
    beside = checkmemo.beside_statuses(os.fspath(policy.review_dir))
    keys = {bucket: checkmemo.bucket_key(context, beside,
                                         [documents[p] for p in paths], cache.seen, started_ns)
            for bucket, paths in groups.items()}
    todo = [bucket for bucket in sorted(groups)
            if not (bucket in kept.buckets and kept.buckets[bucket].holds(keys[bucket], before))]
    chunks = [groups[bucket] for bucket in todo]
    done = _run_chunks(_again_job(policy, now, rules, documents, chunks), len(chunks),
                       sum(map(len, chunks)), cache)
    after = checkmemo.clock_reading(now)
    readings = {"now": (now, now), "clock": (before["clock"][0], after)}
    for bucket, (found, said) in zip(todo, done, strict=True):
        if keys[bucket] is None:
            kept.buckets.pop(bucket, None)
        else:
            kept.buckets[bucket] = checkmemo.Kept(keys[bucket], found, said, readings)
    gone = set(kept.buckets) - set(groups)
    for bucket in gone:
        del kept.buckets[bucket]
    checkmemo.store_changes(kept, cache, [*todo, *gone])
    kept.ran, kept.reused = len(todo), len(groups) - len(todo)
    ran = dict(zip(todo, done, strict=True))
    results = [ran[b] if b in ran else (kept.buckets[b].findings, kept.buckets[b].instants)
               for b in sorted(groups)]
    return [f for found, _said in results for f in found], _merged([s for _f, s in results])


def _cached_check(policy: Policy, now: datetime, entries: list[Entry],
                  rules: list[type[Rule]], keep_bodies: bool, cache: CheckCache,
                  kept: checkmemo.KeptCheck | None = None) -> CheckResult:
    """The whole check, with each unchanged file's document and cacheable findings reused.

    Local rules that are not ``cacheable`` (the sign-off rules, rules that read
    the clock) run again on the reused documents; every other rule runs on all.
    """
    hits, todo = cache.split(entries, digest_for)
    if not (kept is not None and cache.records):  # (else kept by this process)
        cache.load_records()
    if not keep_bodies:
        kept = None  # (the fidelity rule reads the text of the pages loaded)
    # with kept state, the rules run again run on every document by bucket (those loaded
    # too), so that the first check of a process leaves its results to the next
    again_rules = set(_again_rules(rules)) if kept is not None else set()
    loaded, found, said = _load_all(policy, todo, now, run_rules=True,
                                    rules=[r for r in rules if r not in again_rules],
                                    keep_bodies=keep_bodies, cache=cache)
    reused = {rel: doc for rel, (doc, _) in hits.items()}
    local = [f for _, cached in hits.values() for f in cached] + list(found or [])
    if kept is not None:
        again, again_said = _run_again(policy, now, rules, {**reused, **loaded.documents},
                                       cache, kept)
        local += again
        said = _merged([said, again_said])
    elif reused:
        again, again_said = _run_again(policy, now, rules, reused, cache)
        local += again
        said = _merged([said, again_said])
    stale = {rel: reused[rel] for rel in cache.stale_days}
    if stale:  # reused documents whose daily findings are of another day
        ctx = CheckContext(policy=policy, now=now, corpus=Corpus(policy.content_dir, stale))
        daily = [f for rule in rules if rule.local and not rule.needs_gate
                 and rule.cacheable == "day" for f in _run(rule, ctx)]
        local += daily
        _keep_daily(cache, stale.values(), daily)
    corpus = Corpus(policy.content_dir, dict(sorted({**reused, **loaded.documents}.items())))
    result = run_checks(policy, corpus, now, rules, local_findings=local, instants=said)
    cache.flush()
    if todo or len(cache.statuses) > len(entries) + len(cache.records_used):
        cache.prune({f"{path}\0{doc.digest}" for path, doc in corpus.documents.items()})
    cache.compact_records()
    return result


__all__ = ["CheckContext", "CheckResult", "Severity", "check_repository", "run_checks"]
