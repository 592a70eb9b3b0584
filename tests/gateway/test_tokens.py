"""Bearer tokens (no servers): the gateway mints EdDSA JWTs, services verify them with public
keys only; sessions, staff roles, expiry, forgery, rotation."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from functools import partial
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from tests.support.waiting import eventually
from ticketing_gateway.domain.tokens import TokenSigner, mint_session, mint_staff
from ticketing_gateway.service_layer.tokens import signer
from ticketing_gateway.settings import GatewaySettings
from ticketing_runtime import bearer_tokens, withdrawn_tokens
from ticketing_runtime.bearer_tokens import (
    InvalidToken,
    WithdrawalsUnknown,
    verify,
    withdraw_only,
)
from ticketing_runtime.identity import caller_from
from ticketing_runtime.internal_http import ServiceUnavailable
from ticketing_runtime.problems import Problem
from ticketing_runtime.settings import ServiceSettings


def new_signer() -> TokenSigner:
    seed = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    return TokenSigner(base64.b64encode(seed).decode())


SIGNER = new_signer()
KEYS = [SIGNER.public_key_b64]


def test_session_token_identifies_an_anonymous_customer() -> None:
    issued = mint_session(SIGNER, ttl_s=60)
    identity = verify(issued.token, KEYS)
    assert identity.kind == "customer"
    assert identity.subject.startswith("ses_")
    assert identity.roles == frozenset()
    assert mint_session(SIGNER, 60).identity.subject != identity.subject
    assert jwt.get_unverified_header(issued.token)["alg"] == "EdDSA"


def test_staff_token_carries_its_roles() -> None:
    identity = verify(mint_staff(SIGNER, "ana", {"scanner"}, 60).token, KEYS)
    assert (identity.kind, identity.subject, identity.roles) == (
        "staff",
        "staff:ana",
        frozenset({"scanner"}),
    )
    assert identity.has_any(["scanner"])
    assert not identity.has_any(["staff"])
    assert verify(mint_staff(SIGNER, "root", {"admin"}, 60).token, KEYS).has_any(["staff"])


def test_a_withdrawn_staff_token_is_refused_even_when_remembered_and_only_while_listed() -> None:
    issued = mint_staff(SIGNER, "door-3", {"scanner"}, 60)
    other = mint_staff(SIGNER, "door-3", {"scanner"}, 60)
    token_id = str(issued.token_id)
    assert token_id.startswith("stk_")
    assert other.token_id != issued.token_id
    assert jwt.decode(issued.token, options={"verify_signature": False})["jti"] == token_id
    verify(issued.token, KEYS)  # now remembered: withdrawal must not be skipped by the cache
    try:
        withdraw_only({token_id: issued.expires_at})
        with pytest.raises(InvalidToken, match="withdrawn by an admin"):
            verify(issued.token, KEYS)
        assert verify(other.token, KEYS).subject == "staff:door-3"  # per token, not per person
        assert verify(mint_session(SIGNER, 60).token, KEYS).kind == "customer"  # no jti
        withdraw_only({})  # the list as read next: it is the whole list each time
        assert verify(issued.token, KEYS).subject == "staff:door-3"
        withdraw_only({token_id: 1.0})  # expired long ago: not kept
        assert verify(issued.token, KEYS).subject == "staff:door-3"
    finally:
        withdraw_only({})


def test_until_it_has_read_the_withdrawn_tokens_a_process_refuses_staff_and_serves_customers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Started while the gateway is away or busy (a new replica on sale day), a process would
    accept a lost phone's token: it refuses staff tokens until the list was read once. It used
    to stay unready instead, taking no buyers either."""
    staff = mint_staff(SIGNER, "door-4", {"scanner"}, 60)
    verify(staff.token, KEYS)  # remembered: the check must not be skipped by the cache
    monkeypatch.setattr(bearer_tokens, "_withdrawn_read", False)
    with pytest.raises(WithdrawalsUnknown, match="retry in a few seconds"):
        verify(staff.token, KEYS)
    assert verify(mint_session(SIGNER, 60).token, KEYS).kind == "customer"
    withdraw_only({})
    assert verify(staff.token, KEYS).subject == "staff:door-4"


