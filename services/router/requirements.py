"""Fields a source must send, beyond what every intake message needs."""

from schemas.config.routing import Routing
from schemas.events import Problem
from schemas.intake import IntakeLead
from services.router.intake import Refused


def check_required(intake: IntakeLead, routing: Routing) -> None:
    """Refuse the lead, naming every missing field, if its source needs more."""
    document = intake.model_dump()
    missing = [
        field
        for field in routing.required_for(intake.source.strip())
        if document.get(field) in (None, "")
    ]
    if missing:
        problems = [
            Problem(field=field, reason=f"required for source {intake.source!r}")
            for field in missing
        ]
        raise Refused(problems, source=intake.source)
