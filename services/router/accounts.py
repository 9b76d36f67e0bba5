"""Known accounts: a lead of an account a rep owns goes to that rep."""

from schemas.config.routing import KnownAccount
from schemas.lead import Lead


def owning_account(lead: Lead, accounts: list[KnownAccount]) -> KnownAccount | None:
    """The first account whose email domain or company name matches."""
    domain = lead.email.rpartition("@")[2].casefold()
    company = " ".join((lead.company or "").split()).casefold()
    for account in accounts:
        domains = {d.casefold().lstrip("@") for d in account.domains}
        companies = {" ".join(c.split()).casefold() for c in account.companies}
        if domain in domains or (company and company in companies):
            return account
    return None
