"""Cleanup automation on the seed's daily, weekly and monthly schedules (pure).

A run is due when one of its scheduled moments (in the configured time
zone) falls after the previous check and at or before now, on the
injected clock. Each run says what it changed, for the run log.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from schemas.commands import Action, HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.events import Removal
from schemas.runs import CleanupSchedule
from services.hygiene.book import LeadRecord
from services.hygiene.pool_figures import PoolFigures
from services.hygiene.rebalance import volume_commands
from services.hygiene.stale import duplicates, stale_commands

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


RunKind = CleanupSchedule  # the run log's schedule names are the contract's


@dataclass(frozen=True)
class CleanupRun:
    kind: RunKind
    at: datetime
    commands: list[HygieneCommand] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for command in self.commands:
            counts[command.policy] = counts.get(command.policy, 0) + 1
        return counts


def due_runs(
    config: LeadpoolConfig, since: datetime, now: datetime
) -> list[tuple[RunKind, datetime]]:
    """Every scheduled run in (since, now], oldest first."""
    rules = config.hygiene.cleanup
    zone = ZoneInfo(config.windows.timezone)
    at = time.fromisoformat(rules.daily_at)
    day = since.astimezone(zone).date()
    last_day = now.astimezone(zone).date()
    runs: list[tuple[RunKind, datetime]] = []
    while day <= last_day:
        moment = datetime.combine(day, at, tzinfo=zone)
        if since < moment <= now:
            runs.append((RunKind.DAILY, moment))
            if WEEKDAYS[day.weekday()] == rules.weekly_on:
                runs.append((RunKind.WEEKLY, moment))
            if day.day == rules.monthly_day:
                runs.append((RunKind.MONTHLY, moment))
        day += timedelta(days=1)
    return runs


def run_cleanup(
    kind: RunKind,
    records: list[LeadRecord],
    figures: dict[str, PoolFigures],
    config: LeadpoolConfig,
    now: datetime,
) -> CleanupRun:
    pooled = [r for r in records if r.state.value == "pooled"]
    match kind:
        case RunKind.DAILY:
            commands = [*_duplicates(records, config, now), *_junk(pooled, config, now)]
            commands += _missing_fields(pooled, config, now)
        case RunKind.WEEKLY:
            commands = stale_commands(records, config, now)
            commands += _bad_contact_data(pooled, config, now)
            commands += volume_commands(figures, config, now)
            commands += _nearly_empty(figures, config, now)
        case RunKind.MONTHLY:
            commands = _test_records(pooled, config, now)
            commands += _pool_review(figures, config, now)
    return CleanupRun(kind, now, _unique(commands))


def _unique(commands: list[HygieneCommand]) -> list[HygieneCommand]:
    # One change per lead a run: the first reason found wins.
    seen: set[str] = set()
    kept: list[HygieneCommand] = []
    for command in commands:
        key = command.lead_id or command.command_id
        if key not in seen:
            seen.add(key)
            kept.append(command)
    return kept


def _archive(
    record: LeadRecord, policy: str, reason: str, config: LeadpoolConfig, now: datetime
) -> HygieneCommand:
    return HygieneCommand(
        command_id=f"{policy}:{record.lead_id}:{record.pooled_at:%s}",
        action=Action.REMOVE,
        policy=policy,
        figures={"reason": reason},
        issued_at=now,
        config_version=config.version,
        lead_id=record.lead_id,
        pool=record.pool,
        destination=Removal.ARCHIVE,
        message=reason,
    )


def _duplicates(
    records: list[LeadRecord], config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    by_id = {r.lead_id: r for r in records}
    return [
        _archive(
            by_id[lead_id], "cleanup.duplicate", f"duplicate of {original}", config, now
        )
        for lead_id, original in duplicates(records).items()
        if by_id[lead_id].state.value == "pooled"
    ]


def _junk(
    pooled: list[LeadRecord], config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    junk = {s.lower() for s in config.hygiene.stale.junk_statuses}
    return [
        _archive(r, "cleanup.junk", f"marked {r.lead.status}", config, now)
        for r in pooled
        if r.lead and (r.lead.status or "").lower() in junk
    ]


def _missing_fields(
    pooled: list[LeadRecord], config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    required = config.hygiene.cleanup.required_fields
    commands: list[HygieneCommand] = []
    for record in pooled:
        if record.lead is None:
            continue
        missing = [f for f in required if not getattr(record.lead, f, None)]
        if missing:
            commands.append(
                HygieneCommand(
                    command_id=f"cleanup.missing:{record.lead_id}:{now.date()}",
                    action=Action.FLAG,
                    policy="cleanup.missing_fields",
                    figures={"missing": ",".join(missing)},
                    issued_at=now,
                    config_version=config.version,
                    lead_id=record.lead_id,
                    pool=record.pool,
                    message=f"missing required fields: {', '.join(missing)}",
                )
            )
    return commands


def _bad_contact_data(
    pooled: list[LeadRecord], config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    rules = config.hygiene.cleanup
    phone = re.compile(rules.phone_pattern)
    commands: list[HygieneCommand] = []
    for record in pooled:
        if record.lead is None:
            continue
        email = record.lead.email.lower()
        if any(marker in email for marker in rules.bad_email_markers):
            commands.append(_archive(record, "cleanup.bad_email", email, config, now))
        elif record.lead.phone and not phone.match(record.lead.phone):
            reason = f"bad phone {record.lead.phone}"
            commands.append(_archive(record, "cleanup.bad_phone", reason, config, now))
    return commands


def _test_records(
    pooled: list[LeadRecord], config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    rules = config.hygiene.cleanup
    markers = [m.lower() for m in rules.test_markers]
    domains = [d.lower() for d in rules.internal_domains]
    commands: list[HygieneCommand] = []
    for record in pooled:
        if record.lead is None:
            continue
        email = record.lead.email.lower()
        company = (record.lead.company or "").lower()
        domain = email.rpartition("@")[2]
        if domain in domains or any(m in email or m == company for m in markers):
            reason = f"test or internal record ({email})"
            commands.append(
                _archive(record, "cleanup.test_record", reason, config, now)
            )
    return commands


def _nearly_empty(
    figures: dict[str, PoolFigures], config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    limit = config.hygiene.cleanup.nearly_empty_depth
    return [
        HygieneCommand(
            command_id=f"cleanup.nearly_empty:{pool.pool}:{now.date()}",
            action=Action.FLAG,
            policy="cleanup.nearly_empty",
            figures={"depth": pool.depth, "nearly_empty_depth": limit},
            issued_at=now,
            config_version=config.version,
            pool=pool.pool,
            message="pool nearly empty: consider consolidating it",
        )
        for pool in figures.values()
        if 0 < pool.depth <= limit
    ]


def _pool_review(
    figures: dict[str, PoolFigures], config: LeadpoolConfig, now: datetime
) -> list[HygieneCommand]:
    since: date = (now - timedelta(days=30)).date()
    commands: list[HygieneCommand] = []
    for pool in figures.values():
        flows = pool.totals(since)
        conversion = flows.opportunities / flows.claimed if flows.claimed else 0.0
        commands.append(
            HygieneCommand(
                command_id=f"cleanup.pool_review:{pool.pool}:{now.date()}",
                action=Action.FLAG,
                policy="cleanup.pool_review",
                figures={
                    "depth": pool.depth,
                    "added_30d": flows.added,
                    "claimed_30d": flows.claimed,
                    "conversion_30d": round(conversion, 4),
                },
                issued_at=now,
                config_version=config.version,
                pool=pool.pool,
                message="monthly review: pool structure, conversion, routing rules",
            )
        )
    return commands
