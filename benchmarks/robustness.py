"""Feed every bad input of the catalogue (``tests/bad_inputs.py``) to the project's files and
commands and print what each kind got: clear errors naming where, errors without a location,
tracebacks, silent accepts, hangs and lost data (the table in the README).

    python benchmarks/robustness.py [--show OUTCOME ...] [--kinds KIND ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from bad_inputs import OUTCOMES, catalogue, judge_all, table  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", nargs="*", default=[o for o in OUTCOMES if o != "clear"], choices=OUTCOMES,
                        help="list the cases with these outcomes (default: all but clear)")
    parser.add_argument("--kinds", nargs="*", help="only these kinds of input (default: all)")
    args = parser.parse_args()
    cases = [c for c in catalogue() if not args.kinds or c.kind in args.kinds]
    with tempfile.TemporaryDirectory() as root, tqdm(total=len(cases), desc="bad inputs", unit="case") as bar:
        verdicts = judge_all(cases, Path(root), progress=lambda verdict: bar.update(1))
    for verdict in verdicts:
        if verdict.outcome in args.show:
            print(f"[{verdict.outcome}] {verdict.case.kind}: {verdict.case.name}: {verdict.message[:300]}")
    print(table(verdicts))


if __name__ == "__main__":
    main()
