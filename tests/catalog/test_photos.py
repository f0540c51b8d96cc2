import io
import logging
from pathlib import Path

import pytest
from PIL import Image

from app.catalog.models import Photo, Product
from app.extensions import db
from app.storage import StoredFile
from tests.catalog import files
from tests.conftest import login, page_text


@pytest.fixture
def product(make, catalog, client):
    owner, ikm = make.ikm_owner()
    login(client, owner)
    return catalog.product(ikm)


def upload(client, product, *named_files):
    data = {"photos": [(io.BytesIO(content), name) for name, content in named_files]}
    return client.post(
        f"/kelola/produk/{product.id}/foto",
        data=data,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def stored_files(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(StoredFile.id)))


def blobs(app) -> list[Path]:
    return [p for p in Path(app.config["STORAGE_DIR"]).glob("??/??/*")]


def photos_of(app, product):
    with app.app_context():
        return db.session.scalars(
            db.select(Photo).filter_by(product_id=product.id).order_by(Photo.position)
        ).all()


def test_a_phone_photo_is_turned_upright_stripped_and_resized(app, client, product):
    # A 400x300 photo that the camera says must be turned 90° clockwise, with GPS and author.
    response = upload(
        client, product, ("IMG_2041.jpg", files.jpeg(size=(4000, 3000), orientation=6, gps=True))
    )
    assert "1 foto telah ditambahkan" in page_text(response)
    [photo] = photos_of(app, product)
    with app.app_context():
        photo = db.session.get(Photo, photo.id)
        sizes = {f.key: (f.width, f.height) for f in photo.files}
        keys = [f.key for f in photo.files]
    assert sorted(sizes.values()) == [(240, 320), (600, 800), (1200, 1600)]  # portrait now
    for key in keys:
        with client.get(f"/media/{key}") as served:
            assert served.mimetype == "image/jpeg"
            assert served.headers["X-Content-Type-Options"] == "nosniff"
            assert "max-age=31536000" in served.headers["Cache-Control"]
            image = Image.open(io.BytesIO(served.data))
            assert image.getexif() == {} and "exif" not in image.info
            assert (
                image.getpixel((image.width - 5, 5))[0] > 200
            )  # the marked corner moved to the top right


