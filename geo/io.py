"""Read curated files: YAML with a line number for every value, GeoJSON with feature lines.

Nothing here judges content beyond syntax; :mod:`geo.validate` does that. Readers return plain
Python data plus a :class:`LineMap` so that every later message can name the line it is about.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["FileSyntaxError", "LineMap", "read_geojson", "read_yaml"]

PathKey = tuple[str | int, ...]

# libyaml's loader when present (10x faster), else PyYAML's pure-Python one; both safe.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FILE_BYTES = 2_000_000  # a curated record is a few kB; anything this large is a mistake


class FileSyntaxError(ValueError):
    """A file cannot be parsed at all (bad YAML/JSON, bad encoding, too large)."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass
class LineMap:
    """Line numbers (1-based) of the values in a parsed document, keyed by their path.

    The path of ``locations[1].lat`` is ``("locations", 1, "lat")``. :meth:`line_of` falls back
    to the nearest enclosing value that has a line.
    """

    lines: dict[PathKey, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[PathKey, int]] = field(default_factory=list)

    def line_of(self, path: PathKey) -> int:
        """Return the line of ``path`` or of its nearest recorded ancestor (1 when none)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1

    def sub(self, prefix: PathKey) -> LineMap:
        """Return the map of the values under ``prefix``, with paths relative to it."""
        n = len(prefix)
        return LineMap(
            {key[n:]: line for key, line in self.lines.items() if key[:n] == prefix},
            [(key[n:], line) for key, line in self.duplicate_keys if key[:n] == prefix],
        )


def _read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileSyntaxError(path, 1, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileSyntaxError(
            path, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def _record_lines(node: yaml.Node, path: PathKey, lines: LineMap) -> None:
    lines.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                lines.duplicate_keys.append(((*path, key), key_node.start_mark.line + 1))
            seen.add(key)
            _record_lines(value_node, (*path, key), lines)
            lines.lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)


def read_yaml(path: Path) -> tuple[Any, LineMap]:
    """Parse one YAML file safely and record the line of every value.

    Parameters
    ----------
    path : Path
        A UTF-8 YAML file holding a single document.

    Returns
    -------
    tuple
        The data (``yaml.safe_load`` semantics: unquoted timestamps become datetimes) and its
        :class:`LineMap`.

    Raises
    ------
    FileSyntaxError
        When the file is not UTF-8, too large, or not valid YAML; the error names the line.
    """
    text = _read_text(path)
    loader = _SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, LineMap()
        lines = LineMap()
        _record_lines(node, (), lines)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise FileSyntaxError(path, line, f"YAML syntax error: {message}") from None
    except yaml.YAMLError as exc:
        raise FileSyntaxError(path, 1, f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    return data, lines


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def read_geojson(path: Path) -> tuple[dict[str, Any], list[int]]:
    """Parse a GeoJSON file and find the line where each feature starts.

    Returns
    -------
    tuple
        The parsed document and, per feature, the 1-based line of its opening brace (1 when it
        cannot be told).

    Raises
    ------
    FileSyntaxError
        When the file is not UTF-8 or not valid JSON (NaN and Infinity are rejected).
    """
    text = _read_text(path)
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise FileSyntaxError(path, exc.lineno, f"JSON syntax error: {exc.msg}") from None
    except ValueError as exc:
        raise FileSyntaxError(path, 1, f"JSON error: {exc}") from None
    feature_lines: list[int] = []
    if isinstance(document, dict) and isinstance(document.get("features"), list):
        decoder = json.JSONDecoder(parse_constant=_reject_constant)
        start = text.find('"features"')
        position = text.find("[", start) + 1
        for _ in document["features"]:
            while position < len(text) and text[position] in " \t\r\n,":
                position += 1
            feature_lines.append(text.count("\n", 0, position) + 1)
            try:
                _, position = decoder.raw_decode(text, position)
            except json.JSONDecodeError:
                break
    while isinstance(document, dict) and len(feature_lines) < len(document.get("features", [])):
        feature_lines.append(1)
    return document, feature_lines


def is_finite_number(value: Any) -> bool:
    """Return True for an int or float that is neither NaN nor infinite (bools excluded)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
