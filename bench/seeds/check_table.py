#!/usr/bin/python3
"""Holds experiments.json, experiments.py and seed_experiments to one list of experiments, and
runs them all for a look at the ratios (a maintainer's tool; tools/bench is the teacher's).

    bench/seeds/check_table.py BINARY                     the table's fields, and the three lists
                                                          of names, which must be the same
    bench/seeds/check_table.py BINARY --run quick|full [--times N]
                                                          also runs every experiment in both
                                                          languages N times (1), and prints each
                                                          ratio beside its expectation

BINARY is build-solutions/bench/seed_experiments. Exits 1 when the lists or the fields disagree,
or when an experiment fails or gives a wrong result (result_ok false). A ratio outside its
tolerance is only marked '!': timing is the machine's to judge, not this check's.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = {
    "name": str,
    "title": str,
    "seed": str,
    "unit": str,
    "unit_ms": (int, float),
    "quick_unit_ms": (int, float),
    "expect_python": (int, float),
    "expect_cpp": (int, float),
    "tolerance": (int, float),
    "cores": int,
    "note": str,
}
RESULT_FIELDS = ["experiment", "language", "seconds", "unit_seconds", "ratio", "result_ok", "detail"]


def table_problems(table):
    problems = []
    for row in table:
        name = row.get("name", "?")
        for field, kind in FIELDS.items():
            if not isinstance(row.get(field), kind):
                problems.append(f"{name}: field '{field}' is missing or not a {kind}")
        for field in row:
            if field not in FIELDS:
                problems.append(f"{name}: unknown field '{field}'")
        if row.get("unit") not in ("delay", "work"):
            problems.append(f"{name}: unit is 'delay' or 'work'")
    return problems


def names_of(command):
    out = subprocess.run(command + ["--list"], capture_output=True, text=True, check=True).stdout
    return out.split()


def run_one(command, name, unit_ms):
    done = subprocess.run(command + [name, "--unit-ms", str(unit_ms)], capture_output=True, text=True)
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) != 1:
        raise RuntimeError(f"{' '.join(command)} {name}: exit {done.returncode}, stdout {done.stdout!r}, "
                           f"stderr {done.stderr.strip()!r}")
    result = json.loads(lines[0])
    if list(result) != RESULT_FIELDS or result["experiment"] != name:
        raise RuntimeError(f"{name}: unexpected JSON {lines[0]}")
    return result


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary", help="build-solutions/bench/seed_experiments")
    parser.add_argument("--run", choices=["quick", "full"])
    parser.add_argument("--times", type=int, default=1)
    args = parser.parse_args(argv)

    with open(os.path.join(HERE, "experiments.json"), encoding="utf-8") as f:
        table = json.load(f)
    python = ["/usr/bin/python3", os.path.join(HERE, "experiments.py")]
    cpp = [os.path.abspath(args.binary)]
    problems = table_problems(table)
    names = [row["name"] for row in table]
    for who, command in (("experiments.py", python), ("seed_experiments", cpp)):
        theirs = names_of(command)
        if theirs != names:
            problems.append(f"{who} --list gives {theirs}, experiments.json {names}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    if not args.run:
        print(f"{len(names)} experiments, the same in experiments.json, experiments.py and seed_experiments")
        return 0

    failed = False
    print(f"{'experiment':<28} {'unit ms':>7}  {'python (expect)':>22}  {'c++ (expect ± tol)':>28}")
    for attempt in range(args.times):
        start = time.perf_counter()
        for row in table:
            unit_ms = row["unit_ms"] if args.run == "full" else row["quick_unit_ms"]
            ratios = {}
            for language, command in (("python", python), ("cpp", cpp)):
                try:
                    result = run_one(command, row["name"], unit_ms)
                except RuntimeError as error:
                    print(error, file=sys.stderr)
                    failed = True
                    ratios[language] = "error"
                    continue
                if not result["result_ok"]:
                    failed = True
                    print(f"{row['name']} ({language}): wrong result: {result['detail']}", file=sys.stderr)
                ratios[language] = result["ratio"]
            py, cc = ratios["python"], ratios["cpp"]
            off = isinstance(cc, float) and abs(cc - row["expect_cpp"]) > row["tolerance"]
            py_text = f"{py:.2f} ({row['expect_python']:g})" if isinstance(py, float) else py
            cc_text = (f"{cc:.2f} ({row['expect_cpp']:g} ± {row['tolerance']:g})"
                       if isinstance(cc, float) else cc)
            print(f"{row['name']:<28} {unit_ms:>7g}  {py_text:>22}  {cc_text:>28}{' !' if off else ''}")
        print(f"-- pass {attempt + 1}: {time.perf_counter() - start:.2f} s in all", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
