"""The review desk's pages and actions, apart from HTTP.

:class:`Desk` answers a request that already passed the door
(:mod:`.security`): the queue, one file's change, the rendered page, and the
decisions. A decision goes through :func:`govpub.review.workflow.decide`,
the function ``govpub review approve|reject`` calls — the same checks, the
same record, the same signed commit — with the digest the page displayed.
"""

from __future__ import annotations

import mimetypes
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote

from ...build.serve import snapshot
from ...config import Policy, Reviewer, load_policy
from ...errors import GovpubError
from ...i18n import _
from ...safepath import UnsafePathError, resolve_inside
from ...sitemodel import page_url
from ...timeparse import parse_now
from .. import workflow
from ..changes import FileChanges, file_changes
from ..gitrun import GitRepo
from ..queue import QueueItem, build_queue, select
from ..readertext import displayed_text
from ..reasons import check_reason, reject_reasons
from ..records import read_record, record_path_for
from . import pages
from .highlight import highlight
from .preview import PreviewSite
from .security import DESK_POLICY, SITE_POLICY, Door

STATIC_DIR = Path(__file__).with_name("static")
#: how long a request for the rendered site waits for a build in progress
PREVIEW_WAIT_SECONDS = 600
DECISIONS = {"approve": "public", "reject": "not-public"}


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    policy: str = DESK_POLICY


def redirect(location: str) -> Response:
    return Response(303, b"", "text/plain; charset=utf-8", [("Location", location)])


def plain(status: int, text: str) -> Response:
    return Response(status, text.encode("utf-8"), "text/plain; charset=utf-8")


