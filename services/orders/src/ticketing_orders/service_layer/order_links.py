"""A customer who lost their e-mails asks for links to their orders by address: whoever asks,
the answer is the same, and only the owner of the address reads the links (notifications mails
them there), so the request tells nobody whether an address bought anything."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing_contracts import OrderLinksRequestedV1
from ticketing_orders.adapters import link_requests_repository, orders_repository
from ticketing_orders.domain.order_links import LINKED_STATUSES, address_digest, normalised_address
from ticketing_orders.service_layer.container import Orders
from ticketing_runtime.ids import new_id


@dataclass(frozen=True)
class SendOrderLinks:
    email: str


async def send_order_links(orders: Orders, command: SendOrderLinks) -> bool:
    """Owe the address one e-mail listing its orders (newest first), unless it has none or was
    mailed them less than ``order_links_interval_s`` ago; whether an e-mail is owed (the caller
    must not tell the asker)."""
    address, settings = normalised_address(command.email), orders.settings
    async with orders.database.unit_of_work() as uow:
        session = uow.session
        order_ids = await orders_repository.ids_of_address(
            session, address, LINKED_STATUSES, settings.order_links_most
        )
        digest = address_digest(address)
        if not order_ids or not await link_requests_repository.claim_sending(
            session, digest, settings.order_links_interval_s
        ):
            return False
        requested = OrderLinksRequestedV1(
            request_id=new_id("olr"), email=address, order_ids=order_ids
        )
        await uow.publish(requested)
        await uow.commit()
    return True
