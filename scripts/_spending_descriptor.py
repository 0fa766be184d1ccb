"""The descriptor of the `spending` package (scripts/spending.py): titles, sources, field descriptions."""

from __future__ import annotations

import pandas as pd

import _s251_lines as s251
from _common import OGL, field, la_foreign_key, markers_note, resource

S251_SOURCE = {
    "title": "Section 251 outturn: LA-level children's and young people's services expenditure, 2008-09 to "
             "2013-14 (Section 52 in 2008-09)",
    "path": "https://www.gov.uk/government/collections/section-251-materials",
    "publisher": "Department for Education",
    "version": "outturn releases 2008-09 to 2013-14",
    "description": "DfE's LA tables as saved (values unchanged) in BenGoodair/childrens_social_care_data @ "
                   "ca4389abf37edc6531b03995b1d30be0e1a37807, Raw_Data/LA_level/LA_Spend/outturn_<yy><yy>.csv.",
}
LAIT_SOURCE = {
    "title": "Local Authority Interactive Tool (LAIT) data set: Children's Service Finance measures",
    "path": "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
    "publisher": "Department for Education",
    "version": "LAIT data of 8 April 2026 (dfe-analytical-services/local-authority-interactive-tool @ "
               "2e30e3959a6ab8b2d22941b84764da41a40ac91b)",
    "description": "LAIT re-publishes the Section 251 outturn of 'LA and school expenditure' "
                   "(s251_childrens_young_peoples_services_la_regional_national.csv and weekly unit costs).",
}
EES_SOURCE = {
    "title": "LA and school expenditure (Section 251 outturn), financial years 2016-17 to 2024-25",
    "path": "https://explore-education-statistics.service.gov.uk/find-statistics/la-and-school-expenditure",
    "publisher": "Department for Education",
    "version": "as loaded into LAIT, April 2026",
}
GBP = "£, cash (nominal, not adjusted for inflation; see the `deflators` package for real terms)"
EMPTY = ("Empty where the publisher left the cell blank (2011-12: wrote `NULL`) or where the year's "
         "form had no such column; never filled with 0.")
MONEY = {
    "own_provision": "Gross expenditure on services the LA provides itself. 2009-10 onwards (2008-09: "
                     "see public_provision).",
    "private_provision": "Gross expenditure on services bought from private providers.",
    "other_public_provision": "Gross expenditure on services provided by other public bodies. 2009-10 "
                              "onwards (2008-09: see public_provision).",
    "voluntary_provision": "Gross expenditure on services bought from voluntary (third-sector) providers.",
    "public_provision": "2008-09 only: the form's PUBLIC (z) column, the LA's own provision and other "
                        "public bodies together (PRIVATE + VOLUNTARY + PUBLIC = TOTAL that year).",
    "total_expenditure": "Gross expenditure (k); = the sum of the provider columns where they are filled.",
    "income": "Income (l): fees, charges, contributions and other income offset against the line.",
    "net_current_expenditure": "Net current expenditure (m) = total_expenditure - income (except 7 "
                               "publisher rows: 2 in 2008-09, 5 in 2010-11).",
    "grants_inside_aef": "Government grants inside Aggregate External Finance (n). 2009-10 onwards.",
    "grants_outside_aef": "Government grants outside Aggregate External Finance (o). 2009-10 onwards.",
    "net_revenue_expenditure": "LA net revenue expenditure (p) = (m) - (n) - (o) (except 1 publisher row in "
                               "2011-12). 2009-10 onwards.",
}
LAIT_SPEND_NOTE = (
    "cyp_budget_excl_cera = C&YPExpenditure, total gross children and young people's services budget "
    "excluding CERA; looked_after_total = TotalLACFinance (residential care, fostering, adoption, special "
    "guardianship, other CLA services, short breaks for looked after disabled children, family and friends "
    "placements, education of CLA, leaving care, asylum-seeking children); safeguarding_total = "
    "SafeguardingFinance (social work incl. child protection functions, commissioning and children's "
    "services strategy, LSCB); family_support_total = FamilySupportFinance (direct payments, short breaks "
    "for disabled children, other support for disabled children, targeted and universal family support); "
    "other_children_families_services = OtherChildren&FamilyFinance. The codes are the `line` codes of "
    "s251-outturn for the same S251 sections")
