"""Match publishers' LA names and ONS codes to the `local-authorities` reference package.

Ofsted's files name LAs in their own spelling ("Durham", "Bedford Borough", "Telford & Wrekin") and
only some give ONS codes; the reference list (data/local-authorities/local-authorities.csv, built by
scripts/local_authorities.py) gives every DfE LA number with its name and ONS codes. Scripts that
read such files must run after that package is built.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from _common import PublisherFormatError

ROOT = Path(__file__).resolve().parents[1]
LA_REFERENCE = ROOT / "data" / "local-authorities" / "local-authorities.csv"
REFERENCE_COLUMNS = ["la_code_old", "la_code", "la_codes_previous", "la_name", "status", "status_from"]

# Publisher spellings that normalising alone does not reconcile with DfE's names.
ALIASES = {
    "durham": "county durham",
    "bedford borough": "bedford",
    "london corporation": "city of london",
    "corporation of london": "city of london",
    "hull": "kingston upon hull",
    "bristol city of": "bristol",
}


def normalise(name: str) -> str:
    """A spelling-insensitive key: lower case, `&` -> `and`, no `, City of`, hyphens or punctuation."""
    text = str(name).lower().replace("&", "and")
    text = re.sub(r",\s*(city|county) of\b", "", text)
    text = re.sub(r"[.,'’-]", " ", text)
    text = " ".join(text.split())
    return ALIASES.get(text, text)


class LaLookup:
    """DfE LA numbers from ONS codes or names, telling old and new LAs of one name apart by date."""

    def __init__(self, path: Path | None = None):
        path = Path(path or LA_REFERENCE)
        if not path.is_file():
            raise PublisherFormatError(
                f"{path}: the local-authorities package is missing; build it first "
                "(scripts/local_authorities.py)")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        missing = [c for c in REFERENCE_COLUMNS if c not in frame.columns]
        if missing:
            raise PublisherFormatError(f"{path.name}: reference list lacks columns {missing}")
        self.frame = frame.set_index("la_code_old", drop=False)
        self.by_key: dict[str, list[str]] = {}
        for code, name in zip(frame["la_code_old"], frame["la_name"]):
            self.by_key.setdefault(normalise(name), []).append(code)
        self.by_ons: dict[str, str] = {}
        for code, current, previous in zip(frame["la_code_old"], frame["la_code"],
                                           frame["la_codes_previous"]):
            for ons in [current, *previous.split(";")]:
                if ons:
                    self.by_ons.setdefault(ons, code)

    def ons_code(self, la_code_old: str) -> str:
        """The LA's ONS code as the reference list gives it (current, or the last one of a former LA)."""
        return self.frame.at[la_code_old, "la_code"]

    def from_ons(self, ons: str) -> str | None:
        """The LA number of an ONS code (current or previous), or None."""
        return self.by_ons.get(str(ons).strip())

    def from_name(self, name: str, on: dt.date | None = None) -> str | None:
        """The LA number of a name; where two LAs share it (Dorset) the one that existed `on` that date."""
        codes = self.by_key.get(normalise(name), [])
        if len(codes) <= 1:
            return codes[0] if codes else None
        if on is None:
            raise ValueError(f"{name!r} names several LAs {codes}: a date is needed to choose")
        former = [c for c in codes if self.frame.at[c, "status"] != "current"
                  and on < dt.date(int(self.frame.at[c, "status_from"]), 4, 1)]
        current = [c for c in codes if self.frame.at[c, "status"] == "current"]
        chosen = former or current
        if len(chosen) != 1:
            raise ValueError(f"{name!r} on {on}: cannot choose between {codes}")
        return chosen[0]
