"""The data step of the council charts: what each council's chart shows, computed for every council at once.

For each kind of chart, one function turns the whole resources into `Parts` per council: the rows of each
layer (named datasets, written as Altair writes a frame), the values its scales take from the data (Vega-Lite
params, such as the first and last year), the literals its drawing writes into the spec (the same for every
council; councils with other literals get a spec of their own) and its texts (title, subtitle, alt text).
The drawing (report/charts/councils.py) reads nothing else, so one compiled spec per kind serves every
council with its own datasets, params and texts put in. A council with nothing to draw gets, instead of
Parts, the reason ("placements: no placement figures for ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from report import fmt
from report.measures import council_series as series
from report.measures import money

SHORT = {"SIF re-inspection": "SIF re-inspection", "ILACS standard": "ILACS", "ILACS short": "ILACS short",
         "CPI": "child protection", "CPI re-inspection": "child protection", "TLAC": "looked after"}


@dataclass
class Parts:
    """One council's chart: rows by dataset name, params by name, literals, and the texts."""

    datasets: dict[str, list[dict]]
    params: dict = field(default_factory=dict)
    literals: dict = field(default_factory=dict)
    title: str = ""
    subtitle: list[str] = field(default_factory=list)
    description: str = ""


def by_council(frame: pd.DataFrame, codes) -> dict[str, list[dict]]:
    """Each council's rows (without `code`) as chart records, in frame order; [] for a council without rows.
    Values as Altair writes a frame's (`altair.utils.data.to_values`): missing values None, numbers and text
    as Python's own, categories as text."""
    out: dict[str, list[dict]] = {code: [] for code in codes}
    names = [name for name in frame.columns if name != "code"]
    columns = [frame[name].astype(object).where(frame[name].notna(), None).tolist() for name in names]
    for code, *row in zip(frame["code"], *columns):
        out[code].append(dict(zip(names, row)))
    return out


def _spread(frame: pd.DataFrame, value: str, gaps: pd.Series) -> pd.Series:
    """Label positions council by council, each council's labels `gaps[code]` apart (as `spread_labels`:
    lowest first, each at its value or one gap above the label below it)."""
    groups: dict[str, list[tuple]] = {}
    for code, index, number in zip(frame["code"], frame.index, frame[value]):
        groups.setdefault(code, []).append((number, index))
    placed = {}
    for code, items in groups.items():
        below = None
        for number, index in sorted(items, key=lambda item: item[0]):
            below = number if below is None else max(number, below + gaps[code])
            placed[index] = below
    return pd.Series(placed, dtype=float)


def _compared(value: float, other: float) -> str:
    """"higher than", "lower than" or "about the same as" (within 5%)."""
    if abs(value - other) <= 0.05 * other:
        return "about the same as"
    return "higher than" if value > other else "lower than"


def care_parts(la_rates: pd.DataFrame, authorities: pd.DataFrame, codes=None) -> dict[str, Parts | str]:
    """Rates of children in care: lines by area, labels at each line's last year, texts."""
    table = series.chosen(authorities, codes)
    data = series.care_rates(la_rates, authorities, codes)
    years = data.groupby("code")["year"]
    first, last = years.min().to_dict(), years.max().to_dict()
    top = data.groupby("code")["rate"].max()
    ends = data.loc[data.groupby(["code", "area"])["year"].idxmax()].copy()
    final = ends["year"] == ends["code"].map(last)
    ends["label_y"] = _spread(ends[final], "rate", top.where(top != 0, 1) * 0.07)
    ends["text"] = [f"{area} {rate:.0f}" for area, rate in zip(ends["area"], ends["rate"])]
    own = data[data["kind"] == "council"].groupby("code").tail(1)
    own = dict(zip(own["code"], zip(own["year"], own["rate"])))
    england = dict(zip(data.loc[data["kind"] == "england", "year"], data.loc[data["kind"] == "england", "rate"]))
    said: dict[str, list[str]] = {}
    for code, area, rate, year in zip(ends["code"], ends["area"], ends["rate"], ends["year"]):
        said.setdefault(code, []).append(f"{area}: {rate:.0f} in {year}")
    codes = list(table["la_code_old"])
    lines, labels, earlier = by_council(data, codes), by_council(ends[final], codes), by_council(ends[~final], codes)
    found = {}
    for code, name, region in zip(table["la_code_old"], table["la_name"], table["region_name"]):
        if code not in own:
            title = f"DfE publishes no rate of children in care for {name}"
            latest = "no rate is published for the council itself"
        else:
            year, rate = int(own[code][0]), float(own[code][1])
            title = (f"{name}: {rate:.0f} children in care per 10,000 in {year}, "
                     f"{_compared(rate, england[year])} England's {england[year]:.0f}")
            latest = "; ".join(said[code])
        start, end = int(first[code]), int(last[code])
        found[code] = Parts(
            {"lines": lines[code], "labels": labels[code], "earlier": earlier[code]},
            {"year_from": start, "year_to": end}, {}, title,
            [f"Children looked after on 31 March per 10,000 children under 18, {start} to {end}"],
            f"Line chart of the rate of children looked after per 10,000 children under 18 from {start} to {end} "
            f"for {name}, {region} and England. Latest: {latest}.")
    return found


