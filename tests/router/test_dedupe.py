"""Merging a duplicate into the existing lead (pure: no Redis)."""

from schemas.events import PooledLead
from services.router.decide import decide
from services.router.dedupe import identities, merge
from tests.router.support import NOW, intake, make_config, record

CONFIG = make_config()


def pooled(**fields: object) -> PooledLead:
    outcome = decide(record(intake(**fields)), CONFIG)
    assert isinstance(outcome, PooledLead)
    return outcome


def test_a_rising_score_moves_the_lead_from_cold_to_hot() -> None:
    first = pooled(source="demo_request", score=30, external_id="c-1")
    again = pooled(source="demo_request", score=88, external_id="c-1")

    folded = merge(first, again.lead, "external_id", CONFIG, NOW, "merge:p:0:9")

    assert first.pool == "cold" and folded.placement.pool == "hot"
    assert folded.moved
    assert folded.placement.lead.lead_id == first.lead.lead_id
    assert (folded.event.score_before, folded.event.score_after) == (30, 88)


def test_a_lower_score_keeps_the_pool_and_fills_missing_fields() -> None:
    first = pooled(score=70, status="MQL")
    again = pooled(score=20, phone="+442079460000")

    folded = merge(first, again.lead, "email", CONFIG, NOW, "merge:p:0:2")

    assert not folded.moved
    assert folded.placement.pool == "warm"
    assert folded.placement.lead.score == 70
    assert folded.placement.lead.phone == "+442079460000"


def test_identities_scope_the_external_id_by_source() -> None:
    web = identities(pooled(external_id="42").lead, ["external_id", "email"])
    crm = identities(pooled(external_id="42", source="crm").lead, ["external_id"])

    assert [i.kind for i in web] == ["external_id", "email"]
    assert web[0] != crm[0]
