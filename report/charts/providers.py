"""Charts for the who-provides-care chapter: placement providers and children's homes by sector."""

from __future__ import annotations

import altair as alt
import pandas as pd

from report.charts._base import chart, finding, spread_labels, year_axis
from report.measures import providers
from report.theme import PALETTE, label_colour

LINES = {"own_la": PALETTE[0], "private": PALETTE[2], "voluntary": PALETTE[1], "parents": PALETTE[4]}
SECTOR_COLOURS = {"Private": PALETTE[2], "Local authority": PALETTE[0], "Voluntary": PALETTE[1]}


@chart(placements="placements/placement-provider")
def private_provision_has_grown_as_councils_own_has_shrunk(placements: pd.DataFrame) -> alt.LayerChart:
    """National shares of children looked after by who provides the placement; 2018 left as a gap."""
    shares = providers.provider_shares(placements)
    data = shares[shares["provider"].isin(list(LINES))].copy()
    missing = sorted(set(range(data["year"].min(), data["year"].max() + 1)) - set(data["year"]))
    data["segment"] = [sum(year > gap for gap in missing) for year in data["year"]]
    first, last = int(data["year"].min()), int(data["year"].max())
    ends = data[data["year"] == last].copy()
    ends["label_y"] = spread_labels(ends["share"], 3.2)
    ends["text"] = [f"{lab} {s:.0f}%" for lab, s in zip(ends["label"], ends["share"])]
    colour = alt.Color("provider:N", scale=alt.Scale(domain=list(LINES), range=list(LINES.values())),
                       legend=None)
    base = alt.Chart(data).encode(
        x=year_axis(title=None), y=alt.Y("share:Q", title="Share of children looked after (%)",
                                         scale=alt.Scale(domain=[0, 65])), color=colour)
    lines = base.mark_line().encode(detail="segment:N")
    points = base.mark_point(size=28).encode(
        tooltip=[alt.Tooltip("year:Q", title="31 March", format="d"),
                 alt.Tooltip("label:N", title="Provider"),
                 alt.Tooltip("number:Q", title="Children", format=","),
                 alt.Tooltip("share:Q", title="Share (%)", format=".1f")])
    ends["ink"] = ends["provider"].map(LINES).map(label_colour)
    labels = alt.Chart(ends).mark_text(align="left", dx=8, fontWeight="bold").encode(
        x="year:Q", y="label_y:Q", text="text:N", color=alt.Color("ink:N", scale=None))
    gap_note = alt.Chart(pd.DataFrame({"year": missing, "y": [63] * len(missing),
                                       "text": ["no data"] * len(missing)})).mark_text(
        fontSize=10, color="#3D3D3D").encode(x="year:Q", y="y:Q", text="text:N")
    start = {p: providers.share_in(shares, p, first) for p in LINES}
    end = {p: providers.share_in(shares, p, last) for p in LINES}
    return finding(
        (lines + points + labels + gap_note).properties(width=520),
        title=(f"{end['private']:.0f}% of children in care are now placed with private providers, up from "
               f"{start['private']:.0f}% in {first}"),
        subtitle=(f"Children looked after on 31 March by who provides the placement, share of all, England, "
                  f"{first} to {last} (no figures for {', '.join(map(str, missing))})"),
        description=(f"Line chart of the share of children looked after in England placed by each kind of "
                     f"provider, {first} to {last}, with no data for {', '.join(map(str, missing))}. The "
                     f"council's own provision fell from {start['own_la']:.0f}% to {end['own_la']:.0f}%, "
                     f"private provision rose from {start['private']:.0f}% to {end['private']:.0f}%, "
                     f"voluntary from {start['voluntary']:.0f}% to {end['voluntary']:.0f}%, and placements "
                     f"with parents went from {start['parents']:.0f}% to {end['parents']:.0f}%."),
        data=placements,
    )


