"""Fields a source must send, beyond what every intake message needs."""

from schemas.config.routing import Routing
from schemas.events import Problem
from schemas.intake import IntakeLead
from services.router.intake import Refused
from services.router.memo import per_section


def check_required(intake: IntakeLead, routing: Routing) -> None:
    """Refuse the lead, naming every missing field, if its source needs more."""
    missing = [
        field
        for field in _required(routing).get(intake.source.strip(), [])
        if getattr(intake, field, None) in (None, "")
    ]
    if missing:
        problems = [
            Problem(field=field, reason=f"required for source {intake.source!r}")
            for field in missing
        ]
        raise Refused(problems, source=intake.source)


@per_section
def _required(routing: Routing) -> dict[str, list[str]]:
    # Sources not named here need nothing beyond the intake contract.
    named = {*routing.required_fields, *(s.name for s in routing.sources)}
    return {source: routing.required_for(source) for source in named}
