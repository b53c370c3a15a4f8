#!/usr/bin/python3
"""Measures echo servers, each in a process of its own, under bench/echo's load client.

As a module (tools/bench imports it; the standard library only):

    measure(server_command, connections, size, seconds) -> dict
        starts the server, reads its port, runs load_client against it, stops the server
        (whatever happens) and gives the client's JSON as a dict.

As a program, the whole comparison — every server at 1, 10, 100 and 1,000 connections, rounds
interleaved, the best of k rounds per figure:

    $ /usr/bin/python3 bench/echo/run_servers.py [--quick] [--rounds K] [--seconds S]
          [--size BYTES] [--servers coroutine,uvloop,...] [--connections 1,10,...]
          [--build build-solutions] [--json]

It needs build-solutions/bench/{echo_server,load_client} (cmake --preset solutions; cmake
--build build-solutions --target bench_echo_server bench_load_client) and /usr/bin/python3 for
the Python servers (Debian's python3-uvloop for uvloop).
"""

import argparse
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
PYTHON = "/usr/bin/python3"  # Debian's, with python3-uvloop (not a pyenv's python3 on PATH)

# The servers in the order a table shows them: chapter 8's two first, then the baselines.
SERVERS = ("coroutine", "callback", "c_style", "threads", "asyncio", "uvloop")

START_TIMEOUT = 10.0  # seconds for a server to say "listening PORT"
STOP_TIMEOUT = 3.0  # seconds for a server to exit at stdin's end, before SIGTERM, then SIGKILL


class MeasureError(RuntimeError):
    """A server or the load client failed; the message includes what they wrote on stderr."""


def server_commands(build=REPOSITORY / "build-solutions"):
    """Each server's command line, by name."""
    binaries = Path(build) / "bench"
    commands = {kind: [str(binaries / "echo_server"), kind]
                for kind in ("coroutine", "callback", "c_style", "threads")}
    script = str(Path(__file__).resolve().with_name("echo_server.py"))
    commands.update({kind: [PYTHON, script, kind] for kind in ("asyncio", "uvloop")})
    return commands


def _tail(stream, limit=4000):
    stream.seek(0)
    text = stream.read().decode(errors="replace")
    return text[-limit:].strip()


