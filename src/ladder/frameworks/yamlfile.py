"""Read a YAML file keeping the line of every value, and report problems by file, line, field.

``load(path)`` returns the data (plain dicts, lists and scalars) and a :class:`Lines` map
from a field's path (``("sections", 2, "questions", 0, "points")``) to its 1-based line, so
that a schema error names the line a person has to edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One problem in a file: where it is and what to do."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field or '(file)'}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class FileProblems(Exception):
    """A file that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def field_name(path: Iterable[str | int]) -> str:
    """``sections[2].questions[0].points`` from a path."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class Lines:
    """Line of each path in a YAML document (the nearest enclosing value when not known)."""

    def __init__(self, lines: dict[Path_, int]) -> None:
        self._lines = lines

    def of(self, path: Iterable[str | int]) -> int | None:
        key = tuple(path)
        while True:
            if key in self._lines:
                return self._lines[key]
            if not key:
                return None
            key = key[:-1]


def _walk(node: yaml.Node, path: Path_, out: dict[Path_, int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark.line)
            out[(*path, name)] = key.start_mark.line + 1
            _walk(value, (*path, name), out)
            out[(*path, name)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), out)


def parse(text: str, name: str) -> tuple[Any, Lines]:
    """Data and lines of a YAML text; a syntax error is a :class:`FileProblems`."""
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise FileProblems(
            [Problem(name, line, "", f"not valid YAML: {exc.problem}; check the indentation")]
        ) from None
    except yaml.YAMLError as exc:
        raise FileProblems([Problem(name, None, "", f"not valid YAML: {exc}")]) from None
    lines: dict[Path_, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, Lines(lines)


def load(path: Path) -> tuple[Any, Lines]:
    """Read ``path`` (UTF-8 YAML)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileProblems([Problem(str(path), None, "", "file not found")]) from None
    except UnicodeDecodeError:
        raise FileProblems(
            [Problem(str(path), None, "", "not UTF-8 text: save as UTF-8")]
        ) from None
    return parse(text, str(path))
