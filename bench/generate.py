"""Benchmark: the five background articles end to end, read + generate, as the CLI does.

    .venv/bin/python bench/generate.py [--unit] [--runs N]

Prints wall seconds (including imports and spaCy start-up, as a fresh CLI run pays them), peak
memory (ru_maxrss), and questions per second. Targets: under 3 s, under 300 MB, at least 100
questions/s on the 2-core build machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    """Run the benchmark once (or N times in this process) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", action="store_true",
                        help="also use the shipped unit (notes, glossary, timeline, topic pack)")
    parser.add_argument("--runs", type=int, default=1, help="repeat in-process (warm) runs")
    args = parser.parse_args()
    folder = Path(os.environ.get("DEBRIEF_MATERIAL", REPO.parent / "shared" / "material"))
    files = sorted(folder.glob("*.txt"))
    if not files:
        print(f"no articles in {folder}; set DEBRIEF_MATERIAL", file=sys.stderr)
        return 2

    from question_bank.formats import dumps
    from question_bank.generation import generate, generate_with_unit
    from question_bank.readings import read_document

    unit = None
    if args.unit:
        from question_bank.units import load_unit

        unit = load_unit(REPO / "question_bank" / "units" / "russia-dprk-treaty")
    for run in range(args.runs):
        began = time.perf_counter()
        readings = [read_document(path.read_bytes(), path.name) for path in files]
        result = (generate_with_unit(readings, unit) if unit is not None
                  else generate(readings))
        dumps(result.questions, "json", result.stats)
        finished = time.perf_counter()
        wall = finished - (STARTED if run == 0 else began)
        count = len(result.questions)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        label = "cold (imports included)" if run == 0 else "warm"
        print(f"run {run + 1} [{label}]: {len(files)} articles{' + unit' if unit else ''}, "
              f"{count} questions, wall {wall:.2f} s, generate {result.stats['seconds']:.2f} s, "
              f"peak {peak_mb:.0f} MB, {count / wall:.0f} questions/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
