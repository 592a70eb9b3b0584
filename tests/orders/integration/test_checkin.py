"""Check-in in process against the real PostgreSQL: of many concurrent scans of one ticket
exactly one admits it and ``ticket.checked_in`` is announced once; an offline scan uploaded
twice counts once; a staff reset makes the ticket valid again, in the audit log."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from tests.orders.integration.conftest import Harness, staff
from tests.orders.integration.test_refunding import refund
from tests.orders.integration.test_settlement import desk_sale, load, pay, placed
from ticketing_orders.adapters import orders_repository
from ticketing_orders.domain.checkin import CheckinResult
from ticketing_orders.domain.errors import TicketNotUsed
from ticketing_orders.domain.model import TicketStatus
from ticketing_orders.service_layer import checkin
from ticketing_orders.service_layer.checkin import OfflineOutcome
from ticketing_orders.service_layer.commands import (
    CheckIn,
    CheckInByNumber,
    GiveBackCancelledPerformance,
    OfflineScan,
    ResetCheckIn,
    UploadOfflineScans,
)
from ticketing_orders.service_layer.performance_cancellation import (
    give_back_cancelled_performance,
)
from ticketing_orders.service_layer.refunding import request_refund
from ticketing_runtime.callers import Identity
from ticketing_runtime.ids import new_id

pytestmark = pytest.mark.infra
SCANNER = Identity(kind="staff", subject="staff:door", roles=frozenset({"scanner"}))


async def a_ticket(harness: Harness) -> tuple[str, str]:
    """A paid order's first ticket: (ticket id, secret)."""
    order_id, _ = await placed(harness)
    await pay(harness, order_id)
    ticket = (await load(harness, order_id)).tickets[0]
    return ticket.ticket_id, ticket.secret


async def test_concurrent_scans_admit_a_ticket_once(harness: Harness) -> None:
    ticket_id, secret = await a_ticket(harness)
    scans = [
        checkin.check_in(harness.orders, CheckIn(secret, "perf_it", SCANNER)) for _ in range(6)
    ]
    answers = await asyncio.gather(*scans)
    assert sorted(a.result for a in answers) == [CheckinResult.ALREADY_USED] * 5 + [
        CheckinResult.OK
    ]
    events = await harness.published("orders.ticket.checked_in.v1")
    assert [e["ticket_id"] for e in events].count(ticket_id) == 1


async def test_a_ticket_for_another_performance_or_a_forged_one_is_refused(
    harness: Harness,
) -> None:
    _, secret = await a_ticket(harness)
    elsewhere = await checkin.check_in(harness.orders, CheckIn(secret, "perf_other", SCANNER))
    assert elsewhere.result is CheckinResult.WRONG_PERFORMANCE
    forged = await checkin.check_in(
        harness.orders, CheckIn(secret[:-4] + "AAAA", "perf_it", SCANNER)
    )
    assert forged.result is CheckinResult.INVALID


async def test_nobody_is_admitted_to_a_cancelled_performance(harness: Harness) -> None:
    """A box-office sale's tickets stay valid after a cancellation (the desk refunds them when
    the customer comes): the door admitted them, and the scan kept a ticket's share paid."""
    show = harness.inventory.performance_id = new_id("perf")
    order_id = await desk_sale(harness)
    first, second = (await load(harness, order_id)).tickets
    async with harness.database.unit_of_work() as uow:
        await give_back_cancelled_performance(uow, GiveBackCancelledPerformance(show))
        await uow.commit()

    scanned = await checkin.check_in(harness.orders, CheckIn(first.secret, show, SCANNER))
    by_number = await checkin.check_in_by_number(
        harness.orders, CheckInByNumber(second.ticket_number, show, SCANNER)
    )
    offline = UploadOfflineScans(
        "device-c", show, SCANNER, (OfflineScan("nonce-c1", first.secret, datetime.now(UTC)),)
    )
    [uploaded] = await checkin.upload_offline_scans(harness.orders, offline)

    assert (scanned.result, by_number.result) == (CheckinResult.CANCELLED,) * 2
    assert uploaded.outcome == CheckinResult.CANCELLED
    assert "cancelled" in scanned.detail
    assert {t.status for t in (await load(harness, order_id)).tickets} == {TicketStatus.VALID}


