"""The claims service's Faust wiring: pool topics in, lead events out."""

import asyncio
import logging
from typing import Any

from pydantic import ValidationError

from schemas.commands import HygieneCommand
from schemas.config import LeadpoolConfig
from schemas.events import PooledLead, ReturnReason
from services.claims.api import ClaimsApi
from services.claims.claiming import Claims
from services.claims.commands import CommandApplier
from services.claims.connection import connect_claims_redis
from services.claims.fastlane import FastLaneOffers
from services.claims.inventory import Inventory
from services.claims.keys import Keys
from services.claims.lifecycle import Lifecycle
from services.claims.outbox import OutboxRelay
from services.claims.overflow import OVERFLOW, OVERFLOW_MODE, BacklogDrain
from services.claims.owners import assign_to_owner
from services.claims.rebuild import Rebuild
from services.claims.roundrobin import RoundRobin
from services.claims.scripts import Scripts
from services.claims.tiers import Standings
from services.claims.transfers import Transfers
from services.common.clock import Clock
from services.common.faust_app import consumer_health, create_faust_app
from services.common.http import HttpService
from services.common.live_config import LiveConfig, follow_config
from services.common.settings import ServiceSettings

log = logging.getLogger(__name__)

DEFAULT_PORT = 8082
TIER_CHECK_S = 3600.0  # tiers change weekly or monthly; an hour's lag is fine
FAST_LANE_SWEEP_S = 1.0  # an expired offer waits at most this long for its rep
VIEW_CHECK_S = 5.0  # a view lost under a running worker is noticed this fast
OVERFLOW_DRAIN_S = 1.0  # an overflowing pool's backlog is assigned in this step


