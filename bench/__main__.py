import argparse
import importlib

BENCHMARKS = ["images", "curation", "search"]


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Run Etalase's benchmarks."
    )
    parser.add_argument("names", nargs="*", help=f"any of {BENCHMARKS}; default: all")
    names = parser.parse_args().names or BENCHMARKS
    failures = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if not module.run():
            failures.append(name)
    if failures:
        print(f"\nMissed their targets: {', '.join(failures)}")


if __name__ == "__main__":
    main()
