#!/usr/bin/python3
"""The seeds' experiments in Python, one per run, for tools/bench to set beside the C++.

    /usr/bin/python3 bench/seeds/experiments.py NAME --unit-ms U [--verbose]
    /usr/bin/python3 bench/seeds/experiments.py --list

Runs the experiment NAME (a row of experiments.json) as the seed notebook wrote it, with one
unit (of delay, or of CPU work) taking about U ms — once; the CPU rows three times, by turns with
one unit alone, keeping the best of each — and prints exactly one JSON line:

    {"experiment": NAME, "language": "python", "seconds": S, "unit_seconds": U,
     "ratio": S/U, "result_ok": true, "detail": "..."}

What the seeds print goes to stderr with --verbose, and nowhere without it: stdout carries the
JSON line alone. Standard library only; it reads nothing but its arguments. Modules are imported
where an experiment needs them, so that a run pays only for its own (asyncio and multiprocessing
take tens of ms to import, much of a run at the quick unit).
"""

import json
import sys
import threading
import time

VERBOSE = False


def say(*args):
    """The seeds' print(): kept off stdout, which is for the one JSON line."""
    if VERBOSE:
        print(*args, file=sys.stderr)


# --- Seed 000: AsyncTests, the three users -------------------------------------------------


class AsyncTests:
    """Sync and Async functions together with block and non-blocking functions to be tested."""

    def sync_user_call(self, user, delay):
        time.sleep(delay)
        say(f"This is user {user} calling the method sync with delay = {delay}")
        return user

    async def async_user_call(self, user, delay):
        time.sleep(delay)  # blocking func
        say(f"This is user {user} calling the method async with a blocking task with delay = {delay}")
        return user

    async def async_user_call_nonblocking(self, user, delay):
        import asyncio

        await asyncio.sleep(delay)  # non-blocking func
        say(f"This is user {user} calling the method async with a non-blocking task with delay = {delay}")
        return user


def users_result(seconds, unit, users):
    return seconds, unit, users == [1, 2, 3], f"users {users}"


def three_users_sync(unit):
    users = [AsyncTests() for _ in range(3)]
    start = time.perf_counter()
    done = [user.sync_user_call(user=i + 1, delay=unit) for i, user in enumerate(users)]
    return users_result(time.perf_counter() - start, unit, done)


def three_users_async_blocking(unit):
    import asyncio

    # The seed awaits the three calls one after another; gathered they take the sum all the same
    # (the blocking sleep stalls the loop's only thread), which makes the point harder to miss.
    async def main():
        users = [AsyncTests() for _ in range(3)]
        start = time.perf_counter()  # timed inside the running loop, as in the notebook
        done = await asyncio.gather(*(u.async_user_call(user=i + 1, delay=unit) for i, u in enumerate(users)))
        return time.perf_counter() - start, list(done)

    seconds, done = asyncio.run(main())
    return users_result(seconds, unit, done)


def three_users_gather(unit):
    import asyncio

    async def main():
        users = [AsyncTests() for _ in range(3)]
        start = time.perf_counter()
        done = await asyncio.gather(
            *(u.async_user_call_nonblocking(user=i + 1, delay=unit) for i, u in enumerate(users))
        )
        return time.perf_counter() - start, list(done)

    seconds, done = asyncio.run(main())
    return users_result(seconds, unit, done)


# --- Seed 003: test_async.py, and the cake and the groceries -----------------------------


def five_tasks_gather(unit):
    import asyncio

    finished = []

    async def example_coroutine(i):
        time_io_wait = 3 * unit
        await asyncio.sleep(time_io_wait)  # This simulates waiting some function
        finished.append(i)

    async def main():
        tasks = []
        t0 = time.time()
        for i in range(5):
            say(f"time passed after iter {i} is {time.time() - t0}")
            tasks.append(asyncio.ensure_future(example_coroutine(i)))
        await asyncio.gather(*tasks)

    # As test_async.py times it: the loop's creation and run included. (A new loop rather than
    # get_event_loop(), which warns when no loop runs.)
    t0 = time.perf_counter()
    loop = asyncio.new_event_loop()
    loop.run_until_complete(main())
    loop.close()
    seconds = time.perf_counter() - t0
    say(f"\nTotal time needed was {seconds}\n")
    return seconds, unit, sorted(finished) == [0, 1, 2, 3, 4], f"{len(finished)} tasks finished"


def cake_sequential(minute):
    start = time.perf_counter()
    done = {}

    def minutes():
        return round((time.perf_counter() - start) / minute)

    def bake_cake():
        time.sleep(15 * minute)  # prepare the dough
        time.sleep(45 * minute)  # the oven: we stand in front of it
        done["cake"] = minutes()
        say(f"{done['cake']} min: cake baked")

    def buy_groceries():
        time.sleep(20 * minute)
        done["groceries"] = minutes()
        say(f"{done['groceries']} min: groceries bought")

    bake_cake()
    buy_groceries()
    seconds = time.perf_counter() - start
    ok = done["cake"] < done["groceries"]
    return seconds, minute, ok, f"cake at {done['cake']} min, groceries at {done['groceries']} min"


