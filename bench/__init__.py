"""Benchmarks: ``make bench`` (or ``python -m bench [name ...]``) prints figures and writes them
to ``bench/results/<name>.json``. Targets live here, never in the unit tests."""

import json
import platform
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def write_results(name: str, figures: dict) -> Path:
    """Print the figures and keep them with the machine they were measured on."""
    RESULTS.mkdir(exist_ok=True)
    record = {
        "benchmark": name,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(),
            "system": platform.platform(),
        },
        "figures": figures,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    width = max(len(key) for key in figures)
    print(f"\n== {name}")
    for key, value in figures.items():
        print(f"  {key:<{width}}  {value}")
    print(
        f"  (written to {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path})"
    )
    return path
