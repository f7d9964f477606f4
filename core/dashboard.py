"""Dashboard widgets declared by modules through erp_dashboard_widgets(user).

A :class:`Widget` is a card: a title, a headline ``value``, a line of ``body`` text, a link, and
optionally ``items`` (a short list of linked lines) and a ``chart``. Widgets are grouped in
:class:`Section` s (by key; sections ordered by their ``order``, widgets within by theirs); a
widget without a section goes into the first, untitled one.

A :class:`Chart` (``bar``, ``line``, ``doughnut`` or ``pie``) has ``labels`` and one or more
:class:`Dataset` s of numbers, one per label; ``links`` (one URL per label, optional) make a bar or
slice open the records behind it. It is drawn by Chart.js (core/static/vendor/chartjs, served
locally) through core/static/js/dashboard.js, and its figures are also written in a table (for
screen readers, and to read without JavaScript)::

    Widget(_l("Pipeline by state"), value=12, section=Section("sales.overview", _l("Sales"), 10),
           chart=Chart("bar", labels=[_l("Lead"), _l("Won")],
                       datasets=[Dataset(_l("Count"), [8, 4]),
                                 Dataset(_l("Amount (10k yuan)"), [120.5, 86], axis="right")]))

Compute only what the user may see: check his permissions before querying, and query set-wise
(GROUP BY), never once per row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Number

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

CHART_KINDS = ("bar", "line", "doughnut", "pie")


@dataclass(frozen=True)
class Section:
    """A titled group of widgets; widgets naming the same key share it."""
    key: str
    label: object = ""
    order: int = 100


DEFAULT_SECTION = Section("", "", 0)


@dataclass(frozen=True)
class Dataset:
    """One series: a number per label of its chart. ``axis="right"`` puts a bar or line series on
    a second scale (an amount beside a count)."""
    label: object
    data: tuple

    axis: str = "left"

    def __post_init__(self):
        object.__setattr__(self, "data", tuple(self.data))
        for value in self.data:
            if not isinstance(value, Number) or isinstance(value, bool):
                raise TypeError(f"Dataset {self.label!s}: {value!r} is not a number")
        if self.axis not in ("left", "right"):
            raise ValueError(f"Dataset.axis must be 'left' or 'right', not {self.axis!r}")


@dataclass(frozen=True)
class Chart:
    """A chart of a widget. ``horizontal`` lays bars along the x axis (long labels, e.g. names)."""
    kind: str
    labels: tuple
    datasets: tuple
    links: tuple = ()
    horizontal: bool = False

    def __post_init__(self):
        for name in ("labels", "datasets", "links"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.kind not in CHART_KINDS:
            raise ValueError(f"Chart.kind must be one of {', '.join(CHART_KINDS)}, not {self.kind!r}")
        if not self.datasets or not all(isinstance(d, Dataset) for d in self.datasets):
            raise ValueError("A Chart needs one or more Dataset items")
        for dataset in self.datasets:
            if len(dataset.data) != len(self.labels):
                raise ValueError(f"Dataset {dataset.label!s} has {len(dataset.data)} values for "
                                 f"{len(self.labels)} labels")
        if self.links and len(self.links) != len(self.labels):
            raise ValueError(f"Chart.links has {len(self.links)} URLs for {len(self.labels)} labels")

    @property
    def empty(self) -> bool:
        return not self.labels or not any(v for d in self.datasets for v in d.data)

    def config(self) -> dict:
        """What dashboard.js draws: plain JSON (labels translated now, numbers as floats)."""
        return {"kind": self.kind, "labels": [str(label) for label in self.labels],
                "datasets": [{"label": str(d.label), "axis": d.axis,
                              "data": [float(v) if isinstance(v, Decimal) else v for v in d.data]}
                             for d in self.datasets],
                "links": [str(link) for link in self.links], "horizontal": self.horizontal}

    def rows(self) -> list[tuple[str, str, list[str]]]:
        """(label, link, the datasets' figures formatted) per label: the table under the chart."""
        def shown(value):
            return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"
        return [(str(label), str(self.links[i]) if self.links else "", [shown(d.data[i]) for d in self.datasets])
                for i, label in enumerate(self.labels)]


@dataclass(frozen=True)
class Widget:
    title: object
    body: str = ""          # plain text, escaped when rendered
    value: object = None    # a headline figure, e.g. a count
    url: str = ""
    order: int = 100
    chart: Chart | None = None
    section: Section = DEFAULT_SECTION
    items: tuple = field(default=())   # (text, url) pairs listed under the figure

    @property
    def wide(self) -> bool:
        return self.chart is not None


def sections(widgets) -> list[tuple[Section, list[Widget]]]:
    """The widgets grouped by section key, sections and widgets each in their order."""
    groups: dict[str, tuple[Section, list]] = {}
    for widget in widgets:
        section = widget.section or DEFAULT_SECTION
        groups.setdefault(section.key, (section, []))[1].append(widget)
    ordered = sorted(groups.values(), key=lambda g: (g[0].order, g[0].key))
    return [(section, sorted(items, key=lambda w: w.order)) for section, items in ordered]


bp = Blueprint("dashboard", __name__)


@bp.route("/")
@login_required
def index():
    pm = current_app.extensions["erp"].pm
    widgets = [w for result in pm.hook.erp_dashboard_widgets(user=current_user) for w in (result or [])]
    groups = sections(widgets)
    return render_template("core/dashboard.html", sections=groups, widgets=[w for _, ws in groups for w in ws],
                           charts=any(w.chart is not None for w in widgets))
