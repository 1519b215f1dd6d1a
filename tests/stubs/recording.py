"""The recording kubectl stand-in (tests/stubs/kubectl hands each call here through
``tests.stubs.server``): appends its argv to $STUB_LOG and answers canned output. State
(created Secrets, persistence markers, database rows, pod restarts) lives in $STUB_STATE; a
command containing $STUB_FAIL fails. psql and mongosh run through `exec` keep their rows
across a pod restart, unless $STUB_LOSE_DATA is set."""

from __future__ import annotations

import json
import os
import re
from typing import Any

# What tests/stubs/kubectl sends, in order.
FIELDS = ("PWD", "STUB_LOG", "STUB_STATE", "STUB_FAIL", "STUB_LOSE_DATA")
_TOKEN = re.compile(r"cmgen-[0-9]+-[0-9]+-[0-9]+")
_CLIENT = re.compile(r"\b(psql|mongosh) ")


def serve_call(environ: dict[str, str], stdin: str, tool: str, args: list[str]) -> tuple[int, str, str]:
    """One ``kubectl ARGS`` call: (exit code, stdout, stderr)."""
    with open(environ["STUB_LOG"], "a") as log:
        log.write(f"{tool} {' '.join(args)}\n")
    if environ["STUB_FAIL"] and environ["STUB_FAIL"] in " ".join(args):
        return 1, "", ""
    state = _Store(environ["STUB_STATE"])
    code, out = _kubectl(args, state, environ)
    return code, out, ""


class _Store:
    """The JSON state, read on first use and written back by ``save``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._data: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if not self._data:
            if os.path.exists(self.path):
                with open(self.path) as file:
                    self._data.update(json.load(file))
            else:
                self._data.update({"secrets": [], "marker": ""})
            self._data.setdefault("rows", [])
            self._data.setdefault("restarts", 0)
        return self._data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self[key]  # loaded first
        self._data[key] = value

    def save(self) -> None:
        self["rows"]  # loaded first
        with open(self.path, "w") as file:
            file.write(json.dumps(self._data))


def _kubectl(args: list[str], state: _Store, environ: dict[str, str]) -> tuple[int, str]:
    namespace = args[args.index("-n") + 1] if "-n" in args else ""
    if "get" in args and "secret" in args:
        name = args[args.index("secret") + 1]
        if f"{namespace}/{name}" not in state["secrets"]:
            return 1, ""
        return 0, "c3RvcmVkLXNlY3JldA==" if "-o" in args else ""  # base64 of an existing value
    if "create" in args and "secret" in args:
        name = args[args.index("generic") + 1]
        folder = os.path.join(environ["PWD"], next(a for a in args if a.startswith("--from-file=")).split("=", 1)[1])

        def read(key: str) -> str:
            with open(os.path.join(folder, key)) as file:
                return file.read()

        keys = sorted(key for key in os.listdir(folder) if read(key))
        with open(environ["STUB_LOG"], "a") as log:
            log.write(f"  secret {namespace}/{name} keys={','.join(keys)} value={read(keys[0])}\n")
        state["secrets"].append(f"{namespace}/{name}")
        state.save()
        return 0, ""
    if "endpointslices" in args:
        return 0, "10.0.0.1"
    if "pvc" in args and "get" in args:
        return 0, "Bound"
    if "get" in args and "-o" in args and "uid" in args[args.index("-o") + 1]:
        return 0, f"uid-{state['restarts']}"  # a new pod after every delete
    if "pods" in args and "get" in args:
        return 0, "pod-0"
    if "delete" in args and "pod" in args:
        state["restarts"] += 1
        if environ["STUB_LOSE_DATA"]:
            state["rows"] = []
        state.save()
        return 0, ""
    if "exec" in args:
        return 0, _exec(args[args.index("--") + 1:], namespace, state)
    return 0, ""


def _exec(command: list[str], namespace: str, state: _Store) -> str:
    if command[0] == "curl":
        return "0.012"
    if command[:2] == ["sh", "-c"] and _CLIENT.search(command[2]):
        statement = command[-1]
        token = _TOKEN.search(statement)
        key = f"{namespace}/{command[4:8]}/{token[0] if token else ''}"  # password file, user, database, port
        out = ""
        if "INSERT INTO" in statement or "insertOne" in statement:
            state["rows"].append(key)
        elif "DELETE FROM" in statement or "deleteOne" in statement:
            state["rows"] = [row for row in state["rows"] if row != key]
        elif token and key in state["rows"]:  # a read
            out = token[0] + "\n"
        state.save()
        return out
    if command[:2] == ["sh", "-c"] and "persistence" in command[2]:
        state["marker"] = command[4]
        state.save()
        return ""
    if command[0] == "cat":
        return state["marker"] + "\n"
    if command[:2] == ["sh", "-c"] and "dd " in command[2]:
        return "16777216 bytes (16.0MB) copied, 0.1 seconds, 160MB/s\n"
    return ""
