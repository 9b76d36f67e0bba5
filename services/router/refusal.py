"""One refusal naming every reason a message cannot become a lead.

The intake contract, a source's required fields and normalisation are
checked in turn and the first that fails stops the lead; this runs the
other checks on the raw document too, so a sender fixes a record once.
"""

import json

from schemas.config.routing import Routing
from schemas.events import Problem
from services.router.intake import Refused
from services.router.normalise import field_problems
from services.router.requirements import missing_required


def every_reason(raw: bytes, refused: Refused, routing: Routing) -> Refused:
    try:
        document = json.loads(raw)
    except ValueError:
        return refused  # not JSON: nothing further can be checked
    if not isinstance(document, dict):
        return refused

    source = document.get("source")
    problems = list(refused.problems)
    if isinstance(source, str):
        problems += missing_required(source, document.get, routing)
    problems += field_problems(document)
    return Refused(_unique(problems), source=refused.source)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for problem in problems:
        if (problem.field, problem.reason) not in seen:
            seen.add((problem.field, problem.reason))
            kept.append(problem)
    return kept
