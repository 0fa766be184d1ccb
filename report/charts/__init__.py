"""One function per chart, named after the finding it shows; each returns an Altair chart.

No I/O, theme or output-format code here: data comes in as DataFrames, the theme is registered once
(report.theme) and the display path (report.display) turns a chart into the site's and the PDF's forms.
"""

from report.charts.demand import children_in_care_rose_since_2008

__all__ = ["children_in_care_rose_since_2008"]
