"""One function per chart, named after the finding it shows; each returns an Altair chart.

No I/O, theme or output-format code here: data comes in as DataFrames, the theme is registered once
(report.theme) and the display path (report.display) turns a chart into the site's and the PDF's forms.
Every module in this folder registers its charts with `@chart(...)`, which records the package
resources each chart draws on; tests run every registered chart through the same checks.
"""

import importlib
import pkgutil

from report.charts._base import CHARTS, chart

for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")

globals().update({name: entry.function for name, entry in CHARTS.items()})
__all__ = sorted(CHARTS)
