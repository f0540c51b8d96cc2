"""Benchmarks: ``make bench`` (or ``python -m bench [name ...]``) prints figures and writes them
to ``bench/results/<name>.json``. Targets live here, never in the unit tests."""

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    Linux keeps ``ru_maxrss`` across ``exec``: a child started by a parent of 300 MB would report
    the parent's 300 MB. ``VmHWM`` in /proc belongs to the new program alone, so read that.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    import resource  # elsewhere: the best there is

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


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
            # The machine is shared: a busy one (load well above its cores) slows every figure.
            "cores": os.cpu_count(),
            "load_average": [round(load, 2) for load in os.getloadavg()],
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
