"""``govpub links``: every external link of the site, with the pages using it."""

from __future__ import annotations

import json
from collections import defaultdict

import click

from ..content import load_corpus
from ..i18n import N_, _
from ..links.approval import parse_external
from ..links.pages import page_links
from ..links.rulebase import links_config, own_host
from .common import policy_of

#: the approval states of ``govpub links`` (JSON keeps the key, text shows the label)
STATUS_LABELS = {"approved": N_("approved"), "unapproved": N_("not approved"),
                 "http-not-allowed": N_("http not allowed")}


def collect(policy) -> list[dict]:
    """Pure over the loaded corpus: one record per external URL, sorted."""
    corpus = load_corpus(policy.content_dir, max_page_bytes=policy.max_page_bytes,
                         max_attachment_bytes=policy.max_attachment_bytes)
    config = links_config(policy)
    host = own_host(policy)
    uses: dict[str, list[dict]] = defaultdict(list)
    targets = {}
    for doc in corpus.pages():
        for link in page_links(doc):
            target = parse_external(link.url, host)
            if target is None:
                continue
            uses[link.url].append({"path": doc.repo_path, "line": link.line})
            targets[link.url] = target
    records = []
    for url in sorted(uses):
        target = targets[url]
        approval = config.approval_for(target.host, target.path)
        if approval is None:
            state = "unapproved"
        elif target.scheme != "https" and not approval.allow_http:
            state = "http-not-allowed"
        else:
            state = "approved"
        records.append({"url": url, "host": target.host, "status": state,
                        "approved_by": approval.approved_by if approval else None,
                        "pages": uses[url]})
    return records


@click.command("links")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--unapproved", is_flag=True, help="Only links that are not approved.")
@click.pass_context
def links(ctx: click.Context, output_format: str, unapproved: bool) -> int:
    """List every external link in the site, with its approval and the pages using it."""
    records = collect(policy_of(ctx))
    if unapproved:
        records = [r for r in records if r["status"] != "approved"]
    if output_format == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    for record in records:
        click.echo(f"{record['url']}  [{_(STATUS_LABELS[record['status']])}]")
        for use in record["pages"]:
            click.echo(f"    {use['path']}:{use['line']}")
    hosts = len({r["host"] for r in records})
    click.echo(_("{links} external link(s) to {hosts} site(s)").format(
        links=len(records), hosts=hosts))
    return 0
