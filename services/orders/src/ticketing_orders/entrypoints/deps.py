"""FastAPI's view of the orders container (built by ``main``) and of who may call."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from ticketing_orders.service_layer.container import Orders
from ticketing_runtime.identity import Identity, require_roles
from ticketing_runtime.service import app_state

OrdersDep = Annotated[Orders, Depends(app_state("orders"))]
Admin = Annotated[Identity, Depends(require_roles("admin"))]
Scanner = Annotated[Identity, Depends(require_roles("scanner"))]
Staff = Annotated[Identity, Depends(require_roles("staff"))]
