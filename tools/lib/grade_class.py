"""Grades a class: every student's copy, one at a time, with tools/grade --submission.

tools/grade-class (a wrapper that makes sure python3 is installed) runs this; see its header for
the options. Standard library only.

What it keeps, under --out (grades/ by default):
  results/NAME.json   the grader's JSON report of student NAME, written when the grading ended
  results/NAME.log    what tools/grade printed
  results/NAME.key    what was graded: the exercise files' digest and the chapters; a student whose
                      .key still matches is not graded again (an interrupted run resumes)
and the CSV and HTML reports, made from all the results at the end.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

COURSE = Path(__file__).resolve().parents[2]


def exercise_files(copy: Path) -> list[Path]:
    """The files of a student's copy that count: those the course has at the top of a chapter."""
    files = []
    for chapter in sorted((COURSE / "chapters").glob("[0-9][0-9]_*")):
        for course_file in sorted(chapter.glob("*.[hc]pp")):
            handed_in = copy / "chapters" / chapter.name / course_file.name
            if handed_in.is_file() and not handed_in.is_symlink():
                files.append(handed_in)
    return files


def key_of(copy: Path, chapters: list[str]) -> str:
    """What a grading depends on: the exercise files' contents and the chapters asked for."""
    digest = hashlib.sha256(" ".join(chapters).encode())
    for path in exercise_files(copy):
        digest.update(str(path.relative_to(copy)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def progress(done: int, total: int, name: str, started: float, tty: bool) -> None:
    width = 30
    filled = width * done // total if total else width
    elapsed = time.monotonic() - started
    eta = f", about {elapsed / done * (total - done):.0f} s left" if 0 < done < total else ""
    line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name}{eta}"
    if tty:
        sys.stderr.write("\r\033[K" + line)
        if done == total:
            sys.stderr.write("\n")
    else:
        sys.stderr.write(line + "\n")
    sys.stderr.flush()


def grade_student(copy: Path, name: str, out: Path, chapters: list[str], limit: int) -> str:
    """Grades one student; returns how it went ("graded", "timed out", "failed")."""
    results = (out / "results").resolve()
    partial = results / f"{name}.grading.json"
    log = results / f"{name}.log"
    command = [str(COURSE / "tools" / "grade"), "--submission", str(copy), "--json", str(partial)]
    command += chapters
    environment = dict(os.environ, NO_COLOR="1")
    with open(log, "wb") as log_file:
        # A process group of its own, so that a time limit stops the grader and its tests.
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT,
                                   env=environment, start_new_session=True)
        try:
            process.wait(timeout=limit)
        except KeyboardInterrupt:
            # Stopped by the teacher: the half-graded student is graded again on the next run.
            os.killpg(process.pid, signal.SIGINT)
            process.wait()
            partial.unlink(missing_ok=True)
            raise
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGINT)  # the grader writes what it graded so far
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log_file.write(f"\ntools/grade-class: stopped after {limit} s\n".encode())
            status = "timed out"
        else:
            status = "graded" if partial.exists() else "failed"
    if partial.exists():
        report = json.loads(partial.read_text())
        report["grade_class"] = {"status": status, "graded_at": time.strftime("%Y-%m-%d %H:%M:%S")}
        partial.write_text(json.dumps(report))
        partial.replace(results / f"{name}.json")
    else:
        (results / f"{name}.json").write_text(json.dumps({
            "chapters": [], "score": 0, "max_score": 0, "complete": False,
            "grade_class": {"status": status, "graded_at": time.strftime("%Y-%m-%d %H:%M:%S")}}))
    return status


def load(out: Path, names: list[str]) -> dict[str, dict]:
    reports = {}
    for name in names:
        path = out / "results" / f"{name}.json"
        if path.exists():
            reports[name] = json.loads(path.read_text())
    return reports


def status_of(report: dict) -> str:
    status = report.get("grade_class", {}).get("status", "graded")
    if status == "graded" and not report.get("complete", True):
        return "incomplete"
    return status


def chapter_columns(reports: dict[str, dict]) -> list[tuple[int, str, float]]:
    """(number, title, maximum) of every chapter graded for anyone, by number."""
    columns = {}
    for report in reports.values():
        for chapter in report.get("chapters", []):
            columns.setdefault(chapter["number"], (chapter["title"], chapter["max_score"]))
    return [(number, *columns[number]) for number in sorted(columns)]


def write_csv(path: Path, names: list[str], reports: dict[str, dict]) -> None:
    columns = chapter_columns(reports)
    with open(path, "w", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["student"] + [f"chapter {n} (of {m:g})" for n, _, m in columns] +
                        ["total", "maximum", "status"])
        for name in names:
            report = reports.get(name)
            if report is None:
                writer.writerow([name] + [""] * len(columns) + ["", "", "not graded"])
                continue
            by_number = {c["number"]: c for c in report.get("chapters", [])}
            writer.writerow([name] + [f"{by_number[n]['score']:g}" if n in by_number else ""
                                      for n, _, _ in columns] +
                            [f"{report.get('score', 0):g}", f"{report.get('max_score', 0):g}",
                             status_of(report)])


