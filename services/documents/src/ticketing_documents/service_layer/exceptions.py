"""What the documents use cases refuse (entrypoints map each to a problem)."""


class DocumentsError(Exception):
    """A use case refused; the message says why, for the caller."""


class DocumentNotReady(DocumentsError):
    """No PDF stored yet for what was asked (the render is pending or parked)."""


class StoredDocumentMissing(DocumentsError):
    """The PDF is recorded but the document store does not have it."""


class RenderNotFound(DocumentsError):
    """No render of that order was ever asked for."""