async def test_a_cancelled_shows_used_and_refunded_tickets_are_told_cancelled_too(
    harness: Harness,
) -> None:
    """The door answered "refunded" to most card buyers of a cancelled show (the cancellation
    refunds them) and "already used" to one who stepped out, where offline said cancelled."""
    show = harness.inventory.performance_id = new_id("perf")
    order_id, _ = await placed(harness)
    await pay(harness, order_id)
    used, refunded = (await load(harness, order_id)).tickets
    assert (await checkin.check_in(harness.orders, CheckIn(used.secret, show, SCANNER))).result is (
        CheckinResult.OK
    )
    await request_refund(harness.orders, refund(order_id, ticket_ids=[refunded.ticket_id]))
    async with harness.database.unit_of_work() as uow:
        await give_back_cancelled_performance(uow, GiveBackCancelledPerformance(show))
        await uow.commit()

    for ticket in (used, refunded):
        answer = await checkin.check_in(harness.orders, CheckIn(ticket.secret, show, SCANNER))
        assert answer.result is CheckinResult.CANCELLED
    elsewhere = await checkin.check_in(harness.orders, CheckIn(used.secret, "perf_it", SCANNER))
    assert elsewhere.result is CheckinResult.WRONG_PERFORMANCE


async def test_an_offline_scan_uploaded_twice_counts_once(harness: Harness) -> None:
    ticket_id, secret = await a_ticket(harness)
    scan = OfflineScan("nonce-0001", secret, datetime.now(UTC))
    upload = UploadOfflineScans("device-1", "perf_it", SCANNER, (scan,))
    [first] = await checkin.upload_offline_scans(harness.orders, upload)
    [again] = await checkin.upload_offline_scans(harness.orders, upload)
    assert (first.outcome, first.replayed) == (CheckinResult.OK, False)
    assert (again.outcome, again.replayed) == (CheckinResult.OK, True)
    assert first.ticket is not None
    assert first.ticket.used_device == "device-1"
    events = await harness.published("orders.ticket.checked_in.v1")
    assert [e["ticket_id"] for e in events].count(ticket_id) == 1


async def test_a_nonce_sent_again_with_another_scan_is_not_told_the_first_ok(
    harness: Harness,
) -> None:
    """The answer was the first scan's, whatever came with the nonce: "ok" for a ticket never
    admitted, or at another performance. The same scan again, even under a renewed token, is
    answered as it was."""
    _, secret = await a_ticket(harness)
    other_id, other_secret = await a_ticket(harness)
    now = datetime.now(UTC)

    async def upload(secret: str, performance_id: str, scanner: Identity) -> OfflineOutcome:
        scans = (OfflineScan("nonce-reused", secret, now),)
        command = UploadOfflineScans("device-r", performance_id, scanner, scans)
        [outcome] = await checkin.upload_offline_scans(harness.orders, command)
        return outcome

    assert (await upload(secret, "perf_it", SCANNER)).outcome == CheckinResult.OK
    for reused in (
        await upload(other_secret, "perf_it", SCANNER),
        await upload(secret, "perf_other", SCANNER),
    ):
        assert (reused.outcome, reused.ticket, reused.replayed) == (
            CheckinResult.INVALID,
            None,
            False,
        )
        assert "another scan" in reused.detail
    renewed = Identity(kind="staff", subject="staff:door-2", roles=frozenset({"scanner"}))
    again = await upload(secret, "perf_it", renewed)
    assert (again.outcome, again.replayed) == (CheckinResult.OK, True)
    async with harness.database.unit_of_work() as uow:
        other = await orders_repository.ticket(uow.session, other_id)
    assert other is not None
    assert other.status is TicketStatus.VALID  # never admitted


async def test_a_reset_makes_a_used_ticket_valid_and_is_audited(harness: Harness) -> None:
    ticket_id, secret = await a_ticket(harness)
    reset = ResetCheckIn(ticket_id, "let out for a smoke", staff())
    with pytest.raises(TicketNotUsed):
        await checkin.reset_check_in(harness.orders, reset)
    await checkin.check_in(harness.orders, CheckIn(secret, "perf_it", SCANNER))
    ticket = await checkin.reset_check_in(harness.orders, reset)
    assert (ticket.status, ticket.used_at) == (TicketStatus.VALID, None)
    audits = await harness.published("audit.action.recorded.v1")
    assert any(
        a["action"] == "orders.checkin.reset" and a["target_id"] == ticket_id for a in audits
    )


