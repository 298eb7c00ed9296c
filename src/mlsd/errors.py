"""Error types shared by the library, the hooks and the CLI.

Every error the library raises on purpose derives from :class:`MlsdError`, so the
CLI can turn it into one clear line instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class MlsdError(Exception):
    """An expected failure with a message meant for the person at the terminal."""


@dataclass(frozen=True)
class Problem:
    """One finding in a preset file: where it is and what is wrong."""

    file: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.field:
            return f"{where}: {self.field}: {self.message}"
        return f"{where}: {self.message}"


class PresetError(MlsdError):
    """A preset file that cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownPresetError(MlsdError):
    """A preset id that names no preset; the message lists the nearest ids."""

    def __init__(self, preset_id: str, near: list[str]):
        self.preset_id = preset_id
        self.near = near
        hint = f"did you mean {', '.join(near)}? " if near else ""
        super().__init__(
            f"unknown preset '{preset_id}': {hint}run 'mlsd list' to see every preset id"
        )


class InvalidNameError(MlsdError):
    """A system name or slug that breaks a naming rule."""
