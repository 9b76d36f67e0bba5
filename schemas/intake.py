"""What marketing systems send to `leads.intake` (or the webhook, or a file).

The contract is deliberately lenient about formats (phones, country names,
employee counts as text) because the router normalises them; it is strict
about what routing cannot do without.
"""

from pydantic import BaseModel, ConfigDict, Field

from schemas.base import AwareDatetime


class IntakeLead(BaseModel):
    # Unknown fields are kept as attributes, so routing rules can use them.
    model_config = ConfigDict(extra="allow", frozen=True)

    source: str = Field(min_length=1, description="Marketing system or channel")
    email: str = Field(min_length=3, description="Validated and lower-cased")
    external_id: str | None = Field(default=None, description="Id at the source")
    score: int = Field(ge=0, le=100, description="Lead score, 0 to 100")
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    country: str | None = Field(default=None, description="Name or ISO code")
    employees: int | str | None = Field(default=None, description="Head count")
    status: str | None = Field(default=None, description="Lifecycle stage, e.g. MQL")
    product_interest: str | None = None
    created_at: AwareDatetime | None = Field(
        default=None, description="Event time at the source; intake time if absent"
    )
