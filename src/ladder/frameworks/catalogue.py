"""The frameworks Ladder ships, and reading a framework file checked against its schema.

A framework is named by its ``id`` (a shipped file in ``definitions/``) or by the path of
a YAML file. Every problem is reported with the file, line and field
(:class:`~ladder.frameworks.yamlfile.FileProblems`).
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from ladder.frameworks.model import Framework, build
from ladder.frameworks.yamlfile import FileProblems, Lines, Problem, field_name, load

_PACKAGE = resources.files("ladder.frameworks")


@functools.cache
def schema(name: str = "framework") -> dict[str, Any]:
    """The published JSON Schema (``framework`` or ``answers``)."""
    text = (_PACKAGE / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


def schema_problems(data: Any, lines: Lines, file: str, name: str) -> list[Problem]:
    """Every place ``data`` breaks the schema, in file order."""
    validator = jsonschema.Draft202012Validator(schema(name))
    out: list[Problem] = []
    for error in validator.iter_errors(data):
        path = list(error.absolute_path)
        message = error.message
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            extra = [k for k in error.instance if k not in known]
            path = [*path, extra[0]] if len(extra) == 1 else path
            message = f"{message}: check the spelling (docs/index.md lists the fields)"
        elif error.validator == "required":
            message = f"{message} (add it)"
        out.append(Problem(file, lines.of(path), field_name(path), message))
    return sorted(out, key=lambda p: (p.line or 0, p.field))


def _semantic_problems(data: dict[str, Any], lines: Lines, file: str) -> list[Problem]:
    out: list[Problem] = []
    level_ids = {lv["id"] for lv in data.get("levels", ())}
    seen: Counter[str] = Counter()
    for s_i, section in enumerate(data["sections"]):
        seen[section["id"]] += 1
        for l_i, level in enumerate(section.get("levels", ())):
            if level["level"] not in level_ids:
                path = ("sections", s_i, "levels", l_i, "level")
                out.append(
                    Problem(
                        file,
                        lines.of(path),
                        field_name(path),
                        f"level {level['level']!r} is not one of the framework's levels "
                        f"({', '.join(sorted(level_ids)) or 'none declared'})",
                    )
                )
        for q_i, question in enumerate(section["questions"]):
            seen[question["id"]] += 1
            options = [o["id"] for o in question.get("options", ())]
            if len(set(options)) != len(options):
                path = ("sections", s_i, "questions", q_i, "options")
                out.append(
                    Problem(file, lines.of(path), field_name(path), "option ids must be unique")
                )
    for ident, count in seen.items():
        if count > 1:
            out.append(
                Problem(file, None, "id", f"id {ident!r} is used {count} times: ids must be unique")
            )
    return out


def read(path: Path) -> Framework:
    """The framework in ``path``, checked against the schema (FileProblems if not valid)."""
    data, lines = load(path)
    problems = schema_problems(data, lines, str(path), "framework")
    if not problems:
        problems = _semantic_problems(data, lines, str(path))
    if problems:
        raise FileProblems(problems)
    return build(data)


def shipped_paths() -> dict[str, Path]:
    """The shipped framework files by id (the file name without ``.yaml``)."""
    folder = Path(str(_PACKAGE / "definitions"))
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


@functools.cache
def _shipped(name: str) -> Framework:
    return read(shipped_paths()[name])


def shipped() -> list[Framework]:
    """Every shipped framework."""
    return [_shipped(name) for name in shipped_paths()]


class UnknownFramework(LookupError):
    """Neither a shipped framework id nor a readable file."""


def framework(name: str) -> Framework:
    """A shipped framework by id, or the framework file at ``name``."""
    if name in shipped_paths():
        return _shipped(name)
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return read(path)
    raise UnknownFramework(
        f"unknown framework {name!r}: use one of {', '.join(shipped_paths())} or a YAML file "
        "(ladder index frameworks lists them)"
    )
