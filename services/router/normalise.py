"""Turning a valid intake record into a normalised `Lead`.

Emails are lower-cased and checked, phones become E.164, countries ISO
3166 alpha-2 codes, and head counts an account tier.
"""

import hashlib
import json
from datetime import datetime
from typing import Any

import phonenumbers
import pycountry

from schemas.events import Problem
from schemas.intake import IntakeLead
from schemas.lead import AccountTier, Lead
from services.router.addresses import InvalidEmail, normalised_email
from services.router.intake import Refused

_KNOWN_FIELDS = set(IntakeLead.model_fields)
_COUNTRY_ALIASES = {"UK": "GB", "USA": "US", "UNITED STATES": "US", "ENGLAND": "GB"}
_ENTERPRISE_EMPLOYEES = 1000
_MID_MARKET_EMPLOYEES = 100


def normalise(intake: IntakeLead, received_at: datetime) -> Lead:
    problems: list[Problem] = []
    source = _source(intake.source, problems)
    email = _email(intake.email, problems)
    country = _country(intake.country, problems)
    phone = _phone(intake.phone, country, problems)
    employees = _employees(intake.employees, problems)
    if problems:
        raise Refused(problems, source=intake.source)

    # Every field is checked above (or by `IntakeLead`) against the `Lead`
    # contract; validating again would run the email check a second time.
    return Lead.model_construct(
        lead_id=lead_id_for(intake.source, intake.external_id, email),
        source=source,
        external_id=intake.external_id,
        email=email,
        phone=phone,
        first_name=_clean(intake.first_name),
        last_name=_clean(intake.last_name),
        company=_clean(intake.company),
        country=country,
        employees=employees,
        account_tier=account_tier(employees),
        score=intake.score,
        status=_clean(intake.status),
        product_interest=_clean(intake.product_interest),
        attributes=_attributes(intake),
        created_at=intake.created_at or received_at,
    )


def field_problems(document: dict[str, Any]) -> list[Problem]:
    """What normalisation finds wrong with a raw document's fields, checking
    each field of the right type and skipping the rest (the contract names
    those), so a refusal can list every reason at once."""
    problems: list[Problem] = []

    def text(name: str) -> str | None:
        value = document.get(name)
        return value if isinstance(value, str) else None

    if source := text("source"):
        _source(source, problems)
    if email := text("email"):
        _email(email, problems)
    country = _country(text("country"), problems)
    _phone(text("phone"), country, problems)
    employees = document.get("employees")
    if isinstance(employees, int | str) and not isinstance(employees, bool):
        _employees(employees, problems)
    return problems


def lead_id_for(source: str, external_id: str | None, email: str) -> str:
    # Derived from the input, so a replayed message gets the same id and
    # lands on the same partition as its first copy.
    identity = f"{source}\x00{external_id}" if external_id else f"email\x00{email}"
    return "L" + hashlib.sha256(identity.encode()).hexdigest()[:20]


def account_tier(employees: int | None) -> AccountTier | None:
    if employees is None:
        return None
    if employees >= _ENTERPRISE_EMPLOYEES:
        return AccountTier.ENTERPRISE
    if employees >= _MID_MARKET_EMPLOYEES:
        return AccountTier.MID_MARKET
    return AccountTier.SMB


def _source(raw: str, problems: list[Problem]) -> str:
    source = raw.strip()
    if not source:
        problems.append(Problem(field="source", reason="must not be blank"))
    return source


def _email(raw: str, problems: list[Problem]) -> str:
    try:
        return normalised_email(raw)
    except InvalidEmail as err:
        problems.append(Problem(field="email", reason=str(err)))
        return raw


def _country(raw: str | None, problems: list[Problem]) -> str | None:
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    text = _COUNTRY_ALIASES.get(text.upper(), text)
    try:
        found = pycountry.countries.lookup(text)
    except LookupError:
        problems.append(Problem(field="country", reason=f"unknown country {raw!r}"))
        return None
    return str(found.alpha_2)


def _phone(raw: str | None, country: str | None, problems: list[Problem]) -> str | None:
    if raw is None or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, country)
    except phonenumbers.NumberParseException as err:
        problems.append(Problem(field="phone", reason=f"not a phone number: {err}"))
        return None
    if not phonenumbers.is_valid_number(number):
        problems.append(Problem(field="phone", reason=f"not a valid number {raw!r}"))
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _employees(raw: int | str | None, problems: list[Problem]) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, int):
        value = raw
    else:
        digits = raw.replace(",", "").replace("+", "").strip()
        # isdecimal, not isdigit: superscripts are digits that int() refuses.
        if not digits.isdecimal():
            problems.append(Problem(field="employees", reason=f"not a count {raw!r}"))
            return None
        value = int(digits)
    if value < 0:
        problems.append(Problem(field="employees", reason="must not be negative"))
        return None
    return value


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    stripped = " ".join(text.split())
    return stripped or None


def _attributes(intake: IntakeLead) -> dict[str, Any]:
    # Nested values are kept as JSON text: rules compare scalars only.
    extra = intake.model_extra or {}
    return {
        key: value
        if value is None or isinstance(value, str | int | float | bool)
        else json.dumps(value, sort_keys=True)
        for key, value in extra.items()
        if key not in _KNOWN_FIELDS
    }
