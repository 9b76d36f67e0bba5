"""Conventions every contract shares."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict


def _require_timezone(value: datetime) -> datetime:
    # Naive timestamps are ambiguous across services in different zones.
    if value.tzinfo is None:
        raise ValueError("timestamp must carry a timezone offset")
    return value.astimezone(UTC)


AwareDatetime = Annotated[datetime, AfterValidator(_require_timezone)]


class Contract(BaseModel):
    """A message on a topic: immutable, and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Settings(BaseModel):
    """A configuration section: immutable and strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")
