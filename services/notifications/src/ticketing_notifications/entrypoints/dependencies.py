"""The notifications container for the routes (set on the app by ``main``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ticketing_notifications.service_layer.container import Notifications


def _notifications(request: Request) -> Notifications:
    found: Notifications = request.app.state.notifications
    return found


NotificationsDep = Annotated[Notifications, Depends(_notifications)]
