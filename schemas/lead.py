"""The lead as the router hands it on, after validation and normalisation."""

from enum import StrEnum

from pydantic import EmailStr, Field

from schemas.base import AwareDatetime, Contract


class AccountTier(StrEnum):
    ENTERPRISE = "enterprise"
    MID_MARKET = "mid_market"
    SMB = "smb"


class Lead(Contract):
    """A validated, normalised lead.

    `lead_id` is assigned once by the router and is the key of every event
    about this lead, so all of them land on one partition in order.
    """

    lead_id: str = Field(min_length=1, max_length=64)
    source: str = Field(min_length=1, description="Marketing system or channel")
    external_id: str | None = None
    email: EmailStr
    phone: str | None = Field(default=None, description="E.164, e.g. +14155550100")
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    country: str | None = Field(
        default=None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2"
    )
    employees: int | None = Field(default=None, ge=0)
    account_tier: AccountTier | None = None
    score: int = Field(ge=0, le=100)
    status: str | None = Field(default=None, description="Lifecycle stage, e.g. MQL")
    product_interest: str | None = None
    attributes: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict, description="Source fields kept for routing rules"
    )
    created_at: AwareDatetime = Field(description="Event time at the source")
