"""The hard rules: an opening a person cannot take is ruled out, with the reason in words.

Each rule reads only what the person told us (the right to work is asked, never inferred)
and the opening's essential requirements. A rule returns None when it passes, else the
reason; :func:`met` gives the plain-words reasons an opening that passes is a fit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ladder import codes
from ladder.matching.openings import Opening
from ladder.matching.person import Person

Rule = Callable[[Person, Opening, dt.date], str | None]


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _hours(value: float) -> str:
    return f"{value:g}"


def still_open(person: Person, o: Opening, today: dt.date) -> str | None:
    if o.closing_date is not None and o.closing_date < today:
        return f"This job closed on {long_date(o.closing_date)}"
    return None


def right_to_work(person: Person, o: Opening, today: dt.date) -> str | None:
    if o.right_to_work_required and not person.right_to_work:
        what = "job" if o.kind == "vacancy" else "route"
        return f"This {what} needs the right to work in the UK, and you told us you do not have it"
    return None


def _subject_matches(wanted: str, given: str | None) -> bool:
    if not given:
        return False
    a, b = wanted.strip().lower(), given.strip().lower()
    return a in b or b in a


def qualification(person: Person, o: Opening, today: dt.date) -> str | None:
    need = o.min_level or 0
    if need == 0:
        return None
    if person.level < need:
        told = (
            f"the highest you told us of is Level {person.level}"
            if person.qualifications
            else ("you did not tell us of a qualification")
        )
        subject = f" in {o.subject}" if o.subject else ""
        return f"This role asks for a Level {need} qualification{subject}; {told}"
    if o.subject and not any(
        q.level >= need and _subject_matches(o.subject, q.subject) for q in person.qualifications
    ):
        return (
            f"This role asks for a Level {need} qualification in {o.subject}; you did not tell "
            f"us of one in that subject"
        )
    return None


def registration(person: Person, o: Opening, today: dt.date) -> str | None:
    need = o.registration
    if need and need != "none" and need not in person.registrations:
        body = codes.REGISTRATIONS.get(need, need)
        return f"This role needs registration with the {body} ({need})"
    return None


def hours(person: Person, o: Opening, today: dt.date) -> str | None:
    if person.max_hours is not None and o.hours and o.hours > person.max_hours:
        return (
            f"This is {_hours(o.hours)} hours a week; you said you can work up to "
            f"{_hours(person.max_hours)}"
        )
    return None


def driving(person: Person, o: Opening, today: dt.date) -> str | None:
    if o.driving_licence and not person.driving_licence:
        return "This role needs a full driving licence"
    return None


def shifts(person: Person, o: Opening, today: dt.date) -> str | None:
    pattern = o.shift_pattern
    if person.shifts and pattern and pattern != "flexible" and pattern not in person.shifts:
        return f"This role works {pattern}; you said you can work {', '.join(person.shifts)}"
    return None


RULES: tuple[tuple[str, Rule], ...] = (
    ("open", still_open),
    ("right_to_work", right_to_work),
    ("qualification", qualification),
    ("registration", registration),
    ("hours", hours),
    ("driving_licence", driving),
    ("shift_pattern", shifts),
)
"""Every hard rule, in the order their reasons are given."""


def broken(person: Person, o: Opening, today: dt.date) -> list[tuple[str, str]]:
    """(rule, reason) of every hard rule the opening breaks for this person."""
    out = []
    for name, rule in RULES:
        reason = rule(person, o, today)
        if reason is not None:
            out.append((name, reason))
    return out


def met(person: Person, o: Opening) -> list[str]:
    """Plain-words reasons the person meets the opening's essential requirements."""
    out = []
    need = o.min_level or 0
    if need == 0:
        out.append("No qualifications are needed to start")
    else:
        held = [q for q in person.qualifications if q.level >= need]
        best = next((q for q in held if o.subject and _subject_matches(o.subject, q.subject)), None)
        q = best or max(held, key=lambda x: x.level)
        out.append(f"You have {q.words()}, which this role asks for")
    if o.registration and o.registration != "none":
        out.append(f"You are registered with the {o.registration}, which this role needs")
    if person.max_hours is not None and o.hours:
        out.append(
            f"It is {_hours(o.hours)} hours a week, within the {_hours(person.max_hours)} you "
            "can work"
        )
    if o.driving_licence:
        out.append("You have the driving licence this role needs")
    return out
