"""Bearer tokens (no servers): sessions, staff roles, expiry and forgery."""

from __future__ import annotations

import pytest

from ticketing_gateway.domain.tokens import InvalidToken, mint_session, mint_staff, verify

SECRET = "a-test-secret-that-is-long-enough-for-hs256"


def test_session_token_identifies_an_anonymous_customer() -> None:
    issued = mint_session(SECRET, ttl_s=60)
    identity = verify(issued.token, SECRET)
    assert identity.kind == "customer"
    assert identity.subject.startswith("ses_")
    assert identity.roles == frozenset()
    assert mint_session(SECRET, 60).identity.subject != identity.subject


def test_staff_token_carries_its_roles() -> None:
    identity = verify(mint_staff(SECRET, "ana", {"scanner"}, 60).token, SECRET)
    assert (identity.kind, identity.subject, identity.roles) == (
        "staff",
        "staff:ana",
        frozenset({"scanner"}),
    )
    assert identity.has_any(["scanner"])
    assert not identity.has_any(["staff"])
    assert verify(mint_staff(SECRET, "root", {"admin"}, 60).token, SECRET).has_any(["staff"])


@pytest.mark.parametrize("roles", [set(), {"owner"}, {"admin", "superuser"}])
def test_staff_token_refuses_unknown_or_missing_roles(roles: set[str]) -> None:
    with pytest.raises(ValueError, match="roles must be among"):
        mint_staff(SECRET, "x", roles, 60)


def test_expired_token_is_refused_with_a_useful_reason() -> None:
    issued = mint_session(SECRET, ttl_s=10, now=1_000_000)
    with pytest.raises(InvalidToken, match="expired"):
        verify(issued.token, SECRET)


def test_token_signed_with_another_secret_is_refused() -> None:
    with pytest.raises(InvalidToken, match="not valid"):
        verify(
            mint_staff("another-secret-that-is-long-enough-too", "eve", {"admin"}, 60).token, SECRET
        )
