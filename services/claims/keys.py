"""Redis key names of the claims service, readable in `redis-cli`.

<prefix>:lead:<id>               hash: state, pool, priority, rep, ...
<prefix>:pool:<pool>:available   sorted set: claimable leads by priority
<prefix>:rep:<id>:open           set: leads the rep holds open
<prefix>:rep:<id>:claims         sorted set: the rep's claims by time
<prefix>:rep:<id>:claims:<pool>  sorted set: the same, one pool
<prefix>:rep:<id>:claims:q:<q>   sorted set: the same, one pool quality
<prefix>:rep:<id>:state          hash: claim run, cooldown
<prefix>:commands:applied        sorted set: hygiene command ids applied
<prefix>:outbox                  stream: events waiting for Kafka
<prefix>:outbox:cursor           string: last stream id Kafka acknowledged
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str

    def lead(self, lead_id: str) -> str:
        return f"{self.prefix}:lead:{lead_id}"

    def available(self, pool: str) -> str:
        return f"{self.prefix}:pool:{pool}:available"

    def rep_open(self, rep_id: str) -> str:
        return f"{self.prefix}:rep:{rep_id}:open"

    def rep_claims(self, rep_id: str) -> str:
        return f"{self.prefix}:rep:{rep_id}:claims"

    def rep_state(self, rep_id: str) -> str:
        return f"{self.prefix}:rep:{rep_id}:state"

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
    def relay_lock(self) -> str:
        return f"{self.prefix}:outbox:relay-lock"
