"""Pool-level figures summed over every partition's book (pure)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from services.hygiene.book import LeadBook, LeadRecord, PoolDay


@dataclass
class PoolFigures:
    pool: str
    leads: list[LeadRecord] = field(default_factory=list)  # pooled, unclaimed
    days: dict[date, PoolDay] = field(default_factory=dict)

    @property
    def depth(self) -> int:
        return len(self.leads)

    def average_age_hours(self, now: datetime) -> float:
        if not self.leads:
            return 0.0
        total = sum((now - lead.pooled_at).total_seconds() for lead in self.leads)
        return total / len(self.leads) / 3600

    def totals(self, since: date) -> PoolDay:
        summed = PoolDay()
        for day, flows in self.days.items():
            if day >= since:
                summed.added += flows.added
                summed.claimed += flows.claimed
                summed.contacted += flows.contacted
                summed.contact_hours += flows.contact_hours
                summed.opportunities += flows.opportunities
        return summed

    def depth_at_end_of(self, day: date) -> int:
        return sum(flows.net_depth for d, flows in self.days.items() if d <= day)

    def complete_days(self, now: datetime, count: int) -> list[date]:
        """The `count` whole days before today, oldest first."""
        today = now.date()
        return [today - timedelta(days=n) for n in range(count, 0, -1)]


def pool_figures(books: Iterable[LeadBook], pools: list[str]) -> dict[str, PoolFigures]:
    figures = {name: PoolFigures(name) for name in pools}
    days: dict[str, dict[date, PoolDay]] = defaultdict(dict)
    for book in books:
        for record in book.pooled():
            figures.setdefault(record.pool, PoolFigures(record.pool))
            figures[record.pool].leads.append(record)
        for (pool, iso_day), flows in book.days.items():
            summed = days[pool].setdefault(date.fromisoformat(iso_day), PoolDay())
            summed.added += flows.added
            summed.claimed += flows.claimed
            summed.contacted += flows.contacted
            summed.contact_hours += flows.contact_hours
            summed.opportunities += flows.opportunities
            summed.net_depth += flows.net_depth
    for pool, pool_days in days.items():
        figures.setdefault(pool, PoolFigures(pool)).days = pool_days
    return figures
