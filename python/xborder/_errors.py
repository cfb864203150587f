"""`ModelError`: invalid input, with the diagnostics the CLI prints (exit code 2)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in an input: where (file and RFC 6901 JSON pointer), what, and a hint.

    The same fields as ``xborder … --error-format json``; ``code`` is stable (``XB-MODEL-012``).
    """

    code: str
    file: str
    pointer: str
    message: str
    hint: Optional[str] = None
    severity: str = "error"

    @classmethod
    def from_dict(cls, d: dict) -> "Diagnostic":
        return cls(code=d.get("code", ""), file=d.get("file", ""), pointer=d.get("pointer", ""),
                   message=d.get("message", ""), hint=d.get("hint") or None,
                   severity=d.get("severity", "error"))

    def to_dict(self) -> dict:
        return {"severity": self.severity, "code": self.code, "file": self.file,
                "pointer": self.pointer, "message": self.message, "hint": self.hint}

    def __str__(self) -> str:
        where = self.file + (f"#{self.pointer}" if self.pointer else "")
        text = f"{where}: {self.severity} {self.code}: {self.message}"
        return text + (f" ({self.hint})" if self.hint else "")


class ModelError(ValueError):
    """Invalid input (model, rule pack, scenario, regime, date …): nothing was checked.

    ``diagnostics`` lists every problem found (errors and warnings), each a `Diagnostic` with
    ``code``, ``file``, ``pointer``, ``message`` and ``hint``; ``errors`` only the errors.
    """

    def __init__(self, message: str, diagnostics: Iterable[Any] = ()):
        super().__init__(message)
        self.diagnostics: list[Diagnostic] = [
            d if isinstance(d, Diagnostic) else Diagnostic.from_dict(d) for d in diagnostics]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def codes(self) -> list[str]:
        return [d.code for d in self.errors]

    def __str__(self) -> str:
        # The first error as the CLI renders it, then every other diagnostic on a line of its own.
        errors = self.errors
        rest = [d for d in self.diagnostics if not errors or d is not errors[0]]
        return "\n".join([super().__str__()] + [f"  {d}" for d in rest])
