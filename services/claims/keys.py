"""Redis key names of the claims service, readable in `redis-cli`.

<prefix>:lead:<id>               hash: state, pool, priority, rep, ...
<prefix>:lead:<id>:history       hash: event id -> the lead's published event
<prefix>:pool:<pool>:available   sorted set: claimable leads by priority
<prefix>:pool:<pool>:mode        hash: mode (claim, auto_assign, expand_access),
                                 territory_until_ms (cross-territory claiming)
<prefix>:pool:<pool>:drain:<n>   string: taken by the worker draining an
                                 overflowing pool's backlog in tick n
<prefix>:rep:<id>:open           set: leads the rep holds open
<prefix>:rep:<id>:claims         sorted set: the rep's counted claims by time
<prefix>:rep:<id>:claims:<pool>  sorted set: the same, one pool
<prefix>:rep:<id>:claims:q:<q>   sorted set: the same, one pool quality
<prefix>:rep:<id>:state          hash: claim run, cooldown, presence (away)
<prefix>:ledger:<lane>           hash: round-robin count per rep
<prefix>:ledger:<lane>:seen      hash: the last time each rep was eligible
<prefix>:transfer:<id>           hash: one transfer request and its decision
<prefix>:transfers:pending       sorted set: undecided transfers by time
<prefix>:standings               hash: recalculated tier per rep (JSON)
<prefix>:commands:applied        sorted set: hygiene command ids applied
<prefix>:fast-lane:out           set: reps kept out of fast-lane assignment
<prefix>:fast-lane:offers        sorted set: fast-lane leads by offer expiry
<prefix>:outbox                  stream: events waiting for Kafka
<prefix>:outbox:cursor           string: last stream id Kafka acknowledged
<prefix>:marker                  string: written at first start; missing
                                 later means Redis was emptied
<prefix>:marker:lock             string: held by the worker rebuilding the view
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str

    def lead(self, lead_id: str) -> str:
        return f"{self.prefix}:lead:{lead_id}"

    def lead_history(self, lead_id: str) -> str:
        return f"{self.prefix}:lead:{lead_id}:history"

    def available(self, pool: str) -> str:
        return f"{self.prefix}:pool:{pool}:available"

    def pool_mode(self, pool: str) -> str:
        return f"{self.prefix}:pool:{pool}:mode"

    def drain_lock(self, pool: str, tick: int) -> str:
        return f"{self.prefix}:pool:{pool}:drain:{tick}"

    def rep_open(self, rep_id: str) -> str:
        return f"{self.prefix}:rep:{rep_id}:open"

    def rep_claims(self, rep_id: str) -> str:
        return f"{self.prefix}:rep:{rep_id}:claims"

    def rep_state(self, rep_id: str) -> str:
        return f"{self.prefix}:rep:{rep_id}:state"

    def ledger(self, lane: str) -> str:
        return f"{self.prefix}:ledger:{lane}"

    def ledger_seen(self, lane: str) -> str:
        return f"{self.prefix}:ledger:{lane}:seen"

    def transfer(self, transfer_id: str) -> str:
        return f"{self.prefix}:transfer:{transfer_id}"

    @property
    def pending_transfers(self) -> str:
        return f"{self.prefix}:transfers:pending"

    @property
    def standings(self) -> str:
        return f"{self.prefix}:standings"

    @property
    def outbox(self) -> str:
        return f"{self.prefix}:outbox"

    @property
    def outbox_cursor(self) -> str:
        return f"{self.prefix}:outbox:cursor"

    @property
    def applied_commands(self) -> str:
        return f"{self.prefix}:commands:applied"

    @property
    def fast_lane_out(self) -> str:
        return f"{self.prefix}:fast-lane:out"

    @property
    def fast_lane_offers(self) -> str:
        return f"{self.prefix}:fast-lane:offers"

    @property
    def relay_lock(self) -> str:
        return f"{self.prefix}:outbox:relay-lock"

    @property
    def marker(self) -> str:
        return f"{self.prefix}:marker"

    @property
    def rebuild_lock(self) -> str:
        return f"{self.prefix}:marker:lock"
