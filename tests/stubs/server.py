"""The stand-ins' server: a bash stand-in (tests/stubs/kubectl, tests/stubs/cluster/*) hands
each call to it over loopback TCP with bash built-ins only, so a call costs a bash start, not
a Python one (a script run makes from dozens to over a thousand calls).

Request: NUL-terminated fields: the stand-in's environment variables ``fields`` (in order),
its stdin, the argument count, the tool's name, the arguments. Answer: exit code, stdout,
stderr, each NUL-terminated. Calls are handled one at a time, in the order they arrive."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# (environment, stdin, tool, arguments) -> (exit code, stdout, stderr)
Handler = Callable[[dict[str, str], str, str, list[str]], tuple[int, str, str]]


@contextmanager
def serve(handle: Handler, fields: tuple[str, ...]) -> Iterator[int]:
    """A server running ``handle`` on a free loopback port (yielded) until the block ends."""
    lock = threading.Lock()

    class _Request(socketserver.StreamRequestHandler):
        def field(self) -> str:
            data = bytearray()
            while (byte := self.rfile.read(1)) not in (b"\0", b""):
                data += byte
            return data.decode()

        def handle(self) -> None:
            environ = {name: self.field() for name in fields}
            stdin = self.field()
            count = int(self.field())
            tool = self.field()
            args = [self.field() for _ in range(count)]
            with lock:
                code, out, err = handle(environ, stdin, tool, args)
            self.wfile.write(f"{code}\0{out}\0{err}\0".encode())

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Request)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
