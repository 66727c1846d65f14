"""The report's charts as SVG: deterministic bytes, readable in print.

Same figures → same file (``svg.hashsalt`` fixed, no date in the metadata),
so a re-generated report does not void its sign-off for nothing. Text stays
text (``svg.fonttype: none``): small files, selectable, and Chinese labels
render with the reader's fonts. Black and grey only, hatched bars, 10 pt
and larger type: legible on a black-and-white printout.
"""

from __future__ import annotations

import io


def _pyplot():
    import logging

    import matplotlib

    # a missing font weight is not the reader's problem: keep the command's output clean
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "svg.hashsalt": "govpub-annual-report",
        "svg.fonttype": "none",
        "axes.unicode_minus": False,
        "font.size": 11,
        "font.family": ["sans-serif"],
        "font.sans-serif": ["WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC",
                            "DejaVu Sans"],
        "axes.edgecolor": "black",
        "axes.prop_cycle": matplotlib.cycler(color=["#444444"]),
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "hatch.color": "black",
    })
    return plt


def _svg(fig) -> bytes:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "govpub"},
                bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buffer.getvalue().encode("utf-8")


def months_chart(year: int, counts: list[int]) -> bytes:
    """Pages published in each month of ``year``: a bar chart, Chinese labels."""
    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(7, 3.5))
    bars = ax.bar(range(12), counts, color="#bbbbbb", edgecolor="black", hatch="//")
    ax.set_xticks(range(12), [f"{m}月" for m in range(1, 13)])
    ax.set_title(f"{year}年各月信息发布数量")
    ax.set_ylabel("发布数量（条）")
    ax.bar_label(bars, fontsize=9)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)
