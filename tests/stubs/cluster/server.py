"""The double's server: the bash stand-ins (kubectl, helm, istioctl, minikube next to this
file) hand each call to it over loopback TCP with bash built-ins only, so a call costs a bash
start, not a Python one (a deploy makes over a hundred calls)."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tests.stubs.cluster.double import Call, handle

FIELDS = ("PWD", "STUB_STATE", "STUB_LOG", "STUB_CLUSTER", "STUB_ISTIOCTL_VERSION")


class _Handler(socketserver.StreamRequestHandler):
    """Request: NUL-terminated fields: FIELDS, stdin, argument count, tool, arguments.
    Answer: exit code, stdout, stderr, each NUL-terminated."""

    def field(self) -> str:
        data = bytearray()
        while (byte := self.rfile.read(1)) not in (b"\0", b""):
            data += byte
        return data.decode()

    def handle(self) -> None:
        environ = {name: self.field() for name in FIELDS}
        stdin = self.field()
        count = int(self.field())
        tool = self.field()
        args = [self.field() for _ in range(count)]
        with _LOCK:
            code, out, err = handle(Call(environ, stdin), tool, args)
        self.wfile.write(f"{code}\0{out}\0{err}\0".encode())


_LOCK = threading.Lock()


@contextmanager
def serve() -> Iterator[int]:
    """The double's server, on a free loopback port (yielded) until the block ends."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
