"""Settings of the documents service (environment, prefix ``TICKETING_``)."""

import os
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator

from ticketing_runtime.settings import Port, ServiceSettings


def _default_documents_dir() -> Path:
    # beside the rest of the local run's state (scripts/infra and scripts/stack.py use the same)
    return Path(os.environ.get("TICKETING_RUN_DIR", ".run")) / "documents"


class DocumentsSettings(ServiceSettings):
    service_name: str = "documents"
    http_port: Port = 28084

    orders_url: str = "http://127.0.0.1:28082"
    render_poll_s: float = Field(0.2, gt=0, description="how often due render jobs are looked for")
    render_batch_size: int = Field(
        8, ge=1, le=100, description="due orders laid out as one document (cheaper per ticket)"
    )
    render_retry_base_s: float = Field(2.0, gt=0, description="first delay after a failed render")
    render_retry_cap_s: float = Field(300.0, gt=0)
    render_max_attempts: int = Field(8, ge=1, description="then the job is parked for staff")

    document_store: Literal["filesystem", "s3"] = Field(
        "filesystem", description="where rendered PDFs are kept"
    )
    documents_dir: Path = Field(
        default_factory=_default_documents_dir,
        description="root of the filesystem store (default <TICKETING_RUN_DIR or .run>/documents)",
    )
    s3_endpoint_url: str | None = Field(
        "http://127.0.0.1:28900",  # DEV DEFAULT: a local S3-compatible server you run (MinIO)
        description="S3-compatible endpoint; empty for AWS's own endpoint of the region",
    )
    s3_bucket: str = "ticketing-documents"
    s3_region: str = "us-east-1"
    s3_access_key_id: SecretStr = Field(
        SecretStr("ticketing-dev"),  # DEV DEFAULT
        description="empty: the default AWS credential chain (instance or pod role)",
    )
    s3_secret_access_key: SecretStr = Field(
        SecretStr("ticketing-dev-secret"),  # DEV DEFAULT
        description="empty: the default AWS credential chain (instance or pod role)",
    )

    @model_validator(mode="after")
    def _both_s3_keys_or_neither(self) -> Self:
        """One key without the other reached S3 as half a credential, refused at the first
        PDF stored: both empty (the AWS credential chain) or both set."""
        key_id = bool(self.s3_access_key_id.get_secret_value())
        secret = bool(self.s3_secret_access_key.get_secret_value())
        if key_id != secret:
            raise ValueError(
                "TICKETING_S3_ACCESS_KEY_ID and TICKETING_S3_SECRET_ACCESS_KEY: set both, or"
                " leave both empty for the AWS credential chain"
            )
        return self
