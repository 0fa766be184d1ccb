"""The house chart theme (Government Analysis Function palette), registered once with Altair."""

from __future__ import annotations

import altair as alt

from report.fonts import FAMILY

NAME = "whatworks"
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
TEXT = "#0b0c0c"
MUTED = "#3D3D3D"
GRID = "#d9d9d9"
CONNECTOR = "#6f777b"  # lines that join marks (GOV.UK dark grey): 4.6:1 on white, quieter than the series
# Grades from best to worst: dark blue, turquoise, orange, plum (all >= 3:1 on white when opaque).
GRADE_COLOURS = {"Outstanding": "#12436D", "Good": "#28A197", "Requires improvement": "#F46A25",
                 "Inadequate": "#801650"}
# Text in a series' own colour: the palette's light colours reach 3:1 (marks) but not 4.5:1 (text) on white,
# so labels take a darker shade of the same hue.
LABEL_COLOURS = {"#28A197": "#1D7A72", "#F46A25": "#B94A00", "#A285D1": "#6F4FAA"}

# The phone form of every chart (report/builder/narrow.py): the whole drawing at most `width` px wide (a 390 px
# phone's column is 364 px), no text under `font` px, axis labels given at most `label_room` px and wrapped at
# `label_chars`, text beside marks at `text_chars`, titles wrapped at `title_chars` (17 px bold) and subtitles at `subtitle_chars` (13 px).
PHONE = {"width": 340, "font": 12, "label_room": 150, "label_chars": 21, "text_chars": 20, "title_chars": 34,
         "subtitle_chars": 46, "ticks": 5, "least_view": 120,
         "tall_from": 100, "taller": 1.5, "facet_height": 0.6}

# A layer named with this prefix is detail the phone form leaves out (text that only fits at desktop width).
PHONE_OMIT = "phone-omit"


def label_colour(colour: str) -> str:
    """The colour for text naming a series drawn in `colour`: itself if dark enough, else a darker shade."""
    return LABEL_COLOURS.get(colour, colour)


def config() -> alt.theme.ThemeConfig:
    """Left-aligned finding titles, muted subtitles, light grid, no chart border; one font for all text."""
    return {
        "config": {
            "font": FAMILY,
            "background": "white",
            "padding": {"left": 4, "right": 12, "top": 4, "bottom": 4},
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 300},
            "title": {"anchor": "start", "font": FAMILY, "fontSize": 17, "fontWeight": "bold",
                      "color": TEXT, "subtitleFont": FAMILY, "subtitleFontSize": 13,
                      "subtitleColor": MUTED, "subtitlePadding": 6, "offset": 14},
            "axis": {"labelFont": FAMILY, "titleFont": FAMILY, "labelFontSize": 12, "titleFontSize": 12,
                     "labelColor": MUTED, "titleColor": MUTED, "titleFontWeight": "normal",
                     "gridColor": GRID, "domainColor": MUTED, "tickColor": MUTED},
            "axisX": {"grid": False},
            "legend": {"labelFont": FAMILY, "titleFont": FAMILY, "labelFontSize": 12,
                       "titleFontSize": 12, "labelColor": TEXT, "titleColor": MUTED,
                       "orient": "top", "direction": "horizontal", "titleFontWeight": "normal"},
            "header": {"labelFont": FAMILY, "titleFont": FAMILY, "labelFontSize": 12},
            "text": {"font": FAMILY, "fontSize": 12, "color": TEXT},
            "range": {"category": PALETTE},
            "line": {"strokeWidth": 2.5, "color": PALETTE[0]},
            # Opaque symbols: Vega-Lite's default 0.7 opacity takes the palette below 3:1 on white.
            "point": {"color": PALETTE[0], "size": 50, "filled": True, "opacity": 1},
            "circle": {"opacity": 1},
            "square": {"opacity": 1},
            "tick": {"opacity": 1},
            "bar": {"color": PALETTE[0]},
            "area": {"color": PALETTE[0]},
            "rule": {"color": MUTED},
        }
    }


def enable() -> None:
    """Register and enable the theme; safe to call more than once, and free once enabled (each lookup in
    Altair's theme registry reads every installed package's entry points, some 60 ms)."""
    if alt.theme.active == NAME:
        return
    if NAME not in alt.theme.names():
        alt.theme.register(NAME, enable=False)(config)
    alt.theme.enable(NAME)
