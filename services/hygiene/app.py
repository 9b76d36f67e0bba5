"""The hygiene service's Faust wiring: lead events in, commands out.

Per-lead timers (aging bands, SLA steps) run on every worker over the
partitions it owns in the hygiene group; pool-level jobs (rebalancing,
overflow, sizing, penalties) run on the Faust leader only, over books of
every partition.
"""

import logging
import os
import socket
from typing import Any

from schemas.commands import HygieneCommand
from schemas.config import LeadpoolConfig
from services.common.auth import TokenIndex, bearer_auth
from services.common.clock import Clock, WallClock
from services.common.faust_app import create_faust_app
from services.common.http import HttpService, new_web_app
from services.common.live_config import LiveConfig, follow_config
from services.common.settings import ServiceSettings
from services.hygiene.actions_log import follow_actions, follow_from_start
from services.hygiene.api import HygieneApi
from services.hygiene.cleanup import CleanupRun, due_runs, run_cleanup
from services.hygiene.decisions import aging_commands, sla_commands
from services.hygiene.event_clock import follow_ticks, observer, tick
from services.hygiene.event_log import Books, EventLog
from services.hygiene.ops_log import OpsLog
from services.hygiene.overflow import OverflowGuard
from services.hygiene.penalties import penalty_commands
from services.hygiene.pool_figures import pool_figures
from services.hygiene.rebalance import rebalance_commands
from services.hygiene.run_log import RunLog, run_record
from services.hygiene.sizing import season_commands, sizing_commands
from services.hygiene.stale import duplicates

log = logging.getLogger(__name__)

DEFAULT_PORT = 8083
KEPT_CLEANUP_RUNS = 100  # the run log served at /cleanup/runs