def test_a_list_not_read_again_for_too_long_checks_no_staff_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The gateway unreachable from this replica (a partition, its database down): the list it
    had was kept for good, and a token an admin withdrew meanwhile (a stolen admin token) went
    on working here for as long as it lived. A blip is ridden out; a long silence refuses
    staff until the next read, customers still served."""
    staff = mint_staff(SIGNER, "ana", {"admin"}, 3600)
    withdraw_only({})
    monkeypatch.setattr(bearer_tokens, "_withdrawn_stale_after_s", 30.0)
    assert verify(staff.token, KEYS).subject == "staff:ana"  # read just now
    last_read = bearer_tokens._withdrawn_read_at
    monkeypatch.setattr(bearer_tokens, "_withdrawn_read_at", last_read - 29)
    assert verify(staff.token, KEYS).subject == "staff:ana"  # a blip: still trusted
    monkeypatch.setattr(bearer_tokens, "_withdrawn_read_at", last_read - 31)
    with pytest.raises(WithdrawalsUnknown, match="last heard from the gateway"):
        verify(staff.token, KEYS)
    assert verify(mint_session(SIGNER, 60).token, KEYS).kind == "customer"
    withdraw_only({})  # the next answer
    assert verify(staff.token, KEYS).subject == "staff:ana"


def _stale_after_is(seconds: float) -> bool:
    return bearer_tokens._withdrawn_stale_after_s == seconds


async def test_the_loop_sets_how_old_a_list_may_be_while_it_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bearer_tokens, "_withdrawn_stale_after_s", None)
    _, source = flaky_source(failures=0)
    for interval_s, stale_after_s in ((10, 60), (1, 30)):  # six intervals, at least 30 s
        stop = asyncio.Event()
        keeping = asyncio.create_task(
            withdrawn_tokens.keep_withdrawn_tokens(source, stop, interval_s)
        )
        await eventually(partial(_stale_after_is, stale_after_s), what=f"stale at {stale_after_s}")
        stop.set()
        await asyncio.wait_for(keeping, timeout=5)
        assert bearer_tokens._withdrawn_stale_after_s is None  # stopped: nothing to go stale


def test_a_staff_token_not_checkable_yet_is_a_503_problem_to_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bearer_tokens, "_withdrawn_read", False)
    settings = ServiceSettings(service_name="tests", token_public_keys=KEYS)
    headers = {"authorization": f"Bearer {mint_staff(SIGNER, 'ana', {'staff'}, 60).token}"}
    with pytest.raises(Problem) as refused:
        caller_from(headers, settings)
    assert (refused.value.status, refused.value.code) == (503, "staff-tokens-unchecked")
    assert refused.value.extra["retry_after_s"] == 5


@pytest.mark.parametrize("roles", [set(), {"owner"}, {"admin", "superuser"}])
def test_staff_token_refuses_unknown_or_missing_roles(roles: set[str]) -> None:
    with pytest.raises(ValueError, match="roles must be among"):
        mint_staff(SIGNER, "x", roles, 60)


def test_expired_token_is_refused_with_a_useful_reason() -> None:
    issued = mint_session(SIGNER, ttl_s=10, now=1_000_000)
    with pytest.raises(InvalidToken, match="expired"):
        verify(issued.token, KEYS)


def test_token_signed_with_another_key_is_refused() -> None:
    with pytest.raises(InvalidToken, match="not valid"):
        verify(mint_staff(new_signer(), "eve", {"admin"}, 60).token, KEYS)


def test_tampered_claims_are_refused() -> None:
    header, payload, signature = mint_staff(SIGNER, "ana", {"scanner"}, 60).token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = ["admin"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidToken, match="not valid"):
        verify(f"{header}.{forged}.{signature}", KEYS)


@pytest.mark.parametrize("garbled", ["x", "a.b", "a.b.c", "e30.e30.!!"])
def test_a_garbled_token_is_refused_in_our_words_not_its_librarys(garbled: str) -> None:
    """The detail said "Not enough segments", "Invalid crypto padding": a stranger learnt the
    library, a buyer nothing."""
    with pytest.raises(InvalidToken) as refused:
        verify(garbled, KEYS)
    assert str(refused.value).startswith("the token is not valid")
    assert "sign in again" in str(refused.value)  # what to do, in place of the library's words


def test_several_public_keys_verify_tokens_of_each_during_a_rotation() -> None:
    old, new = new_signer(), new_signer()
    both = [old.public_key_b64, new.public_key_b64]
    assert verify(mint_session(old, 60).token, both).kind == "customer"
    assert verify(mint_session(new, 60).token, both).kind == "customer"
    with pytest.raises(InvalidToken):
        verify(mint_session(old, 60).token, [new.public_key_b64])


def test_the_public_key_cannot_be_used_to_mint() -> None:
    """What a service holds (public keys) signs nothing a service accepts: not as an EdDSA key,
    not as an HS256 secret (algorithm confusion)."""
    claims = {
        "sub": "staff:eve",
        "kind": "staff",
        "roles": ["admin"],
        "aud": "ticketing-public",
        "exp": 4_000_000_000,
    }
    public = ServiceSettings(service_name="inventory").token_public_keys
    with pytest.raises(InvalidToken):
        verify(jwt.encode(claims, public[0], algorithm="HS256"), public)
    with pytest.raises((TypeError, ValueError, jwt.PyJWTError)):
        jwt.encode(claims, base64.b64decode(public[0]), algorithm="EdDSA")
    assert "token_signing_key" not in ServiceSettings.model_fields


def test_the_dev_signing_key_matches_the_dev_public_key() -> None:
    gateway = GatewaySettings()
    signer = TokenSigner(gateway.token_signing_key.get_secret_value())
    assert ServiceSettings(service_name="orders").token_public_keys == [signer.public_key_b64]


def flaky_source(failures: int) -> tuple[list[int], Any]:
    """A gateway that fails ``failures`` times (starting alongside), then answers."""
    asked: list[int] = []

    async def source() -> dict[str, float]:
        asked.append(1)
        if len(asked) <= failures:
            raise ServiceUnavailable("the gateway is starting")
        return {}

    return asked, source


async def test_a_starting_process_reads_the_withdrawn_tokens_before_it_serves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Serving first, it refused every clerk with a 503 for up to 5 s after each start."""
    monkeypatch.setattr(bearer_tokens, "_withdrawn_read", False)
    monkeypatch.setattr(withdrawn_tokens, "FIRST_READ_RETRY_S", 0.01)
    asked, source = flaky_source(failures=3)
    await withdrawn_tokens.read_before_serving(source, within_s=5)
    assert bearer_tokens.withdrawals_known()
    assert len(asked) == 4


