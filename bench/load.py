"""``make load``: the whole site under loopback traffic, beside a minimal Flask page.

Generates a catalogue once (``flask seed-demo --products N`` and ``flask search rebuild``, kept
in instance/load/<database>-<N>/ and reused), starts gunicorn with 4 workers on it and on the
reference app (bench/reference_app.py), and drives each endpoint with wrk in turn: requests/s,
p50/p95/p99, errors, and the ratio of the reference's requests/s to the endpoint's (the
reference is measured again right after each endpoint, for half as long, and the ratio uses
that figure: on a shared machine the load changes from one endpoint to the next). Then the
first search after a product change in every worker, and the workers' memory before and after
a soak at half the mixed rate. Figures are printed and written to bench/results/load-*.json.

    .venv/bin/python -m bench.load                 # PostgreSQL, 100,000 products
    .venv/bin/python -m bench.load --sqlite
    .venv/bin/python -m bench.load --products 2000 --duration 5 --soak 20   # a quick run
    .venv/bin/python -m bench.load --database etalase_load_mine --port 8811   # beside others

The PostgreSQL database is etalase_load_<N> unless --database (or LOAD_DATABASE) names another;
the app listens on --port (LOAD_PORT, 8711) and the reference on the port after it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
APP_PORT, REFERENCE_PORT = 8711, 8712  # --port changes them (the reference is the next one)
WORKERS = 4
LOGIN = ("admin@etalase.example", "etalase-demo-2026")  # app/demo/people.py
TARGETS = {  # reference requests/s ÷ endpoint requests/s, at most
    "home": 3,
    "product": 3,
    "ikm": 3,
    "partner": 3,
    "catalogue": 5,
    "search": 5,
    "search-uncached": 5,
}
P99_LIMIT_MS = 500  # catalogue and searches
LUA = """
local paths, counter, pause = {}, 0, %(pause)d
function setup(thread)
  thread:set("offset", math.random(1, 100000))
end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  counter = (tonumber(offset) or 0) %% #paths
end
function request()
  counter = counter %% #paths + 1
  return wrk.format("GET", paths[counter])
end
%(delay)s
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {"requests": %%d, "duration_us": %%d, "socket_errors": %%d, "status_errors": %%d, '
    .. '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def main() -> int:
    args = _arguments()
    if shutil.which("wrk") is None:
        print("wrk is missing: install it with `sudo apt-get install wrk` (Debian, Ubuntu).")
        return 2
    global APP_PORT, REFERENCE_PORT
    APP_PORT, REFERENCE_PORT = args.port, args.port + 1
    kind = "sqlite" if args.sqlite else "postgresql"
    database = args.database or f"etalase_load_{args.products}"
    name = f"{kind}-{args.products}" if kind == "sqlite" else f"{kind}-{database}"
    folder = ROOT / "instance" / "load" / name
    env = _environment(kind, folder, database)
    _prepare(folder, env, args.products)
    samples = json.loads((folder / "samples.json").read_text())
    scratch = Path(tempfile.mkdtemp(prefix="etalase-load-"))
    servers = [
        _gunicorn("bench.load_wsgi:app", APP_PORT, env, scratch / "app.log"),
        _gunicorn(
            "bench.reference_app:app",
            REFERENCE_PORT,
            {**os.environ, "REFERENCE_DATABASE": str(scratch / "reference.db")},
            scratch / "reference.log",
            before=_reference_database(scratch),
        ),
    ]
    try:
        for port in (APP_PORT, REFERENCE_PORT):
            _wait_for(port)
        figures = _measure(args, samples, scratch, env, servers[0])
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=60)
    figures.update(database=kind, products=args.products, workers=WORKERS)
    _report(figures, kind)
    return 0


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--soak", type=int, default=300, help="seconds of soak at half rate")
    parser.add_argument(
        "--database",
        default=os.environ.get("LOAD_DATABASE"),
        help="PostgreSQL database name (default etalase_load_<products>)",
    )
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("LOAD_PORT", 8711)), help="app port"
    )
    return parser.parse_args()