class Desk:
    """One reviewer's desk over one repository."""

    def __init__(self, policy: Policy, repo: GitRepo, reviewer: Reviewer, door: Door,
                 now_text: str | None = None, preview: PreviewSite | None = None) -> None:
        self.policy = policy
        self.repo = repo
        self.reviewer = reviewer
        self.door = door
        self.now_text = now_text
        self.preview = preview or PreviewSite(policy.root)
        self._queue_lock = threading.Lock()
        self._queue: list[QueueItem] | None = None
        self._queue_key: tuple | None = None
        self._decide_lock = threading.Lock()

    # -- state ---------------------------------------------------------------------------

    def now(self) -> datetime:
        return parse_now(self.now_text, self.policy.timezone)

    def _state_key(self) -> tuple:
        head = self.repo.text("rev-parse", "--verify", "--quiet", "HEAD").strip() \
            if self.repo.has_head() else ""
        return (head, tuple(sorted(snapshot(self.policy.root).items())))

    def queue(self) -> list[QueueItem]:
        """The queue, recomputed when anything under content/, review/, site_config/ or
        the commit changed."""
        with self._queue_lock:
            key = self._state_key()
            if key != self._queue_key:
                if self._queue_key is not None and key[1] != self._queue_key[1]:
                    self.policy = load_policy(self.policy.root)
                self._queue = build_queue(self.policy, self.now(), repo=self.repo)
                self._queue_key = key
            return list(self._queue or [])

    def item(self, content_path: str) -> QueueItem | None:
        return next((i for i in self.queue() if i.content_path == content_path), None)

    def content_path(self, raw: str) -> str | None:
        """A content path from the browser, proven to name a file inside content/."""
        try:
            file = resolve_inside(self.policy.content_dir, raw)
        except UnsafePathError:
            return None
        if not file.is_file() or file.is_symlink():
            return None
        return file.relative_to(self.policy.content_dir.resolve()).as_posix()

    # -- pages ---------------------------------------------------------------------------

    def context(self, **extra) -> dict:
        return {"prefix": self.door.prefix, "token": self.door.token,
                "reviewer": self.reviewer, "labels": pages.labels(), **extra}

    def queue_page(self, query: dict) -> Response:
        items = self.queue()
        column = (query.get("column") or [""])[0]
        level_text = (query.get("level") or [""])[0]
        level = int(level_text) if level_text in ("1", "2", "3") else None
        column = column if column in self.policy.columns else ""
        shown = select(items, column=column or None, level=level)
        body = pages.render("queue.html", self.context(
            items=[pages.queue_row(self.policy, i, self.now(), self.reviewer) for i in shown],
            total=len(items), columns=self.policy.columns, column=column, level=level,
            max_level=max([i.required for i in items] + [1])))
        return Response(200, body)

    def item_page(self, raw_path: str, query: dict, *, error: str | None = None,
                  status: int = 200) -> Response:
        content_path = self.content_path(raw_path)
        if content_path is None:
            return plain(404, _("no such file under content/"))
        fc = file_changes(self.policy, self.repo, content_path)
        item = self.item(content_path)
        view = (query.get("view") or [""])[0]
        done = (query.get("done") or [""])[0]
        commit = (query.get("commit") or [""])[0]
        if not all(c in "0123456789abcdef" for c in commit) or len(commit) > 40:
            commit = ""
        body = pages.render("item.html", self.context(
            **pages.item_view(self.policy, self.reviewer, fc, item, self.signoffs(fc),
                              self.now()),
            view="source" if view == "source" else "text",
            site_url=self.site_url(content_path),
            done=done if done in DECISIONS else "", commit=commit, error=error,
            reasons=reject_reasons(self.policy)))
        return Response(status, body)

    def signoffs(self, fc: FileChanges) -> list:
        """The sign-offs already made on this exact version (two-level review)."""
        record_file = record_path_for(self.policy, fc.content_path)
        if not record_file.is_file() or record_file.is_symlink():
            return []
        record, _problems = read_record(record_file)
        if record is None or record.digest != fc.digest:
            return []
        return record.signoffs

    def site_url(self, content_path: str) -> str | None:
        if not content_path.endswith((".md", ".markdown")):
            return None
        return f"{self.door.prefix}site/{quote(page_url(content_path))}"

    # -- the rendered site ---------------------------------------------------------------

    def site_file(self, raw_path: str) -> Response:
        if not raw_path or raw_path.endswith(("/", ".html")) or not self.preview.started:
            self.preview.refresh()  # a page: rebuild first if the site's inputs changed
        if not self.preview.wait(PREVIEW_WAIT_SECONDS):
            return plain(503, _("the preview of the site is still being built; reload "
                                "in a moment"))
        if self.preview.error:
            return plain(503, _("the preview of the site could not be built: {error}")
                         .format(error=self.preview.error))
        site = self.preview.site_dir
        try:
            file = resolve_inside(site, raw_path) if raw_path else site
        except UnsafePathError:
            return plain(404, _("not found at this desk"))
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file() or file.is_symlink():
            return plain(404, _("not found at this desk"))
        data = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = self._marked(raw_path, data)
            kind = "text/html; charset=utf-8"
        return Response(200, data, kind, policy=SITE_POLICY)

    def _marked(self, raw_path: str, data: bytes) -> bytes:
        """The page with its change since approval marked, when it is a page under review."""
        url = raw_path.removesuffix("index.html")
        if url and not url.endswith("/"):
            url += "/"
        for item in self.queue():
            if page_url(item.content_path) == url and item.content_path.endswith(".md"):
                fc = file_changes(self.policy, self.repo, item.content_path)
                old = displayed_text(self.policy.root, item.content_path, fc.old_bytes)
                new = displayed_text(self.policy.root, item.content_path, fc.new_bytes)
                if new is None:
                    break
                return highlight(data.decode("utf-8", "replace"), old, new).encode("utf-8")
        return data

    def download(self, raw_path: str) -> Response:
        """The file under review itself, as a download (never shown in the desk's origin)."""
        content_path = self.content_path(raw_path)
        if content_path is None:
            return plain(404, _("no such file under content/"))
        name = quote(content_path.rsplit("/", 1)[-1])
        return Response(200, (self.policy.content_dir / content_path).read_bytes(),
                        "application/octet-stream",
                        [("Content-Disposition", f"attachment; filename*=UTF-8''{name}")],
                        policy=SITE_POLICY)

    def static(self, name: str) -> Response:
        if name != "desk.css":
            return plain(404, _("not found at this desk"))
        return Response(200, (STATIC_DIR / name).read_bytes(), "text/css; charset=utf-8")

    # -- decisions -----------------------------------------------------------------------

    def decide(self, action: str, form: dict[str, str]) -> Response:
        if not self.door.token_matches(form.get("token", "")):
            return plain(403, _("this form is not from this desk"))
        content_path = self.content_path(form.get("path", ""))
        if content_path is None:
            return plain(404, _("no such file under content/"))
        digest = form.get("digest", "")
        if not workflow.DIGEST_PATTERN.match(digest):
            return plain(400, _("the form does not say which version you saw"))
        decision = DECISIONS[action]
        note = form.get("note", "").strip() if decision == "public" else \
            form.get("reason", "").strip()
        if decision == "not-public" and not form.get("code"):
            return self.item_page(content_path, {}, status=400,
                                  error=_("choose the reason for the rejection"))
        try:
            code = check_reason(self.policy, form.get("code"), note) \
                if decision == "not-public" else ""
            with self._decide_lock:
                outcome = workflow.decide(
                    self.policy, self.repo, self.reviewer, [content_path], decision, note,
                    self.now(), commit=True, shown_digests={content_path: digest},
                    reason_code=code)
        except GovpubError as exc:
            return self.item_page(content_path, {}, error=str(exc), status=409)
        return redirect(f"{self.door.prefix}item/{quote(content_path)}?done={action}"
                        f"&commit={outcome.commit or ''}")

    # -- routing -------------------------------------------------------------------------

    def get(self, path: str, query_string: str) -> Response:
        query = parse_qs(query_string, keep_blank_values=True)
        route, _slash, rest = path.partition("/")
        rest = unquote(rest)
        if route == "" and not rest:
            return self.queue_page(query)
        if route == "item" and rest:
            return self.item_page(rest, query)
        if route == "site":
            return self.site_file(rest)
        if route == "file" and rest:
            return self.download(rest)
        if route == "static":
            return self.static(rest)
        return plain(404, _("not found at this desk"))

    def post(self, path: str, form: dict[str, str]) -> Response:
        if path in DECISIONS:
            return self.decide(path, form)
        return plain(404, _("not found at this desk"))


__all__ = ["Desk", "Response"]
