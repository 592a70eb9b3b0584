"""A customer erased by orders (``orders.customer.erased``): documents deletes every PDF of the
order, each version (they print the customer's name). The render job stays: a re-render prints
the order as orders has it now, without the person."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ticketing_documents.adapters import documents_repository as repo
from ticketing_documents.service_layer.container import Documents
from ticketing_runtime.database import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ForgetCustomer:
    order_id: str


async def forget_customer(docs: Documents, uow: UnitOfWork, command: ForgetCustomer) -> None:
    """The records go in ``uow``, the PDFs now: a delivery that fails before its commit is
    delivered again, finds the records still there and deletes the same PDFs again (a missing
    one is no error), so none is left behind."""
    # a render that read the order before the erasure would store its name after this deleted
    # the PDFs: it finishes first
    await repo.wait_for_render(uow.session, command.order_id)
    keys = await repo.forget_order(uow.session, command.order_id)
    for key in keys:
        await docs.store.delete(key)
    log.info(
        "deleted the %d PDFs of order %s (its customer was erased)", len(keys), command.order_id
    )