def stored_colour(app, client, product) -> tuple[int, int, int]:
    [photo] = photos_of(app, product)
    with app.app_context():
        key = db.session.get(Photo, photo.id).files[0].key
    with client.get(f"/media/{key}") as served:
        image = Image.open(io.BytesIO(served.data))
        assert "icc_profile" not in image.info  # the profile itself is not kept
        return image.convert("RGB").getpixel((image.width // 2, image.height // 2))


def test_colours_are_converted_from_the_uploads_icc_profile_to_srgb(app, client, product):
    # Stored as pure red, meant as pure green by its profile: the site shows green.
    content = files.tagged_jpeg(files.swapped_primaries_profile())
    assert "1 foto telah ditambahkan" in page_text(upload(client, product, ("p3.jpg", content)))
    red, green, blue = stored_colour(app, client, product)
    assert green > 200 and red < 60 and blue < 60


def test_a_damaged_icc_profile_keeps_the_pixels_as_they_are(app, client, product):
    content = files.tagged_jpeg(b"not a colour profile at all" * 8)
    assert "1 foto telah ditambahkan" in page_text(upload(client, product, ("x.jpg", content)))
    red, green, blue = stored_colour(app, client, product)
    assert red > 200 and green < 60 and blue < 60


def test_png_webp_and_several_files_at_once(app, client, product):
    response = upload(
        client, product, ("a.png", files.png()), ("b.webp", files.webp()), ("c.jpg", files.jpeg())
    )
    assert "3 foto telah ditambahkan" in page_text(response)
    photos = photos_of(app, product)
    assert [p.position for p in photos] == [0, 1, 2]
    assert [p.is_cover for p in photos] == [True, False, False]


ATTACKS = [
    ("page.jpg", files.HTML, "bukan foto"),
    ("vector.svg", files.SVG, "bukan foto"),
    ("scan.tiff", files.tiff(), "bukan foto"),
    ("setup.jpg", files.EXECUTABLE, "bukan foto"),
    ("linux.png", files.ELF, "bukan foto"),
    ("bomb.png", files.png_header_only(20000, 20000), "terlalu banyak piksel"),
    ("almost-bomb.png", files.png_header_only(7000, 7000), "terlalu banyak piksel"),
    ("long.png", files.png_header_only(13000, 100), "terlalu besar"),
    ("half.jpg", files.truncated_jpeg(), "rusak"),
    ("empty.jpg", b"", "kosong"),
]


@pytest.mark.parametrize("name, content, message", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attack_files_are_refused_with_a_clear_message_and_nothing_is_stored(
    app, client, product, name, content, message, caplog
):
    with caplog.at_level(logging.INFO, logger="etalase.security"):
        response = upload(client, product, (name, content))
    assert response.status_code == 200
    assert message in page_text(response).lower(), page_text(response)
    assert photos_of(app, product) == []
    assert stored_files(app) == 0 and blobs(app) == []
    assert any(r.getMessage().startswith("upload.rejected") for r in caplog.records)


def test_a_bad_file_among_good_ones_is_skipped(app, client, product):
    response = upload(
        client,
        product,
        ("good.jpg", files.jpeg()),
        ("bad.jpg", files.HTML),
        ("good2.png", files.png()),
    )
    text = page_text(response)
    assert "bad.jpg" in text and "2 foto telah ditambahkan" in text
    assert len(photos_of(app, product)) == 2 and stored_files(app) == 6


def test_an_oversize_upload_is_refused_with_413_and_nothing_stored(app, client, product):
    app.config["MAX_CONTENT_LENGTH"] = 200_000
    response = client.post(
        f"/kelola/produk/{product.id}/foto",
        content_type="multipart/form-data",
        data={"photos": (io.BytesIO(b"\xff\xd8" + b"0" * 300_000), "huge.jpg")},
    )
    assert response.status_code == 413
    assert stored_files(app) == 0 and blobs(app) == []


def test_a_ninth_photo_is_refused(app, client, product):
    upload(client, product, *[(f"{i}.jpg", files.jpeg(colour=(i * 25, 10, 10))) for i in range(8)])
    response = upload(client, product, ("9.jpg", files.jpeg(colour=(1, 2, 3))))
    assert "maksimal memiliki 8 foto" in page_text(response).lower()
    assert len(photos_of(app, product)) == 8


def test_the_ikm_storage_quota_is_kept(app, client, product):
    app.config["STORAGE_QUOTA_BYTES"] = 20_000
    response = upload(client, product, ("big.jpg", files.noisy_jpeg()))
    assert "penyimpanan" in page_text(response).lower()
    assert stored_files(app) == 0 and blobs(app) == []


def test_reorder_cover_and_delete(app, client, product):
    upload(
        client,
        product,
        ("a.jpg", files.jpeg(colour=(200, 0, 0))),
        ("b.jpg", files.jpeg(colour=(0, 200, 0))),
        ("c.jpg", files.jpeg(colour=(0, 0, 200))),
    )
    first, second, third = photos_of(app, product)
    client.post(f"/kelola/produk/{product.id}/foto/{third.id}/naik")
    assert [p.id for p in photos_of(app, product)] == [first.id, third.id, second.id]
    client.post(f"/kelola/produk/{product.id}/foto/{second.id}/sampul")
    assert [p.id for p in photos_of(app, product) if p.is_cover] == [second.id]
    with app.app_context():
        doomed = {f.key for f in db.session.get(Photo, second.id).files}
    client.post(f"/kelola/produk/{product.id}/foto/{second.id}/hapus")
    remaining = photos_of(app, product)
    assert [p.id for p in remaining] == [first.id, third.id]
    assert remaining[0].is_cover  # a cover is always there
    names = {path.name for path in blobs(app)}
    assert not doomed & names and stored_files(app) == 6


def test_deleting_a_photo_keeps_bytes_another_product_still_uses(app, client, product, catalog):
    upload(client, product, ("a.jpg", files.jpeg()))
    client.post(f"/kelola/produk/{product.id}/salin")
    [photo] = photos_of(app, product)
    client.post(f"/kelola/produk/{product.id}/foto/{photo.id}/hapus")
    with app.app_context():
        copy = db.session.scalar(db.select(Product).where(Product.id != product.id))
        keys = [f.key for f in copy.photos[0].files]
    for key in keys:
        with client.get(f"/media/{key}") as served:
            assert served.status_code == 200


def test_other_ikms_cannot_touch_the_photos(app, client, product, make):
    upload(client, product, ("a.jpg", files.jpeg()))
    [photo] = photos_of(app, product)
    client.post("/akun/keluar")
    other, _ = make.ikm_owner()
    login(client, other)
    for action in ("naik", "turun", "sampul", "hapus"):
        assert (
            client.post(f"/kelola/produk/{product.id}/foto/{photo.id}/{action}").status_code == 404
        )
    assert upload(client, product, ("x.jpg", files.jpeg())).status_code == 404
    assert len(photos_of(app, product)) == 1


def test_unknown_media_and_documents_are_not_served(app, client, product, catalog):
    assert client.get("/media/" + "0" * 64 + ".jpg").status_code == 404
    assert client.get("/media/..%2F..%2Fetc%2Fpasswd").status_code == 404


JFIF_AND_IMAGE_MARKERS = {0xFFE0, 0xFFDB, 0xFFC0, 0xFFC2, 0xFFC4, 0xFFDD, 0xFFDA}


@pytest.mark.parametrize(
    "name, content",
    [("edited.jpg", files.jpeg_with_metadata()), ("scan.png", files.png_with_text())],
    ids=["jpeg-com-exif-xmp-icc-iptc", "png-text-chunks"],
)
def test_every_stored_size_of_a_photo_carries_no_metadata_of_the_upload(
    app, client, product, name, content
):
    assert files.SECRET in content
    assert "1 foto telah ditambahkan" in page_text(upload(client, product, (name, content)))
    [photo] = photos_of(app, product)
    with app.app_context():
        keys = [f.key for f in db.session.get(Photo, photo.id).files]
    assert len(keys) == 3
    for key in keys:
        with client.get(f"/media/{key}") as served:
            data = served.data
        markers = files.jpeg_segments(data)
        # Only what Pillow writes itself: the JFIF APP0, tables, frame and scan; no comment
        # (0xFFFE), no other APPn (EXIF and XMP in APP1, ICC in APP2, IPTC in APP13).
        assert set(markers) <= JFIF_AND_IMAGE_MARKERS, [hex(m) for m in markers]
        assert markers.count(0xFFE0) == 1
        assert files.SECRET not in data
        assert Image.open(io.BytesIO(data)).info.keys() <= {
            "jfif",
            "jfif_version",
            "jfif_unit",
            "jfif_density",
            "dpi",
            "progressive",
            "progression",
        }


def test_an_upload_sent_by_the_page_script_learns_where_to_go_and_keeps_its_message(
    client, product
):
    """The page script uploads with XMLHttpRequest (for its progress bar), which would follow a
    redirect itself and eat the flashed message; it is told where to go instead."""
    response = client.post(
        f"/kelola/produk/{product.id}/foto",
        data={"photos": [(io.BytesIO(files.jpeg()), "tas.jpg")]},
        content_type="multipart/form-data",
        headers={"X-Etalase-Upload": "1"},
    )
    assert response.status_code == 200
    assert response.json == {"location": f"/kelola/produk/{product.id}/foto"}
    assert "1 foto telah ditambahkan" in page_text(client.get(response.json["location"]))
    plain = client.post(
        f"/kelola/produk/{product.id}/foto",
        data={"photos": [(io.BytesIO(files.jpeg()), "tas.jpg")]},
        content_type="multipart/form-data",
    )
    assert plain.status_code == 302  # without the script, nothing changes
