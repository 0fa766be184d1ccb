"""Build the `delivery-models` package: children's services trusts and council-owned companies in England.

Usage: python scripts/delivery_models.py childrens_services_trusts_england.csv --out data/delivery-models

The input is a hand-compiled list (no publisher, no licence) of organisations that deliver a council's
children's social care outside direct council control. LA numbers come from the `local-authorities`
package (build it first), matched by LA name.
"""

from __future__ import annotations

import datetime as dt
import re
import sys

import pandas as pd

from _common import (classify_inputs, la_foreign_key, load_meta, meta_resource, parse_args, read_publisher_csv,
                     require, write_package)
from _la_lookup import LaLookup

# Titles, descriptions, fields (with the meaning of each coded value) and licence: delivery_models.meta.yml.
META = load_meta(__file__, required=("package.licenses", "resources.organisations.fields",
                                     "resources.organisation-las.fields"))
INPUTS = {"trusts": "childrens_services_trusts_*.csv"}
SOURCES = ["trusts/childrens_services_trusts_england.csv"]

HEADER = ["name", "local_authorities", "operational_from", "ended", "model", "trigger", "sources"]
# Why each arrangement was set up (the `trigger` values, described in delivery_models.meta.yml), read from
# the file's `trigger` text (kept alongside): one value per organisation, so a new organisation fails loudly
# until it is classified here.
TRIGGER_OF = {
    "Doncaster Children's Services Trust": "statutory_direction",
    "Slough Children's Services Trust": "statutory_direction",
    "Achieving for Children": "voluntary",
    "Together for Children": "agreed_after_inadequate",
    "Birmingham Children's Trust": "agreed_after_inadequate",
    "Sandwell Children's Trust": "statutory_direction",
    "Brighter Futures for Children": "agreed_after_inadequate",
    "Worcestershire Children First": "statutory_direction",
    "Northamptonshire Children's Trust": "statutory_direction",
    "Bradford Children and Families Trust": "statutory_direction",
}
# Events after the file was compiled, in the file's own `ended` wording (a leading date -> ended).
ENDED_SINCE_FILE = {
    "Brighter Futures for Children": "2025-10-01 (services back in house; council decision 28 Jan 2025; "
                                     "https://media.reading.gov.uk/news/reading-childrens-services-moves-"
                                     "back-in-house)",
}
# How the arrangement stands (the `status` values, described in delivery_models.meta.yml), from the `ended`
# text: empty -> operating; a leading date -> ended; other wording is matched here (fails loudly otherwise).
STATUS_WORDING = {"converted to council-owned company": "converted", "returning in-house": "return_planned"}
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})\b")
LA_ENTRY = re.compile(r"^(?P<name>[^(]+?)\s*(\((?P<note>[^)]*)\))?$")
JOINED = re.compile(r"^from (\d{4}-\d{2}-\d{2})$")
REPLACED = re.compile(r"^from (?P<when>[A-Z][a-z]+ \d{4}) (?P<successors>.+)$")


def organisation_id(name: str) -> str:
    """A stable key from the organisation's name: lower case, hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def split_name(text: str) -> tuple[str, str]:
    """`Name (note)` -> (name, note); the note records renamings."""
    match = re.match(r"^(?P<name>[^(]+?)\s*(\((?P<note>.*)\))?$", text.strip())
    return match["name"], match["note"] or ""


def start(text: str, path) -> tuple[str, str]:
    """`YYYY-MM-DD` -> (date, day); `YYYY-MM` -> (first of the month, month)."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text).isoformat(), "day"
    require(bool(re.fullmatch(r"\d{4}-\d{2}", text)), path, f"unexpected operational_from {text!r}")
    return f"{text}-01", "month"


def ending(text: str, path) -> tuple[str, str]:
    """The `ended` text -> (status, date where the text begins with one)."""
    text = text.strip()
    if not text:
        return "operating", ""
    if DATE.match(text):
        return "ended", dt.date.fromisoformat(DATE.match(text)[1]).isoformat()
    status = [s for wording, s in STATUS_WORDING.items() if wording in text]
    require(len(status) == 1, path, f"unexpected `ended` wording {text!r}: classify it in STATUS_WORDING")
    return status[0], ""


def ownership(model: str) -> str:
    """council_owned where the model text says the council(s) own it, else independent."""
    return "council_owned" if re.search(r"\bowned\b", model) else "independent"


def organisations(raw: pd.DataFrame, path) -> pd.DataFrame:
    """One row per organisation, the file's text kept next to the normalised values."""
    rows = []
    for record in raw.to_dict("records"):
        name, note = split_name(record["name"])
        require(name in TRIGGER_OF, path, f"organisation {name!r} has no trigger class in TRIGGER_OF")
        since, precision = start(record["operational_from"], path)
        record["ended"] = ENDED_SINCE_FILE.get(name, record["ended"])
        status, ended = ending(record["ended"], path)
        rows.append({
            "organisation_id": organisation_id(name), "name": name, "name_note": note,
            "model": record["model"].strip(), "ownership": ownership(record["model"]),
            "trigger": TRIGGER_OF[name], "trigger_text": record["trigger"].strip(),
            "operational_from": since, "operational_from_precision": precision,
            "status": status, "ended_date": ended, "ended_how": record["ended"].strip(),
            "local_authorities_text": record["local_authorities"].strip(),
            "sources": record["sources"].strip(),
        })
    return pd.DataFrame(rows)