def create_app(settings: ServiceSettings, live: LiveConfig, clock: Clock) -> Any:
    config = live.current
    app = create_faust_app(
        "hygiene", settings, partitions=config.topics.partitions, web_enabled=True
    )
    worker_name = f"{socket.gethostname()}:{os.getpid()}"
    event_clock = observer(clock)
    merged = settings.topic(config.topics.merged)
    topics = [
        settings.topic(config.topics.events),
        merged,
        *(settings.topic(config.topics.pool(name)) for name in config.pool_names),
    ]
    # TODO: pool topics added by a live config change are read after a restart.
    owned = Books(lambda: live.current, event_clock)
    everything = Books(lambda: live.current, event_clock)
    owned_log = EventLog(
        settings.kafka_bootstrap_servers,
        topics,
        f"{settings.namespace}leadpool-hygiene-books",
        owned,
        config.topics.partitions,
        merged,
    )
    # TODO: every worker reads every partition for the leader's pool figures;
    # publish per-partition tallies instead once leads.events outgrows that.
    full_log = EventLog(
        settings.kafka_bootstrap_servers,
        topics,
        None,
        everything,
        config.topics.partitions,
        merged,
    )
    actions = app.topic(
        settings.topic(config.topics.hygiene_actions), value_serializer="raw"
    )
    overflow = OverflowGuard()
    ops = OpsLog()
    runs = RunLog(KEPT_CLEANUP_RUNS)
    runs_topic_name = settings.topic(config.topics.cleanup_runs)
    runs_topic = app.topic(runs_topic_name, value_serializer="raw")
    cleanup_checked: list[Any] = []  # the previous leader run's now

    async def send(command: HygieneCommand) -> None:
        # Decisions repeat while their cause lasts; their ids do not change.
        if ops.already_sent(command.command_id):
            return
        command = command.model_copy(update={"issued_by": worker_name})
        ops.fold(command)
        await actions.send(
            key=(command.lead_id or command.pool or command.rep_id or "").encode(),
            value=command.model_dump_json().encode(),
        )
        log.info(
            "hygiene action",
            extra={
                "action": command.action.value,
                "command_id": command.command_id,
                "lead_id": command.lead_id,
                "pool": command.pool,
                "policy": command.policy,
                "figures": command.figures,
            },
        )

    @app.task
    async def read_owned() -> None:
        await owned_log.run()

    @app.task
    async def read_everything() -> None:
        await full_log.run()

    @app.task
    async def read_actions() -> None:
        await follow_actions(
            settings.kafka_bootstrap_servers,
            settings.topic(config.topics.hygiene_actions),
            config.topics.partitions,
            ops,
        )

    @app.task
    async def read_cleanup_runs() -> None:
        # One partition (see ensure_topics): the log keeps the leaders' order.
        await follow_from_start(
            settings.kafka_bootstrap_servers, runs_topic_name, 1, runs.fold_raw
        )

    @app.task
    async def watch_config() -> None:
        await follow_config(settings, live)

    if event_clock is not None:
        clock_topic = settings.topic(config.topics.clock)

        @app.task
        async def watch_clock() -> None:
            await follow_ticks(
                settings.kafka_bootstrap_servers, clock_topic, event_clock
            )

        if settings.clock_tick_s > 0:
            ticks = app.topic(clock_topic, value_serializer="raw")

            @app.timer(settings.clock_tick_s, on_leader=True)
            async def heartbeat() -> None:
                # Without events time would stand still: no idle lead would age.
                await ticks.send(value=tick(WallClock().now()))

    def time_known() -> bool:
        # Event time starts at the epoch: a leader deciding then would, at the
        # first tick, run every cleanup schedule since 1970.
        return event_clock is None or event_clock.started()

    @app.timer(config.hygiene.aging.sweep_interval_s)
    async def sweep() -> None:
        if not owned.caught_up() or not time_known():
            return
        now, current = clock.now(), live.current
        dupes: dict[str, str] | None = None

        def duplicate_of(lead_id: str) -> str | None:
            # Over every lead, as the weekly scan sees them; once a sweep, and
            # only when some lead is due for removal.
            nonlocal dupes
            if dupes is None:
                every = everything.by_partition.values()
                dupes = duplicates(r for book in every for r in book.leads.values())
            return dupes.get(lead_id)

        for book in list(owned.by_partition.values()):
            for reached in book.aging_due(now):
                lead = book.leads[reached.lead_id]
                for command in aging_commands(
                    reached, lead, current, now, duplicate_of
                ):
                    await send(command)
            for step in book.sla.due(now):
                record = book.leads.get(step.timer.lead_id)
                if record is not None:
                    record.locked = record.lead_id in ops.locks
                for command in sla_commands(step, record, current, now):
                    await send(command)

    @app.timer(config.hygiene.leader.interval_s, on_leader=True)
    async def pool_jobs() -> None:
        if not everything.caught_up() or not time_known():
            return
        now, current = clock.now(), live.current
        log.info("leader job ran", extra={"worker": worker_name, "now": str(now)})
        for command in leader_commands(everything, overflow, ops, current, now):
            await send(command)
        since = cleanup_checked[-1] if cleanup_checked else now
        cleanup_checked[:] = [now]
        for kind, scheduled_at in due_runs(current, since, now):
            await run_and_record(kind, scheduled_at, current, now)

    async def run_and_record(
        kind: Any, scheduled_at: Any, current: LeadpoolConfig, now: Any
    ) -> None:
        started_at = WallClock().now()
        run = cleanup(everything, kind, current, now)
        for command in run.commands:
            await send(command)
        record = run_record(
            run,
            scheduled_at,
            started_at,
            WallClock().now(),
            current.version,
            worker_name,
        )
        runs.fold(record)  # served here at once; other workers read it back
        await runs_topic.send(
            key=record.run_id.encode(), value=record.model_dump_json().encode()
        )
        log.info(
            "cleanup run",
            extra={"run_id": record.run_id, "at": str(now), "changed": record.counts()},
        )

    def health() -> dict[str, Any]:
        return {
            "worker": worker_name,
            "partitions": owned_log.assigned(),
            "caught_up": owned.caught_up() and everything.caught_up(),
            "now": clock.now().isoformat(),
        }

    api = HygieneApi(live, everything, ops, send, clock, runs)
    web_app = new_web_app([bearer_auth(TokenIndex(live))], health=health)
    api.routes(web_app)
    port = settings.web_port or DEFAULT_PORT
    app.web_server(HttpService(web_app, settings.web_host, port))
    return app


def cleanup(books: Books, kind: Any, config: LeadpoolConfig, now: Any) -> CleanupRun:
    all_books = list(books.by_partition.values())
    records = [record for book in all_books for record in book.leads.values()]
    figures = pool_figures(all_books, config.pool_names)
    return run_cleanup(kind, records, figures, config, now)


def leader_commands(
    books: Books,
    overflow: OverflowGuard,
    ops: OpsLog,
    config: LeadpoolConfig,
    now: Any,
) -> list[HygieneCommand]:
    all_books = list(books.by_partition.values())
    figures = pool_figures(all_books, config.pool_names)
    misses = [miss for book in all_books for miss in book.open_misses(now)]
    # Duplicates over every lead, claimed ones too, as the weekly scan sees them.
    dupes = duplicates(record for book in all_books for record in book.leads.values())
    overflow.restore(ops.overflowing)
    return [
        *rebalance_commands(figures, config, now, dupes),
        *overflow.commands(figures, config, now),
        *sizing_commands(figures, config, now),
        *season_commands(figures, config, now),
        *penalty_commands(misses, config, now, ops.restored_at),
    ]
