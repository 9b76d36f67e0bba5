"""Fields a source must send, beyond what every intake message needs."""

from collections.abc import Callable

from schemas.config.routing import Routing
from schemas.events import Problem
from schemas.intake import IntakeLead
from services.router.intake import Refused
from services.router.memo import per_section


def check_required(intake: IntakeLead, routing: Routing) -> None:
    """Refuse the lead, naming every missing field, if its source needs more."""
    problems = missing_required(
        intake.source, lambda field: getattr(intake, field, None), routing
    )
    if problems:
        raise Refused(problems, source=intake.source)


def missing_required(
    source: str, value_of: Callable[[str], object], routing: Routing
) -> list[Problem]:
    needed = _required(routing).get(source.strip())
    if not needed:  # most sources: nothing beyond the contract
        return []
    return [
        Problem(field=field, reason=f"required for source {source.strip()!r}")
        for field in needed
        if value_of(field) in (None, "")
    ]


@per_section
def _required(routing: Routing) -> dict[str, list[str]]:
    # Sources not named here need nothing beyond the intake contract.
    named = {*routing.required_fields, *(s.name for s in routing.sources)}
    return {source: routing.required_for(source) for source in named}
