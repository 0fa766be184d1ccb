"""Build the `spending` package: LA spending on children's services (Section 251 outturn), cash, GBP.

Usage: python scripts/spending.py outturn_0809.csv ... outturn_1314.csv \
           lait_csc_send_finance_subset_2016_2025.csv --out data/spending
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

import _s251_lines as s251
from _common import (classify_inputs, parse_args, read_publisher_csv, require, to_number,
                     write_package)
from _spending_descriptor import descriptor

# The publisher's files this script reads: role -> file-name pattern; SOURCES are the current ones,
# relative to the shared sources folder.
INPUTS = {"s251": "outturn_[0-9][0-9][0-9][0-9].csv", "lait": "lait_csc_send_finance_subset_*.csv"}
SOURCES = [f"la-spend/s251_outturn_2008_2014/outturn_{y % 100:02d}{(y + 1) % 100:02d}.csv"
           for y in range(2008, 2014)] + ["lait/lait_csc_send_finance_subset_2016_2025.csv"]

MONEY = ["own_provision", "private_provision", "other_public_provision", "voluntary_provision",
         "public_provision", "total_expenditure", "income", "net_current_expenditure",
         "grants_inside_aef", "grants_outside_aef", "net_revenue_expenditure"]
_GRANTS_0910 = {"Govt. Grants Inside AEF (n)": "grants_inside_aef",
                "Govt. Grants Outside AEF (o)": "grants_outside_aef",
                "LEA NET Revenue Expenditure (p)": "net_revenue_expenditure"}
_MONEY_0910 = {"Own Provision (y)": "own_provision", "Private (z(i))": "private_provision",
               "Other Public (z(ii))": "other_public_provision", "Voluntary (z(iii))": "voluntary_provision",
               "Total Expenditure (k)": "total_expenditure", "Income (l)": "income",
               "NET Current Expenditure (m)": "net_current_expenditure", **_GRANTS_0910}
_MONEY_1112 = {"OwnProvision": "own_provision", "PrivateProvision": "private_provision",
               "OtherPublic": "other_public_provision", "Voluntary": "voluntary_provision",
               "TotalExpenditure": "total_expenditure", "Income": "income",
               "NetCurrentExpenditure": "net_current_expenditure", "GovGrantsInsideAEF": "grants_inside_aef",
               "GovGrantsOutsideAEF": "grants_outside_aef", "LEANetRevenueExpenditure": "net_revenue_expenditure"}
# Each year's layout: header, LA / name / line number / description columns, money columns.
# 2008-09 writes the line number inside the description and has no own-provision column: its
# PUBLIC (z) is the LA's own provision and other public bodies together.
LAYOUTS = {
    "2008-09": {"header": ["LEA Number:", "LA Name:", "S52 Line Reference:", "PRIVATE (x)", "VOLUNTARY (y)",
                           "PUBLIC (z)", "TOTAL EXPENDITURE (k)", "INCOME (l)", "NET Current Expenditure (m)"],
                "la": "LEA Number:", "name": "LA Name:", "number": None, "description": "S52 Line Reference:",
                "money": {"PRIVATE (x)": "private_provision", "VOLUNTARY (y)": "voluntary_provision",
                          "PUBLIC (z)": "public_provision", "TOTAL EXPENDITURE (k)": "total_expenditure",
                          "INCOME (l)": "income", "NET Current Expenditure (m)": "net_current_expenditure"}},
    "2009-10": {"header": ["LEA", "LEA Name", "Line", "S52 Line Reference", *_MONEY_0910],
                "la": "LEA", "name": "LEA Name", "number": "Line", "description": "S52 Line Reference",
                "money": _MONEY_0910},
    "2010-11": {"header": ["LA", "LA Name", "ReturnStatus", "Line", "S52 Line Reference", *_MONEY_0910],
                "la": "LA", "name": "LA Name", "number": "Line", "description": "S52 Line Reference",
                "money": _MONEY_0910},
    "2011-12": {"header": ["LA", "LA Name", "LineNumber", "CYPServiceDescription", *_MONEY_1112],
                "la": "LA", "name": "LA Name", "number": "LineNumber", "description": "CYPServiceDescription",
                "money": _MONEY_1112},
    "2012-13": {"header": ["LA", "LA Name", "LineNumber", "CYPServiceDescription", "ReportGroup",
                           *_MONEY_1112],
                "la": "LA", "name": "LA Name", "number": "LineNumber", "description": "CYPServiceDescription",
                "money": _MONEY_1112},
}
LAYOUTS["2013-14"] = LAYOUTS["2012-13"]
PROVIDERS = ["own_provision", "private_provision", "other_public_provision", "voluntary_provision",
             "public_provision"]

LAIT_HEADER = ["measure_short", "year", "area", "value", "old_la_code", "region", "measure", "unit",
               "source_url"]
LAIT_SPEND = {"C&YPExpenditure": "cyp_budget_excl_cera", "TotalLACFinance": "looked_after_total",
              "SafeguardingFinance": "safeguarding_total", "FamilySupportFinance": "family_support_total",
              "OtherChildren&FamilyFinance": "other_children_families_services"}
LAIT_UNIT_COSTS = {"FosteringFinance": "fostering", "RescareFinance": "residential_care",
                   "AdoptionFinance": "adoption", "SWFinance": "social_work"}
# LAIT's England and region numbers -> (geographic_level, ONS code, LAIT's name).
LAIT_AREAS = {
    "970": ("National", "E92000001", "England"), "980": ("Regional", "E12000001", "North East"),
    "981": ("Regional", "E12000002", "North West"),
    "982": ("Regional", "E12000003", "Yorkshire and the Humber"),
    "983": ("Regional", "E12000004", "East Midlands"), "984": ("Regional", "E12000005", "West Midlands"),
    "985": ("Regional", "E12000006", "East of England"), "986": ("Regional", "E12000007", "London"),
    "987": ("Regional", "E13000001", "London (Inner)"), "988": ("Regional", "E13000002", "London (Outer)"),
    "989": ("Regional", "E12000008", "South East"), "990": ("Regional", "E12000009", "South West"),
}


# Section 251 outturn 2008-09 to 2013-14

def period_of(path: Path) -> str:
    """`outturn_0809.csv` -> `2008-09`: the file name is the only place the year is given."""
    match = re.fullmatch(r"outturn_(\d{2})(\d{2})\.csv", Path(path).name)
    require(bool(match) and (int(match.group(1)) + 1) % 100 == int(match.group(2)), path,
            "file name is not outturn_<yy><yy+1>.csv")
    return f"20{match.group(1)}-{match.group(2)}"


def clean_description(text: pd.Series) -> pd.Series:
    """The publisher's description without its leading line number; tabs, NBSPs and runs of spaces collapsed."""
    return text.str.replace(r"^\s*\d+\s*", "", regex=True).str.replace(r"\s+", " ", regex=True).str.strip()


