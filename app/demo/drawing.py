"""Product photos and certificate scans for the demo, drawn with Pillow (no files shipped)."""

from __future__ import annotations

import hashlib
import io
import math

from PIL import Image, ImageDraw, ImageFont

SIZE = 900


def _palette(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    digest = hashlib.sha256(seed.encode()).digest()
    base = (90 + digest[0] % 130, 60 + digest[1] % 120, 40 + digest[2] % 120)
    light = tuple(min(255, 170 + c // 3) for c in base)
    return base, light


def product_photo(name: str, sector: str, variant: int = 0) -> bytes:
    """A recognisable illustration per sector, coloured by the product name; JPEG bytes."""
    main, light = _palette(f"{name}:{variant}")
    image = Image.new("RGB", (SIZE, SIZE), light)
    draw = ImageDraw.Draw(image)
    for y in range(0, SIZE, 6):  # a soft backdrop gradient
        shade = tuple(max(0, c - y // 30) for c in light)
        draw.line([(0, y), (SIZE, y)], fill=shade, width=6)
    DRAWERS.get(sector, _box)(draw, main, variant)
    font = ImageFont.load_default(size=38)
    draw.rectangle((0, SIZE - 110, SIZE, SIZE), fill=(255, 255, 255))
    draw.text((SIZE // 2, SIZE - 55), name[:42], fill=(40, 30, 20), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def _shoe(draw, colour, variant):
    lift = variant * 30
    draw.rounded_rectangle((180, 430 - lift, 720, 560 - lift), radius=60, fill=colour)
    draw.polygon(
        [(180, 500 - lift), (330, 300 - lift), (430, 300 - lift), (470, 440 - lift)], fill=colour
    )
    draw.rectangle((170, 560 - lift, 730, 600 - lift), fill=(45, 35, 30))
    draw.line([(340, 330 - lift), (420, 430 - lift)], fill=(240, 230, 210), width=8)


def _batik(draw, colour, variant):
    draw.rectangle((120, 120, 780, 700), fill=(245, 232, 205))
    step = 110 - variant * 15
    for x in range(150, 760, step):
        for y in range(150, 680, step):
            draw.ellipse((x, y, x + step // 2, y + step // 2), outline=colour, width=6)
            draw.line([(x, y + step // 4), (x + step // 2, y + step // 4)], fill=colour, width=3)


def _brass(draw, colour, variant):
    gold = (196, 150, 52)
    draw.ellipse((330, 170, 570, 410), fill=gold)
    draw.polygon([(300, 700), (600, 700), (540, 380), (360, 380)], fill=gold)
    draw.rectangle((260, 690, 640, 740), fill=colour)
    for i in range(12):
        angle = i * math.pi / 6 + variant
        draw.line(
            [(450, 290), (450 + 200 * math.cos(angle), 290 + 200 * math.sin(angle))],
            fill=gold,
            width=4,
        )


def _woven(draw, colour, variant):
    draw.rounded_rectangle((200, 300, 700, 700), radius=40, fill=colour)
    for y in range(320, 690, 40):
        draw.line([(210, y), (690, y)], fill=(235, 210, 160), width=10)
    for x in range(230, 690, 60 + variant * 10):
        draw.line([(x, 310), (x, 690)], fill=(120, 80, 40), width=6)
    draw.arc((300, 150, 600, 420), 180, 360, fill=colour, width=22)


def _food(draw, colour, variant):
    draw.polygon([(260, 220), (640, 220), (690, 720), (210, 720)], fill=colour)
    draw.rectangle((250, 200, 650, 250), fill=(60, 50, 40))
    draw.ellipse((340, 380, 560, 600), fill=(250, 240, 220))
    for i in range(6):
        x, y = 380 + (i % 3) * 55, 430 + (i // 3) * 70 + variant * 5
        draw.ellipse((x, y, x + 40, y + 28), fill=(200, 150, 70))


def _drink(draw, colour, variant):
    draw.rounded_rectangle((300, 260, 600, 700), radius=30, fill=colour)
    draw.rectangle((340, 200, 560, 270), fill=(60, 45, 35))
    draw.ellipse((360, 420, 540, 600), fill=(245, 235, 215))
    draw.ellipse((410, 470, 490, 550), fill=(90, 55, 30))


def _bag(draw, colour, variant):
    draw.rounded_rectangle((220, 350, 680, 700), radius=30, fill=colour)
    draw.arc((320, 200, 580, 480), 180, 360, fill=(60, 40, 30), width=20)
    draw.rectangle((420, 470, 480, 520), fill=(210, 180, 90))


def _furniture(draw, colour, variant):
    draw.rectangle((220, 420, 680, 470), fill=colour)
    for x in (240, 640):
        draw.rectangle((x, 470, x + 30, 720), fill=colour)
    draw.rectangle((220, 200, 260, 420), fill=colour)
    for x in range(280, 660, 60):
        draw.arc((x, 230, x + 50, 400), 0, 360, fill=(240, 220, 180), width=5)


def _metal(draw, colour, variant):
    grey = (150, 155, 160)
    draw.rounded_rectangle((200, 400, 700, 470), radius=30, fill=grey)
    draw.ellipse((130, 360, 290, 510), fill=grey)
    draw.ellipse((175, 405, 245, 465), fill=colour)
    draw.regular_polygon((650, 435, 70), 6, fill=grey)


def _box(draw, colour, variant):
    draw.rectangle((250, 250, 650, 650), fill=colour)


DRAWERS = {
    "alas-kaki": _shoe,
    "batik": _batik,
    "kriya": _brass,
    "anyaman": _woven,
    "makanan": _food,
    "minuman": _drink,
    "fashion": _bag,
    "furnitur": _furniture,
    "logam": _metal,
}


def certificate_pdf(title: str, number: str, holder: str) -> bytes:
    """A plain one-page PDF that looks like a scanned certificate."""
    page = Image.new("RGB", (1240, 1754), (252, 250, 244))
    draw = ImageDraw.Draw(page)
    draw.rectangle((60, 60, 1180, 1694), outline=(120, 90, 40), width=12)
    big, small = ImageFont.load_default(size=64), ImageFont.load_default(size=40)
    draw.text((620, 300), title, fill=(60, 40, 20), font=big, anchor="mm")
    draw.text((620, 480), number, fill=(20, 20, 20), font=small, anchor="mm")
    draw.text((620, 620), holder, fill=(20, 20, 20), font=small, anchor="mm")
    draw.text((620, 1500), "DEMO · ETALASE", fill=(160, 140, 120), font=small, anchor="mm")
    out = io.BytesIO()
    page.save(out, "PDF", resolution=150)
    return out.getvalue()
