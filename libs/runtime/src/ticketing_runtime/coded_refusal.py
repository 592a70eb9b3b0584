"""A refusal that names its own problem type, without HTTP (domain code raises it; a service's
``entrypoints/problems.py`` gives each kind its status, see ``ticketing_runtime.refusals``)."""

from __future__ import annotations

from typing import Any


class CodedRefusal(Exception):
    """A refusal; ``code`` names the problem type, ``extra`` adds fields to the answer."""

    def __init__(self, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extra = extra