def s251_year(path: Path) -> pd.DataFrame:
    """One year's outturn: one row per LA and line, the publisher's money columns, line codes by description."""
    # Load (2008-09 and 2009-10 are ASCII, later years Windows-1252: cp1252 reads all of them)
    period = period_of(path)
    layout = LAYOUTS.get(period, LAYOUTS[max(LAYOUTS)])
    raw = read_publisher_csv(path, layout["header"], encoding="cp1252")
    # Check
    require(raw[layout["la"]].str.fullmatch(r"\d{3}").all(), path, "LA numbers are not 3 digits")
    lines = line_codes(path, period, raw, layout)
    money = {field: to_number(raw[column], markers=("NULL",)) for column, field in layout["money"].items()}
    check_sums(path, pd.DataFrame(money))
    # Tidy
    frame = pd.DataFrame({"year": int(period[:4]) + 1, "period": period, "la_code_old": raw[layout["la"]],
                          "area_name": raw[layout["name"]].str.strip(), "line": lines["line"],
                          "line_number": lines["number"], "line_description": lines["description"], **money})
    return frame.reindex(columns=[*frame.columns[:7], *MONEY])


def line_codes(path: Path, period: str, raw: pd.DataFrame, layout: dict) -> pd.DataFrame:
    """Line number, description and code of every row; fails on unknown descriptions or an unbalanced file."""
    number = raw[layout["number"]] if layout["number"] else raw[layout["description"]].str.extract(
        r"^\s*(\d+)\s")[0]
    require(number.notna().all() and number.str.fullmatch(r"\d+").all(), path, "line numbers missing")
    description = clean_description(raw[layout["description"]])
    codes = description.map(s251.line_code)
    unknown = sorted(set(description[codes.isna()]))
    require(not unknown, path, f"unknown line descriptions {unknown[:5]}: add them to _s251_lines.LINES")
    lines = pd.DataFrame({"number": number.astype(int), "description": description, "line": codes})
    per_line = lines.drop_duplicates()
    require(per_line["number"].is_unique and per_line["line"].is_unique, path,
            "a line number has two descriptions, or two lines map to one code")
    las = raw[layout["la"]].nunique()
    require(len(raw) == las * len(per_line) and not pd.concat([raw[layout["la"]], number], axis=1)
            .duplicated().any(), path, f"expected one row per LA ({las}) and line ({len(per_line)})")
    for group in (s251.MEMORANDUM.get(period, set()), *s251.SOCIAL_CARE_BLOCKS.get(period, {}).values()):
        missing = sorted(set(group) - set(per_line["line"]))
        require(not missing, path, f"lines {missing} missing")
    return lines