@chart(national="childrens-homes/national-series", sectors="childrens-homes/providers-by-sector")
def childrens_homes_have_almost_doubled(national: pd.DataFrame,
                                                   sectors: pd.DataFrame) -> alt.LayerChart:
    """Ofsted's national count of children's homes, and the latest full provider list beyond it."""
    series = providers.homes_series(national)
    counts = providers.homes_by_sector(sectors)
    latest = int(counts["year"].max())
    beyond = pd.DataFrame({"year": [latest], "homes": [int(providers.homes_in(counts, None, latest))]})
    beyond = beyond[beyond["year"] > series["year"].max()]
    first = series.iloc[0]
    axis_y = alt.Y("homes:Q", title="Children's homes", scale=alt.Scale(zero=True))
    line = alt.Chart(series).mark_line().encode(
        x=year_axis(title=None), y=axis_y,
        tooltip=[alt.Tooltip("year:Q", title="31 March", format="d"),
                 alt.Tooltip("homes:Q", title="Homes", format=","),
                 alt.Tooltip("places:Q", title="Places", format=",")])
    points = line.mark_point(size=30)
    ends = pd.concat([series.iloc[[0, -1]].assign(source="series"), beyond.assign(source="list")])
    ends["text"] = [f"{int(h):,}" if s == "series" else f"{int(h):,} (provider list)"
                    for h, s in zip(ends["homes"], ends["source"])]
    labels = alt.Chart(ends).mark_text(dy=-12, fontWeight="bold").encode(
        x="year:Q", y="homes:Q", text="text:N")
    extra = alt.Chart(beyond).mark_point(size=60, shape="diamond", filled=False, strokeWidth=2).encode(
        x="year:Q", y="homes:Q",
        tooltip=[alt.Tooltip("year:Q", title="31 March", format="d"),
                 alt.Tooltip("homes:Q", title="Homes in Ofsted's provider list", format=",")])
    last = beyond.iloc[-1] if len(beyond) else series.iloc[-1]
    return finding(
        (line + points + extra + labels).properties(width=520),
        title=(f"Children's homes rose from {int(first['homes']):,} in {int(first['year'])} to "
               f"{int(last['homes']):,} in {int(last['year'])}"),
        subtitle=(f"Children's homes registered with Ofsted on 31 March, England: Ofsted's national series "
                  f"{int(series['year'].min())} to {int(series['year'].max())}, then Ofsted's list of all "
                  f"registered providers"),
        description=(f"Line chart of the number of children's homes in England: {int(first['homes']):,} in "
                     f"{int(first['year'])} and {int(series['homes'].iloc[-1]):,} in "
                     f"{int(series['year'].iloc[-1])} in Ofsted's national series, and "
                     f"{int(last['homes']):,} in {int(last['year'])} in Ofsted's list of all registered "
                     f"providers."),
        data=[national, sectors],
    )


@chart(sectors="childrens-homes/providers-by-sector")
def private_providers_run_most_childrens_homes(sectors: pd.DataFrame) -> alt.Chart:
    """Homes by sector, only in the years whose provider list holds every registered home."""
    counts = providers.homes_by_sector(sectors)
    data = counts[counts["sector"].isin(providers.SECTORS)].copy()
    data["text"] = [f"{h:,}" for h in data["homes"]]
    years = sorted(data["year"].unique())
    left_out = counts[~counts["sector"].isin(providers.SECTORS)]
    base = alt.Chart().encode(
        x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("homes:Q", title="Children's homes", scale=alt.Scale(zero=True)))
    bars = base.mark_bar().encode(
        color=alt.Color("sector:N", scale=alt.Scale(domain=list(SECTOR_COLOURS),
                                                    range=list(SECTOR_COLOURS.values())), legend=None),
        tooltip=[alt.Tooltip("year:O", title="31 March"), alt.Tooltip("sector:N", title="Sector"),
                 alt.Tooltip("homes:Q", title="Homes", format=","),
                 alt.Tooltip("places:Q", title="Places", format=","),
                 alt.Tooltip("share:Q", title="Share of homes (%)", format=".0f")])
    text = base.mark_text(dy=-7).encode(text="text:N")
    share = {y: providers.homes_in(counts, "Private", y, "share") for y in (years[0], years[-1])}
    return finding(
        alt.layer(bars, text, data=data).properties(width=170, height=260).facet(
            column=alt.Column("sector:N", sort=providers.SECTORS, title=None,
                              header=alt.Header(labelFontSize=14, labelFontWeight="bold"))),
        title=f"Private providers run {share[years[-1]]:.0f}% of children's homes, up from "
              f"{share[years[0]]:.0f}% in {years[0]}",
        subtitle=("Children's homes registered with Ofsted on 31 March by sector, England, in the years "
                  "whose provider list holds every home"),
        description=(f"Bar charts of children's homes by sector in {', '.join(map(str, years))}: private "
                     + ", ".join(f"{h:,}" for h in data.loc[data['sector'] == 'Private', 'homes'])
                     + "; local authority "
                     + ", ".join(f"{h:,}" for h in data.loc[data['sector'] == 'Local authority', 'homes'])
                     + "; voluntary "
                     + ", ".join(f"{h:,}" for h in data.loc[data['sector'] == 'Voluntary', 'homes'])
                     + f". Health authority homes ({left_out['homes'].min()} to {left_out['homes'].max()}) "
                       "are not shown."),
        data=sectors,
    )
