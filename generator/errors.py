"""The one error type of cmgen, and how a location is printed.

Every error carries where it happened. The CLI is the only place that catches it
(see ``generator.cli``) and maps it to exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file or "cmgen"]
        if self.file is not None and self.line is not None:
            parts.append(str(self.line))
            parts.append(str(self.column or 1))
        return ":".join(parts)


class CmgenError(Exception):
    """Bad input or usage: printed as ``FILE:LINE:COL: error: message``, exit 2."""

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        context: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = Location(file, line, column)
        self.context = context

    def within(self, context: str) -> CmgenError:
        """Return the same error with an outer context line ("while rendering env x")."""
        return CmgenError(
            self.message,
            self.location.file,
            self.location.line,
            self.location.column,
            (*self.context, context),
        )

    def at(self, file: str, line: int | None = None, column: int | None = None) -> CmgenError:
        """Return the same error placed at a location, if it had none yet."""
        if self.location.file is not None:
            return self
        return CmgenError(self.message, file, line, column, self.context)

    def render(self) -> str:
        lines = [f"{self.location}: error: {self.message}"]
        lines.extend(f"  {context}" for context in self.context)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()