def _environment(kind: str, folder: Path, name: str) -> dict[str, str]:
    database = f"sqlite:///{folder / 'etalase.db'}" if kind == "sqlite" else f"{PG_SERVER}/{name}"
    return {
        **os.environ,
        "FLASK_APP": "wsgi",
        "DATABASE_URL": database,
        "ETALASE_STORAGE_DIR": str(folder / "storage"),
        "ETALASE_SEARCH_INDEX_DIR": str(folder / "index"),
        "ETALASE_SECRET_KEY": "load-test-only-" + "x" * 32,
        # One address sends all the traffic: the limits would answer 429 to the benchmark.
        "ETALASE_RATELIMIT_ENABLED": "false",
        "ETALASE_MAIL_BACKEND": "memory",
    }


def _flask(env, *command) -> None:
    subprocess.run([sys.executable, "-m", "flask", *command], env=env, cwd=ROOT, check=True)


def _prepare(folder: Path, env: dict, products: int) -> None:
    """Generate the catalogue and its index once; later runs reuse them (migrated)."""
    if (folder / "samples.json").exists():
        print(f"Reusing the catalogue in {folder}")
        _flask(env, "db", "upgrade")
        return
    folder.mkdir(parents=True, exist_ok=True)
    if env["DATABASE_URL"].startswith("postgresql"):
        _create_database(env["DATABASE_URL"].rsplit("/", 1)[1])
    if not (folder / "ready").exists():
        print(f"Generating {products} products in {folder} (once)")
        _flask(env, "db", "upgrade")
        _flask(env, "seed-demo", "--products", str(products))
        _flask(env, "search", "rebuild")
        (folder / "ready").touch()
    (folder / "samples.json").write_text(json.dumps(_samples(env)))


def _create_database(name: str) -> None:
    import psycopg

    server = PG_SERVER.replace("+psycopg", "") + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute(
            "select 1 from pg_database where datname = %s", [name]
        ).fetchone():
            connection.execute(f'create database "{name}"')