def cake_concurrent(minute):
    import asyncio

    done = {}

    async def main():
        start = time.perf_counter()

        def minutes():
            return round((time.perf_counter() - start) / minute)

        async def bake_cake():
            time.sleep(15 * minute)  # the dough: work the cook cannot leave
            await asyncio.sleep(45 * minute)  # the oven: only waiting, so the cook is free
            done["cake"] = minutes()
            say(f"{done['cake']} min: cake baked")

        async def buy_groceries():
            await asyncio.sleep(20 * minute)
            done["groceries"] = minutes()
            say(f"{done['groceries']} min: groceries bought")

        await asyncio.gather(bake_cake(), buy_groceries())
        return time.perf_counter() - start

    seconds = asyncio.run(main())
    # The groceries are bought while the cake bakes: they are done first.
    ok = done["groceries"] < done["cake"]
    return seconds, minute, ok, f"groceries at {done['groceries']} min, cake at {done['cake']} min"


# --- Seed 002: cpu_bound and io_bound on threads; the join trap --------------------------


def cpu_bound(start: int, end: int, step: int):
    return sum([num**2 for num in range(start, end, step)])


def squares_below(n):
    """sum(k² for 1 <= k < n), to check cpu_bound(1, n, 1) against."""
    return (n - 1) * n * (2 * n - 1) // 6


def calibrate_cpu_bound(unit):
    """The n for which cpu_bound(1, n, 1) takes about `unit` seconds here: grown until a run
    takes an eighth of the unit (long enough to measure), then scaled, and scaled again after a
    run at that size."""
    n = 10_000
    while True:
        start = time.perf_counter()
        cpu_bound(1, n, 1)
        elapsed = time.perf_counter() - start
        if elapsed >= unit / 8:
            break
        n *= 2
    # Once more at about a unit: the short first runs are cold, and would make the unit short.
    n = max(1000, int(n * unit / elapsed))
    start = time.perf_counter()
    cpu_bound(1, n, 1)
    elapsed = time.perf_counter() - start
    return max(1000, int(n * unit / elapsed))


ROUNDS = 3


def best_of_interleaved(one_unit, experiment):
    """Times one_unit() and experiment() by turns, ROUNDS times, and keeps the best of each: on
    a shared machine a busy moment only ever slows a run down, and taking turns exposes both to
    the same moments. Returns the best unit, the best experiment, and how many CPUs were busy
    in the best experiment round."""
    best_unit = best = float("inf")
    cpus = 0.0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        one_unit()
        best_unit = min(best_unit, time.perf_counter() - start)
        cpu_before = cpu_time()
        start = time.perf_counter()
        experiment()
        elapsed = time.perf_counter() - start
        if elapsed < best:
            best = elapsed
            cpus = (cpu_time() - cpu_before) / elapsed
    return best_unit, best, cpus


def cpu_time():
    """The CPU time used so far by this process (all its threads) and its children waited for:
    over the wall time, how many CPUs were busy (about 2 when two really ran at once)."""
    import resource  # getrusage counts in µs; os.times() in 10 ms ticks, too coarse for 5 ms units

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def cpu_threads(unit):
    """Two CPython threads, each doing one unit of cpu_bound: the GIL runs one at a time. One
    unit is cpu_bound alone, on this thread."""
    n = calibrate_cpu_bound(unit)
    expected = squares_below(n)
    ok = [True]

    def one_unit():
        right = cpu_bound(1, n, 1) == expected  # the work first: a failed check must not skip it
        ok[0] = right and ok[0]

    def experiment():
        results = [None, None]

        def work(i):
            results[i] = cpu_bound(1, n, 1)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ok[0] = results == [expected] * 2 and ok[0]

    one, seconds, cpus = best_of_interleaved(one_unit, experiment)
    return seconds, one, ok[0], f"2 threads x cpu_bound(1, {n}, 1), {cpus:.2f} CPUs busy"


def checked_cpu_bound(n):
    """A child process's target: a wrong sum shows in its exit code."""
    if cpu_bound(1, n, 1) != squares_below(n):
        raise SystemExit(3)


def cpu_processes(unit):
    """Two processes, each doing one unit of cpu_bound, each with a GIL of its own. Starting
    them is part of what is timed, as in the seed."""
    import multiprocessing

    n = calibrate_cpu_bound(unit)
    # fork, Linux's default in 3.11, named so that a later default (forkserver) does not change
    # what is measured.
    context = multiprocessing.get_context("fork")
    codes = []

    def experiment():
        processes = [context.Process(target=checked_cpu_bound, args=(n,)) for _ in range(2)]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        codes.extend(process.exitcode for process in processes)

    one, seconds, cpus = best_of_interleaved(lambda: cpu_bound(1, n, 1), experiment)
    ok = codes == [0] * 2 * ROUNDS
    return seconds, one, ok, f"2 processes x cpu_bound(1, {n}, 1), exit codes {sorted(set(codes))}, {cpus:.2f} CPUs busy"


