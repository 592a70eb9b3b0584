"""What notifications tells: every e-mail owed or sent for an order, and those parked."""

from __future__ import annotations

from ticketing_notifications.adapters import notifications_repository as repo
from ticketing_notifications.domain.notification import Notification
from ticketing_notifications.service_layer.container import Notifications


async def parked_count(notes: Notifications) -> int:
    async with notes.database.unit_of_work() as uow:
        return await repo.parked_count(uow.session)


async def parked(notes: Notifications, most: int) -> tuple[int, list[Notification]]:
    async with notes.database.unit_of_work() as uow:
        return await repo.parked(uow.session, most)


async def of_order(notes: Notifications, order_id: str) -> list[Notification]:
    async with notes.database.unit_of_work() as uow:
        return await repo.of_order(uow.session, order_id)
