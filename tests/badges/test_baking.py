"""Badge images and Open Badges baking in PNG (iTXt chunks) and SVG (a namespaced element)."""

import json
import struct
import xml.etree.ElementTree as ET
import zlib
from io import BytesIO
from typing import Literal

import pytest
from PIL import Image, PngImagePlugin

from badges.baking import (
    Baked,
    bake_png,
    bake_svg,
    render_png,
    render_svg,
    sniff,
    unbake_png,
    unbake_svg,
)
from badges.errors import BakingError

SVG_NS = "{http://www.w3.org/2000/svg}"
OB2_NS = "{http://openbadges.org}"
OB3_NS = "{https://purl.imsglobal.org/ob/v3p0}"
OB2_DECL = b"xmlns:openbadges='http://openbadges.org'"
JWS = (
    "eyJhbGciOiJFUzI1NiIsImtpZCI6ImtleS0xIn0." + "eyJpc3MiOiJodHRwczovL3Byb2Jvbm8uZXhhbXBsZSJ9" * 40
)
JWS += ".MEUCIQDvTgbYl8m2r7bRzj0Wlq2Xyx3k6f4qk3h8pYc6u5Jv9wIgYt3cJ0z"
TEXTS = [
    "https://probono.example/assertions/42",
    "Développeuse bénévole : accessibilité, été 2025 — « très appréciée »",
    JWS,
]
Keyword = Literal["openbadges", "openbadgecredential"]
KEYWORDS: list[Keyword] = ["openbadges", "openbadgecredential"]


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """An independent, minimal chunk reader: (type, data) up to IEND."""
    out, pos = [], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        out.append((png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return out


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def with_chunk(png: bytes, kind: bytes, data: bytes) -> bytes:
    """`png` with a chunk added right after IHDR (8 + 25 bytes in)."""
    return png[:33] + chunk(kind, data) + png[33:]


def badge_chunks(png: bytes) -> list[bytes]:
    return [
        data
        for kind, data in chunks(png)
        if kind in (b"iTXt", b"tEXt", b"zTXt")
        and data.split(b"\0")[0] in (b"openbadges", b"openbadgecredential")
    ]


@pytest.fixture(scope="module")
def png() -> bytes:
    return render_png("Accessibilité web", "Les Amis du Quartier", size=128)


# --- Images ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [64, 128, 512])
def test_render_png_is_a_png_of_the_requested_size(size: int) -> None:
    data = render_png("Développement web", "Association Solidarité", size=size)
    image = Image.open(BytesIO(data))
    image.load()
    assert (image.format, image.size, image.mode) == ("PNG", (size, size), "RGBA")
    assert image.getpixel((size // 2, size // 2)) != image.getpixel((0, 0))  # drawn, not blank


def test_render_png_is_deterministic() -> None:
    assert render_png("Data", "Restos", size=96) == render_png("Data", "Restos", size=96)
    assert render_png("Data", "Restos", size=96) != render_png("Design", "Restos", size=96)


def test_render_png_draws_accents_and_replaces_what_the_font_lacks() -> None:
    # The colours follow the title, so the subtitles alone tell the drawings apart.
    assert render_png("Data", "Été à Genève", size=128) != render_png(
        "Data", "Ete a Geneve", size=128
    )
    assert render_png("Data", "Œuvre", size=128) != render_png("Data", "OEuvre", size=128)
    # No glyph for Han characters in the font: a hyphen, never a box.
    assert render_png("Data", "a 漢", size=128) == render_png("Data", "a -", size=128)


def test_render_png_refuses_absurd_sizes() -> None:
    with pytest.raises(ValueError, match="pixels"):
        render_png("Data", "Restos", size=10)


def test_render_png_copes_with_very_long_and_unusual_titles() -> None:
    title = "Œuvre " * 50 + "x" * 500 + " 数据 €"
    image = Image.open(BytesIO(render_png(title, title, size=96)))
    assert image.size == (96, 96)


def test_render_svg_is_accessible_xml_with_wrapped_text() -> None:
    svg = render_svg("Conception de bases de données relationnelles", "Emmaüs Connect")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG_NS}title")
    assert title is not None
    assert title.text == "Conception de bases de données relationnelles \u2013 Emmaüs Connect"
    lines = [t.text for t in root.iter(f"{SVG_NS}text") if t.get("font-weight") == "bold"]
    assert 1 < len(lines) <= 3
    assert " ".join(str(line) for line in lines) == "Conception de bases de données relationnelles"


def test_render_svg_shortens_very_long_titles_with_an_ellipsis() -> None:
    root = ET.fromstring(render_svg("Mentorat " * 40, "Sub " * 40))
    texts = [str(t.text) for t in root.iter(f"{SVG_NS}text")]
    assert len(texts) == 4  # three title lines and the subtitle
    assert texts[2].endswith("…")
    assert texts[3].endswith("…")


def test_render_svg_escapes_text() -> None:
    svg = render_svg('<script>&"x"', "a & b <c>")
    root = ET.fromstring(svg)
    assert "<script>" not in svg
    title = root.find(f"{SVG_NS}title")
    assert title is not None
    assert title.text == '<script>&"x" \u2013 a & b <c>'
    assert [t.text for t in root.iter(f"{SVG_NS}text")] == ['<script>&"x"', "a & b <c>"]


# --- PNG baking ------------------------------------------------------------------------------


@pytest.mark.parametrize("keyword", KEYWORDS)
@pytest.mark.parametrize("text", TEXTS, ids=["url", "french", "jws"])
def test_bake_unbake_png_round_trip(png: bytes, keyword: Keyword, text: str) -> None:
    baked = bake_png(png, keyword, text)
    assert unbake_png(baked) == Baked(keyword, text)
    image = Image.open(BytesIO(baked))  # an independent reader, which also checks CRCs
    image.load()
    assert isinstance(image, PngImagePlugin.PngImageFile)
    assert image.text[keyword] == text
    assert image.size == (128, 128)


def test_png_chunk_layout(png: bytes) -> None:
    baked = bake_png(png, "openbadgecredential", "https://probono.example/c/1")
    kinds = [kind for kind, _ in chunks(baked)]
    assert kinds[:2] == [b"IHDR", b"iTXt"]
    assert kinds[-1] == b"IEND"
    assert kinds[2:] == [kind for kind, _ in chunks(png)][1:]
    data = chunks(baked)[1][1]
    assert data == b"openbadgecredential\0" + b"\0\0" + b"\0\0" + b"https://probono.example/c/1"


def test_baking_twice_leaves_one_badge(png: bytes) -> None:
    baked = bake_png(bake_png(png, "openbadges", "first"), "openbadgecredential", "second")
    assert len(badge_chunks(baked)) == 1
    assert unbake_png(baked) == Baked("openbadgecredential", "second")


def test_baking_removes_older_text_badges_and_keeps_other_text(png: bytes) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("openbadges", "https://old.example/a/1")  # tEXt, as OB 1 baked
    info.add_text("openbadgecredential", "x" * 2000, zip=True)  # zTXt
    info.add_text("Comment", "made by hand")
    out = BytesIO()
    Image.open(BytesIO(png)).save(out, format="PNG", pnginfo=info)
    assert len(badge_chunks(out.getvalue())) == 2
    baked = bake_png(out.getvalue(), "openbadges", "https://probono.example/a/2")
    assert len(badge_chunks(baked)) == 1
    image = Image.open(BytesIO(baked))
    assert isinstance(image, PngImagePlugin.PngImageFile)
    assert image.text == {"openbadges": "https://probono.example/a/2", "Comment": "made by hand"}


def test_unbake_png_reads_old_text_and_compressed_chunks(png: bytes) -> None:
    ob1 = with_chunk(png, b"tEXt", b"openbadges\0https://old.example/a/1")
    assert unbake_png(ob1) == Baked("openbadges", "https://old.example/a/1")
    text = json.dumps({"name": "Bénévole"}, ensure_ascii=False)
    compressed = b"openbadgecredential\0\x01\x00\0\0" + zlib.compress(text.encode())
    assert unbake_png(with_chunk(png, b"iTXt", compressed)) == Baked("openbadgecredential", text)


def test_unbake_png_returns_the_first_badge(png: bytes) -> None:
    both = with_chunk(bake_png(png, "openbadges", "second"), b"iTXt", b"openbadges\0\0\0\0\0first")
    assert unbake_png(both).text == "first"


def test_unbake_png_ignores_unrelated_text(png: bytes) -> None:
    other = with_chunk(png, b"tEXt", b"Software\0openbadges")
    with pytest.raises(BakingError, match="no Open Badge"):
        unbake_png(other)


def test_unbake_png_refuses_other_files(png: bytes) -> None:
    jpeg = BytesIO()
    Image.open(BytesIO(png)).convert("RGB").save(jpeg, format="JPEG")
    for data in (jpeg.getvalue(), b"", b"just some text", png[1:]):
        with pytest.raises(BakingError, match="not a PNG"):
            unbake_png(data)
    with pytest.raises(BakingError, match="not a PNG"):
        bake_png(jpeg.getvalue(), "openbadges", "x")


def test_unbake_png_without_badge(png: bytes) -> None:
    with pytest.raises(BakingError, match="this PNG carries no Open Badge"):
        unbake_png(png)


def test_unbake_png_refuses_a_bad_crc(png: bytes) -> None:
    baked = bytearray(bake_png(png, "openbadges", "https://probono.example/a/1"))
    baked[33 + 8 + 20] ^= 0x01  # a byte of the badge text, after its keyword
    with pytest.raises(BakingError, match="CRC"):
        unbake_png(bytes(baked))
    with pytest.raises(BakingError, match="CRC"):
        bake_png(bytes(baked), "openbadges", "y")


def test_unbake_png_refuses_truncated_files(png: bytes) -> None:
    baked = bake_png(png, "openbadgecredential", "https://probono.example/c/1")
    for end in range(len(baked)):
        with pytest.raises(BakingError):
            unbake_png(baked[:end])
    assert unbake_png(baked + b"trailing").text == "https://probono.example/c/1"


def test_unbake_png_refuses_a_length_past_the_end(png: bytes) -> None:
    lying = png[:33] + struct.pack(">I", 2**31) + b"iTXt" + b"openbadges\0\0\0\0\0x" + png[33:]
    with pytest.raises(BakingError, match="past the file end"):
        unbake_png(lying)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"openbadges\0\0\0\0\0\xff\xfe", "UTF-8"),
        (b"openbadges\0\x01\x00\0\0not zlib", "decompress"),
        (b"openbadges\0\x01\x00\0\0" + zlib.compress(b"{}")[:-3], "cut short"),
        (b"openbadges\0\x02\x00\0\0x", "malformed"),
        (b"openbadges\0\0", "malformed"),
        (b"openbadges\0\x01\x00\0\0" + zlib.compress(b" " * 2_000_000), "1 MB"),
    ],
    ids=["not-utf8", "not-zlib", "cut-zlib", "bad-flag", "short", "bomb"],
)
def test_unbake_png_refuses_broken_badge_chunks(png: bytes, data: bytes, message: str) -> None:
    with pytest.raises(BakingError, match=message):
        unbake_png(with_chunk(png, b"iTXt", data))


