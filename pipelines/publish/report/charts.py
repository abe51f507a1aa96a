"""Charts for the report: matplotlib, drawn to SVG files the HTML and the PDF both use.

A sober government style: one palette, labelled axes, the value on every bar, Dutch number
formats, one number style per chart (all amounts in millions, or all in euros). The legend
sits outside the plot area, above it, so it never covers a bar or an axis title. Every
chart also gets a text alternative and its figures as a table (content.py).
"""

from __future__ import annotations

import math
import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from pipelines.publish.report.content import Chart  # noqa: E402
from pipelines.publish.report.formatting import GEEN_GEGEVENS, GEHEIM, euro, getal, miljoen  # noqa: E402

# Rijkshuisstijl-like colours: dark blue, sky blue, light blue, orange, green, ruby.
PALETTE = ["#154273", "#007bc7", "#8fcae7", "#e17000", "#39870c", "#a90061"]
TEXT = "#1a1a1a"

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.edgecolor": "#666666",
        "axes.labelcolor": TEXT,
        "xtick.color": TEXT,
        "ytick.color": TEXT,
        "svg.fonttype": "none",  # text stays text: searchable, and sharp in the PDF
        "svg.hashsalt": "kerncijfers",  # the same chart gives the same file
    }
)


def number_style(chart: Chart) -> Callable[[float], str]:
    """One style for every number of a chart: money in millions when the largest amount
    is a million or more, else in whole euros; counts as whole numbers."""
    if not chart.money:
        return getal
    largest = max(
        (abs(v) for vs in chart.series.values() for v in vs if v is not None and not math.isnan(v)),
        default=0,
    )
    return miljoen if largest >= 1_000_000 else euro


# Markers of the lines of a line chart, so that they differ without colour too.
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]


def draw(chart: Chart, path: Path) -> None:
    """Draw a grouped or stacked bar chart with a value on each bar, or a line chart."""
    if chart.kind == "lines":
        draw_lines(chart, path)
        return
    style = number_style(chart)
    n = len(chart.series)
    fig, ax = plt.subplots(figsize=(5.6, 3.0), layout="constrained")
    positions = list(range(len(chart.x_labels)))
    width = 0.8 if chart.kind == "stacked" else 0.8 / n
    bottoms = [0.0] * len(positions)
    for i, (name, values) in enumerate(chart.series.items()):
        heights = [v if v is not None else math.nan for v in values]
        if chart.kind == "stacked":
            xs, bottom = positions, bottoms[:]
        else:
            xs, bottom = [p - 0.4 + width * (i + 0.5) for p in positions], None
        bars = ax.bar(
            xs, heights, width * 0.92, bottom=bottom, color=PALETTE[i % len(PALETTE)], label=name
        )
        labels = [style(v) if v is not None else GEEN_GEGEVENS for v in values]
        ax.bar_label(
            bars,
            labels=labels,
            label_type="center" if chart.kind == "stacked" else "edge",
            fontsize=7 if n > 2 else 7.5,
            padding=1.5,
            color="white" if chart.kind == "stacked" and i == 0 else TEXT,
        )
        for j, (x, v) in enumerate(zip(xs, values, strict=True)):
            if v is not None and math.isnan(v):  # withheld: a '.' where the bar would stand
                ax.annotate(
                    GEHEIM,
                    (x, bottom[j] if bottom else 0),
                    xytext=(0, 1.5),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=9,
                    fontweight="bold",
                    color=TEXT,
                )
        if chart.kind == "stacked":
            bottoms = [
                b + (0 if math.isnan(h) else h) for b, h in zip(bottoms, heights, strict=True)
            ]
    labels = [textwrap.fill(x, 14) for x in chart.x_labels]
    if len(labels) > 5:
        ax.set_xticks(positions, labels, rotation=30, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticks(positions, labels)
    ax.set_ylabel(chart.y_label)
    ax.set_xlabel(chart.x_label)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=not chart.money))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: style(v)))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.margins(y=0.18)
    if n > 1:
        fig.legend(frameon=False, fontsize=7.5, loc="outside upper center", ncols=n)
    save(fig, path)


def draw_lines(chart: Chart, path: Path) -> None:
    """One line per series over the x axis (shares, in percent): the older series light and
    thin, the newest dark and thick with its name at its last point, each with a marker of
    its own; a withheld or missing point is a gap."""
    fig, ax = plt.subplots(figsize=(5.6, 3.0), layout="constrained")
    names = list(chart.series)
    ramp = plt.get_cmap("Blues")
    for i, name in enumerate(names):
        newest = i == len(names) - 1
        points = [
            (x, v) for x, v in enumerate(chart.series[name]) if v is not None and not math.isnan(v)
        ]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        shade = 0.35 + 0.65 * (i + 1) / len(names)
        ax.plot(
            xs,
            ys,
            marker=MARKERS[i % len(MARKERS)],
            markersize=4 if not newest else 5,
            linewidth=1.2 if not newest else 2.4,
            color=PALETTE[3] if newest else ramp(shade),
            label=name,
            zorder=3 if newest else 2,
        )
        if len(names) - i <= 2:  # the newest two carry their name at their last point
            ax.annotate(
                name,
                (xs[-1], ys[-1]),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=7.5,
                color=TEXT,
            )
    ax.set_xticks(range(len(chart.x_labels)), [textwrap.fill(x, 10) for x in chart.x_labels])
    ax.set_ylim(0, 100)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}%"))
    ax.set_ylabel(chart.y_label)
    ax.set_xlabel(chart.x_label)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    if len(names) > 1:
        fig.legend(
            frameon=False,
            fontsize=7.5,
            loc="outside upper center",
            ncols=min(len(names), 8),
            title=chart.legend_title,
            title_fontsize=7.5,
            handlelength=1.6,
            columnspacing=1.0,
        )
    save(fig, path)


def save(fig, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Whole or not at all: a page that shows the chart may be printed as soon as it exists.
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    fig.savefig(partial, format="svg", metadata={"Date": None})
    plt.close(fig)
    partial.replace(path)