def check_sums(path: Path, money: pd.DataFrame) -> None:
    """Provider columns add up to total expenditure (within £1) wherever they are all filled."""
    providers = money[[c for c in PROVIDERS if c in money]]
    filled = providers.notna().all(axis=1) & money["total_expenditure"].notna()
    gap = (providers[filled].sum(axis=1) - money.loc[filled, "total_expenditure"]).abs()
    require((gap <= 1).all(), path, f"provider columns do not add up to total expenditure in "
            f"{int((gap > 1).sum())} rows")


def s251_lines(outturn: pd.DataFrame) -> pd.DataFrame:
    """One row per year and line: number, description, role and children's social care block."""
    lines = outturn[["year", "period", "line", "line_number", "line_description"]].drop_duplicates()
    return lines.assign(
        role=[s251.role(p, c) for p, c in zip(lines["period"], lines["line"])],
        social_care_block=[s251.social_care_block(p, c) for p, c in zip(lines["period"], lines["line"])])


# LAIT: Section 251 outturn lines and unit costs, 2016-17 onwards

def lait(path: Path) -> dict[str, pd.DataFrame]:
    """LAIT's S251 outturn measures for England, regions and LAs, values and `-` as LAIT gives them."""
    # Load
    raw = read_publisher_csv(path, LAIT_HEADER)
    # Check
    wanted = {**LAIT_SPEND, **LAIT_UNIT_COSTS}
    missing = set(wanted) - set(raw["measure_short"])
    require(not missing, path, f"measures {sorted(missing)} missing")
    rows = raw[raw["measure_short"].isin(wanted)].copy()
    units = rows.groupby("measure_short")["unit"].agg(set)
    require(all(units[m] == {"Spend"} for m in LAIT_SPEND) and
            all(units[m] == {"Unit Cost"} for m in LAIT_UNIT_COSTS), path, "unexpected units")
    period = rows["year"].str.extract(r"^(\d{4})-(\d{2}) \(OT\)$")
    require(period.notna().all().all(), path, "finance periods are not like `2016-17 (OT)`")
    require(((period[0].astype(int) + 1) % 100 == period[1].astype(int)).all(), path, "bad period labels")
    number = rows["old_la_code"].str.extract(r"^(\d{3})\.0$")[0]
    require(number.notna().all(), path, "old_la_code is not a 3-digit number with `.0`")
    areas = rows.loc[number.isin(LAIT_AREAS), "area"].groupby(number).agg(set)
    require(all(areas[n] == {LAIT_AREAS[n][2]} for n in areas.index) and len(areas) == len(LAIT_AREAS),
            path, "England/region numbers or names changed")
    to_number(rows["value"], markers=("-",))
    # Tidy
    is_la = ~number.isin(LAIT_AREAS)
    frame = pd.DataFrame({
        "year": period[0].astype(int) + 1, "period": period[0] + "-" + period[1],
        "geographic_level": number.map(lambda n: LAIT_AREAS.get(n, ("Local authority",))[0]),
        "area_code": number.map(lambda n: LAIT_AREAS.get(n, (None, ""))[1]),
        "area_name": rows["area"].str.strip(), "la_code_old": number.where(is_la, ""),
        "measure": rows["measure_short"].map(wanted), "lait_measure": rows["measure_short"],
        "value": rows["value"].str.strip()})
    require(not frame.duplicated(["year", "measure", "area_name"]).any(), path, "duplicate area rows")
    spend = frame["lait_measure"].isin(LAIT_SPEND)
    return {"lait-spending": frame[spend], "lait-unit-costs": frame[~spend]}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, argv)
    inputs = classify_inputs(args.files, INPUTS)
    periods = [period_of(path) for path in inputs["s251"]]
    require(len(set(periods)) == len(periods), inputs["s251"][0], "two outturn files for one year")
    outturn = pd.concat([s251_year(path) for path in inputs["s251"]], ignore_index=True)
    tables = {"s251-outturn": outturn, "s251-lines": s251_lines(outturn), **lait(inputs["lait"][-1])}
    # Write
    write_package(args.out, descriptor(tables, LAIT_SPEND, LAIT_UNIT_COSTS), tables)


if __name__ == "__main__":
    main(sys.argv[1:])
