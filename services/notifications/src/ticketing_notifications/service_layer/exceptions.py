"""What the notifications use cases refuse (entrypoints map each to a problem)."""


class NotificationsError(Exception):
    """A use case refused; the message says why, for the caller."""


class NotificationNotFound(NotificationsError):
    pass