def colour(fraction: float) -> str:
    """Red to amber to green, as the fraction of the points goes from 0 to 1."""
    hue = int(120 * max(0.0, min(1.0, fraction)))
    return f"hsl({hue}, 70%, 85%)"


def histogram_svg(scores: list[float], maximum: float) -> str:
    """Bars of how many students scored in each tenth of the maximum."""
    bins = [0] * 10
    for score in scores:
        bins[min(9, int(10 * score / maximum)) if maximum else 0] += 1
    tallest = max(bins) or 1
    width, height, bar, top = 260, 90, 24, 16  # top: room for the tallest bar's count
    parts = [f'<svg width="{width}" height="{top + height + 18}" role="img">']
    for index, count in enumerate(bins):
        bar_height = height * count / tallest
        x = 5 + index * (bar + 1)
        y = top + height - bar_height
        parts.append(f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{bar_height:.1f}" '
                     f'fill="{colour((index + 0.5) / 10)}" stroke="#555">'
                     f'<title>{index * 10}-{index * 10 + 10}%: {count}</title></rect>')
        if count:
            parts.append(f'<text x="{x + bar / 2}" y="{y - 3:.1f}" font-size="11" '
                         f'text-anchor="middle">{count}</text>')
    baseline = top + height
    parts.append(f'<line x1="5" y1="{baseline}" x2="{5 + 10 * (bar + 1)}" y2="{baseline}" '
                 f'stroke="#555"/>')
    parts.append(f'<text x="5" y="{baseline + 14}" font-size="11">0%</text>')
    parts.append(f'<text x="{5 + 10 * (bar + 1)}" y="{baseline + 14}" font-size="11" '
                 f'text-anchor="end">100% of {maximum:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def write_html(path: Path, names: list[str], reports: dict[str, dict], title: str) -> None:
    columns = chapter_columns(reports)
    escape = html.escape
    rows = []
    for name in names:
        report = reports.get(name)
        if report is None:
            rows.append(f"<tr><th>{escape(name)}</th>" + "<td></td>" * len(columns) +
                        "<td></td><td>not graded</td></tr>")
            continue
        by_number = {c["number"]: c for c in report.get("chapters", [])}
        cells = []
        for number, _, maximum in columns:
            chapter = by_number.get(number)
            if chapter is None:
                cells.append("<td></td>")
                continue
            note = "" if chapter.get("built", True) else " ✗"
            fraction = chapter["score"] / chapter["max_score"] if chapter["max_score"] else 0
            cells.append(f'<td style="background:{colour(fraction)}">'
                         f'{chapter["score"]:g}{note}</td>')
        total, maximum = report.get("score", 0), report.get("max_score", 0)
        fraction = total / maximum if maximum else 0
        rows.append(f"<tr><th>{escape(name)}</th>{''.join(cells)}"
                    f'<td style="background:{colour(fraction)}"><b>{total:g}</b> / {maximum:g}</td>'
                    f"<td>{escape(status_of(report))}</td></tr>")

    histograms = []
    for number, chapter_title, maximum in columns:
        scores = [c["score"] for r in reports.values() for c in r.get("chapters", [])
                  if c["number"] == number]
        histograms.append(f"<figure><figcaption>Chapter {number}: {escape(chapter_title)} "
                          f"({len(scores)} students)</figcaption>"
                          f"{histogram_svg(scores, maximum)}</figure>")

    # The tests most of the class fails, with the message most of them got.
    failing: dict[tuple[int, str], list[str]] = defaultdict(list)
    taking: Counter = Counter()
    for report in reports.values():
        for chapter in report.get("chapters", []):
            for test in chapter.get("tests", []):
                key = (chapter["number"], test["name"])
                taking[key] += 1
                if test["verdict"] not in ("passed", "skipped"):
                    first_line = test["verdict"]
                    if test.get("message"):
                        first_line += ": " + test["message"].splitlines()[0][:140]
                    failing[key].append(first_line)
    hardest = sorted(failing, key=lambda k: (-len(failing[k]) / taking[k], k))
    hard_rows = []
    for key in hardest[:15]:
        share = len(failing[key]) / taking[key]
        if share < 0.5:
            break
        message, count = Counter(failing[key]).most_common(1)[0]
        hard_rows.append(f"<tr><td>{key[0]}</td><td><code>{escape(key[1])}</code></td>"
                         f'<td style="background:{colour(1 - share)}">{share:.0%}</td>'
                         f"<td>{escape(message)} <small>({count})</small></td></tr>")
    if not hard_rows:
        hard_rows.append('<tr><td colspan="4">No test fails for half of the class or more.</td></tr>')

    header = "".join(f'<th title="{escape(t)}">Ch. {n}<br><small>of {m:g}</small></th>'
                     for n, t, m in columns)
    graded = sum(1 for n in names if n in reports)
    path.write_text(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; margin-bottom: 2em; }}