# --- SVG baking ------------------------------------------------------------------------------


def first_child(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    return root[0]


def test_bake_svg_2_0_hosted(png: bytes) -> None:
    body = json.dumps({"id": "https://probono.example/a/1", "type": "Assertion", "é": "<&>"})
    svg = bake_svg(
        render_svg("Data", "Restos"), "2.0", verify="https://probono.example/a/1", body=body
    )
    element = first_child(svg)
    assert element.tag == f"{OB2_NS}assertion"
    assert element.get("verify") == "https://probono.example/a/1"
    assert element.text == body
    assert unbake_svg(svg) == Baked("openbadges", "https://probono.example/a/1")
    assert unbake_svg(svg.encode()) == Baked("openbadges", "https://probono.example/a/1")


@pytest.mark.parametrize(
    ("version", "tag", "keyword"),
    [
        ("2.0", f"{OB2_NS}assertion", "openbadges"),
        ("3.0", f"{OB3_NS}credential", "openbadgecredential"),
    ],
)
def test_bake_svg_signed(version: Literal["2.0", "3.0"], tag: str, keyword: str) -> None:
    svg = bake_svg(render_svg("Data", "Restos"), version, verify=JWS)
    assert first_child(svg).tag == tag
    assert unbake_svg(svg) == Baked(keyword, JWS)


def test_bake_svg_body_only() -> None:
    body = '{"type": ["VerifiableCredential", "OpenBadgeCredential"]}'
    svg = bake_svg(render_svg("Data", "Restos"), "3.0", body=body)
    assert unbake_svg(svg) == Baked("openbadgecredential", body)


def test_bake_svg_twice_leaves_one_element() -> None:
    svg = bake_svg(render_svg("Data", "Restos"), "2.0", verify="https://a.example/1", body="{}")
    svg = bake_svg(svg, "3.0", verify=JWS)
    root = ET.fromstring(svg)
    assert [el.tag for el in root.iter() if el.tag.startswith((OB2_NS, OB3_NS))] == [
        f"{OB3_NS}credential"
    ]
    assert svg.count("xmlns:openbadges=") == 1
    assert unbake_svg(svg) == Baked("openbadgecredential", JWS)


def test_bake_svg_handles_prologs_multiline_tags_and_empty_roots() -> None:
    svg = (
        '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- <svg> in a comment -->\n'
        '<svg\n  xmlns="http://www.w3.org/2000/svg"\n  data-note="a > b"\n'
        "  xmlns:openbadges='http://openbadges.org'\n  viewBox=\"0 0 1 1\"\n/>"
    )
    baked = bake_svg(svg, "3.0", verify='https://x.example/?a=1&b="2"')
    assert baked.startswith('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- <svg> in')
    root = ET.fromstring(baked.lstrip("\ufeff").encode())
    assert root.get("data-note") == "a > b"
    assert root[0].tag == f"{OB3_NS}credential"
    assert unbake_svg(baked.encode()).text == 'https://x.example/?a=1&b="2"'


def test_a_body_holding_the_end_of_a_cdata_section_comes_back_whole() -> None:
    """A need titled "a ]]> b" once made its badge's SVG unavailable for good."""
    body = '{"name": "Site ]]> web", "x": "]]]]>>"}'
    baked = bake_svg(render_svg("Site ]]> web", "Restos <&>"), "2.0", body=body)
    assert unbake_svg(baked.encode()).text == body
    root = ET.fromstring(baked.encode())
    assert root.find("{http://www.w3.org/2000/svg}title") is not None


def test_bake_svg_refuses_bad_input() -> None:
    svg = render_svg("Data", "Restos")
    with pytest.raises(ValueError, match="verify"):
        bake_svg(svg, "2.0")
    with pytest.raises(BakingError, match="no <svg>"):
        bake_svg("<html><svg/></html>", "3.0", verify=JWS)


def test_unbake_svg_refuses_external_entities() -> None:
    svg = (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        "<openbadges:assertion>&xxe;</openbadges:assertion></svg>"
    )
    with pytest.raises(BakingError, match="refused"):
        unbake_svg(svg)


def test_unbake_svg_refuses_entity_expansion() -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "&lol;" * 10}">' for i in range(9)
    )
    svg = (
        f"<!DOCTYPE svg [{entities}]>"
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
        "<openbadges:assertion>&lol8;</openbadges:assertion></svg>"
    )
    with pytest.raises(BakingError, match="refused"):
        unbake_svg(svg.encode())


