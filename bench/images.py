"""Processing a 12-megapixel phone photo into all sizes: time and peak memory.

Each run happens in a fresh process so that its peak resident memory (VmHWM) belongs to
that run alone. Target on the reference machine: under 1.5 s and under 300 MB.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import time

from bench import peak_rss_mb, write_results

TARGET_SECONDS = 1.5
TARGET_MB = 300
RUNS = 5


def twelve_megapixel_jpeg() -> bytes:
    """A 4000x3000 photo with real detail (noise over gradients), as a phone would send."""
    from PIL import Image, ImageFilter

    width, height = 4000, 3000
    noise = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).filter(
        ImageFilter.BoxBlur(2)
    )
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    photo = Image.blend(noise, gradient, 0.5)
    exif = Image.Exif()
    exif[0x0112] = 6  # taken upright, stored sideways
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def _one_run(path: str) -> None:
    """Child process: process the photo once and report time and memory as JSON."""
    from app import create_app
    from app.catalog import images

    app = create_app(
        {
            "SECRET_KEY": "bench" * 8,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "MAIL_BACKEND": "memory",
        }
    )
    with open(path, "rb") as stream:
        data = stream.read()
    with app.app_context():
        baseline = peak_rss_mb()
        started = time.perf_counter()
        renditions = images.process(data, images.PHOTO_SIZES)
        elapsed = time.perf_counter() - started
    peak = peak_rss_mb()
    sizes = {name: [r.width, r.height, len(r.data)] for name, r in renditions.items()}
    print(
        json.dumps({"seconds": elapsed, "baseline_mb": baseline, "peak_mb": peak, "sizes": sizes})
    )


def run() -> bool:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".jpg", delete=False) as handle:
        handle.write(twelve_megapixel_jpeg())
        path = handle.name
    try:
        results = [
            json.loads(
                subprocess.run(
                    [sys.executable, "-m", "bench.images", path],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            for _ in range(RUNS)
        ]
        input_mb = os.path.getsize(path) / 2**20
    finally:
        os.unlink(path)
    seconds = [r["seconds"] for r in results]
    peak_mb = max(r["peak_mb"] for r in results)
    baseline_mb = max(r["baseline_mb"] for r in results)
    figures = {
        "input": f"4000x3000 JPEG, {input_mb:.1f} MB, EXIF orientation 6",
        "outputs": ", ".join(
            f"{n} {w}x{h} ({b // 1024} KB)" for n, (w, h, b) in results[0]["sizes"].items()
        ),
        "runs": RUNS,
        "seconds_median": round(statistics.median(seconds), 3),
        "seconds_max": round(max(seconds), 3),
        "peak_rss_mb": round(peak_mb, 1),
        "rss_before_processing_mb": round(baseline_mb, 1),
        "target": f"< {TARGET_SECONDS} s and < {TARGET_MB} MB",
    }
    met = max(seconds) < TARGET_SECONDS and peak_mb < TARGET_MB
    figures["met"] = met
    write_results("images", figures)
    return met


if __name__ == "__main__":
    _one_run(sys.argv[1])
