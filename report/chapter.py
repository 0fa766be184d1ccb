"""The one shared setup every chapter imports in its first cell: `from report.chapter import *`."""

import altair as alt  # noqa: F401  (chapters may compose charts)

from report import display as _display
from report import fmt  # noqa: F401
from report import headlines  # noqa: F401
from report import theme as _theme
from report.charts import *  # noqa: F401,F403
from report.charts import __all__ as _charts
from report.data import declare, load  # noqa: F401  (declare: the builder tells which chapter runs)
from report.display import Markdown, table  # noqa: F401
from report.headlines import headline_figures, then_and_now  # noqa: F401
from report.measures import delivery as delivery_measures  # noqa: F401
from report.measures import demand as demand_measures  # noqa: F401
from report.measures import findings as findings_measures  # noqa: F401
from report.measures import money as money_measures  # noqa: F401
from report.measures import providers as provider_measures  # noqa: F401
from report.measures import quality as quality_measures  # noqa: F401

_theme.enable()
_display.enable()

__all__ = ["alt", "fmt", "load", "table", "Markdown", "headlines", "headline_figures", "then_and_now",
           "demand_measures", "money_measures", "quality_measures", "provider_measures", "delivery_measures",
           "findings_measures",
           *_charts]
