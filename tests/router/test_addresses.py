"""The fast email check agrees with email_validator, verdict and form."""

from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from services.router.addresses import InvalidEmail, normalised_email

LOCALS = st.text(alphabet="aZ09._+-!#'@\" é", min_size=0, max_size=70)
DOMAINS = st.sampled_from(
    [
        *("corp.example", "Corp.Example", "gmail.com", "localhost", "x.test"),
        *("a..b", "", "bücher.de", "-bad.com", "ok-.com", "a" * 250 + ".com"),
    ]
)


def reference(text: str) -> str | None:
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


@settings(max_examples=400, deadline=None)
@given(local=LOCALS, domain=DOMAINS)
def test_every_address_gets_the_verdict_and_form_of_email_validator(
    local: str, domain: str
) -> None:
    text = f" {local}@{domain}"
    expected = reference(text)
    try:
        assert normalised_email(text) == (expected or "").lower()
    except InvalidEmail:
        assert expected is None


def test_an_invalid_address_names_the_reason() -> None:
    try:
        normalised_email("jo@@corp.example")
    except InvalidEmail as err:
        assert "@" in str(err)
    else:
        raise AssertionError("a double @ must be refused")
