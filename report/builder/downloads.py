"""Each chart's files for readers: its data as CSV (safe to open in a spreadsheet), SVG and PNG."""

from __future__ import annotations

import base64
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from report.builder.chartdata import ChartTable, chart_tables
from report.builder.convert import Chart
from report.builder.exports import Provenance, exported, png_size
from report.fonts import register_with_vl_convert

# OWASP CSV injection: a text cell starting with one of these is read as a formula by spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PNG_SCALE = 2


@dataclass
class Download:
    href: str
    kind: str  # "CSV data", "SVG image", "PNG image"
    bytes: int
    name: str = ""  # the file name a `data:` link saves as (a file's link saves as the file's own name)

    @property
    def size(self) -> str:
        return file_size(self.bytes)


@dataclass
class ChartFiles:
    """What the page shows under a chart: its tables, the files written for it and how to share it."""

    tables: list[ChartTable]
    downloads: list[Download] = field(default_factory=list)
    png: str = ""
    png_size: tuple[int, int] = (0, 0)
    share: dict | None = None  # {"url": the chart's address, "embed": HTML to paste elsewhere}


def write_chart_files(out: Path, chart: Chart, png: bool = True, provenance: Provenance | None = None,
                      cache_dir: Path | None = None) -> ChartFiles:
    """charts/<label>.csv (one per table), .svg and (unless `png` is False) .png; returns the links with
    their sizes. With `provenance` the SVG and PNG carry it (report/builder/exports.py)."""
    folder = out / "charts"
    folder.mkdir(parents=True, exist_ok=True)
    tables = chart_tables(chart.vegalite, chart.label)
    files = ChartFiles(tables, write_tables(folder, chart.label, tables))
    svg, image = chart.svg, chart.png
    if provenance is not None:
        svg, image = exported(chart.svg, provenance, cache_dir)
    files.downloads.append(_write(folder / f"{chart.label}.svg", svg.encode("utf-8"), "SVG image"))
    if png:
        image = image or chart_png(svg)
        files.downloads.append(_write(folder / f"{chart.label}.png", image, "PNG image"))
        files.png, files.png_size = f"charts/{chart.label}.png", png_size(image)
    return files


def write_tables(folder: Path, label: str, tables: list[ChartTable]) -> list[Download]:
    """`<label>.csv`, then `<label>-2.csv`... one per table, in `folder` (which exists)."""
    downloads = []
    for index, table in enumerate(tables):
        name = f"{label}.csv" if index == 0 else f"{label}-{index + 1}.csv"
        kind = "CSV data" if index == 0 else f"CSV data, table {index + 1}"
        downloads.append(_write(folder / name, csv_text(table).encode("utf-8"), kind))
    return downloads


def inline_tables(label: str, tables: list[ChartTable]) -> list[Download]:
    """The CSVs of `write_tables` inside the page as `data:` links, not files: a page provider's pages would
    otherwise create hundreds of small files, most of the time their writing takes, and a `data:` link
    downloads with JavaScript off too."""
    downloads = []
    for index, table in enumerate(tables):
        data = csv_text(table).encode("utf-8")
        name = f"{label}.csv" if index == 0 else f"{label}-{index + 1}.csv"
        kind = "CSV data" if index == 0 else f"CSV data, table {index + 1}"
        downloads.append(csv_link(data, name, kind))
    return downloads


def csv_link(data: bytes, name: str, kind: str = "CSV data") -> Download:
    return Download("data:text/csv;charset=utf-8;base64," + base64.b64encode(data).decode("ascii"), kind,
                    len(data), name)


def _write(path: Path, data: bytes, kind: str) -> Download:
    path.write_bytes(data)
    return Download(f"{path.parent.name}/{path.name}", kind, len(data))


def csv_text(table: ChartTable) -> str:
    """The columns' headers, then one line per row, each value as the chart rounds it (chartdata.Column.csv);
    text cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; quotes any CR or LF in a cell
    writer.writerow([neutralise(c.title) for c in table.columns])
    for row in table.rows:
        writer.writerow([_cell(c, row.get(c.field)) for c in table.columns])
    return buffer.getvalue()


def _cell(column, value) -> str:
    text = column.csv(value)
    return text if isinstance(value, (int, float)) and not isinstance(value, bool) else neutralise(text)


def neutralise(text: str) -> str:
    """Prefix `'` to text a spreadsheet would run as a formula (OWASP CSV injection guidance)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def chart_png(svg: str) -> bytes:
    """The static SVG rasterised at twice its size with the house fonts (also the social card)."""
    import vl_convert

    register_with_vl_convert()
    return vl_convert.svg_to_png(svg, scale=PNG_SCALE)


def file_size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1e6:.1f} MB"