UNIT_COST_NOTE = (
    "fostering = FosteringFinance, fostering expenditure / foster placements at 31 March, per week; "
    "residential_care = RescareFinance, residential care expenditure / residential care days (SSDA903) x 7; "
    "adoption = AdoptionFinance, adoption services expenditure / children freed for adoption or with a "
    "placement order at 31 March, per week; social_work = SWFinance, social work + commissioning and "
    "children's services strategy expenditure / children in need at 31 March, per week. Rounded by DfE "
    "to the nearest £5")


def description(tables: dict[str, pd.DataFrame]) -> str:
    """The package description: coverage, the gap, England figures, and the children's social care sum."""
    s251_years = sorted(tables["s251-outturn"]["period"].unique())
    lait_years = sorted(tables["lait-spending"]["period"].unique())
    return (
        "Local authority spending on children's and young people's services in England from the Section "
        f"251 outturn returns, in £ cash (nominal). s251-outturn: every LA's outturn by budget line and "
        f"provider type (own, private, other public, voluntary), with income, net current expenditure and "
        f"grants, {s251_years[0]} to {s251_years[-1]}, LA rows only (the publisher's files have no England "
        "or regional rows: an England figure for these years is a sum of LAs, computed in the report code, "
        "not held here). Lines were renumbered and regrouped every year; each is given a stable `line` code "
        "mapped from its description, with the publisher's number and description kept (s251-lines lists "
        "them per year). lait-spending / lait-unit-costs: the S251 outturn section totals and weekly unit "
        f"costs for England, regions and LAs, {lait_years[0]} to {lait_years[-1]}, as DfE's Local "
        "Authority Interactive Tool (LAIT) holds them. 2014-15 and 2015-16 are in none of the source files: "
        "those years are absent (never zero). " + s251.BLOCK_NOTE + " From 2016-17 the same total is "
        "looked_after_total + safeguarding_total + family_support_total + other_children_families_services "
        "in lait-spending (LAIT's TotalLACFinance + SafeguardingFinance + FamilySupportFinance + "
        "OtherChildren&FamilyFinance). LAIT's England and regional rows are the publisher's aggregates "
        "(LAIT cites DfE's s251_childrens_young_peoples_services_la_regional_national file; they differ "
        "from the sum of LAIT's LA rows by a few pounds of rounding), kept as printed: in 2017-18 the North "
        "East and England totals of cyp_budget_excl_cera and looked_after_total exceed the sum of the LA "
        "rows by exactly £60,000,000, and in 2024-25 DfE leaves Wandsworth and Middlesbrough (both `-` "
        "that year) out of the national and regional aggregates for data quality.")


def descriptor(tables: dict[str, pd.DataFrame], lait_spend: dict[str, str],
               lait_unit_costs: dict[str, str]) -> dict:
    """The package descriptor; the tables give the year coverage and the enums."""
    lines = sorted(tables["s251-lines"]["line"].unique())
    return {
        "name": "spending",
        "title": "Local authority spending on children's services (Section 251 outturn), England",
        "description": description(tables),
        "licenses": [OGL],
        "sources": [S251_SOURCE, LAIT_SOURCE, EES_SOURCE],
        "keywords": ["Section 251", "children's social care", "children looked after", "spending",
                     "outsourcing", "provider type"],
        "resources": [
            resource("s251-outturn", "Section 251 outturn by LA, line and provider, 2008-09 to 2013-14",
                     "One row per financial year, LA and S251 budget line: gross expenditure by provider "
                     f"type, income, net expenditure and grants, {GBP}. LA rows only. {EMPTY}",
                     [*key_fields(), *line_fields(lines),
                      *[money_field(name, text) for name, text in MONEY.items()]],
                     ["year", "la_code_old", "line"], foreign_keys=[la_foreign_key()]),
            resource("s251-lines", "Section 251 budget lines by year",
                     "The lines of each year's outturn form: the publisher's number and description, the "
                     "stable line code, whether the line is a total or outside the budget total, and the "
                     f"children's social care block it is summed into. {s251.BLOCK_NOTE}",
                     [field("year", "year", "Financial year ending 31 March.", constraints={"required": True}),
                      field("period", "string", "Financial year label.", constraints={"required": True}),
                      *line_fields(lines),
                      field("role", "string", "line = a service line; total = a section total or the "
                            "budget total (2011-12 onwards youth justice, and 2011-12 children's services "
                            "strategy, are one line coded as their section total); memorandum = printed "
                            "after the budget total and not part of it (incl. 2010-11's 'Unknown' line).",
                            constraints={"required": True, "enum": ["line", "memorandum", "total"]}),
                      field("social_care_block", "string", "Children's social care block the line's "
                            "expenditure is summed into on the comparable definition (see the resource "
                            "description); empty = not part of children's social care or already inside "
                            "a block total.", constraints={"enum": ["family_support", "looked_after",
                                                                    "other_children_families", "safeguarding"]})],
                     ["year", "line"]),
            lait_resource("lait-spending", "LAIT: Section 251 outturn section totals, 2016-17 onwards",
                          f"Gross S251 outturn of the children's social care sections and the whole "
                          f"children and young people's services budget, {GBP}.", LAIT_SPEND_NOTE,
                          "Gross expenditure, " + GBP + ".", "GBP", lait_spend),
            lait_resource("lait-unit-costs", "LAIT: Section 251 weekly unit costs, 2016-17 onwards",
                          "DfE's approximate weekly unit costs from the S251 outturn, £ cash per week.",
                          UNIT_COST_NOTE, "Weekly unit cost, £ cash per week (rounded to £5).",
                          "GBP per week", lait_unit_costs),
        ],
    }


