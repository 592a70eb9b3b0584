"""The payments container for the routes (set on the app by ``main``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from ticketing_payments.service_layer.container import Payments
from ticketing_runtime.service import app_state

PaymentsDep = Annotated[Payments, Depends(app_state("payments"))]