async def test_a_process_whose_gateway_stays_away_serves_after_its_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bearer_tokens, "_withdrawn_read", False)
    monkeypatch.setattr(withdrawn_tokens, "FIRST_READ_RETRY_S", 0.01)
    asked, source = flaky_source(failures=10_000)
    await asyncio.wait_for(withdrawn_tokens.read_before_serving(source, within_s=0.2), timeout=5)
    assert not bearer_tokens.withdrawals_known()  # staff refused, customers served
    assert len(asked) > 1


async def test_until_the_first_answer_the_list_is_asked_again_soon_not_every_interval(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bearer_tokens, "_withdrawn_read", False)
    monkeypatch.setattr(withdrawn_tokens, "FIRST_READ_RETRY_S", 0.01)
    asked, source = flaky_source(failures=2)
    stop = asyncio.Event()
    keeping = asyncio.create_task(withdrawn_tokens.keep_withdrawn_tokens(source, stop, 3600))
    await eventually(bearer_tokens.withdrawals_known, timeout=5, what="the list read")
    stop.set()
    await asyncio.wait_for(keeping, timeout=5)
    assert len(asked) == 3


def test_a_token_from_a_clock_a_little_ahead_passes_and_one_far_ahead_says_why() -> None:
    """A gateway whose clock was a second ahead had its fresh tokens refused as "not valid: start
    a new session", a new session refused alike, and nothing logged."""
    now = time.time()
    assert verify(mint_session(SIGNER, 600, now=now + 3).token, KEYS).kind == "customer"
    with pytest.raises(InvalidToken, match="clock is behind"):
        verify(mint_session(SIGNER, 600, now=now + 60).token, KEYS)


def test_the_gateway_signs_with_a_key_read_from_a_file_with_its_newline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The settings took the key, then the signer refused it while the gateway was built."""
    seed = base64.b64encode(bytes(range(32))).decode()
    public = TokenSigner(seed).public_key_b64
    monkeypatch.setenv("TICKETING_TOKEN_SIGNING_KEY", seed + "\n")
    monkeypatch.setenv("TICKETING_TOKEN_PUBLIC_KEYS", json.dumps([public]))
    assert signer(GatewaySettings()).public_key_b64 == public
