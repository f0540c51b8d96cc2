import argparse
import importlib

BENCHMARKS = [
    "images",
    "curation",
    "search",
    "growth",
    "matching",
    "events",
    "dashboard",
    "relevance",
]
GROWTH_SIZES = "10000,100000,300000"


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Run Etalase's benchmarks."
    )
    parser.add_argument("names", nargs="*", help=f"any of {BENCHMARKS}; default: all")
    parser.add_argument(
        "--products",
        type=int,
        help="search: the catalogue's size (default 100,000; others write search-<n>.json)",
    )
    parser.add_argument(
        "--sizes",
        default=GROWTH_SIZES,
        help=f"growth: the catalogue sizes of the rebuild growth table (default {GROWTH_SIZES})",
    )
    args = parser.parse_args()
    failures = []
    for name in args.names or BENCHMARKS:
        if name == "growth":  # the rebuild at several sizes (bench/search.py)
            from bench.search import growth

            if not growth([int(size) for size in args.sizes.split(",")]):
                failures.append(name)
            continue
        module = importlib.import_module(f"bench.{name}")
        sized = name == "search" and args.products is not None
        if not (module.run(args.products) if sized else module.run()):
            failures.append(name)
    if failures:
        print(f"\nMissed their targets: {', '.join(failures)}")


if __name__ == "__main__":
    main()
