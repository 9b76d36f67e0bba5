"""Topic names and layout; a deployment prefixes them per environment."""

from pydantic import Field

from schemas.base import Settings


class Topics(Settings):
    intake: str = "leads.intake"
    rejected: str = "leads.rejected"
    events: str = "leads.events"
    hygiene_actions: str = "hygiene.actions"
    cleanup_runs: str = Field(
        default="hygiene.cleanup-runs",
        description="Hygiene's cleanup run log, one record a run (compacted)",
    )
    offers: str = "leads.offers"
    held: str = "leads.held"
    merged: str = "leads.merged"
    config: str = "leadpool.config"
    clock: str = Field(
        default="leadpool.clock", description="Virtual-time ticks (event clock)"
    )
    clock_retention_hours: float = Field(
        default=72,
        gt=0,
        description="Ticks are kept this long: a worker restarting needs only the "
        "latest, and the hygiene leader ticks every minute",
    )
    pool_prefix: str = "pool."
    partitions: int = Field(default=4, ge=1)
    replication_factor: int = Field(default=1, ge=1)

    def pool(self, name: str) -> str:
        return f"{self.pool_prefix}{name}"
