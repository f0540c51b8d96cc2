"""The cost of each page in one process, without the page cache: what ``make load`` measures
with 4 workers, less the noise of a shared machine (or a profile of one endpoint).

Runs the app's test client against a catalogue ``make load`` generated (its database and
index): per endpoint, ``--count`` addresses to warm up, then ``--count`` others ``--rounds``
times; prints milliseconds per request the first time each address is asked (for searches, a
query the engine has not answered yet) and the median of the later rounds, and SQL statements
per request.

    .venv/bin/python -m bench.pages --database etalase_load_mine
    .venv/bin/python -m bench.pages --database etalase_load_mine --profile search-uncached
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import time

from bench.load import LOGIN, PG_SERVER, ROOT, _endpoints


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("LOAD_DATABASE"))
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--count", type=int, default=30, help="addresses per endpoint")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", help="an endpoint to profile instead (cProfile)")
    args = parser.parse_args()
    database = args.database or f"etalase_load_{args.products}"
    name = f"sqlite-{args.products}" if args.sqlite else f"postgresql-{database}"
    folder = ROOT / "instance" / "load" / name
    if not (folder / "samples.json").exists():
        print(f"No catalogue in {folder}: run `make load` (bench.load) once first.")
        return 2
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder / 'etalase.db'}"
        if args.sqlite
        else f"{PG_SERVER}/{database}",
        ETALASE_STORAGE_DIR=str(folder / "storage"),
        ETALASE_SEARCH_INDEX_DIR=str(folder / "index"),
        ETALASE_SECRET_KEY="load-test-only-" + "x" * 32,
        ETALASE_RATELIMIT_ENABLED="false",
        ETALASE_MAIL_BACKEND="memory",
        ETALASE_PAGE_CACHE_ENTRIES="0",  # the pages' own cost
    )
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    app = create_app()
    endpoints = _endpoints(json.loads((folder / "samples.json").read_text()))
    endpoints.pop("reference")
    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
    anonymous, member = app.test_client(), app.test_client()
    _login(member)
    names = [args.profile] if args.profile else list(endpoints)
    print(f"{'endpoint':16} {'first ms':>9} {'again ms':>9} {'statements':>10}")
    for endpoint in names:
        client = member if endpoint == "logged-in" else anonymous
        every = endpoints[endpoint] * (2 * args.count)
        paths, others = every[: args.count], every[args.count : 2 * args.count]
        for path in others:  # warm, on other addresses (other searches) than those measured
            client.get(path)
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
        took, counted = [], []
        for _ in range(args.rounds):
            statements.clear()
            started = time.perf_counter()
            for path in paths:
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
            took.append((time.perf_counter() - started) / len(paths) * 1000)
            counted.append(len(statements) / len(paths))
        print(
            f"{endpoint:16} {took[0]:9.1f} {statistics.median(took[1:] or took):9.1f} "
            f"{statistics.median(counted):10.1f}"
        )
        if args.profile:
            profile.disable()
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            stats.sort_stats("cumulative").print_stats(r"app/|templates/|whoosh", 40)
            stats.sort_stats("tottime").print_stats(25)
            print(out.getvalue())
    return 0


def _login(client) -> None:
    page = client.get("/akun/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post(
        "/akun/masuk", data={"csrf_token": token, "email": LOGIN[0], "password": LOGIN[1]}
    )
    assert answer.status_code == 302, answer.status_code


if __name__ == "__main__":
    sys.exit(main())