def create_app(settings: ServiceSettings, live: LiveConfig, clock: Clock) -> Any:
    config = live.current
    app = create_faust_app(
        "claims", settings, partitions=config.topics.partitions, web_enabled=True
    )
    redis = connect_claims_redis(settings)
    keys = Keys(settings.redis_key("claims"))
    scripts = Scripts.register(redis)
    inventory = Inventory(redis, keys, scripts, clock)
    claims = Claims(redis, keys, scripts)
    lifecycle = Lifecycle(redis, keys, scripts)
    round_robin = RoundRobin(redis, keys, claims)
    offers = FastLaneOffers(redis, keys, round_robin)
    applier = CommandApplier(redis, keys, inventory, lifecycle, round_robin, clock)
    backlog = BacklogDrain(redis, keys, inventory, lifecycle, round_robin)
    transfers = Transfers(redis, keys, scripts)
    rebuild = Rebuild(redis, keys, inventory, settings.kafka_bootstrap_servers)
    standings = Standings(redis, keys)

    pool_topics = [
        settings.topic(config.topics.pool(name)) for name in config.pool_names
    ]
    pooled = app.topic(*pool_topics, value_type=bytes, value_serializer="raw")

    @app.agent(pooled)
    async def stock(stream: Any) -> None:
        async for raw in stream:
            await rebuild.finished.wait()  # also while a lost view is rebuilt
            try:
                lead = PooledLead.model_validate_json(raw)
            except ValidationError as err:
                log.error(
                    "pooled lead refused: not a valid pooled lead",
                    extra={"errors": err.errors(include_input=False)},
                )
                continue
            if await inventory.stock(lead) == 1:
                log.debug("lead stocked", extra={"lead_id": lead.lead.lead_id})
                await assign_if_due(lead)

    async def assign_if_due(pooled: PooledLead) -> None:
        """Owned accounts go to their owner; fast-lane leads wait for their
        offers; an overflowing pool assigns."""
        if pooled.owner_rep:
            await assign_to_owner(claims, live.current, pooled, clock.now())
            return
        if pooled.fast_lane:
            expires = await offers.open(pooled, live.current)
            log.info(
                "fast-lane offer open",
                extra={"lead_id": pooled.lead.lead_id, "until": expires.isoformat()},
            )
            return
        if await lifecycle.pool_mode(pooled.pool) != OVERFLOW_MODE:
            return
        outcome = await round_robin.assign(
            live.current, pooled.pool, clock.now(), OVERFLOW, pooled.lead.lead_id
        )
        log.info(
            "lead auto-assigned",
            extra={"lead_id": pooled.lead.lead_id, "reason": OVERFLOW, "to": outcome},
        )

    commands = app.topic(
        settings.topic(config.topics.hygiene_actions),
        value_type=bytes,
        value_serializer="raw",
    )

    @app.agent(commands)
    async def apply_hygiene(stream: Any) -> None:
        async for raw in stream:
            await rebuild.finished.wait()
            try:
                command = HygieneCommand.model_validate_json(raw)
            except ValidationError as err:
                log.error(
                    "hygiene command refused: not a valid command",
                    extra={"errors": err.errors(include_input=False)},
                )
                continue
            await applier.apply(live.current, command)

    events_name = settings.topic(config.topics.events)

    async def publish(messages: list[tuple[str, bytes]]) -> None:
        # The producer directly: Faust's topic layer costs more per event
        # than the claim itself, and the relay needs none of it.
        producer = app.producer
        sent = [
            await producer.send(events_name, key.encode(), value, None, None, None)
            for key, value in messages
        ]
        await asyncio.gather(*sent)

    relay = OutboxRelay(redis, keys, publish)

    @app.task
    async def relay_outbox() -> None:
        await rebuild.finished.wait()
        await relay.run()

    @app.task
    async def watch_config() -> None:
        await follow_config(settings, live)

    async def restore_view() -> None:
        await rebuild.run_if_needed(
            live.current, pool_topics, settings.topic(config.topics.events)
        )
        await standings.load()

    @app.task
    async def rebuild_if_emptied() -> None:
        await restore_view()

    @app.timer(interval=VIEW_CHECK_S)
    async def rebuild_if_lost() -> None:
        # Redis emptied under a running worker: stop taking changes, rebuild.
        if not rebuild.finished.is_set() or await rebuild.view_present():
            return
        rebuild.finished.clear()
        log.error("claims view lost in Redis while running")
        await restore_view()

    @app.timer(interval=FAST_LANE_SWEEP_S)
    async def expire_fast_lane_offers() -> None:
        await rebuild.finished.wait()
        await offers.assign_expired(live.current, clock.now())

    @app.timer(interval=OVERFLOW_DRAIN_S)
    async def drain_overflow_backlog() -> None:
        await rebuild.finished.wait()
        await backlog.drain(live.current, clock.now(), OVERFLOW_DRAIN_S)

    @app.timer(interval=TIER_CHECK_S)
    async def recalculate_tiers() -> None:
        # Every worker checks; the Redis timestamp makes one run per period
        # do the work, and the others pick the result up.
        await rebuild.finished.wait()
        if not await standings.recalculate_if_due(live.current, clock.now()):
            await standings.load()

    pending: set[asyncio.Future[None]] = set()

    def on_config(old: LeadpoolConfig, new: LeadpoolConfig) -> None:
        gone = deactivated(old, new)
        if gone:
            task = asyncio.ensure_future(return_open_leads(new, gone))
            pending.add(task)
            task.add_done_callback(pending.discard)

    async def return_open_leads(config: LeadpoolConfig, reps: list[str]) -> None:
        """A deactivated user's open leads go back to their pools at once."""
        for rep_id in reps:
            returned = await lifecycle.give_back_all(
                config, rep_id, clock.now(), ReturnReason.REP_DEACTIVATED
            )
            log.info(
                "deactivated user's leads returned",
                extra={"rep_id": rep_id, "leads": returned},
            )

    live.subscribe(on_config)

    api = ClaimsApi(
        live,
        inventory,
        claims,
        clock,
        lifecycle,
        transfers,
        round_robin,
        standings,
        ready=rebuild.finished.is_set,
    )
    port = settings.web_port or DEFAULT_PORT
    web_app = api.web_app(lambda: consumer_health(app))
    app.web_server(HttpService(web_app, settings.web_host, port))
    return app


def deactivated(old: LeadpoolConfig, new: LeadpoolConfig) -> list[str]:
    """Users active in the old configuration and inactive or gone in the new."""
    now_active = {user.id for user in new.users if user.active}
    return [user.id for user in old.users if user.active and user.id not in now_active]
