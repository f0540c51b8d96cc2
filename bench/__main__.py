import argparse
import importlib

BENCHMARKS = ["images", "curation", "search", "matching"]


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
    args = parser.parse_args()
    failures = []
    for name in args.names or BENCHMARKS:
        module = importlib.import_module(f"bench.{name}")
        sized = name == "search" and args.products is not None
        if not (module.run(args.products) if sized else module.run()):
            failures.append(name)
    if failures:
        print(f"\nMissed their targets: {', '.join(failures)}")


if __name__ == "__main__":
    main()
