"""tools/bench: the seeds' experiments in Python and in C++, echo servers, a million tasks.

tools/bench (a wrapper that installs the packages and builds the programs) runs this; see its
header for the options. Standard library only, run by the distribution's /usr/bin/python3 (the
one Debian's python3-uvloop is installed for).

Three parts, each measured in one run with its variants interleaved (best of k rounds):
  seeds  each experiment of bench/seeds/experiments.json, in Python (experiments.py) and in C++
         (seed_experiments), as a ratio of its time to one unit of delay or work
  echo   one C++ load client (load_client) against each echo server of bench/echo/, for 1, 10,
         100 and 1,000 loopback connections: requests/s and p50/p99 latency
  tasks  a million tasks sleeping 100 ms: chapter 7's loop (many_tasks) against asyncio
Results go to OUT/results.json and charts to OUT/charts/*.png (gnuplot). Every server listens on
127.0.0.1 alone, in a process of its own, and is stopped before the next one starts.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

COURSE = Path(__file__).resolve().parents[2]
PYTHON = "/usr/bin/python3"


class BenchError(Exception):
    """A program of the benchmark failed: the benchmark is broken, not merely slow."""


@dataclass
class Settings:
    quick: bool
    rounds: int
    echo_seconds: float
    echo_connections: list[int]
    echo_size: int
    tasks: int
    tasks_sleep_ms: int
    bin: Path
    source: Path


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run_json(command: list[str], timeout: float) -> dict:
    """Runs a program of the benchmark and returns the one JSON line it prints."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"{' '.join(command)}: no result after {timeout:.0f} s") from error
    if done.returncode != 0:
        raise BenchError(f"{' '.join(command)} exited with {done.returncode}:\n{done.stderr.strip()}")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError) as error:
        raise BenchError(f"{' '.join(command)} printed no JSON line:\n{done.stdout}{done.stderr}") from error


# --- the seeds' experiments ----------------------------------------------------------------------


def seed_rows(settings: Settings) -> list[dict]:
    experiments = json.loads((settings.source / "seeds" / "experiments.json").read_text())
    programs = {
        "python": [PYTHON, str(settings.source / "seeds" / "experiments.py")],
        "cpp": [str(settings.bin / "seed_experiments")],
    }
    cores = os.cpu_count() or 1
    rows = []
    for experiment in experiments:
        row = {key: experiment[key] for key in ("name", "title", "seed", "unit", "expect_python", "expect_cpp", "tolerance", "note") if key in experiment}
        row["unit_ms"] = experiment["quick_unit_ms" if settings.quick else "unit_ms"]
        if experiment.get("cores", 1) > cores:
            row["skipped"] = f"needs {experiment['cores']} cores, this machine has {cores}"
        rows.append(row)
    for round_number in range(settings.rounds):
        say(f"  seeds: round {round_number + 1} of {settings.rounds}")
        # Both languages side by side, the first to run alternating from round to round.
        languages = ["python", "cpp"] if round_number % 2 == 0 else ["cpp", "python"]
        for row in rows:
            if "skipped" in row:
                continue
            for language in languages:
                result = run_json(programs[language] + [row["name"], "--unit-ms", str(row["unit_ms"])], timeout=120)
                if not result.get("result_ok", False):
                    raise BenchError(f"{language} {row['name']}: wrong result ({result.get('detail', '')})")
                row.setdefault(language, []).append(result)
    for row in rows:
        if "skipped" in row:
            continue
        for language in ("python", "cpp"):
            kept = representative(row.pop(language), row["unit"])
            row[language + "_ratio"] = round(kept["ratio"], 2)
            row[language + "_detail"] = kept.get("detail", "")
        # Quick units are too short to show the effects: a quick run checks that everything runs.
        if not settings.quick:
            row["flags"] = [
                f"{title} does not show the expected {row['expect_' + language]:g} ({row[language + '_detail']})"
                for language, title in (("cpp", "C++"), ("python", "Python"))
                if abs(row[language + "_ratio"] - row["expect_" + language]) > row["tolerance"]
            ]
    return rows


