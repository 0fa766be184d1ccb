"""England totals and derived measures that charts, chapters and the headline figures share."""

from report.measures import demand, money  # noqa: F401
