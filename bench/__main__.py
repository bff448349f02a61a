"""`make bench`: every benchmark in turn, each printing its figures beside its own baseline.

`python -m bench api matcher_quality` runs only the named ones.
"""

import importlib
import sys
import time

ALL = (
    "api",
    "matcher_quality",
    "matcher_engine_speed",
    "matcher_e2e",
    "webhooks",
    "metrics",
    "console",
    "maps",
)


def main(names: list[str]) -> int:
    chosen = names or list(ALL)
    unknown = [n for n in chosen if n not in ALL]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(ALL)}")
        return 2
    for name in chosen:
        started = time.perf_counter()
        print(f"\n=== bench.{name} ===", flush=True)
        module = importlib.import_module(f"bench.{name}")
        sys.argv = [f"bench.{name}"]
        module.main()
        print(f"(bench.{name} took {time.perf_counter() - started:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
