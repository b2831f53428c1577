"""Words people use for groups, breakdowns and indicators: no ids, no snake_case codes."""

from __future__ import annotations

from ladder.metrics import Result

GROUPS: dict[str, str] = {
    "female": "Women",
    "male": "Men",
    "Declared": "Declared",
    "professional": "Professional background",
    "intermediate": "Intermediate background",
    "lower": "Lower socio-economic background",
    "state": "State school",
    "independent": "Independent or fee-paying school",
    "outside_uk": "School outside the UK",
    "degree": "Degree level",
    "below_degree": "Below degree level",
    "no_formal": "No formal qualifications",
    "yes": "Free school meals",
    "no": "No free school meals",
    "not_applicable": "Free school meals did not apply",
    "non-response": "No usable answer",
    "parent_occupation": "Parental occupation",
    "school_type": "Type of school",
    "free_school_meals": "Free school meals",
    "parent_qualification": "Parental qualification",
    "staff": "Staff",
    "applications": "Applications",
    "participants": "Participants",
    "local": "Living locally",
    "most deprived decile": "Most deprived 10% of neighbourhoods",
    "most deprived quintile": "Most deprived 20% of neighbourhoods",
    "Unknown": "Not recorded",
}

BREAKDOWN_VALUES: dict[str, str] = {
    "patients_public": "from patients or the public",
    "managers": "from managers",
    "colleagues": "from other colleagues",
    "board": "board",
    "executive": "executive board members",
    "voting": "voting board members",
    "non-clinical": "non-clinical",
    "upper_middle": "upper middle",
    "lower_middle": "lower middle",
}

FAMILY_KEYS = {"wres": "WRES", "wdes": "WDES"}


def group(name: str | None) -> str:
    """'female' → 'Women', 'White:BME' → 'White compared with BME'."""
    if not name:
        return ""
    if ":" in name:
        first, second = name.split(":", 1)
        return f"{group(first)} compared with {group(second)}"
    return GROUPS.get(name, name.replace("_", " "))


def breakdown(values: dict[str, str]) -> str:
    """'from managers', 'board', 'Band 5, clinical'."""
    parts = []
    for key, value in values.items():
        if value == "all":
            continue
        word = BREAKDOWN_VALUES.get(value, value.replace("_", " "))
        if key == "quartile":
            word = f"{word} pay quartile"
        elif key == "stage":
            word = f"{word} stage"
        elif key == "membership" and value == "board":
            word = "all board members"
        parts.append(word)
    return ", ".join(parts)


def indicator(result: Result) -> str:
    """'WRES 2', 'WDES 4', or '' for figures outside the two standards."""
    family, _, rest = result.id.partition(".")
    if family in FAMILY_KEYS and rest and rest.split(".")[0].isdigit():
        return f"{FAMILY_KEYS[family]} {rest.split('.')[0]}"
    if family == "wdes" and rest == "declaration":
        return "WDES 1"
    return ""


def figure(result: Result) -> str:
    """The figure's name as a reader sees it: 'WRES 2: Appointment from shortlisting'."""
    key = indicator(result)
    return f"{key}: {result.title}" if key else result.title
