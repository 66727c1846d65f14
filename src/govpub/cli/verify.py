"""``govpub verify SITE_DIR_OR_URL``: is the site exactly what the build signed?"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..i18n import N_, _
from ..integrity.manifest import PUBLIC_KEY, load_public_key
from ..integrity.verify import is_url, verify_site
from .common import root_of

_SIGNATURE_TEXT = {
    "good": N_("signature: good"),
    "bad": N_("signature: BAD — manifest.json was altered or signed with another key"),
    "missing": N_("signature: MISSING — manifest.json.sig is absent"),
    "unchecked": N_("signature: not checked — no public key (site_config/manifest-key.pub); "
                    "hashes alone do not prove the manifest itself is unaltered"),
}
_FILE_LABELS = (("altered", N_("altered: {path}")), ("missing", N_("missing: {path}")),
                ("unexpected", N_("unexpected: {path}")))


@click.command("verify")
@click.argument("target", metavar="SITE_DIR_OR_URL")
@click.option("--key", "key_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Public key (default: site_config/manifest-key.pub in the "
                                 "repository).")
@click.option("--timeout", type=float, default=20.0, show_default=True,
              help="Seconds per HTTP request (URL form).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.pass_context
def verify(ctx: click.Context, target: str, key_path: Path | None, timeout: float,
           output_format: str) -> int:
    """Check every file of a built site folder or a live site against the signed manifest.

    Reports altered, missing and (for folders) unexpected files; exit 1 on any.
    """
    if key_path is None:
        default = root_of(ctx) / PUBLIC_KEY
        key_path = default if default.is_file() else None
    public_key = load_public_key(key_path) if key_path is not None else None
    result = verify_site(target, public_key, timeout=timeout)
    if output_format == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return 0 if result.ok else 1
    click.echo(_(_SIGNATURE_TEXT[result.signature]))
    for kind, label in _FILE_LABELS:
        for path in getattr(result, kind):
            click.echo(_(label).format(path=path))
    for error in result.errors:
        click.echo(_("error: {error}").format(error=error))
    if not result.unexpected_checked:
        click.echo(_("note: unexpected (added) files cannot be detected over HTTP — run "
                     "govpub verify on the deploy folder for that"))
    counts = {"checked": result.checked, "altered": len(result.altered),
              "missing": len(result.missing), "unexpected": len(result.unexpected)}
    if result.unexpected_checked:
        summary = _("{checked} files checked: {altered} altered, {missing} missing, "
                    "{unexpected} unexpected").format(**counts)
    else:
        summary = _("{checked} files checked: {altered} altered, {missing} missing").format(
            **counts)
    click.echo((_("OK: {summary}") if result.ok else _("FAILED: {summary}")).format(
        summary=summary))
    if is_url(target) and result.ok:
        click.echo(_("verified {target}").format(target=target))
    return 0 if result.ok else 1
