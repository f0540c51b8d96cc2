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
    by_name = [drawer for words, drawer in BY_NAME.items() if words in name.lower()]
    (by_name[0] if by_name else DRAWERS.get(sector, _box))(draw, main, variant)
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


def _cups(draw, colour, variant):
    clay = (176, 98, 62)
    for x in (220, 400, 580):
        draw.rounded_rectangle((x, 420 - variant * 20, x + 130, 600), radius=20, fill=clay)
        draw.arc((x + 100, 450, x + 170, 540), 270, 90, fill=clay, width=14)
    draw.ellipse((180, 590, 740, 660), outline=colour, width=10)


def _vase(draw, colour, variant):
    clay = (176, 98, 62)
    draw.ellipse((300, 330, 600, 680), fill=clay)
    draw.rectangle((390, 200, 510, 360), fill=clay)
    draw.rectangle((370, 180, 530, 215), fill=clay)
    for y in (430, 500, 570):
        draw.line([(320, y), (580, y)], fill=colour, width=10)


def _cloth(draw, colour, variant):
    for i, top in enumerate((180, 300, 420)):
        shade = tuple(max(0, c - i * 25) for c in colour)
        draw.rounded_rectangle((180, top, 720, top + 260), radius=18, fill=shade)
        for x in range(200, 700, 70 - variant * 10):
            draw.polygon(
                [(x, top + 130), (x + 25, top + 100), (x + 50, top + 130), (x + 25, top + 160)],
                fill=(240, 225, 190),
            )


def _lamp(draw, colour, variant):
    wood = (120, 78, 42)
    draw.polygon([(300, 220), (600, 220), (660, 420), (240, 420)], fill=(240, 226, 196))
    draw.rectangle((430, 420, 470, 660), fill=wood)
    draw.ellipse((330, 640, 570, 720), fill=wood)
    draw.line([(300, 225), (600, 225)], fill=colour, width=8)


def _tray(draw, colour, variant):
    wood = (140, 92, 50)
    draw.rounded_rectangle((170, 380, 730, 600), radius=40, fill=wood)
    draw.rounded_rectangle((210, 410, 690, 570), radius=30, fill=(170, 118, 70))
    for x in (150, 700):
        draw.ellipse((x, 440, x + 50, 540), outline=wood, width=14)
    draw.arc((260, 430, 640, 560), 200, 340, fill=colour, width=6)


def _shelf(draw, colour, variant):
    wood = (130, 86, 46)
    for y in (240, 420, 600):
        draw.rectangle((220, y, 680, y + 30), fill=wood)
        draw.rectangle((260, y - 70, 320, y), fill=colour)
        draw.ellipse((560, y - 60, 620, y), fill=(200, 170, 120))
    draw.rectangle((220, 200, 240, 640), fill=wood)
    draw.rectangle((660, 200, 680, 640), fill=wood)


def _belt(draw, colour, variant):
    draw.rounded_rectangle(
        (120, 420 - variant * 30, 780, 500 - variant * 30), radius=20, fill=colour
    )
    draw.rectangle(
        (600, 400 - variant * 30, 700, 520 - variant * 30), outline=(210, 180, 90), width=14
    )


def _wallet(draw, colour, variant):
    draw.rounded_rectangle((220, 300, 680, 620), radius=30, fill=colour)
    draw.line([(220, 420), (680, 420)], fill=(60, 40, 30), width=8)
    draw.rounded_rectangle((560, 380, 700, 460), radius=16, fill=(60, 40, 30))


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
    # Sub-categories whose products look nothing like their sector's drawing.
    "gerabah": _vase,
    "aksesori": _cloth,
    "pakaian-jadi": _cloth,
    "dekorasi-rumah": _lamp,
    "kerajinan-kayu": _tray,
    "lemari-rak": _shelf,
    "dompet-ikat-pinggang": _wallet,
}
BY_NAME = {"cangkir": _cups, "ikat pinggang": _belt, "lampu hias": _lamp}


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