def _read_port(server, deadline):
    """The port from the server's first line, "listening PORT"."""
    line = b""
    with selectors.DefaultSelector() as selector:
        selector.register(server.stdout, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise MeasureError(f"no 'listening PORT' within {START_TIMEOUT:.0f} s")
            chunk = os.read(server.stdout.fileno(), 256)
            if not chunk:
                raise MeasureError(f"the server exited before listening (status {server.wait()})")
            line += chunk
    words = line.split(b"\n", 1)[0].split()
    if len(words) != 2 or words[0] != b"listening" or not words[1].isdigit():
        raise MeasureError(f"the server's first line is not 'listening PORT': {line!r}")
    return int(words[1])


def _cpu_seconds(pid):
    """The CPU time (user + system) a running process has used so far, from /proc (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()  # after the command's name
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _stop(server):
    """Stops the server: first its stdin ends, the way it is meant to stop; SIGTERM if it has
    not exited after STOP_TIMEOUT, SIGKILL after as long again. Gives its exit status (0 for a
    clean stop; negative: the signal that ended it). SIGTERM only comes late: sent at once, it
    could arrive while the server, already stopping at stdin's end, has put its handler away,
    and end it with -15 where it was about to exit 0."""
    try:
        server.stdin.close()
    except OSError:
        pass
    try:
        for last_resort in (server.terminate, server.kill):
            try:
                return server.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                last_resort()
        return server.wait()
    except BaseException:  # interrupted while waiting (Ctrl-C): no time for manners
        server.kill()
        server.wait()
        raise


def measure(server_command, connections, size, seconds, warmup=0.2, load_client=None):
    """Runs load_client against a fresh server for `seconds` (after `warmup`); gives the
    client's result: connections, size, seconds, requests, requests_per_second, p50_us, p99_us,
    errors; and, added here, client_cpu and server_cpu: the share of one core each used while
    the client ran (connecting and warm-up included) — near 1.0 says that side is the
    bottleneck. Raises MeasureError if the server or the client fails; the server is stopped in
    every case (and, started with PR_SET_PDEATHSIG, cannot outlive this process either)."""
    load_client = load_client or REPOSITORY / "build-solutions" / "bench" / "load_client"
    with tempfile.TemporaryFile() as server_errors:
        # stdin: a pipe that only this process holds, so that its end (here, or at our death)
        # stops the server. The server's stderr goes to a file: a pipe nobody reads could fill
        # up and block it.
        server = subprocess.Popen(server_command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=server_errors)
        failure = None
        result = None
        try:
            port = _read_port(server, time.monotonic() + START_TIMEOUT)
            server_cpu = _cpu_seconds(server.pid)
            children = os.times()
            client = subprocess.run(
                [str(load_client), "--port", str(port), "--connections", str(connections),
                 "--size", str(size), "--seconds", str(seconds), "--warmup", str(warmup)],
                stdin=subprocess.DEVNULL, capture_output=True,
                timeout=seconds + warmup + 60)  # connecting 1,000 takes well under a second
            if client.returncode != 0:
                failure = (f"load_client exited with status {client.returncode}:\n"
                           f"{client.stderr.decode(errors='replace').strip()}")
            else:
                result = json.loads(client.stdout.decode().strip().splitlines()[-1])
                after = os.times()
                wall = after.elapsed - children.elapsed
                client_cpu = (after.children_user - children.children_user +
                              after.children_system - children.children_system)
                server_after = _cpu_seconds(server.pid)
                result["client_cpu"] = round(client_cpu / wall, 2)
                if server_cpu is not None and server_after is not None:
                    result["server_cpu"] = round((server_after - server_cpu) / wall, 2)
        except subprocess.TimeoutExpired:
            failure = "load_client did not finish in time"
        except MeasureError as error:
            failure = str(error)
        finally:
            status = _stop(server)
        if status != 0 and failure is None:
            failure = (f"the server exited with status {status} when its stdin ended "
                       "(0 expected; negative: it had to be ended by that signal)")
        if failure is not None:
            raise MeasureError(f"{' '.join(server_command)}: {failure}\n"
                               f"--- the server's stderr ---\n{_tail(server_errors)}")
    return result


def run_matrix(commands, connection_counts, size, seconds, rounds, warmup, load_client,
               progress=None):
    """Every server at every connection count, `rounds` times; within a round the servers take
    turns (in an order that rotates from round to round), so that a slow moment of the machine
    does not fall on one server only. Gives {(server, connections): the best round's result}."""
    best = {}
    names = list(commands)
    for round_number in range(rounds):
        order = names[round_number % len(names):] + names[:round_number % len(names)]
        for connections in connection_counts:
            for name in order:
                result = measure(commands[name], connections, size, seconds, warmup, load_client)
                key = (name, connections)
                if key not in best or (result["requests_per_second"] >
                                       best[key]["requests_per_second"]):
                    best[key] = result
                if progress:
                    progress(round_number, name, result)
    return best


def print_table(best, names, connection_counts, file=sys.stdout):
    print(f"{'server':<10}" + "".join(f"{f'{n} conn.':>28}" for n in connection_counts), file=file)
    print(f"{'':<10}" + f"{'req/s   p50 µs   p99 µs':>28}" * len(connection_counts), file=file)
    for name in names:
        cells = []
        for n in connection_counts:
            r = best[(name, n)]
            cells.append(f"{r['requests_per_second']:>12,.0f} {r['p50_us']:>7.0f} "
                         f"{r['p99_us']:>7.0f}")
        print(f"{name:<10}" + "".join(f"{cell:>28}" for cell in cells), file=file)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="1 and 10 connections, 0.1 s each, one round: does it still run?")
    parser.add_argument("--servers", default=",".join(SERVERS))
    parser.add_argument("--connections", default="1,10,100,1000")
    parser.add_argument("--size", type=int, default=1024, help="bytes per message (1 KiB)")
    parser.add_argument("--seconds", type=float, default=1.0, help="per measurement")
    parser.add_argument("--warmup", type=float, default=0.2)
    parser.add_argument("--rounds", type=int, default=2, help="the best of K rounds counts")
    parser.add_argument("--build", default=str(REPOSITORY / "build-solutions"))
    parser.add_argument("--json", action="store_true", help="the results as JSON lines")
    parser.add_argument("--verbose", action="store_true",
                        help="each measurement on stderr as it comes, with both sides' CPU")
    options = parser.parse_args()
    if options.quick:
        options.connections, options.seconds, options.warmup, options.rounds = "1,10", 0.1, 0.05, 1

    every = server_commands(options.build)
    names = options.servers.split(",")
    unknown = [name for name in names if name not in every]
    if unknown:
        parser.error(f"unknown servers: {', '.join(unknown)} (known: {', '.join(SERVERS)})")
    commands = {name: every[name] for name in names}
    counts = [int(n) for n in options.connections.split(",")]
    load_client = Path(options.build) / "bench" / "load_client"
    for binary in (load_client, Path(options.build) / "bench" / "echo_server"):
        if not binary.exists():
            parser.error(f"{binary} is missing: cmake --build {options.build} "
                         "--target bench_echo_server bench_load_client")

    print(f"{len(names)} servers × {counts} connections on 127.0.0.1, {options.size}-byte "
          f"messages, one in flight per connection; {options.seconds:g} s per measurement "
          f"after {options.warmup:g} s of warm-up; the best of {options.rounds} interleaved "
          "round(s)", file=sys.stderr)
    def show(round_number, name, r):
        print(f"round {round_number + 1} {name:<10} {r['connections']:>5} conn. "
              f"{r['requests_per_second']:>10,.0f} req/s  p50 {r['p50_us']:>6.0f} µs  "
              f"p99 {r['p99_us']:>6.0f} µs  CPU: client {r.get('client_cpu', 0):.2f}, "
              f"server {r.get('server_cpu', 0):.2f}", file=sys.stderr)

    started = time.monotonic()
    try:
        best = run_matrix(commands, counts, options.size, options.seconds, options.rounds,
                          options.warmup, load_client, progress=show if options.verbose else None)
    except MeasureError as error:
        print(f"run_servers.py: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("run_servers.py: interrupted (the server in use was stopped)", file=sys.stderr)
        return 130
    elapsed = time.monotonic() - started

    if options.json:
        for (name, _), result in best.items():
            print(json.dumps({"server": name, **result}))
    else:
        print_table(best, names, counts)
    aims = []
    if {"coroutine", "uvloop", "callback"} <= set(names) and 100 in counts:
        rate = {name: best[(name, 100)]["requests_per_second"] for name in names}
        aims = [("coroutine / uvloop at 100 connections", rate["coroutine"] / rate["uvloop"], 2.0),
                ("coroutine / callback at 100 connections",
                 rate["coroutine"] / rate["callback"], 0.9)]
    for label, ratio, aim in aims:
        print(f"{label}: {ratio:.2f} (the aim: ≥ {aim:.1f}: "
              f"{'met' if ratio >= aim else 'MISSED'})", file=sys.stderr if options.json else sys.stdout)
    print(f"the whole run took {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