def _samples(env: dict) -> dict:
    """Ids to visit: products, IKMs (the generated ones, with their many products), partners."""
    code = """
import json, random
from app import create_app
from app.catalog.models import Category, Product
from app.curation import listing
from app.extensions import db
from app.orgs.models import IKM, Partner
app = create_app()
with app.app_context():
    rng = random.Random(5)
    listed = db.session.scalars(listing.listed_ids_query().limit(20000)).all()
    ikms = db.session.scalars(db.select(IKM.id).where(IKM.name.like("IKM %")).limit(500)).all()
    partners = db.session.scalars(db.select(Partner.id).filter_by(is_active=True)).all()
    categories = db.session.scalars(db.select(Category.id)).all()
    print(json.dumps({"products": rng.sample(listed, min(500, len(listed))),
                      "ikms": ikms[:200], "partners": partners, "categories": categories}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _reference_database(scratch: Path):
    def create():
        os.environ["REFERENCE_DATABASE"] = str(scratch / "reference.db")
        from bench import reference_app

        reference_app.DATABASE = scratch / "reference.db"
        reference_app.create_database()

    return create


def _gunicorn(target, port, env, log: Path, before=None) -> subprocess.Popen:
    if before is not None:
        before()
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", target],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _wait_for(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _get(port, "/")
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"Nothing answers on port {port}")


def _get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    took = time.perf_counter() - started
    connection.close()
    return response.status, dict(response.getheaders()), took


# -- what to ask for --------------------------------------------------------------------------


def _searches(samples: dict, count: int = 200) -> list[str]:
    from bench.catalogue_data import queries

    return [
        "/katalog?" + urlencode(params)
        for params in queries(
            {str(c): c for c in samples["categories"]}, samples["partners"], count=count
        )
    ]


def _endpoints(samples: dict) -> dict[str, list[str]]:
    rng = random.Random(3)
    searches = _searches(samples)
    words = [re.sub(r".*q=([^&]*).*", r"\1", s) for s in searches if "q=" in s][:100]
    return {
        "reference": ["/"],
        "home": ["/"],
        "catalogue": [f"/katalog?page={n}" for n in range(1, 21)]
        + [f"/katalog?category={c}" for c in samples["categories"]],
        "search": searches,
        # The same searches, each address new (never kept by the page cache): the engine's cost.
        "search-uncached": [f"{s}&n={n}" for n, s in enumerate(searches * 50)],
        "product": [f"/produk/{p}" for p in samples["products"]],
        "ikm": [f"/ikm/{i}" for i in samples["ikms"]],
        "partner": [f"/mitra/{p}" for p in samples["partners"]],
        "api": [f"/api/v1/products?q={w}" for w in words]
        + [f"/api/v1/products/{p}" for p in rng.sample(samples["products"], 100)],
        "logged-in": ["/akun/pengaturan"],
    }


def _login() -> str:
    """A session cookie of the demo administrator."""
    connection = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=60)
    connection.request("GET", "/akun/masuk")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urlencode({"csrf_token": token, "email": LOGIN[0], "password": LOGIN[1]})
    connection = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=60)
    connection.request(
        "POST",
        "/akun/masuk",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"Logging in failed: {response.status}")
    return response.getheader("Set-Cookie").split(";", 1)[0]


# -- measuring --------------------------------------------------------------------------------


def _wrk(port, paths, scratch, duration, connections, headers=(), pause_ms=0) -> dict:
    listing = scratch / f"paths-{abs(hash(tuple(paths)))}.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = scratch / f"load-{pause_ms}.lua"
    delay = f"function delay() return {pause_ms} end" if pause_ms else ""
    script.write_text(LUA % {"pause": pause_ms, "delay": delay})
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    command += ["-s", str(script), f"http://127.0.0.1:{port}", "--", str(listing)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    raw = json.loads(out.split("RESULT", 1)[1])
    seconds = raw["duration_us"] / 1e6
    return {
        "requests_per_s": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "errors": raw["socket_errors"] + raw["status_errors"],
        "requests": raw["requests"],
    }


def _measure(args, samples, scratch, env, server) -> dict:
    endpoints = _endpoints(samples)
    cookie = _login()
    results = {}
    beside = max(2, args.duration // 2)
    for name, paths in endpoints.items():
        port = REFERENCE_PORT if name == "reference" else APP_PORT
        headers = [f"Cookie: {cookie}"] if name == "logged-in" else []
        _wrk(port, paths, scratch, 2, args.connections, headers)  # warm up every worker
        results[name] = _wrk(port, paths, scratch, args.duration, args.connections, headers)
        if name != "reference":
            # The machine is shared: the reference again, right after, so that the ratio
            # compares two figures taken under the same load.
            after = _wrk(REFERENCE_PORT, ["/"], scratch, beside, args.connections)
            results[name]["reference_beside"] = after["requests_per_s"]
        print(f"  {name:16} {results[name]}", flush=True)
    reference = results["reference"]["requests_per_s"]
    for figures in results.values():
        beside_rps = figures.get("reference_beside", reference)
        figures["reference_ratio"] = round(beside_rps / max(figures["requests_per_s"], 0.01), 2)
    mixed = [
        p
        for name, paths in endpoints.items()
        if name not in ("reference", "logged-in")
        for p in paths[:40]
    ]
    results["mixed"] = _wrk(APP_PORT, mixed, scratch, args.duration, args.connections)
    first = _first_search_after_change(env)
    memory = _soak(args, scratch, mixed, results["mixed"]["requests_per_s"], server)
    return {"endpoints": results, "first_search_after_change": first, "memory": memory}


def _workers(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return round(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024, 1)


def _soak(args, scratch, paths, rate, server) -> dict:
    before = {pid: _rss_mb(pid) for pid in _workers(server)}
    pause = max(1, round(args.connections / max(rate / 2, 0.1) * 1000))
    soak = _wrk(APP_PORT, paths, scratch, args.soak, args.connections, pause_ms=pause)
    after = {pid: _rss_mb(pid) for pid in _workers(server)}
    growth = max((after[pid] - before[pid]) / before[pid] * 100 for pid in before if pid in after)
    return {
        "soak_s": args.soak,
        "soak": soak,
        "rss_before_mb": before,
        "rss_after_mb": after,
        "max_growth_percent": round(growth, 1),
        "restarted_workers": sorted(set(before) - set(after)),
    }


def _first_search_after_change(env: dict) -> dict:
    """Change a listed product (the index takes the change), then search in every worker: the
    first search each worker answers after the change, against its warm searches."""
    code = """
