"""Every service authenticates callers itself (through the edge on the public port): a token the
gateway minted is accepted by each; one signed with another key, expired, tampered with or
forged from the public key gets 401 problem+json from each."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from tests.support import catalogue
from tests.support.platform import SERVICES, staff_token
from ticketing_gateway.domain.tokens import TokenSigner, mint_staff
from ticketing_gateway.entrypoints.main import signer
from ticketing_gateway.settings import GatewaySettings
from ticketing_runtime.settings import ServiceSettings

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"


def parking_lot(service: str) -> str:
    return f"/v1/admin/services/{service}/parking-lot"


def another_key() -> TokenSigner:
    seed = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    return TokenSigner(base64.b64encode(seed).decode())


def tampered() -> str:
    """A scanner's token whose claims were edited to say admin (signature kept)."""
    header, payload, signature = staff_token("scanner").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = ["admin"]
    edited = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{edited}.{signature}"


def from_public_key() -> str:
    """HS256 "signed" with the public key everybody may know (algorithm confusion)."""
    public = ServiceSettings(service_name="orders").token_public_keys[0]
    claims: dict[str, object] = {"sub": "staff:eve", "kind": "staff", "roles": ["admin"]}
    claims |= {"aud": "ticketing-public", "exp": 4_000_000_000}
    kid = jwt.get_unverified_header(staff_token("admin"))["kid"]
    return jwt.encode(claims, public, algorithm="HS256", headers={"kid": kid})


BAD_TOKENS: dict[str, Callable[[], str]] = {
    "another key": lambda: mint_staff(another_key(), "eve", {"admin"}, 3600).token,
    "expired": lambda: mint_staff(signer(GatewaySettings()), "old", {"admin"}, 10, now=1e9).token,
    "tampered": tampered,
    "from the public key": from_public_key,
    "not a token": lambda: "not.a.token",
}


@pytest.mark.parametrize("service", SERVICES)
async def test_a_token_the_gateway_minted_is_accepted_by_every_service(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str], service: str
) -> None:
    answer = await gateway.get(parking_lot(service), headers=admin_headers)
    assert answer.status_code == 200, answer.text
    assert isinstance(answer.json(), list)


@pytest.mark.parametrize("kind", sorted(BAD_TOKENS))
async def test_a_bad_token_gets_401_problem_json_from_every_service(
    gateway: httpx.AsyncClient, kind: str
) -> None:
    headers = {"Authorization": f"Bearer {BAD_TOKENS[kind]()}"}
    answers = {s: await gateway.get(parking_lot(s), headers=headers) for s in SERVICES}
    answers["inventory holds (fast path)"] = await gateway.post(
        "/v1/holds", headers=headers, json={"performance_id": "perf_x"}
    )
    answers["gateway /v1/me"] = await gateway.get("/v1/me", headers=headers)
    for where, answer in answers.items():
        assert (answer.status_code, answer.headers["content-type"]) == (401, PROBLEM), where
        problem = answer.json()
        assert problem["status"] == 401
        expected = "expired" if kind == "expired" else "not valid"
        assert expected in problem["detail"], (where, problem)


async def test_a_session_minted_by_the_gateway_places_a_hold_at_inventory(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=3)
    buyer = await catalogue.session(gateway)
    body = {
        "performance_id": show.performance_id,
        "tiers": [{"tier_id": show.tiers["Floor"], "quantity": 1}],
    }
    answer = await gateway.post("/v1/holds", headers=buyer, json=body)
    assert answer.status_code == 201, answer.text
