"""A million asyncio tasks asleep at once: how long they take, and what each costs in memory —
the Python half of tools/bench's "many tasks" (many_tasks.cpp is chapter 7's loop).

    $ /usr/bin/python3 bench/tasks/many_tasks.py --tasks 1000000 --sleep-ms 100
    {"language": "python", "tasks": 1000000, "sleep_ms": 100, "seconds": ..., ...}

As many_tasks.cpp does: every task is created first, then gathered, so all of them are asleep
at the same moment; the peak resident memory minus what the interpreter held before is what
they cost. One JSON line on stdout.
"""

import argparse
import asyncio
import json
import time


def peak_rss_bytes() -> int:
    """The kernel's high-water mark of the resident set (VmHWM), as many_tasks.cpp reads it."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("/proc/self/status has no VmHWM line")


async def naps(seconds: float) -> None:
    await asyncio.sleep(seconds)


async def spawns_and_awaits(tasks: int, sleep_ms: int) -> dict:
    rss_before = peak_rss_bytes()
    start = time.perf_counter()
    running = [asyncio.create_task(naps(sleep_ms / 1000)) for _ in range(tasks)]
    await asyncio.gather(*running)
    seconds = time.perf_counter() - start
    rss_peak = peak_rss_bytes()
    return {
        "language": "python",
        "tasks": tasks,
        "sleep_ms": sleep_ms,
        "seconds": round(seconds, 4),
        "peak_rss_bytes": rss_peak,
        "rss_per_task": round((rss_peak - rss_before) / tasks, 1),
    }


def positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"wants a positive whole number, not {text}")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=positive, default=1_000_000)
    parser.add_argument("--sleep-ms", type=positive, default=100)
    options = parser.parse_args()
    print(json.dumps(asyncio.run(spawns_and_awaits(options.tasks, options.sleep_ms))))


if __name__ == "__main__":
    main()
