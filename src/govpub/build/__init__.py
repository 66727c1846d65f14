"""The governed build: load → check → gate → stage → render → post-build → publish.

``run_build(BuildOptions(root=…))`` is what ``govpub build`` and ``govpub
serve`` call. Extension points for other parts of govpub:
:data:`govpub.build.generated.GENERATORS` (pages written into staging) and
:data:`govpub.build.postbuild.POST_BUILD` (steps run on the built site before
it goes live). See docs/build.md.
"""

from __future__ import annotations

from .pipeline import BuildOptions, BuildState, Stage, default_stages, run_build
from .publish import PREVIEW_MARKER, is_preview, refuse_preview, refuse_unpublishable_copy

__all__ = ["PREVIEW_MARKER", "BuildOptions", "BuildState", "Stage", "default_stages",
           "is_preview", "refuse_preview", "refuse_unpublishable_copy", "run_build"]
