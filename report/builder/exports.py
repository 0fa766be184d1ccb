"""A chart's SVG and PNG as readers take them away: a strip under the chart with its source line, licence
and address (the chart pasted into a slide keeps its provenance), the SVG's fonts embedded (subset to the
characters it writes), and the PNG's title, source, licence and address in its text chunks as well."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import struct
import zlib
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import metadata
from pathlib import Path
from xml.etree import ElementTree as ET

from fontTools import subset
from fontTools.ttLib import TTFont

from report.fonts import FAMILY, font_files, register_with_vl_convert

SVG_NS = "http://www.w3.org/2000/svg"
SIZE = 12  # px: the strip's text
LINE = 16
PAD = 10
INK = "#3D3D3D"  # 10:1 on white
PNG_SCALE = 2
EXPORT_VERSION = "1"  # bump when the strip or the embedding changes
FACES = {("normal", "normal"): "Regular", ("bold", "normal"): "Bold", ("normal", "italic"): "Italic",
         ("bold", "italic"): "BoldItalic"}


@dataclass(frozen=True)
class Provenance:
    """What an exported chart carries with it."""

    title: str
    source: str
    licence: str
    url: str

    def lines(self) -> list[str]:
        return [self.source, self.licence, f"Chart: {self.url}"]


def export_svg(svg: str, provenance: Provenance) -> str:
    """The chart's SVG inside one a strip taller, the strip holding the provenance lines (wrapped to the
    chart's width), with a <title>, and every face its text uses embedded as a subset @font-face."""
    width, height = _size(svg)
    lines = [part for line in provenance.lines() if line for part in wrap(line, width - 2 * PAD)]
    strip = PAD + LINE * len(lines)
    texts = "".join(f'<text x="{PAD}" y="{height + PAD + LINE * (i + 1) - 4}">{escape(line)}</text>'
                    for i, line in enumerate(lines))
    body = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    draft = (f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
             f'width="{width}" height="{height + strip}" viewBox="0 0 {width} {height + strip}">'
             f"<title>{escape(provenance.title)}</title><desc>{escape(' '.join(provenance.lines()))}</desc>"
             f'<rect width="{width}" height="{height + strip}" fill="white"/>{body}'
             f'<g class="provenance" font-family="{FAMILY}" font-size="{SIZE}" fill="{INK}">{texts}</g></svg>')
    return draft.replace("</title>", f"</title><style>{font_faces(draft)}</style>", 1)


def export_png(svg: str, provenance: Provenance) -> bytes:
    """The exported SVG rasterised at twice its size, with the provenance in iTXt chunks (UTF-8)."""
    import vl_convert

    register_with_vl_convert()
    png = vl_convert.svg_to_png(svg, scale=PNG_SCALE)
    chunks = b"".join(_itxt(key, text) for key, text in (
        ("Title", provenance.title), ("Source", provenance.source), ("Copyright", provenance.licence),
        ("URL", provenance.url)))
    return png[:33] + chunks + png[33:]  # after the signature (8 bytes) and IHDR (25)


def png_text(png: bytes) -> dict[str, str]:
    """The iTXt and tEXt chunks of a PNG by keyword."""
    found, at = {}, 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        data = png[at + 8:at + 8 + length]
        if kind == b"iTXt":
            key, _, rest = data.partition(b"\0")
            _, _, rest = rest[2:].partition(b"\0")  # compression flag and method, then language tag
            _, _, text = rest.partition(b"\0")  # translated keyword
            found[key.decode("latin-1")] = text.decode("utf-8")
        elif kind == b"tEXt":
            key, _, text = data.partition(b"\0")
            found[key.decode("latin-1")] = text.decode("latin-1")
        at += 12 + length
    return found


def png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def _itxt(key: str, text: str) -> bytes:
    data = key.encode("latin-1") + b"\0\0\0\0\0" + text.encode("utf-8")
    return struct.pack(">I", len(data)) + b"iTXt" + data + struct.pack(">I", zlib.crc32(b"iTXt" + data))


def _size(svg: str) -> tuple[int, int]:
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    return (round(float(match.group(1))), round(float(match.group(2)))) if match else (600, 400)


def wrap(text: str, width: float) -> list[str]:
    """Words in lines no wider than `width` px at the strip's size, measured with the font's own advances."""
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if line and measure(trial) > width:
            lines.append(line)
            trial = word
        line = trial
    return lines + ([line] if line else [])


def measure(text: str, size: float = SIZE) -> float:
    font = _font("Regular")
    cmap, advances = font.getBestCmap(), font["hmtx"].metrics
    units = sum(advances.get(cmap.get(ord(ch), ".notdef"), (font["head"].unitsPerEm // 2, 0))[0] for ch in text)
    return units * size / font["head"].unitsPerEm


@cache
def _font(face: str) -> TTFont:
    return TTFont(_face_path(face))


def _face_path(face: str):
    return next(p for p in font_files() if p.stem.endswith(f"-{face}"))


def text_faces(svg: str) -> dict[str, str]:
    """The characters each face writes in `svg`: face name -> characters (weights and styles inherited)."""
    used: dict[str, set] = {}

    def walk(element, weight: str, style: str) -> None:
        weight = element.get("font-weight", weight)
        style = element.get("font-style", style)
        if element.tag == f"{{{SVG_NS}}}text":
            bold = "bold" if weight in ("bold", "bolder") or weight.isdigit() and int(weight) >= 600 else "normal"
            used.setdefault(FACES[(bold, "italic" if style in ("italic", "oblique") else "normal")], set()).update(
                "".join(element.itertext()))
        for child in element:
            walk(child, weight, style)

    walk(ET.fromstring(svg), "normal", "normal")
    return {face: "".join(sorted(chars)) for face, chars in used.items()}


def font_faces(svg: str) -> str:
    """@font-face rules embedding, for each face the SVG's text uses, a subset holding just its characters."""
    rules = []
    for face, chars in sorted(text_faces(svg).items()):
        weight = 700 if face.startswith("Bold") else 400
        style = "italic" if face.endswith("Italic") else "normal"
        data = base64.b64encode(_subset(face, chars)).decode("ascii")
        rules.append(f'@font-face{{font-family:"{FAMILY}";font-weight:{weight};font-style:{style};'
                     f'src:url(data:font/ttf;base64,{data}) format("truetype")}}')
    return "".join(rules)


def _subset(face: str, chars: str) -> bytes:
    font = TTFont(_face_path(face))
    options = subset.Options()
    options.layout_features = ["kern", "liga"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars + " ")
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def exported(svg: str, provenance: Provenance, cache_dir=None) -> tuple[str, bytes]:
    """(SVG, PNG) of `export_svg` and `export_png`, kept in `cache_dir`/exports by what they are made of:
    subsetting fonts and rasterising cost a second or two a chart, which an unchanged chart need not pay."""
    key = hashlib.sha256("\0".join([svg, *provenance.lines(), provenance.title, metadata.version("fonttools"),
                                    metadata.version("vl-convert-python"), EXPORT_VERSION]).encode()).hexdigest()
    folder = Path(cache_dir) / "exports" if cache_dir else None
    if folder is not None and (folder / f"{key}.png").is_file() and (folder / f"{key}.svg").is_file():
        return (folder / f"{key}.svg").read_text(encoding="utf-8"), (folder / f"{key}.png").read_bytes()
    image = export_svg(svg, provenance)
    png = export_png(image, provenance)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{key}.svg").write_text(image, encoding="utf-8")
        (folder / f"{key}.png").write_bytes(png)
    return image, png
