"""Badge images and baking: drawing a PNG/SVG badge, and putting an Open Badge into an
image or getting it back, as the Open Badges 2.0 and 3.0 baking specifications describe."""

import hashlib
import importlib.util
import math
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Literal
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import escape

# No stubs for defusedxml here; its fromstring gives a standard ElementTree Element.
import defusedxml
import defusedxml.ElementTree as SafeET
from PIL import Image, ImageDraw, ImageFont

from badges.errors import BakingError


@dataclass(frozen=True)
class Baked:
    keyword: str  # "openbadges" (OB 1/2) or "openbadgecredential" (OB 3)
    text: str  # a URL, a compact JWS or JSON


# --- Drawing, in units of a 512-wide badge so that the PNG and the SVG break lines alike -----

# rosette, ring and disc colours; the discs are dark enough for white text
_PALETTE = "1d3557 a8dadc 24476f,7a2e0e f4c095 9c3d16,1b4332 b7e4c7 2d6a4f,4a1d6b d9c2f0 5e2b86"
# DejaVu Sans, as matplotlib (a dependency, for the report charts) ships it: Latin with every
# accent, Greek, Cyrillic and more. Pillow's own font has no accented letter.
_FONT_DIR = ("mpl-data", "fonts", "ttf")
_TITLE_FONT, _TEXT_FONT = "DejaVuSans-Bold.ttf", "DejaVuSans.ttf"
_SPELLED = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "€": "EUR", "—": "-"}
_ROSETTE = [
    (round(256 + r * math.sin(math.pi * i / 20), 2), round(256 - r * math.cos(math.pi * i / 20), 2))
    for i, r in enumerate([251.0, 233.0] * 20)
]
_TITLES, _SUBTITLE = (44, 38, 32), 24  # font sizes: long titles get smaller letters
_SCALE = 3  # drawn larger then reduced, as Pillow's shapes are not anti-aliased


@lru_cache(maxsize=2)
def _font_file(name: str) -> str:
    spec = importlib.util.find_spec("matplotlib")  # found, not imported
    if spec is None or spec.origin is None:
        raise BakingError("matplotlib, which ships the badge font, is not installed")
    path = Path(spec.origin).parent.joinpath(*_FONT_DIR, name)
    if not path.is_file():
        raise BakingError(f"the badge font {name} is missing from {path.parent}")
    return str(path)


@lru_cache(maxsize=1)
def _drawable() -> frozenset[str]:
    """The characters both fonts have a glyph for."""
    from fontTools.ttLib import TTFont  # at the first image, not at every process start

    covered = [TTFont(_font_file(name)).getBestCmap() for name in (_TITLE_FONT, _TEXT_FONT)]
    return frozenset(map(chr, set(covered[0]) & set(covered[1])))


def _fold(text: str) -> str:
    """What the font can draw: a character it lacks loses its accents, is spelled out, or
    becomes a hyphen (never a box)."""
    drawable = _drawable()
    out = []
    for char in text:
        if char not in drawable:
            nfkd = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in nfkd if not unicodedata.combining(c))
            char = base if base and set(base) <= drawable else _SPELLED.get(char, "-")
        out.append(char)
    return "".join(out)


@lru_cache(maxsize=16)
def _font(size: int, name: str = _TEXT_FONT) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_font_file(name), size)


def _wrap(text: str, size: int, width: float, max_lines: int, font_name: str) -> list[str]:
    """Greedy word wrap measured with the font; an overflow ends with an ellipsis."""
    font = _font(size, font_name)
    text = text[: (max_lines + 1) * 80]  # no line holds 80 characters, so overflow still shows

    def fits(line: str) -> bool:
        return font.getlength(_fold(line)) <= width

    lines: list[str] = []
    current = ""
    for word in text.split():
        if fits(f"{current} {word}".strip()):
            current = f"{current} {word}".strip()
            continue
        lines += [current] if current else []
        current = word
        while not fits(current) and len(lines) <= max_lines:  # a word wider than a line
            cut = max((i for i in range(1, len(current)) if fits(current[:i])), default=1)
            lines, current = [*lines, current[:cut]], current[cut:]
    lines += [current] if current else []
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and not fits(last + "…"):
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip() + "…"]
    return lines or [""]


