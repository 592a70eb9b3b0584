"""Settings of the notifications service (environment, prefix ``TICKETING_``)."""

from email.utils import parseaddr

from pydantic import Field, SecretStr, field_validator

from ticketing_runtime.settings import Port, ServiceSettings, non_empty_secret


class NotificationsSettings(ServiceSettings):
    service_name: str = "notifications"
    http_port: Port = 28085
    orders_url: str = "http://127.0.0.1:28082"
    documents_url: str = "http://127.0.0.1:28084"
    inventory_url: str = Field(
        "http://127.0.0.1:28081", description="for the performance's end in calendar invitations"
    )
    send_poll_s: float = Field(0.2, gt=0, description="how often due e-mails are looked for")
    smtp_host: str = Field("127.0.0.1", description="the SMTP sink dev tool by default")
    smtp_port: Port = 28025
    smtp_timeout_s: float = Field(
        10.0, gt=0, description="for the connection and each SMTP command"
    )
    smtp_username: str | None = Field(None, description="AUTH only when set")
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = Field(False, description="true: STARTTLS is required; false: never")
    mail_from: str = "Tickets <tickets@example.com>"  # DEV DEFAULT: a domain you send for
    max_attachment_bytes: int = Field(
        5 * 1024 * 1024, ge=0, description="a larger tickets PDF is sent as a download link"
    )
    mail_retry_base_s: float = Field(
        5.0, gt=0, description="first delay after a failed send; doubles"
    )
    mail_retry_cap_s: float = Field(300.0, gt=0)
    mail_max_attempts: int = Field(10, ge=1, description="then the e-mail is parked for staff")
    public_base_url: str = Field(
        "http://127.0.0.1:28080", description="the gateway as customers reach it, for links"
    )

    @field_validator("smtp_password")
    @classmethod
    def _password_not_empty(cls, secret: SecretStr | None) -> SecretStr | None:
        return non_empty_secret(secret)

    @field_validator("mail_from")
    @classmethod
    def _has_an_address(cls, value: str) -> str:
        if "@" not in parseaddr(value)[1]:
            raise ValueError(f"not an e-mail address: {value!r}")
        return value

    @property
    def message_id_domain(self) -> str:
        """The domain of ``mail_from``: our Message-IDs are ``<...@that.domain>``."""
        return parseaddr(self.mail_from)[1].rpartition("@")[2]