def alternate(rows: pd.DataFrame, within_days: int = 700) -> list[bool]:
    """Put a label below its point when the previous point of the same grade (and council, given `code`) is
    close, so labels never meet."""
    below, last = [], {}
    codes = rows["code"] if "code" in rows else [None] * len(rows)
    for code, grade, day in zip(codes, rows["grade"], rows["publication_date"]):
        previous = last.get((code, grade))
        flip = previous is not None and (day - previous[0]).days < within_days and not previous[1]
        below.append(flip)
        last[(code, grade)] = (day, flip)
    return below


def ofsted_parts(inspections: pd.DataFrame, authorities: pd.DataFrame, codes=None) -> dict[str, Parts | str]:
    """Ofsted's grades: points (filled for the council's own), labels above or below, texts."""
    table = series.chosen(authorities, codes)
    rows = series.inspections_of(inspections, authorities, codes)
    data = pd.DataFrame({
        "code": rows["code"], "date": rows["publication_date"].dt.strftime("%Y-%m-%d"), "grade": rows["grade"],
        "framework": rows["framework"].astype(str), "council": rows["council"],
        "label": rows["framework"].astype(str).map(lambda f: SHORT.get(f, f)), "below": alternate(rows),
        "own": rows["own"].astype(bool)})
    codes = list(table["la_code_old"])
    points, solid = by_council(data, codes), by_council(data[data["own"]], codes)
    above, below = by_council(data[~data["below"]], codes), by_council(data[data["below"]], codes)
    dates = rows.groupby("code")["publication_date"]
    years = {code: (low.year, high.year) for code, low, high in zip(dates.min().index, dates.min(), dates.max())}
    latest = rows[rows["own"]].groupby("code").tail(1)
    latest = dict(zip(latest["code"], zip(latest["grade"], latest["publication_date"])))
    said: dict[str, list[str]] = {}
    others: dict[str, set] = {}
    for row in rows.itertuples():
        said.setdefault(row.code, []).append(
            f"{row.framework} published {fmt.day_month_year(row.publication_date)}, {row.grade.lower()}"
            + ("" if row.own else f" ({row.council})"))
        if not row.own:
            others.setdefault(row.code, set()).add(row.council)
    found = {}
    for code, name in zip(table["la_code_old"], table["la_name"]):
        if code not in years:
            found[code] = f"ofsted-inspections: no graded inspection of {name} or its predecessors"
            continue
        if code in latest:
            grade, published = latest[code]
            title = f"Ofsted's latest overall grade for {name}: {grade.lower()} ({fmt.month_year(published)})"
        else:
            title = f"Ofsted has not yet given {name} an overall grade"
        start, end = years[code]
        key = f"; open circles: inspections of {fmt.and_list(sorted(others[code]))}" if code in others else ""
        found[code] = Parts(
            {"points": points[code], "solid": solid[code], "above": above[code], "below": below[code]},
            {"date_from": f"{start - 1}-07-01", "date_to": f"{end + 1}-01-01"}, {}, title,
            [f"Overall grade of each Ofsted inspection, by date of the report, {start} to {end}{key}"],
            f"Timeline of Ofsted's overall grades of children's services in {name}: {'; '.join(said[code])}.")
    return found