th, td {{ border: 1px solid #bbb; padding: 4px 10px; text-align: center; }}
tbody th {{ text-align: left; }}
td:last-child, #hardest td:nth-child(2) {{ text-align: left; }}
figure {{ display: inline-block; margin: 0 2em 1em 0; }}
figcaption {{ font-size: 0.9em; margin-bottom: 4px; }}
</style></head><body>
<h1>{escape(title)}</h1>
<p>{graded} of {len(names)} students graded, {time.strftime("%Y-%m-%d %H:%M")}.
Each chapter's points out of its maximum; ✗: the chapter did not compile (its exercises that
compile alone were graded).</p>
<h2>Students</h2>
<table id="students"><thead><tr><th>student</th>{header}<th>total</th><th>status</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
<h2>Totals per chapter</h2>
<div id="histograms">{''.join(histograms)}</div>
<h2>Tests most of the class fails</h2>
<table id="hardest"><thead><tr><th>chapter</th><th>test</th><th>fails for</th>
<th>the most common verdict</th></tr></thead><tbody>{''.join(hard_rows)}</tbody></table>
</body></html>
""")


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="tools/grade-class",
        description="Grades every student's copy in SUBMISSIONS (one folder each, named after the "
                    "student, holding their chapters/), one at a time, with tools/grade "
                    "--submission: only the exercise files count.")
    parser.add_argument("submissions", type=Path)
    parser.add_argument("chapters", nargs="*", help="the chapters to grade (all when none)")
    parser.add_argument("--out", type=Path, default=Path("grades"),
                        help="where the results are kept (default: grades/)")
    parser.add_argument("--csv", type=Path, help="write a table of points to this file")
    parser.add_argument("--html", type=Path, help="write the class's report to this file")
    parser.add_argument("--time-limit", type=int, default=1800,
                        help="seconds one student's grading may take (default 1800)")
    parser.add_argument("--again", action="store_true",
                        help="grade every student again, even those already graded")
    options = parser.parse_intermixed_args()

    if not options.submissions.is_dir():
        parser.error(f"{options.submissions} is not a folder")
    students = sorted(p for p in options.submissions.iterdir()
                      if p.is_dir() and not p.name.startswith("."))
    names = [p.name for p in students]
    bad = [n for n in names if not re.fullmatch(r"[\w.@+-]+", n)]
    if bad:
        parser.error(f"student folders need plain names (letters, digits, . _ @ + -): {bad}")
    if not students:
        parser.error(f"{options.submissions} has no student folders")
    (options.out / "results").mkdir(parents=True, exist_ok=True)

    tty = sys.stderr.isatty()
    started = time.monotonic()
    kept = 0
    interrupted = False
    try:
        for done, copy in enumerate(students):
            name = copy.name
            key = key_of(copy, options.chapters)
            key_file = options.out / "results" / f"{name}.key"
            result_file = options.out / "results" / f"{name}.json"
            progress(done, len(students), name, started, tty)
            if not (copy / "chapters").is_dir():
                result_file.write_text(json.dumps({
                    "chapters": [], "score": 0, "max_score": 0,
                    "grade_class": {"status": "no chapters/ folder"}}))
                key_file.write_text(key)
                continue
            if (not options.again and result_file.exists() and key_file.exists() and
                    key_file.read_text() == key):
                kept += 1
                continue
            key_file.unlink(missing_ok=True)
            grade_student(copy, name, options.out, options.chapters, options.time_limit)
            key_file.write_text(key)  # only once the result is there: resuming regrades the rest
        progress(len(students), len(students), "done", started, tty)
    except KeyboardInterrupt:
        interrupted = True
        sys.stderr.write("\ntools/grade-class: interrupted; run it again to grade the rest\n")

    reports = load(options.out, names)
    if options.csv:
        write_csv(options.csv, names, reports)
    if options.html:
        write_html(options.html, names, reports, f"Grades: {options.submissions.resolve().name}")
    summary = Counter(status_of(r) for r in reports.values())
    print(f"{len(reports)} of {len(names)} students graded ({kept} kept from an earlier run, "
          f"{time.monotonic() - started:.0f} s): " +
          ", ".join(f"{count} {status}" for status, count in sorted(summary.items())))
    for written in (options.csv, options.html):
        if written:
            print(f"wrote {written}")
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
