"""Settings of the documents service (environment, prefix ``TICKETING_``)."""

from ticketing_runtime.settings import ServiceSettings


class DocumentsSettings(ServiceSettings):
    service_name: str = "documents"
    http_port: int = 58084
