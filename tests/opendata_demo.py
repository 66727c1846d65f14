"""The repository's own demo site (content/ and site_config/), signed off in a temp copy.

Runs the real rules, so the model is exactly what ``govpub build`` would
publish from the demo; whatever the real rules quarantine is the demo's
"blocked" set.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from factory import NOW, REPO, sign_off

from govpub.checker import check_repository
from govpub.config import load_policy
from govpub.sitemodel import SiteModel, build_site_model


def demo_model(tmp: Path) -> tuple[SiteModel, set[str], Path]:
    root = tmp / "demo"
    shutil.copytree(REPO / "site_config", root / "site_config")
    shutil.copytree(REPO / "content", root / "content")
    paths = [p.relative_to(root / "content").as_posix()
             for p in sorted((root / "content").rglob("*")) if p.is_file()]
    sign_off(root, paths)
    result = check_repository(load_policy(root), NOW)
    return build_site_model(result), set(result.blocked), root
