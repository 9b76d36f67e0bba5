"""Email addresses: checked and normalised as `email_validator` does, fast.

Most addresses are a plain ASCII local part at a handful of domains. The
domain check (IDNA, special-use names, label rules) is the expensive part
and depends on the domain alone, so it is done once per domain; a plain
dot-atom local part needs no more than its pattern and length. Anything
else goes through `email_validator` whole, which also words every error.
"""

import re
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_LOCAL = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")
_MAX_LOCAL = 64  # RFC 5321 limits, as email_validator applies them
_MAX_ADDRESS = 254
_KNOWN_DOMAINS = 4096


class InvalidEmail(ValueError):
    """The address is not valid; the message says why."""


def normalised_email(raw: str) -> str:
    """The address lower-cased, or `InvalidEmail` naming the problem."""
    text = raw.strip()
    fast = _plain(text)
    if fast is not None:
        return fast
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as err:
        raise InvalidEmail(str(err)) from err
    return checked.normalized.lower()


def _plain(text: str) -> str | None:
    local, at, domain = text.rpartition("@")
    if not at or len(local) > _MAX_LOCAL or not _PLAIN_LOCAL.fullmatch(local):
        return None
    checked_domain = _domain(domain)
    if checked_domain is None:
        return None
    address = f"{local}@{checked_domain}".lower()
    return address if len(address) <= _MAX_ADDRESS else None


@lru_cache(maxsize=_KNOWN_DOMAINS)
def _domain(domain: str) -> str | None:
    if not domain.isascii():
        return None  # internationalised: left to the full check
    try:
        checked = validate_email(f"a@{domain}", check_deliverability=False)
    except EmailNotValidError:
        return None
    return checked.domain
