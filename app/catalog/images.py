"""Turning an untrusted upload into safe, fixed-size images (SECURITY.md "Uploads").

Only JPEG, PNG and WebP are opened, with our own cap on pixels and sides checked from the
header before any pixel is decoded; Pillow's decompression-bomb warning is an error here.
The image is decoded fully (a truncated file fails here, not later), turned upright by its
EXIF orientation, its colours converted from its embedded ICC profile (Adobe RGB, Display P3,
a CMYK press profile) to sRGB, and re-encoded as JPEG without any metadata: no EXIF, XMP,
IPTC, ICC profile or comment. Browsers read an untagged JPEG as sRGB, so what they show is
what the IKM's camera meant.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from app.core.errors import DomainValidationError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
PHOTO_SIZES = {"thumb": 320, "medium": 800, "large": 1600}
LOGO_SIZES = {"logo": 400}
JPEG_QUALITY = 85


class ImageRejected(DomainValidationError):
    pass


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int
    content_type: str = "image/jpeg"


def process(data: bytes, sizes: dict[str, int], field: str | None = None) -> dict[str, Rendition]:
    """Decode ``data`` within limits and return one JPEG per named size (longest side).

    :raises ImageRejected: with a message for the user when the file is not a usable image
    """
    config = current_app.config
    if not data:
        raise ImageRejected(_l("The file is empty."), field=field)
    if len(data) > config["IMAGE_MAX_BYTES"]:
        raise ImageRejected(
            _l("The image is larger than %(mb)d MB.", mb=config["IMAGE_MAX_BYTES"] // 2**20),
            field=field,
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open(data, field)
        _check_dimensions(image, field)
        image = _decode(image, max(sizes.values()), field)
    profile = image.info.get("icc_profile")
    image = _flatten(_to_srgb(ImageOps.exif_transpose(image), profile))
    # Pillow writes im.info["comment"] (a JPEG COM segment, or a PNG text chunk named
    # "comment") into the JPEG it saves: nothing the upload carried goes on. EXIF, XMP, IPTC
    # and the ICC profile are not passed to save() either, so the output has only the JFIF
    # header, and its pixels are sRGB already (``_to_srgb``).
    image.info = {}
    return {name: _encode(image, side) for name, side in sizes.items()}


def _open(data: bytes, field):
    try:
        return Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        message = _l("The image has too many pixels. Please send a smaller photo.")
        raise ImageRejected(message, field=field) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        message = _l("This file is not a JPEG, PNG or WebP photo.")
        raise ImageRejected(message, field=field) from error


def _check_dimensions(image, field) -> None:
    width, height = image.size
    config = current_app.config
    if width < 1 or height < 1:
        raise ImageRejected(_l("This file is not a JPEG, PNG or WebP photo."), field=field)
    if width * height > config["IMAGE_MAX_PIXELS"] or max(width, height) > config["IMAGE_MAX_SIDE"]:
        raise ImageRejected(
            _l(
                "The image is too large (%(w)d × %(h)d pixels). Please send a smaller photo.",
                w=width,
                h=height,
            ),
            field=field,
        )


def _decode(image, longest_side: int, field):
    try:
        if image.format == "JPEG":
            # Let libjpeg decode at a reduced scale when the photo is much larger than needed.
            image.draft("RGB", (longest_side, longest_side))
        image.load()
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        EOFError,
    ) as error:
        raise ImageRejected(_l("The image file is damaged or incomplete."), field=field) from error
    return image


_SRGB = ImageCms.createProfile("sRGB")


def _to_srgb(image, profile: bytes | None):
    """The pixels converted from the upload's ICC profile to sRGB (perceptual intent). Without
    a profile, or with one that is damaged or does not fit the pixels (a grey profile on an
    RGB photo), the pixels are kept as they are and read as sRGB."""
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(
            image,
            source,
            _SRGB,
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _flatten(image):
    """RGB on white: JPEG has no transparency."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image, longest_side: int) -> Rendition:
    copy = image.copy()
    copy.thumbnail((longest_side, longest_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return Rendition(out.getvalue(), copy.width, copy.height)