def named_timer(name: str, times: dict):
    """The seed's decorator, recording into `times` instead of printing only."""

    def timer(func):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            res = func(*args, **kwargs)
            times[name] = time.perf_counter() - start
            say(f"{name} elapsed time: {round(times[name], 2)}")
            return res

        return wrapper

    return timer


def io_bound(sleep_time):
    time.sleep(sleep_time)


def io_threads(unit):
    times = {}
    t1 = threading.Thread(target=named_timer("T1", times)(io_bound), args=(1 * unit,))
    t2 = threading.Thread(target=named_timer("T2", times)(io_bound), args=(2 * unit,))
    start = time.perf_counter()
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    seconds = time.perf_counter() - start
    each = [times.get("T1", 0) / unit, times.get("T2", 0) / unit]
    ok = len(times) == 2
    return seconds, unit, ok, "threads slept {:.2f} and {:.2f} units".format(*each)


def three_sleepers(unit, times):
    return [
        threading.Thread(target=named_timer(f"T{i}_imp", times)(io_bound), args=(unit,))
        for i in range(1, 4)
    ]


def join_in_loop(unit):
    times = {}
    threads = three_sleepers(unit, times)
    start = time.perf_counter()
    for thread in threads:
        thread.start()
        thread.join()  # the trap: the next thread starts only when this one has ended
    seconds = time.perf_counter() - start
    return seconds, unit, len(times) == 3, f"{len(times)} threads ran"


def start_all_then_join(unit):
    times = {}
    threads = three_sleepers(unit, times)
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    return seconds, unit, len(times) == 3, f"{len(times)} threads ran"


# --- Seed 001: Pool(5).map(f, [1, 2, 3]) ---------------------------------------------------


def square_after(delay, x):
    """The seed's f(x) = x*x, after a sleep of one unit, so that the time shows whether the
    three inputs were squared at once."""
    time.sleep(delay)
    return x * x


def pool_map(unit):
    import functools
    import multiprocessing

    context = multiprocessing.get_context("fork")
    start = time.perf_counter()
    p = context.Pool(5)  # timed, as the seed's cell would be: the pool is part of the cost
    result = p.map(functools.partial(square_after, unit), [1, 2, 3])
    seconds = time.perf_counter() - start
    p.close()
    p.join()
    return seconds, unit, result == [1, 4, 9], f"map(square, [1, 2, 3]) = {result}"


EXPERIMENTS = {
    "three_users_sync": three_users_sync,
    "three_users_async_blocking": three_users_async_blocking,
    "three_users_gather": three_users_gather,
    "five_tasks_gather": five_tasks_gather,
    "cake_sequential": cake_sequential,
    "cake_concurrent": cake_concurrent,
    "cpu_threads_gil": cpu_threads,
    # CPython has no other threads: the Python column of the row C++ runs without a GIL.
    "cpu_threads_no_gil": cpu_threads,
    "cpu_processes": cpu_processes,
    "io_threads": io_threads,
    "join_in_loop": join_in_loop,
    "start_all_then_join": start_all_then_join,
    "pool_map": pool_map,
}


USAGE = """usage: experiments.py NAME --unit-ms U [--verbose]
       experiments.py --list
Runs one of the seeds' experiments (see experiments.json) with one unit of delay or work of about
U ms, and prints one JSON line."""


def usage_error(message):
    print(f"experiments.py: {message}\n{USAGE}", file=sys.stderr)
    return 2


def main(argv):
    # Parsed by hand, as seed_experiments parses them: argparse alone would add a tenth of the
    # run of a quick experiment.
    global VERBOSE
    name, unit_ms, listing = None, None, False
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--list":
            listing = True
        elif arg == "--verbose":
            VERBOSE = True
        elif arg in ("--help", "-h"):
            print(USAGE)
            return 0
        elif arg == "--unit-ms" or arg.startswith("--unit-ms="):
            if arg == "--unit-ms":
                if not args:
                    return usage_error("--unit-ms needs a value")
                value = args.pop(0)
            else:
                value = arg.split("=", 1)[1]
            try:
                unit_ms = float(value)
            except ValueError:
                unit_ms = None
            if unit_ms is None or not 0 < unit_ms < float("inf"):
                return usage_error(f"--unit-ms wants a number of ms above 0, not '{value}'")
        elif arg.startswith("-"):
            return usage_error(f"unknown option '{arg}'")
        elif name is None:
            name = arg
        else:
            return usage_error("one experiment at a time")
    if listing:
        print("\n".join(EXPERIMENTS))
        return 0
    if name is None:
        return usage_error("name an experiment (--list prints them)")
    if name not in EXPERIMENTS:
        print(f"experiments.py: no experiment '{name}' (--list prints them)", file=sys.stderr)
        return 2
    if unit_ms is None:
        return usage_error("--unit-ms U is needed")

    seconds, unit, ok, detail = EXPERIMENTS[name](unit_ms / 1000)
    line = {
        "experiment": name,
        "language": "python",
        "seconds": round(seconds, 6),
        "unit_seconds": round(unit, 6),
        "ratio": round(seconds / unit, 4),
        "result_ok": bool(ok),
        "detail": detail,
    }
    print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