def key_fields() -> list[dict]:
    return [
        field("year", "year", "Financial year ending 31 March (2014 = April 2013 to March 2014).",
              constraints={"required": True}),
        field("period", "string", "Financial year as the publisher labels it (\"2013-14\").",
              constraints={"required": True, "pattern": r"\d{4}-\d{2}"}),
        field("la_code_old", "string", "DfE 3-digit LA number. 2008-09 has Bedfordshire (820) and Cheshire "
              "(875) instead of their four successors.", constraints={"required": True, "pattern": r"\d{3}"}),
        field("area_name", "string", "LA name as the publisher writes it that year (trailing spaces "
              "removed); join on la_code_old.", constraints={"required": True}),
    ]


def line_fields(lines: list[str]) -> list[dict]:
    return [
        field("line", "string", "Stable code of the budget line, mapped from its description (the same "
              "service keeps one code when DfE renumbered or moved it; *_total = a section total).",
              constraints={"required": True, "enum": lines}),
        field("line_number", "integer", "The publisher's line number that year (changes every year).",
              constraints={"required": True, "minimum": 1}),
        field("line_description", "string", "The publisher's line description that year, without its "
              "leading number, whitespace collapsed (2011-12 truncates long ones).",
              constraints={"required": True}),
    ]


def money_field(name: str, text: str) -> dict:
    return field(name, "number", f"{text} {GBP}. {EMPTY}", unit="GBP")


def lait_resource(name: str, title: str, text: str, measures: str, value: str, unit: str,
                  codes: dict[str, str]) -> dict:
    """A LAIT table: England, regions and LAs, one row per year, area and measure."""
    return resource(name, title, f"{text} One row per financial year, area (England, the 9 regions plus "
                    "Inner and Outer London, LAs) and measure, as LAIT holds it.", [
        field("year", "year", "Financial year ending 31 March (2017 = 2016-17).",
              constraints={"required": True}),
        field("period", "string", "Financial year (LAIT labels it \"2016-17 (OT)\", OT = outturn).",
              constraints={"required": True, "pattern": r"\d{4}-\d{2}"}),
        field("geographic_level", "string", "National, Regional (incl. London (Inner) and London (Outer), "
              "parts of London) or Local authority.",
              constraints={"required": True, "enum": ["Local authority", "National", "Regional"]}),
        field("area_code", "string", "ONS code of England (E92000001) or the region (E12..., Inner/Outer "
              "London E13...); empty on LA rows (join la_code_old to local-authorities).",
              constraints={"pattern": r"E(92|12|13)\d{6}"}),
        field("area_name", "string", "Area name as LAIT writes it (\"Dorset (Pre LG)\" = the LA before "
              "April 2019).", constraints={"required": True}),
        field("la_code_old", "string", "DfE 3-digit LA number; empty on England and region rows.",
              constraints={"pattern": r"\d{3}"}),
        field("measure", "string", f"What is measured: {measures}.",
              constraints={"required": True, "enum": sorted(codes.values())}),
        field("lait_measure", "string", "LAIT's measure code (Short Desc).",
              constraints={"required": True, "enum": sorted(codes)}),
        field("value", "number", f"{value} " + markers_note(("-",)) + " LAIT writes `-` also for LAs "
              "that did not exist that year and for LAs DfE dropped for data quality.", unit=unit),
    ], ["year", "measure", "area_name"], missing=("", "-"), foreign_keys=[la_foreign_key()])