from app import create_app
from app.catalog.models import Product
from app.catalog.services import product_changed
from app.cli import commit_and_run_effects
from app.curation import listing
from app.extensions import db
app = create_app()
with app.app_context():
    product = db.session.get(Product, db.session.scalar(listing.listed_ids_query().limit(1)))
    product.description = product.description.rstrip("!") + "!"
    product_changed(product)
    commit_and_run_effects()
"""
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
    firsts: dict[str, float] = {}
    warm: dict[str, list[float]] = {}
    lock, counter = threading.Lock(), iter(range(10**9))

    def hit():
        for _ in range(60):
            with lock:
                n = next(counter)
            _, headers, took = _get(APP_PORT, f"/katalog?q=sepatu+kulit&after={n}")
            pid = headers.get("X-Worker-Pid", "?")
            with lock:
                if pid not in firsts:
                    firsts[pid] = took
                else:
                    warm.setdefault(pid, []).append(took)

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        pid: {
            "first_ms": round(firsts[pid] * 1000, 1),
            "warm_median_ms": round(statistics.median(warm[pid]) * 1000, 1)
            if warm.get(pid)
            else None,
        }
        for pid in sorted(firsts)
    }


# -- reporting --------------------------------------------------------------------------------


def _verdicts(figures: dict) -> list[str]:
    problems = []
    for name, row in figures["endpoints"].items():
        if row["errors"]:
            problems.append(f"{name}: {row['errors']} errors")
        limit = TARGETS.get(name)
        if limit and row["reference_ratio"] > limit:
            problems.append(f"{name}: {row['reference_ratio']}× the reference (target {limit}×)")
        if name.startswith(("catalogue", "search")) and row["p99_ms"] > P99_LIMIT_MS:
            problems.append(f"{name}: p99 {row['p99_ms']} ms (target {P99_LIMIT_MS} ms)")
    for pid, row in figures["first_search_after_change"].items():
        if row["warm_median_ms"] and row["first_ms"] > 3 * row["warm_median_ms"]:
            problems.append(f"worker {pid}: first search after a change {row['first_ms']} ms")
    if figures["memory"]["max_growth_percent"] > 10:
        problems.append(f"memory grew {figures['memory']['max_growth_percent']}% in the soak")
    return problems


def _report(figures: dict, kind: str) -> None:
    print(f"\n{figures['products']} products, {kind}, gunicorn {WORKERS} workers")
    print(
        f"{'endpoint':16} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
        f"{'ref/s':>7} {'ref÷':>6}"
    )
    for name, row in figures["endpoints"].items():
        print(
            f"{name:16} {row['requests_per_s']:8} {row['p50_ms']:8} {row['p95_ms']:8} "
            f"{row['p99_ms']:8} {row['errors']:7} {row.get('reference_beside', ''):>7} "
            f"{row.get('reference_ratio', ''):>6}"
        )
    print("first search after a change, per worker:", figures["first_search_after_change"])
    memory = figures["memory"]
    print(
        f"memory (MB) before {memory['rss_before_mb']} after {memory['rss_after_mb']} "
        f"({memory['soak_s']} s soak): at most {memory['max_growth_percent']}% more"
    )
    figures["unmet"] = _verdicts(figures)
    print("targets met" if not figures["unmet"] else "unmet: " + "; ".join(figures["unmet"]))
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"load-{kind}-{figures['products']}.json"
    target.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"written to {target.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
