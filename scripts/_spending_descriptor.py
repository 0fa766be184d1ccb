"""The descriptor of the `spending` package (scripts/spending.py): its metadata from spending.meta.yml."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from _common import fill, la_foreign_key, load_meta, meta_resource

RESOURCES = ("s251-outturn", "s251-lines", "lait-spending", "lait-unit-costs")
META = load_meta(Path(__file__).with_name("spending.py"),
                 required=("package.name", "block_note", "gbp", "empty",
                           *(f"resources.{name}.fields" for name in RESOURCES)))


def descriptor(tables: dict[str, pd.DataFrame], lait_spend: dict[str, str],
               lait_unit_costs: dict[str, str]) -> dict:
    """The package descriptor; the tables give the year coverage and the enums."""
    s251_years = sorted(tables["s251-outturn"]["period"].unique())
    lait_years = sorted(tables["lait-spending"]["period"].unique())
    meta = fill(META, s251_first=s251_years[0], s251_last=s251_years[-1], lait_first=lait_years[0],
                lait_last=lait_years[-1], block_note=META["block_note"], gbp=META["gbp"], empty=META["empty"])
    lines = {"line": sorted(tables["s251-lines"]["line"].unique())}
    keys = [la_foreign_key()]
    return {**meta["package"], "resources": [
        meta_resource(meta, "s251-outturn", enums=lines, foreign_keys=keys),
        meta_resource(meta, "s251-lines", enums=lines),
        *[meta_resource(meta, name, enums={"measure": sorted(codes.values()), "lait_measure": sorted(codes)},
                        foreign_keys=keys)
          for name, codes in [("lait-spending", lait_spend), ("lait-unit-costs", lait_unit_costs)]],
    ]}
