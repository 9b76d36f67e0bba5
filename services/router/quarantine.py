"""Valid but questionable leads: the reasons ops should look before release."""

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

from schemas.config.routing import Quarantine
from schemas.lead import AccountTier, Lead
from services.router.memo import per_section

_NAME_FIELDS = ("first_name", "last_name")
_LEAD_FIELDS = frozenset(Lead.model_fields)


@dataclass(frozen=True)
class _Checks:
    """The quarantine section folded and compiled, once per config."""

    expected_fields: list[tuple[str, Callable[[Lead], object]]]
    free_mail: frozenset[str]
    junk: frozenset[str]
    pattern: re.Pattern[str]
    enterprise_products: frozenset[str]


def quarantine_reasons(lead: Lead, section: Quarantine) -> list[str]:
    """Every reason the lead looks questionable; empty when it looks fine."""
    checks = _checks(section)
    reasons = [
        f"missing optional field {field!r}"
        for field, read in checks.expected_fields
        if read(lead) in (None, "")
    ]

    domain = lead.email.rpartition("@")[2]
    if domain in checks.free_mail and _enterprise_form(lead, checks):
        reasons.append(f"free-mail domain {domain!r} on an enterprise form")

    for field in _NAME_FIELDS:
        name = getattr(lead, field)
        if name and (name.casefold() in checks.junk or checks.pattern.search(name)):
            reasons.append(f"{field} {name!r} looks like junk")
    return reasons


@per_section
def _checks(section: Quarantine) -> _Checks:
    return _Checks(
        expected_fields=[(f, _reader(f)) for f in section.expected_fields],
        free_mail=frozenset(d.casefold() for d in section.free_mail_domains),
        junk=frozenset(name.casefold() for name in section.junk_names),
        pattern=re.compile(section.junk_name_pattern, re.IGNORECASE),
        enterprise_products=frozenset(
            p.casefold() for p in section.enterprise_products
        ),
    )


def _enterprise_form(lead: Lead, checks: _Checks) -> bool:
    interest = (lead.product_interest or "").casefold()
    return (
        lead.account_tier is AccountTier.ENTERPRISE
        or interest in checks.enterprise_products
    )


def _reader(field: str) -> Callable[[Lead], object]:
    if field in _LEAD_FIELDS:
        return operator.attrgetter(field)
    return lambda lead: lead.attributes.get(field)