async def test_a_scan_from_a_reset_clock_is_admitted_at_the_upload_and_refuses_nothing(
    harness: Harness,
) -> None:
    """A phone whose battery ran flat dates its scans 1970: that one scan refused its whole
    batch (422), and the device's queue never uploaded again. Now it is dated when received,
    and the scans with it count as they should."""
    (reset_one, reset_secret), (_, fine_secret) = await a_ticket(harness), await a_ticket(harness)
    scanned = datetime(2027, 3, 1, 19, 5, tzinfo=UTC)
    before = datetime.now(UTC)
    scans = (
        OfflineScan("nonce-reset-1", reset_secret, datetime(1970, 1, 1, tzinfo=UTC)),
        OfflineScan("nonce-fine-01", fine_secret, min(scanned, before)),
    )
    upload = UploadOfflineScans("device-flat", "perf_it", SCANNER, scans)

    first, second = await checkin.upload_offline_scans(harness.orders, upload)

    assert (first.outcome, second.outcome) == (CheckinResult.OK, CheckinResult.OK)
    assert first.ticket is not None
    assert first.ticket.ticket_id == reset_one
    assert first.ticket.used_at is not None
    assert before <= first.ticket.used_at <= datetime.now(UTC)


async def test_an_offline_upload_of_a_scan_whose_online_answer_was_lost_counts_once(
    harness: Harness,
) -> None:
    """The door asked online, the server admitted, the answer timed out (2.5 s on a slow
    night), so the phone admitted the holder offline too. Its upload was a "conflict" that
    stewards learnt to ignore: now it is the one admission it was; another device's is still a
    conflict."""
    ticket_id, secret = await a_ticket(harness)
    online = await checkin.check_in(
        harness.orders, CheckIn(secret, "perf_it", SCANNER, device_id="door-3")
    )
    assert online.result is CheckinResult.OK
    scan = OfflineScan("nonce-lost-01", secret, datetime.now(UTC))

    [same] = await checkin.upload_offline_scans(
        harness.orders, UploadOfflineScans("door-3", "perf_it", SCANNER, (scan,))
    )
    [other] = await checkin.upload_offline_scans(
        harness.orders,
        UploadOfflineScans(
            "door-4", "perf_it", SCANNER, (OfflineScan("nonce-other1", secret, datetime.now(UTC)),)
        ),
    )

    assert (same.outcome, same.detail) == (
        CheckinResult.OK,
        "admitted once: this device's online answer was lost",
    )
    assert other.outcome == "conflict"
    events = await harness.published("orders.ticket.checked_in.v1")
    assert [e["ticket_id"] for e in events].count(ticket_id) == 1


async def test_an_offline_admission_long_after_the_same_devices_online_one_is_a_second_entry(
    harness: Harness,
) -> None:
    """The lost-answer rule covers the seconds after an online check-in: a device that admits
    the ticket again offline ten minutes later (a screenshot, after it forgot its admissions)
    let a second person in, and staff must see it."""
    ticket_id, secret = await a_ticket(harness)
    online = await checkin.check_in(
        harness.orders, CheckIn(secret, "perf_it", SCANNER, device_id="door-5")
    )
    assert online.result is CheckinResult.OK
    async with harness.database.unit_of_work() as uow:  # the online check-in, ten minutes ago
        await uow.session.execute(
            text(
                "UPDATE tickets SET used_at = used_at - interval '10 minutes' WHERE ticket_id = :id"
            ),
            {"id": ticket_id},
        )
        await uow.commit()

    [upload] = await checkin.upload_offline_scans(
        harness.orders,
        UploadOfflineScans(
            "door-5", "perf_it", SCANNER, (OfflineScan("nonce-late-01", secret, datetime.now(UTC)),)
        ),
    )

    assert (upload.outcome, upload.detail) == (
        CheckinResult.ALREADY_USED,
        "this ticket was already used",
    )


async def test_tickets_sold_before_a_key_rotation_are_admitted_after_it(
    harness: Harness,
) -> None:
    """A rotated signing key made every ticket already sold "invalid" at the door."""
    ticket_id, secret = await a_ticket(harness)
    retired = harness.orders.ticket_key.public_key()
    harness.orders.ticket_key = Ed25519PrivateKey.generate()  # the rotation
    refused = await checkin.check_in(harness.orders, CheckIn(secret, "perf_it", SCANNER))
    assert refused.result is CheckinResult.INVALID

    harness.orders.retired_ticket_keys = (retired,)  # kept for the tickets it signed
    admitted = await checkin.check_in(harness.orders, CheckIn(secret, "perf_it", SCANNER))
    assert admitted.result is CheckinResult.OK
    assert admitted.ticket is not None
    assert admitted.ticket.ticket_id == ticket_id
