"""Screenshots of the public site for docs/screenshots/ (`make screenshots`).

Builds the demo with `govpub build` into a temporary folder, serves it on
127.0.0.1 and photographs, at 1366 px (desktop) and 390 px (phone), the top of:
the home page, the service catalog, a service item, a notice with its index
box, care mode (largest text, high contrast) and the 404 page. PNGs are
quantized to 64 colours to stay small (`pngquant` style, with Pillow).
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": (1366, 900), "mobile": (390, 844)}


def shots(model) -> list[tuple[str, str, dict]]:
    """(name, path, localStorage settings) of each screenshot."""
    notice = next(p for p in model.of_type("notice") if p.meta.get("doc_number"))
    return [
        ("home", "", {}),
        ("catalog", "catalog/", {}),
        ("item", model.of_type("service-item")[0].url, {}),
        ("notice-index-box", notice.url, {}),
        ("care-mode", notice.url, {"gp-text-size": "175", "gp-contrast": "high"}),
        ("404", "404.html", {}),
    ]


def small_png(data: bytes) -> bytes:
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    quantized = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    quantized.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    from playwright.sync_api import sync_playwright

    from govpub.build import BuildOptions, run_build
    from govpub.build.serve import make_server

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        for name in ("content", "review", "site_config", "disclosure"):
            if (REPO / name).exists():
                shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        state = run_build(BuildOptions(root=root, echo=lambda _line: None))
        server = make_server(state.site_dir, 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        address = f"http://127.0.0.1:{server.server_address[1]}/"
        OUT.mkdir(parents=True, exist_ok=True)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                for name, path, storage in shots(state.model):
                    for kind, (width, height) in WIDTHS.items():
                        context = browser.new_context(viewport={"width": width, "height": height})
                        for key, value in storage.items():
                            context.add_init_script(f"localStorage.setItem({key!r}, {value!r})")
                        page = context.new_page()
                        page.goto(address + path, wait_until="load")
                        target = OUT / f"{name}-{kind}.png"
                        target.write_bytes(small_png(page.screenshot()))
                        print(f"{target.relative_to(REPO)}  {target.stat().st_size // 1024} KB")
                        context.close()
                browser.close()
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