def _layout(title: str, subtitle: str) -> tuple[int, list[tuple[str, float]], float, str, float]:
    """Title size, title lines with their middle y, the rule's y, the subtitle and its y."""
    for size in _TITLES:  # the largest size that needs no cut word and no ellipsis
        lines = _wrap(title, size, 330, 3, _TITLE_FONT)
        if " ".join(lines) == " ".join(title.split()):
            break
    block = len(lines) * size * 1.2 + 25.6 + _SUBTITLE
    top = 256 - block / 2
    placed = [(line, top + (i + 0.5) * size * 1.2) for i, line in enumerate(lines)]
    subtitle = _wrap(subtitle, _SUBTITLE, 340, 1, _TEXT_FONT)[0]
    return size, placed, top + block - _SUBTITLE - 15, subtitle, top + block - _SUBTITLE / 2


def _colours(title: str) -> list[str]:
    digest = hashlib.sha256(title.encode()).digest()  # the same title, the same colours
    entries = _PALETTE.split(",")
    return ["#" + c for c in entries[digest[0] % len(entries)].split()]


def render_png(title: str, subtitle: str, *, size: int = 512) -> bytes:
    """A round badge image, `size` pixels square, on a transparent background."""
    if not 64 <= size <= 2048:
        raise ValueError(f"a badge image is 64 to 2048 pixels wide, not {size}")
    k = size * _SCALE / 512
    rosette, ring, disc = _colours(title)
    title_size, lines, rule_y, sub, sub_y = _layout(_fold(title), _fold(subtitle))
    image = Image.new("RGBA", (size * _SCALE, size * _SCALE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon([(x * k, y * k) for x, y in _ROSETTE], fill=rosette)
    for r, colour in ((217.6, ring), (207.4, disc)):
        draw.ellipse(((256 - r) * k, (256 - r) * k, (256 + r) * k, (256 + r) * k), fill=colour)
    title_font = _font(round(title_size * k), _TITLE_FONT)
    for line, y in lines:
        draw.text((256 * k, y * k), line, "white", title_font, "mm")
    draw.line((205 * k, rule_y * k, 307 * k, rule_y * k), fill=ring, width=round(2 * k))
    draw.text((256 * k, sub_y * k), sub, ring, _font(round(_SUBTITLE * k)), "mm")
    out = BytesIO()
    image.resize((size, size), Image.Resampling.LANCZOS).save(out, format="PNG")
    return out.getvalue()


def render_svg(title: str, subtitle: str) -> str:
    """The badge of `render_png` as SVG text, 512 units square."""
    rosette, ring, disc = _colours(title)
    size, lines, rule_y, sub, sub_y = _layout(title, subtitle)
    label = escape(" \u2013 ".join(part for part in (title, subtitle) if part))
    points = " ".join(f"{x:g},{y:g}" for x, y in _ROSETTE)
    text = (
        'x="256" text-anchor="middle" dominant-baseline="central" '
        "font-family=\"'DejaVu Sans',Verdana,sans-serif\""
    )
    title_lines = "".join(
        f'<text {text} y="{y:.1f}" font-size="{size}" font-weight="bold" fill="#fff">'
        f"{escape(line)}</text>"
        for line, y in lines
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512"'
        f' role="img"><title>{label}</title><polygon points="{points}" fill="{rosette}"/>'
        f'<circle cx="256" cy="256" r="217.6" fill="{ring}"/>'
        f'<circle cx="256" cy="256" r="207.4" fill="{disc}"/>{title_lines}'
        f'<line x1="205" y1="{rule_y:.1f}" x2="307" y2="{rule_y:.1f}" stroke="{ring}" '
        f'stroke-width="2"/><text {text} y="{sub_y:.1f}" font-size="{_SUBTITLE}" fill="{ring}">'
        f"{escape(sub)}</text></svg>\n"
    )


# --- PNG baking ------------------------------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_BADGE_KEYWORDS = (b"openbadgecredential", b"openbadges")
_MAX_INFLATED = 1024 * 1024  # a badge is a few kilobytes: more is a decompression bomb


def _chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(type, data) of each chunk up to IEND, bounds and CRC checked."""
    if not data.startswith(_PNG_SIGNATURE):
        raise BakingError("not a PNG image: the PNG signature is missing")
    pos = len(_PNG_SIGNATURE)
    while True:
        if pos + 12 > len(data):
            raise BakingError("truncated PNG: the file ends before its IEND chunk")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if not kind.isalpha():
            raise BakingError(f"corrupt PNG: invalid chunk type at byte {pos + 4}")
        if end > len(data):
            raise BakingError(f"truncated PNG: the {kind.decode()} chunk runs past the file end")
        body = data[pos + 8 : end - 4]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[end - 4 : end])[0]:
            raise BakingError(f"corrupt PNG: the {kind.decode()} chunk fails its CRC check")
        if pos == len(_PNG_SIGNATURE) and kind != b"IHDR":
            raise BakingError("corrupt PNG: the first chunk is not IHDR")
        yield kind, body
        if kind == b"IEND":
            return
        pos = end


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _badge_keyword(kind: bytes, body: bytes) -> bytes | None:
    keyword, nul, _ = body.partition(b"\0")
    is_text = kind in (b"iTXt", b"tEXt", b"zTXt")
    return keyword if is_text and nul and keyword in _BADGE_KEYWORDS else None


def bake_png(png: bytes, keyword: Literal["openbadges", "openbadgecredential"], text: str) -> bytes:
    """The PNG with `text` in one uncompressed iTXt chunk right after IHDR; older badges go."""
    if keyword.encode() not in _BADGE_KEYWORDS:
        raise ValueError(f"unknown baking keyword {keyword!r}")
    kept = [_chunk(kind, body) for kind, body in _chunks(png) if not _badge_keyword(kind, body)]
    # keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translation NUL
    itxt = _chunk(b"iTXt", keyword.encode() + b"\0\0\0\0\0" + text.encode())
    return b"".join([_PNG_SIGNATURE, kept[0], itxt, *kept[1:]])


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, _MAX_INFLATED + 1)
    except zlib.error as error:
        raise BakingError(f"corrupt PNG: the badge text does not decompress ({error})") from None
    if len(out) > _MAX_INFLATED:
        raise BakingError("the badge text of this PNG decompresses to more than 1 MB")
    if not inflater.eof:
        raise BakingError("corrupt PNG: the compressed badge text is cut short")
    return out


def _badge_text(kind: bytes, body: bytes) -> str:
    text = body.partition(b"\0")[2]
    if kind == b"iTXt":
        fields = text[2:].split(b"\0", 2)
        if len(text) < 2 or len(fields) != 3 or text[0] > 1 or text[1] != 0:
            raise BakingError("corrupt PNG: the badge iTXt chunk is malformed")
        text = _inflate(fields[2]) if text[0] == 1 else fields[2]
    try:
        return text.decode()
    except UnicodeDecodeError:
        raise BakingError("the badge text of this PNG is not valid UTF-8") from None


def unbake_png(data: bytes) -> Baked:
    """The first badge of a baked PNG; the whole file is checked, not only up to the badge."""
    found: Baked | None = None
    for kind, body in _chunks(data):
        keyword = _badge_keyword(kind, body)
        # tEXt is how OB 1 baked a URL; OB 2 and 3 use iTXt
        if found is None and keyword and (kind == b"iTXt" or kind + keyword == b"tEXtopenbadges"):
            found = Baked(keyword.decode(), _badge_text(kind, body))
    if found is None:
        raise BakingError("this PNG carries no Open Badge")
    return found


# --- SVG baking ------------------------------------------------------------------------------

_NAMESPACES = {"2.0": "http://openbadges.org", "3.0": "https://purl.imsglobal.org/ob/v3p0"}
_ELEMENTS = {"2.0": "assertion", "3.0": "credential"}
_KEYWORDS = {
    f"{{{_NAMESPACES['2.0']}}}assertion": "openbadges",
    f"{{{_NAMESPACES['3.0']}}}credential": "openbadgecredential",
}
# XML declaration, processing instructions, comments, DOCTYPE (with an internal subset)
_PROLOG = r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*"
_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*?"""  # quoted values may hold '>' and span lines
_ROOT = re.compile(
    rf"(?P<prolog>{_PROLOG})<svg(?=[\s/>])(?P<attrs>{_ATTRS})\s*(?P<empty>/?)>", re.DOTALL
)
_NS_ATTR = re.compile(r"""\s+xmlns:openbadges\s*=\s*(?:"[^"]*"|'[^']*')""")
_OLD_BADGE = re.compile(
    rf"<openbadges:(assertion|credential)\b{_ATTRS}(?:/>|>.*?</openbadges:\1\s*>)", re.DOTALL
)
_SNIFF = re.compile(rf"{_PROLOG}<svg[\s/>]".encode(), re.DOTALL)


def bake_svg(
    svg: str, version: Literal["2.0", "3.0"], *, verify: str | None = None, body: str | None = None
) -> str:
    """The SVG with one badge element, the first child of its root; older badges go."""
    if version not in _NAMESPACES:
        raise ValueError(f"unknown Open Badges version {version!r}")
    if verify is None and body is None:
        raise ValueError("baking an SVG needs a verify value, a body, or both")
    root = _ROOT.match(svg, 1 if svg.startswith("\ufeff") else 0)
    if root is None:
        raise BakingError("not an SVG image: no <svg> root element found")
    attrs = _NS_ATTR.sub("", root["attrs"])
    name = f"openbadges:{_ELEMENTS[version]}"
    verify_attr = "" if verify is None else f' verify="{escape(verify, {chr(34): "&quot;"})}"'
    # "]]>" inside the body (a need's title, an association's name) would end the section:
    # it is split across two sections, which an XML reader joins back into the same text.
    cdata = "" if body is None else f"<![CDATA[{body.replace(']]>', ']]]]><![CDATA[>')}]]>"
    rest = _OLD_BADGE.sub("", svg[root.end() :])
    return (
        f'{svg[: root.end("prolog")]}<svg{attrs} xmlns:openbadges="{_NAMESPACES[version]}">'
        f"<{name}{verify_attr}>{cdata}</{name}>{'</svg>' if root['empty'] else ''}{rest}"
    )


def unbake_svg(data: bytes | str) -> Baked:
    """The first badge of a baked SVG: its verify attribute, or else its text."""
    try:
        root: Element = SafeET.fromstring(data)
    except defusedxml.DefusedXmlException:
        raise BakingError("SVG refused: the SVG declares entities or a DTD") from None
    except ParseError as error:
        raise BakingError(f"not a well-formed SVG: {error}") from None
    if root.tag.rpartition("}")[2] != "svg":
        raise BakingError("not an SVG image: the root element is not <svg>")
    element = next((el for el in root.iter() if el.tag in _KEYWORDS), None)
    if element is None:
        raise BakingError("this SVG carries no Open Badge")
    text = (element.get("verify") or "").strip() or (element.text or "").strip()
    if not text:
        raise BakingError("the Open Badge element of this SVG is empty")
    return Baked(_KEYWORDS[element.tag], text)


def sniff(data: bytes) -> Literal["png", "svg"] | None:
    """ "png", "svg" or None, from the first bytes of a file."""
    if data.startswith(_PNG_SIGNATURE):
        return "png"
    head = data[:65536].removeprefix(b"\xef\xbb\xbf")
    if _SNIFF.match(head) or (head.lstrip().startswith(b"<?xml") and b"<svg" in head):
        return "svg"
    return None
