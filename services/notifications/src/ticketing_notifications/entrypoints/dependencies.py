"""The notifications container for the routes (set on the app by ``main``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from ticketing_notifications.service_layer.container import Notifications
from ticketing_runtime.service import app_state

NotificationsDep = Annotated[Notifications, Depends(app_state("notifications"))]
