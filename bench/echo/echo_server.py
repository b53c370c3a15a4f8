#!/usr/bin/python3
"""Python's echo server, on asyncio's streams — for bench/echo's load client.

    $ /usr/bin/python3 bench/echo/echo_server.py asyncio|uvloop
    listening 41733

The same protocol as echo_server.cpp: it listens on 127.0.0.1, on a port the kernel picks, and
says which as its first line on stdout; it serves until its stdin ends (when stdin is a pipe, a
socket or a terminal) or it gets SIGTERM or SIGINT, then closes every connection and exits 0.

`asyncio` runs on asyncio's own event loop, `uvloop` on uvloop's (libuv underneath, as the C++
servers): the same code, only the loop differs. Debian's python3-uvloop provides uvloop for
/usr/bin/python3.
"""

import asyncio
import ctypes
import os
import signal
import stat
import sys

PR_SET_PDEATHSIG = 1  # <sys/prctl.h>


def die_with_parent():
    """Never outlive the benchmark: when it dies, the kernel sends SIGTERM (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: stdin's end still stops the server


def stdin_can_end():
    """Whether stdin's end says the benchmark is done (see echo_server.cpp)."""
    try:
        mode = os.fstat(0).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or os.isatty(0)


class _StdinWatcher(asyncio.Protocol):
    """Ignores what arrives on stdin; its end sets `stop`."""

    def __init__(self, stop):
        self._stop = stop

    def data_received(self, data):
        pass

    def eof_received(self):
        self._stop.set()

    def connection_lost(self, exc):
        self._stop.set()


async def serve():
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    connections = set()  # every client's writer, so that stopping can close them

    async def echo(reader, writer):
        connections.add(writer)
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass  # the client went away, or the server is stopping: this client is done
        finally:
            connections.discard(writer)
            writer.close()

    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    if stdin_can_end():
        await loop.connect_read_pipe(lambda: _StdinWatcher(stop), sys.stdin)
    else:
        print("echo_server.py: stdin is not a pipe or a terminal: stop me with SIGTERM",
              file=sys.stderr)

    server = await asyncio.start_server(echo, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(f"listening {port}", flush=True)  # the benchmark waits for this line
    async with server:
        await stop.wait()
        server.close()  # no new connections
        for writer in list(connections):
            writer.close()
        await server.wait_closed()
    # Let the handlers see their connections end and return.
    pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


def main():
    kinds = ("asyncio", "uvloop")
    if len(sys.argv) != 2 or sys.argv[1] not in kinds:
        print("usage: echo_server.py asyncio|uvloop", file=sys.stderr)
        return 2
    if sys.version_info < (3, 11):  # asyncio.Runner
        print(f"echo_server.py: needs Python 3.11 or later, not {sys.version.split()[0]} "
              "(run it with /usr/bin/python3)", file=sys.stderr)
        return 1
    die_with_parent()
    loop_factory = None  # asyncio's own
    if sys.argv[1] == "uvloop":
        try:
            import uvloop
        except ImportError:
            print(f"echo_server.py: uvloop is missing for {sys.executable} "
                  "(Debian: apt install python3-uvloop, for /usr/bin/python3)", file=sys.stderr)
            return 1
        loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
