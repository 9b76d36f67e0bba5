"""Valid but questionable leads: the reasons ops should look before release."""

import re

from schemas.config.routing import Quarantine
from schemas.lead import AccountTier, Lead

_NAME_FIELDS = ("first_name", "last_name")


def quarantine_reasons(lead: Lead, checks: Quarantine) -> list[str]:
    """Every reason the lead looks questionable; empty when it looks fine."""
    reasons = [
        f"missing optional field {field!r}"
        for field in checks.expected_fields
        if _value(lead, field) in (None, "")
    ]

    domain = lead.email.rpartition("@")[2]
    free_mail = {d.casefold() for d in checks.free_mail_domains}
    if _enterprise_form(lead, checks) and domain in free_mail:
        reasons.append(f"free-mail domain {domain!r} on an enterprise form")

    junk = {name.casefold() for name in checks.junk_names}
    pattern = re.compile(checks.junk_name_pattern, re.IGNORECASE)
    for field in _NAME_FIELDS:
        name = getattr(lead, field)
        if name and (name.casefold() in junk or pattern.search(name)):
            reasons.append(f"{field} {name!r} looks like junk")
    return reasons


def _enterprise_form(lead: Lead, checks: Quarantine) -> bool:
    products = {p.casefold() for p in checks.enterprise_products}
    interest = (lead.product_interest or "").casefold()
    return lead.account_tier is AccountTier.ENTERPRISE or interest in products


def _value(lead: Lead, field: str) -> object:
    if field in Lead.model_fields:
        return getattr(lead, field)
    return lead.attributes.get(field)
