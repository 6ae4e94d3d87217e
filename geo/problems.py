"""Problems found in curated data, and how pydantic's errors become readable ones."""

from __future__ import annotations

import difflib
import enum
import math
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from geo.io import LineMap

__all__ = [
    "Problem",
    "Severity",
    "ValidationError",
    "display_path",
    "field_name",
    "problems_from_pydantic",
]


class ValidationError(ValueError):
    """Raised by strict loading when curated data has errors; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


class Severity(enum.StrEnum):
    """An error rejects the record; a warning keeps it and asks a curator to look."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one record, located by file and line."""

    path: str  # as given to the loader, relative when the data dir was relative
    line: int
    record: str  # the record id, or the file stem when the record has no usable id
    field: str  # "locations[1].lat"; "(file)" for the file as a whole
    message: str
    severity: Severity = Severity.ERROR
    code: str | None = None  # a warning's short code, e.g. "precision-crosses-line"
    acknowledged: str | None = None  # the curator's reason, when the record acknowledges it

    def format(self) -> str:
        """Return the one-line form ``path:line: record: field: message``.

        A warning reads ``...: field: warning: message [code]``, and an acknowledged one ends
        with the curator's reason: ``[code, acknowledged: reason]``.
        """
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        suffix = ""
        if self.code:
            reason = f", acknowledged: {self.acknowledged}" if self.acknowledged else ""
            suffix = f" [{self.code}{reason}]"
        return (
            f"{self.path}:{self.line}: {self.record}: {self.field}: {prefix}{self.message}{suffix}"
        )


def field_name(path: tuple[str | int, ...]) -> str:
    """Return the dotted form of a path: ``("locations", 1, "lat")`` -> ``locations[1].lat``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(record)"


def _data_path(data: Any, loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Keep the parts of a pydantic ``loc`` that exist in the data (drop union/validator tags)."""
    path: list[str | int] = []
    current = data
    for part in loc:
        in_dict = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and not _is_tag(part):
            path.append(part)  # a missing field: name it
            current = None
        # else: a pydantic tag such as "function-after[...]" or "list[...]": skip it
    return tuple(path)


def _is_tag(part: str) -> bool:
    return any(ch in part for ch in "[]()") or part in {"str", "int", "float", "bool"}


def _shorten(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_RANGES = {"lat": (-90, 90), "lon": (-180, 180)}


def _model_at(model: type[BaseModel] | None, path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """Return the model class that holds the field at ``path`` (the parent of its last part)."""
    for part in path[:-1]:
        if model is None or isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return None
        model = _find_model(info.annotation)
    return model


def _find_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _find_model(arg)
        if found is not None:
            return found
    return None


def _message(error: dict[str, Any], known_fields: set[str]) -> str:
    kind = error["type"]
    given = error.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        close = difflib.get_close_matches(name, sorted(known_fields), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown field {name!r}{hint}"
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    message = message.replace("Input should be", "must be")
    message = message.replace("String should", "must").replace("List should", "must")
    message = message[0].lower() + message[1:]
    if isinstance(given, float) and not math.isfinite(given):
        return f"must be a finite number, got {given}"
    if kind in {"greater_than_equal", "less_than_equal"} and error["loc"][-1] in _RANGES:
        low, high = _RANGES[error["loc"][-1]]
        return f"must be in [{low}, {high}], got {_shorten(given)}"
    if isinstance(given, dict | list):
        return f"{message}, got a {type(given).__name__}"
    return f"{message}, got {_shorten(given)}"


def problems_from_pydantic(
    exc: PydanticValidationError,
    *,
    data: Any,
    lines: LineMap,
    path: str,
    record: str,
    prefix: tuple[str | int, ...] = (),
    model: type[BaseModel] | None = None,
) -> list[Problem]:
    """Turn a pydantic ValidationError into one :class:`Problem` per error, with lines.

    ``model`` is the class that was validated; it lets an unknown field get a "did you mean"
    suggestion from the fields allowed at that place.
    """
    problems = []
    seen = set()
    for error in exc.errors(include_url=False):
        field_path = _data_path(data, tuple(error["loc"]))
        parent = _model_at(model, field_path)
        known_fields = set(parent.model_fields) if parent is not None else set()
        message = _message(error, known_fields)
        key = (field_path, message)
        if key in seen:
            continue
        seen.add(key)
        problems.append(
            Problem(
                path=path,
                line=lines.line_of(field_path),
                record=record,
                field=field_name(prefix + field_path),
                message=message,
            )
        )
    return problems


def display_path(path: Path) -> str:
    """Return ``path`` as the user would type it: relative to the working directory if inside."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
