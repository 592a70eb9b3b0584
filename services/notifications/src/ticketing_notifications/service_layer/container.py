"""What the notifications use cases, routes, handlers and loops share."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing_notifications.adapters.smtp_sender import SmtpSender
from ticketing_notifications.settings import NotificationsSettings
from ticketing_runtime.database import Database
from ticketing_runtime.internal_http import ServiceClient


@dataclass
class Notifications:
    database: Database
    orders: ServiceClient
    documents: ServiceClient
    inventory: ServiceClient
    smtp: SmtpSender
    settings: NotificationsSettings
