"""What the notifications use cases refuse (entrypoints map each to a problem)."""


class NotificationsError(Exception):
    """A use case refused; the message says why, for the caller."""


class NotificationNotFound(NotificationsError):
    pass


class NothingToResend(NotificationsError):
    """An e-mail set aside for good: its order's tickets were all refunded, or its customer
    erased (nobody to send it to)."""
