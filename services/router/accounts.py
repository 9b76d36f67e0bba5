"""Known accounts: a lead of an account a rep owns goes to that rep."""

from schemas.config.routing import KnownAccount
from schemas.lead import Lead
from services.router.memo import per_section

_Index = list[tuple[frozenset[str], frozenset[str], KnownAccount]]


def owning_account(lead: Lead, accounts: list[KnownAccount]) -> KnownAccount | None:
    """The first account whose email domain or company name matches."""
    domain = lead.email.rpartition("@")[2].casefold()
    company = " ".join((lead.company or "").split()).casefold()
    for domains, companies, account in _index(accounts):
        if domain in domains or (company and company in companies):
            return account
    return None


@per_section
def _index(accounts: list[KnownAccount]) -> _Index:
    # Folded once per config: the same account names match whatever the case.
    return [
        (
            frozenset(d.casefold().lstrip("@") for d in account.domains),
            frozenset(" ".join(c.split()).casefold() for c in account.companies),
            account,
        )
        for account in accounts
    ]