def placement_parts(placements: pd.DataFrame, authorities: pd.DataFrame, codes=None) -> dict[str, Parts | str]:
    """Placements by provider: one bar, England mark and label per provider, in the providers' order."""
    table = series.chosen(authorities, codes)
    data = series.placements_latest(placements, authorities, codes)
    placed = set(data["code"])
    year = data.groupby("code")["year"].first().to_dict()
    data = data[(data["number"].fillna(0) > 0) | (data["england"].fillna(0) >= 1)].copy()
    data["text"] = [("not published" if pd.isna(s) else f"{s:.0f}%") + f" · England {e:.0f}%"
                    for s, e in zip(data["share"], data["england"])]
    data["bar_end"] = data[["share", "england"]].max(axis=1).fillna(0)
    data["order"] = data.groupby("code").cumcount()
    codes = list(table["la_code_old"])
    bars = by_council(data, codes)
    private = data[data["provider"] == "private"]
    private = dict(zip(private["code"], zip(private["share"], private["england"])))
    said: dict[str, list[str]] = {}
    for code, label, share, england in zip(data["code"], data["label"], data["share"], data["england"]):
        said.setdefault(code, []).append(
            f"{label}: {'not published' if pd.isna(share) else f'{share:.0f}%'} (England {england:.0f}%)")
    found = {}
    for code, name in zip(table["la_code_old"], table["la_name"]):
        if code not in placed:
            found[code] = f"placements: no placement figures for {name}"
            continue
        when = int(year[code])
        if code in private and pd.notna(private[code][0]):
            title = (f"{private[code][0]:.0f}% of {name}'s children in care were placed by private "
                     f"providers in {when}; {private[code][1]:.0f}% in England")
        else:
            title = f"Who provided placements for {name}'s children in care in {when}"
        found[code] = Parts(
            {"bars": bars[code]}, {}, {}, title,
            [f"Children looked after on 31 March {when} by who provides the placement, share of all "
             f"({name}: bars; England: black marks)",
             "Where a trust or council-owned company runs a council's children's services, DfE records the "
             "council's own foster carers and homes as voluntary provision, so its own share shows near "
             "nought and its voluntary share high; a suppressed count shows as not published."],
            f"Bar chart of the share of {name}'s children looked after on 31 March {when} by placement provider, "
            f"each beside England's share: {'; '.join(said[code])}.")
    return found


def spending_parts(outturn: pd.DataFrame, lines: pd.DataFrame, lait: pd.DataFrame, deflators: pd.DataFrame,
                   authorities: pd.DataFrame, codes=None) -> dict[str, Parts | str]:
    """Spending by block in real terms: a line per block (split at gaps), labels at the last year, texts."""
    table = series.chosen(authorities, codes)
    data = series.spending_blocks(outturn, lines, lait, deflators, authorities, codes)
    data["millions"] = data["real"] / 1e6
    basis = money.deflator_basis(deflators)
    first, last = data.groupby("code")["year"].min().to_dict(), data.groupby("code")["year"].max().to_dict()
    top = data.groupby("code")["millions"].max()
    ends = data[data["year"] == data["code"].map(last)].copy()
    ends["label_y"] = _spread(ends, "millions", top.clip(lower=1) * 0.07)
    ends["text"] = [f"{n} £{m:,.1f}m" for n, m in zip(ends["name"], ends["millions"])]
    totals = data.groupby(["code", "year"])["real"].sum()
    totals = totals[data.groupby(["code", "year"])["block"].nunique() == len(money.BLOCKS)]
    complete: dict[str, list[tuple]] = {}  # by council: (year, total) for the years with all four blocks
    for (code, year), total in totals.items():
        complete.setdefault(code, []).append((year, total))
    years = data.groupby("code")["year"].unique().to_dict()
    said: dict[str, list[str]] = {}
    for code, name, millions in zip(ends["code"], ends["name"], ends["millions"]):
        said.setdefault(code, []).append(f"{name} £{millions:,.1f} million")
    codes = list(table["la_code_old"])
    drawn, labels = by_council(data, codes), by_council(ends, codes)
    found = {}
    for code, name in zip(table["la_code_old"], table["la_name"]):
        if code not in last:
            found[code] = f"spending: no children's social care spending for {name}"
            continue
        start, end = int(first[code]), int(last[code])
        whole = complete.get(code, [])
        if len(whole) >= 2:
            (since, before), (until, after) = whole[0], whole[-1]
            change = fmt.change(before, after)
            title = (f"{name}'s children's social care spending {fmt.rose_or_fell(change)} "
                     f"{fmt.percent(abs(change))} in real terms from {fmt.financial_year(since)} to "
                     f"{fmt.financial_year(until)}")
        else:
            title = f"{name}'s children's social care spending by block"
        gaps = money.missing_years(pd.Series(years[code]))
        gap_text = f"; no figures for {fmt.and_list(fmt.financial_year(y) for y in gaps)}" if gaps else ""
        span = f"{fmt.financial_year(start)} to {fmt.financial_year(end)}"
        found[code] = Parts(
            {"lines": drawn[code], "labels": labels[code]}, {"year_from": start, "year_to": end},
            {"base": basis["base"]}, title,
            [f"Gross spending by block, £ million at {basis['base']} prices, {span}{gap_text}"],
            f"Line chart of {name}'s children's social care spending by block in real terms ({basis['base']} "
            f"prices), {span}{gap_text}. In {fmt.financial_year(end)}: {'; '.join(said[code])}.")
    return found