def representative(results: list[dict], unit: str) -> dict:
    """The round that stands for a row. A delay row's unit is the delay asked for: a busy moment
    can only lengthen a round, so the fastest is the truest (best of k). A work row divides by a
    unit of CPU work each round measures for itself, and a unit slowed by a busy moment makes
    that round's ratio too *small*: the fastest ratio would pick such luck, so the median round
    stands for it."""
    ordered = sorted(results, key=lambda result: result["ratio"])
    return ordered[0] if unit == "delay" else ordered[(len(ordered) - 1) // 2]


def seeds_table(rows: list[dict]) -> list[str]:
    lines = [
        "| experiment | unit | Python | C++ | expected (Py / C++) | note |",
        "|---|---|---:|---:|---|---|",
    ]
    for row in rows:
        if "skipped" in row:
            lines.append(f"| {row['title']} | {row['unit_ms']} ms | | | | skipped: {row['skipped']} |")
            continue
        flag = "⚠ " + "; ".join(row["flags"]) if row.get("flags") else ""
        lines.append(
            f"| {row['title']} | {row['unit_ms']} ms | {row['python_ratio']:.2f} | {row['cpp_ratio']:.2f} "
            f"| {row['expect_python']:g} / {row['expect_cpp']:g} | {flag} |"
        )
    return lines


# --- echo servers --------------------------------------------------------------------------------

SERVERS = {
    "coroutine": "C++ coroutines (8.6)",
    "callback": "C++ callbacks (8.2)",
    "c_style": "libuv in C style",
    "threads": "C++ thread per connection",
    "uvloop": "Python asyncio + uvloop",
    "asyncio": "Python asyncio",
}


def echo_rows(settings: Settings) -> list[dict]:
    """bench/echo/run_servers.py's matrix: each server in a fresh process per figure, stopped
    (stdin closed, then SIGTERM, then SIGKILL) however the measurement ends."""
    sys.path.insert(0, str(settings.source / "echo"))
    import run_servers  # pylint: disable=import-outside-toplevel

    def progress(round_number: int, name: str, result: dict) -> None:
        say(f"  echo: round {round_number + 1} of {settings.rounds}: {name:<9} "
            f"{result['connections']:>5} connections {result['requests_per_second']:>10,.0f} requests/s")

    try:
        best = run_servers.run_matrix(
            run_servers.server_commands(settings.bin.parent), settings.echo_connections, settings.echo_size,
            settings.echo_seconds, settings.rounds, warmup=0.2 if not settings.quick else 0.05,
            load_client=settings.bin / "load_client", progress=progress)
    except run_servers.MeasureError as error:
        raise BenchError(str(error)) from error
    return [
        {"server": kind, "title": SERVERS[kind], "connections": connections,
         "requests_per_second": round(result["requests_per_second"]),
         "p50_us": result["p50_us"], "p99_us": result["p99_us"],
         "server_cpu": result.get("server_cpu"), "client_cpu": result.get("client_cpu")}
        for kind in SERVERS for connections in settings.echo_connections
        for result in [best[(kind, connections)]]
    ]


def echo_aims(rows: list[dict], connections: int = 100) -> list[dict]:
    """The course's aims at 100 connections: coroutines ≥ 2× uvloop, ≥ 0.9× callbacks."""
    rate = {row["server"]: row["requests_per_second"] for row in rows if row["connections"] == connections}
    aims = []
    for other, wanted in (("uvloop", 2.0), ("callback", 0.9)):
        if "coroutine" in rate and other in rate:
            measured = rate["coroutine"] / rate[other]
            aims.append({"aim": f"coroutine ≥ {wanted:g}× {other} at {connections} connections",
                         "other": SERVERS[other], "wanted": wanted, "connections": connections,
                         "measured": round(measured, 2), "holds": measured >= wanted})
    return aims


def duration(microseconds: float) -> str:
    return f"{microseconds:.0f} µs" if microseconds < 1000 else f"{microseconds / 1000:.1f} ms"


def echo_table(rows: list[dict], connections_list: list[int], line_break: str = "<br>") -> list[str]:
    by = {(row["server"], row["connections"]): row for row in rows}
    lines = ["| server | " + " | ".join(f"{n} conn." for n in connections_list) + " |",
             "|---|" + "---:|" * len(connections_list)]
    for kind, title in SERVERS.items():
        cells = []
        for connections in connections_list:
            row = by.get((kind, connections))
            cells.append(f"{row['requests_per_second']:,} req/s{line_break}p50 {duration(row['p50_us'])}, "
                         f"p99 {duration(row['p99_us'])}" if row else "")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return lines


# --- a million tasks -----------------------------------------------------------------------------


def task_rows(settings: Settings) -> dict:
    arguments = ["--tasks", str(settings.tasks), "--sleep-ms", str(settings.tasks_sleep_ms)]
    cpp = run_json([str(settings.bin / "many_tasks")] + arguments, timeout=120)
    python = run_json([PYTHON, str(settings.source / "tasks" / "many_tasks.py")] + arguments, timeout=300)
    return {"tasks": settings.tasks, "sleep_ms": settings.tasks_sleep_ms, "cpp": cpp, "python": python}


def tasks_table(tasks: dict) -> list[str]:
    lines = [f"| {tasks['tasks']:,} tasks sleeping {tasks['sleep_ms']} ms | took | peak RSS | RSS per task |",
             "|---|---:|---:|---:|"]
    for language, title in (("cpp", "chapter 7's loop (C++20 coroutines)"), ("python", "Python asyncio")):
        figures = tasks[language]
        lines.append(f"| {title} | {figures['seconds']:.2f} s | {figures['peak_rss_bytes'] / 2**20:,.0f} MiB "
                     f"| {figures['rss_per_task']:,.0f} bytes |")
    return lines


# --- charts --------------------------------------------------------------------------------------


def gnuplot(script: str) -> None:
    done = subprocess.run(["gnuplot"], input=script, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(f"gnuplot failed:\n{done.stderr}")


def quoted(text: str) -> str:
    """A gnuplot string in double quotes, where \\n is a new line."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def chart_seeds(rows: list[dict], path: Path, caption: str) -> None:
    """Bars, Python beside C++, per experiment; the cake's minutes (60 and 80 units) on a panel of
    their own so that they do not flatten the rest (1 to 3 units)."""
    def block(name: str, chosen: list[dict]) -> str:
        lines = "\n".join(f"{row['python_ratio']} {row['cpp_ratio']} {row['expect_python']} {row['expect_cpp']}"
                          for row in chosen)
        return f"${name} << EOD\n{lines}\nEOD"

    def labels(chosen: list[dict]) -> str:
        # Set apart from the data: only a command's double-quoted string turns \n into a new line.
        wrapped = (textwrap.fill(row["title"], 15, break_long_words=False).replace('"', "'").replace("\n", "\\n")
                   for row in chosen)
        return "set xtics (" + ", ".join(f'"{label}" {index}' for index, label in enumerate(wrapped)) + ")"

    measured = [row for row in rows if "skipped" not in row]
    small = [row for row in measured if max(row["expect_python"], row["expect_cpp"]) <= 10]
    large = [row for row in measured if row not in small]
    bars = ("using 1 title \"Python (CPython)\" linecolor rgb \"#3572A5\", "
            "'' using 2 title \"C++ (the course's solutions)\" linecolor rgb \"#f34b7d\", "
            # Each bar's expected ratio, a black dash on it: a clustered pair's bars stand at
            # ±1/6 of the pair's place (two bars and a gap of one share each unit).
            "'' using ($0 - 1.0/6):3 with points pointtype 5 pointsize 0.6 linecolor rgb \"black\" title \"expected\", "
            "'' using ($0 + 1.0/6):4 with points pointtype 5 pointsize 0.6 linecolor rgb \"black\" notitle")
    large_width = 0.2 if large else 0.0
    panels = [f"""
set origin 0,0
set size {1 - large_width},0.93
set yrange [0:*]
set ylabel "elapsed / one unit"
{labels(small)}
plot $small {bars}
"""]
    if large:
        panels.append(f"""
set origin {1 - large_width},0
set size {large_width},0.93
unset ylabel
set key off
{labels(large)}
plot $large {bars}
""")
    gnuplot(f"""
set terminal pngcairo size 1500,700 font "Sans,10"
set output {quoted(str(path))}
set termoption noenhanced
{block("small", small)}
{block("large", large)}
set multiplot title {quoted("The seeds' experiments: elapsed time as a multiple of one unit of delay or work (lower is faster)" + chr(10) + caption)} font "Sans,12"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set xtics font "Sans,8" nomirror
set bmargin 8
set key top left
{"".join(panels)}
unset multiplot
""")


def chart_echo(rows: list[dict], path: Path, caption: str) -> None:
    colours = {"coroutine": "#9400d3", "callback": "#009e73", "c_style": "#56b4e9", "threads": "#e69f00",
               "uvloop": "#d55e00", "asyncio": "#0072b2"}
    blocks, plots = [], []
    for index, (kind, title) in enumerate(SERVERS.items()):
        points = "\n".join(f"{row['connections']} {row['requests_per_second']}" for row in rows if row["server"] == kind)
        blocks.append(f"$s{index} << EOD\n{points}\nEOD")
        plots.append(f"$s{index} using 1:2 with linespoints linewidth 2 pointsize 1.3 "
                     f"linecolor rgb \"{colours[kind]}\" title {quoted(title)}")
    gnuplot(f"""
set terminal pngcairo size 1100,650 font "Sans,11"
set output {quoted(str(path))}
{chr(10).join(blocks)}
set title {quoted("Echo servers on 127.0.0.1: requests/s against connections (one request in flight on each)" + chr(10) + caption)}
set logscale x
set xtics (1, 10, 100, 1000)
set xlabel "connections"
set ylabel "requests per second"
set yrange [0:*]
set format y "%.0s%c"
set grid
set key top left
set offsets 0, 0, graph 0.12, 0
plot {", ".join(plots)}
""")


# --- the report ----------------------------------------------------------------------------------


def machine() -> dict:
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    commit = subprocess.run(["git", "-C", str(COURSE), "describe", "--always", "--dirty"],
                            capture_output=True, text=True, check=False).stdout.strip()
    python = subprocess.run([PYTHON, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return {"cores": os.cpu_count(), "cpu": model, "kernel": platform.release(), "python": python,
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": commit or "not a git checkout"}


def caption(results: dict) -> str:
    m = results["machine"]
    rounds = results["settings"]["rounds"]
    return (f"{m['cores']} cores ({m['cpu']}), {m['python']}, {m['date']}, commit {m['commit']}; "
            f"each figure from {rounds} round{'s' if rounds != 1 else ''}")


def markdown(results: dict, figures: str) -> str:
    m = results["machine"]
    rounds = results["settings"]["rounds"]
    lines = [f"Measured by `tools/bench` on {m['date']} (commit {m['commit']}): {m['cores']} cores ({m['cpu']}), "
             f"{m['python']}.", ""]
    if "seeds" in results:
        lines += [f"**The seeds' experiments**, each as a multiple of one unit of delay or work (the fastest of "
                  f"{rounds} rounds where the unit is a delay; the median where it is CPU work, measured in the "
                  "same run):", "",
                  f"![The seeds' experiments, Python against C++]({figures}/seeds.png)", ""]
        lines += seeds_table(results["seeds"]) + [""]
    if "echo" in results:
        lines += ["**Echo servers**, one C++ load client, one request in flight per connection, "
                  f"{results['settings']['echo_size']}-byte messages, the best of {rounds} rounds:", "",
                  f"![Echo servers: requests per second against connections]({figures}/echo_servers.png)", ""]
        lines += echo_table(results["echo"], results["settings"]["echo_connections"]) + [""]
        for aim in results.get("aims", []):
            lines.append(f"- At {aim['connections']} connections the coroutine server answered {aim['measured']:.2f}× as many "
                         f"requests per second as {aim['other']}.")
        lines.append("")
    if "tasks" in results:
        lines += ["**Many tasks**, all spawned first, then awaited (one run each):", ""] + tasks_table(results["tasks"]) + [""]
    return "\n".join(lines)


LESSON_BEGIN, LESSON_END = "<!-- tools/bench: begin -->", "<!-- tools/bench: end -->"


def check_lesson(lesson: Path) -> None:
    """Before anything is measured: the lesson is there, with its two markers."""
    try:
        content = lesson.read_text()
    except OSError as error:
        raise BenchError(f"cannot read the lesson {lesson}: {error.strerror}") from error
    if LESSON_BEGIN not in content or LESSON_END not in content:
        raise BenchError(f"{lesson} has no {LESSON_BEGIN} … {LESSON_END} markers for the figures")


def update_lesson(lesson: Path, text: str, charts: list[Path]) -> None:
    """Replaces what lies between the lesson's two markers with the figures just measured, and
    puts this run's charts beside it (the lesson goes to students without bench/)."""
    check_lesson(lesson)
    figures = lesson.parent / "figures"
    figures.mkdir(exist_ok=True)
    for chart in charts:
        shutil.copyfile(chart, figures / chart.name)
    head, rest = lesson.read_text().split(LESSON_BEGIN, 1)
    tail = rest.split(LESSON_END, 1)[1]
    lesson.write_text(f"{head}{LESSON_BEGIN}\n{text}\n{LESSON_END}{tail}")


class Stopped(Exception):
    """SIGTERM: unwinds as Ctrl-C does, and exits with 143 rather than 130."""


def stop_on_sigterm(signal_number: int, frame) -> None:
    raise Stopped()


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"wants a whole number of at least 1, not {text!r}")
    return value


def main() -> int:
    # The options tools/bench passes on (its --help lists the teacher's; --bin and --lesson are its own).
    parser = argparse.ArgumentParser(prog="tools/bench", usage="tools/bench [--quick] [--only PARTS] "
                                     "[--rounds K] [--out DIR] (see tools/bench --help)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--bin", type=Path, required=True)
    parser.add_argument("--only", default="seeds,echo,tasks")
    parser.add_argument("--rounds", type=positive)
    parser.add_argument("--lesson", type=Path)
    options = parser.parse_args()
    parts = options.only.split(",")
    unknown = set(parts) - {"seeds", "echo", "tasks"}
    if unknown:
        parser.error(f"--only takes seeds, echo and tasks (separated by commas), not {options.only!r}")
    quick = options.quick
    settings = Settings(
        quick=quick, rounds=options.rounds or (1 if quick else 3),
        echo_seconds=0.2 if quick else 1.0, echo_connections=[1, 10] if quick else [1, 10, 100, 1000],
        echo_size=1024, tasks=10_000 if quick else 1_000_000, tasks_sleep_ms=100,
        bin=options.bin, source=COURSE / "bench")
    out = options.out
    charts = out / "charts"

    # Ctrl-C and SIGTERM unwind (even where SIGINT came ignored, as in a background job), so
    # that every server is stopped on the way out.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    started = time.monotonic()
    results: dict = {"machine": machine(), "settings": {
        "quick": quick, "rounds": settings.rounds, "echo_seconds": settings.echo_seconds,
        "echo_connections": settings.echo_connections, "echo_size": settings.echo_size}}
    drawn: list[Path] = []
    try:
        if options.lesson:
            check_lesson(options.lesson)
        try:
            charts.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BenchError(f"cannot write to {out}: {error.strerror}") from error
        if "seeds" in parts:
            say("==> the seeds' experiments, Python and C++ interleaved")
            results["seeds"] = seed_rows(settings)
            print("\n".join(seeds_table(results["seeds"])) + "\n", flush=True)
            drawn.append(charts / "seeds.png")
            chart_seeds(results["seeds"], drawn[-1], caption(results))
        if "echo" in parts:
            say("==> echo servers, one load client")
            results["echo"] = echo_rows(settings)
            results["aims"] = echo_aims(results["echo"])
            print("\n".join(echo_table(results["echo"], settings.echo_connections, line_break=", ")) + "\n", flush=True)
            for aim in results["aims"]:
                print(f"{aim['aim']}: {aim['measured']}× ({'holds' if aim['holds'] else 'missed'})")
            drawn.append(charts / "echo_servers.png")
            chart_echo(results["echo"], drawn[-1], caption(results))
        if "tasks" in parts:
            say(f"==> {settings.tasks:,} tasks, chapter 7's loop and asyncio")
            results["tasks"] = task_rows(settings)
            print("\n".join(tasks_table(results["tasks"])) + "\n", flush=True)
        results["seconds"] = round(time.monotonic() - started, 1)
        (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        if options.lesson:
            update_lesson(options.lesson, markdown(results, "figures"), drawn)
    except BenchError as error:
        say(f"tools/bench: {error}")
        return 1
    except OSError as error:
        say(f"tools/bench: {error.filename or ''}: {error.strerror or error}")
        return 1
    except KeyboardInterrupt:
        say("tools/bench: interrupted; every server is stopped")
        return 130
    except Stopped:
        say("tools/bench: stopped (SIGTERM); every server is stopped")
        return 143
    say(f"tools/bench: {results['seconds']:.0f} s; results in {out / 'results.json'}, charts in {charts}/")
    if options.lesson:
        say(f"tools/bench: chapter 8's lesson has the new figures ({options.lesson}, and figures/ beside it)")
    flags = [row for row in results.get("seeds", []) if row.get("flags")]
    missed = [aim for aim in results.get("aims", []) if not aim["holds"]]
    if flags and not quick:
        say(f"tools/bench: ⚠ {len(flags)} experiment(s) where a language does not show the expected effect (marked ⚠)")
    if missed and not quick:
        say(f"tools/bench: ⚠ {len(missed)} aim(s) missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