def served(org: dict, las: LaLookup, path) -> list[dict]:
    """The LAs one organisation serves, with dates: joiners and LAs replaced by their successors."""
    rows = []
    for entry in org["local_authorities_text"].split(";"):
        match = LA_ENTRY.match(entry.strip())
        require(match is not None, path, f"unexpected local_authorities entry {entry!r}")
        note = (match["note"] or "").strip()
        code = las.from_name(match["name"], dt.date.fromisoformat(org["operational_from"]))
        require(code is not None, path, f"LA {match['name']!r} not in the local-authorities list")
        row = {"organisation_id": org["organisation_id"], "la_code_old": code, "area_name": match["name"],
               "from_date": org["operational_from"], "from_precision": org["operational_from_precision"],
               "to_date": org["ended_date"], "note": note}
        if not note:
            rows.append(row)
        elif JOINED.match(note):
            rows.append({**row, "from_date": JOINED.match(note)[1], "from_precision": "day"})
        elif REPLACED.match(note):
            rows.extend(replaced(row, REPLACED.match(note), las, path))
        else:
            require(False, path, f"unexpected note {note!r} in local_authorities")
    return rows


def la_names(text: str, las: LaLookup, on: dt.date, path) -> list[str]:
    """`A, B and C` -> LA names, keeping `and` inside a name the reference knows (Windsor and Maidenhead)."""
    names, pending = [], ""
    for piece in re.split(r",\s*|\s+and\s+", text.strip()):
        pending = f"{pending} and {piece}" if pending else piece
        if las.from_name(pending, on):
            names.append(pending)
            pending = ""
    require(not pending, path, f"LA names not in the local-authorities list: {pending!r}")
    return names


def replaced(row: dict, match: re.Match, las: LaLookup, path) -> list[dict]:
    """An LA reorganised while served: it ends, and its successors start, on 1 April of that year."""
    former = las.frame.loc[row["la_code_old"]]
    changed = dt.date(int(former["status_from"]), 4, 1)
    require(dt.datetime.strptime(match["when"], "%B %Y").date() == changed, path,
            f"{row['area_name']}: '{match['when']}' is not its reorganisation on {changed}")
    names = la_names(match["successors"], las, changed, path)
    successors = [las.from_name(n, changed) for n in names]
    require(sorted(successors) == sorted(former["successors"].split(";")), path,
            f"{row['area_name']}: successors {names} differ from the local-authorities list")
    rows = [{**row, "to_date": changed.isoformat()}]
    for name, code in zip(names, successors):
        rows.append({**row, "la_code_old": code, "area_name": name, "from_date": changed.isoformat(),
                     "from_precision": "day"})
    return rows


def pages(organisation: pd.DataFrame) -> list[dict]:
    """Every cited page as a descriptor source: its address and what it supports."""
    sources = []
    for name, text in zip(organisation["name"], organisation["sources"]):
        for cited in re.split(r";\s*(?=https?://)", text):
            match = re.match(r"^(?P<url>\S+)\s*(\((?P<note>.*)\))?$", cited.strip())
            host = re.sub(r"^https?://(www\d?\.)?", "", match["url"]).split("/")[0]
            sources.append({"title": f"{name}: {match['note']}" if match["note"] else name,
                            "path": match["url"], "publisher": host})
    return sources


def descriptor(organisation: pd.DataFrame) -> dict:
    """The package's descriptor: its metadata from delivery_models.meta.yml, its sources the pages cited."""
    return {**META["package"], "sources": pages(organisation), "resources": [
        meta_resource(META, "organisations"),
        meta_resource(META, "organisation-las", foreign_keys=[la_foreign_key(), {
            "fields": ["organisation_id"],
            "reference": {"resource": "organisations", "fields": ["organisation_id"]}}])]}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(__doc__, argv)
    inputs = classify_inputs(args.files, INPUTS)
    path = inputs["trusts"][-1]
    # Load + Check
    raw = read_publisher_csv(path, HEADER)
    require(raw["name"].str.strip().ne("").all(), path, "rows without a name")
    # Tidy
    las = LaLookup()
    organisation = organisations(raw, path)
    served_las = pd.DataFrame([row for org in organisation.to_dict("records") for row in served(org, las, path)])
    served_las["la_code"] = served_las["la_code_old"].map(las.ons_code)
    # Write
    write_package(args.out, descriptor(organisation), {"organisations": organisation,
                                                       "organisation-las": served_las})


if __name__ == "__main__":
    main(sys.argv[1:])
