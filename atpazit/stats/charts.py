"""Bar charts drawn as SVG on the server: no script, nothing from outside, the same figures as
the data table printed under each chart (the table is what screen readers read; the chart is
marked as an image labelled by the table's caption).

A hidden figure is drawn as no bar and labelled "hidden", exactly as the table says it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import pgettext

from atpazit.stats.disclosure import Cell

BAR_AREA = 300  # px of the longest bar
ROW_HEIGHT = 22
LABEL_WIDTH = 260


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str  # the figure as the table shows it
    value: int | None
    width: int
    y: int
    text_y: int
    link: str = ""


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    bar_x: int = LABEL_WIDTH + 8

    @property
    def width(self) -> int:
        return self.bar_x + BAR_AREA + 70


def shown(cell: Cell, k: int) -> str:
    """How a figure reads in a table: the number, or "hidden" (the same word for a figure below
    k and for one hidden to protect it: telling them apart would give figures away)."""
    del k
    if cell.value is not None:
        return str(cell.value)
    return pgettext("statistics", "hidden")


def bar_chart(rows: list[tuple[str, Cell, str]], k: int) -> Chart:
    """(label, cell, link) rows to bars scaled to the largest visible figure."""
    largest = max((cell.value or 0 for _label, cell, _link in rows), default=0)
    bars = []
    for index, (label, cell, link) in enumerate(rows):
        width = round(BAR_AREA * (cell.value or 0) / largest) if largest else 0
        y = index * ROW_HEIGHT
        bars.append(
            Bar(
                label=label,
                shown=shown(cell, k),
                value=cell.value,
                width=max(width, 1) if cell.value else 0,
                y=y + 4,
                text_y=y + 16,
                link=link,
            )
        )
    return Chart(bars=bars, height=max(ROW_HEIGHT, len(rows) * ROW_HEIGHT))
