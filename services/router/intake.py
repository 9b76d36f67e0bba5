"""Decoding one intake message into an `IntakeLead`, or the reasons it fails."""

import json
from typing import Any

from pydantic import ValidationError

from schemas.events import Problem
from schemas.intake import IntakeLead


class Refused(Exception):
    """The message cannot become a lead; `problems` says why, by field."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        super().__init__("; ".join(f"{p.field}: {p.reason}" for p in problems))
        self.problems = problems
        self.source = source


def decode_intake(raw: bytes) -> IntakeLead:
    try:
        # One pass in pydantic-core for the usual, valid message; anything it
        # refuses takes the slower path below, which words the problems.
        return IntakeLead.model_validate_json(raw)
    except ValidationError:
        pass
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise Refused([Problem(field="$", reason=f"not valid JSON: {err}")]) from err
    if not isinstance(document, dict):
        kind = type(document).__name__
        raise Refused([Problem(field="$", reason=f"expected an object, got {kind}")])
    return validate_intake(document)


def validate_intake(document: dict[str, Any]) -> IntakeLead:
    try:
        return IntakeLead.model_validate(document)
    except ValidationError as err:
        source = document.get("source")
        raise Refused(
            [_problem(error) for error in err.errors(include_url=False)],
            source=source if isinstance(source, str) else None,
        ) from err


def _problem(error: Any) -> Problem:
    field = ".".join(str(part) for part in error["loc"]) or "$"
    return Problem(field=field, reason=error["msg"])
