"""England totals and derived measures that charts, chapters and the headline figures share."""

from report.measures import delivery, demand, money, providers, quality  # noqa: F401
