"""England totals and derived measures that charts, chapters and the headline figures share."""