def test_unbake_svg_accepts_a_plain_svg_doctype() -> None:
    svg = bake_svg(render_svg("Data", "Restos"), "2.0", verify="https://a.example/1")
    doctype = (
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    )
    assert unbake_svg(doctype + svg).text == "https://a.example/1"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "well-formed"),
        (b"\x89PNG\r\n\x1a\n", "well-formed"),
        (
            b"<html " + OB2_DECL + b"><openbadges:assertion verify='x'/></html>",
            "root",
        ),
        (render_svg("Data", "Restos").encode(), "no Open Badge"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><assertion verify='https://a.example'/></svg>",
            "no Open Badge",
        ),
        (
            b"<svg " + OB2_DECL + b"><openbadges:assertion> </openbadges:assertion></svg>",
            "empty",
        ),
    ],
    ids=["malformed", "binary", "not-svg", "no-badge", "wrong-namespace", "empty"],
)
def test_unbake_svg_errors(data: bytes, message: str) -> None:
    with pytest.raises(BakingError, match=message):
        unbake_svg(data)


# --- Sniffing --------------------------------------------------------------------------------


def test_sniff(png: bytes) -> None:
    svg = render_svg("Data", "Restos").encode()
    assert sniff(png) == "png"
    assert sniff(svg) == "svg"
    assert sniff(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- made by hand -->\n' + svg) == "svg"
    assert sniff(b'  \n<?xml version="1.0"?><!DOCTYPE svg PUBLIC "a" "b"><svg/>') == "svg"
    assert sniff(b"<svg>") == "svg"
    for other in (b"", b"\xff\xd8\xff\xe0JFIF", b"<html><svg/></html>", b"<svgx/>", b"GIF89a"):
        assert sniff(other) is None
    assert sniff(b'<?xml version="1.0"?><html/>') is None
