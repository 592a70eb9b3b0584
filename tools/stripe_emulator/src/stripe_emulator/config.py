"""Settings read from the environment (every value has a dev default)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 28090
DEFAULT_WEBHOOK_URL = "http://127.0.0.1:28080/v1/webhooks/stripe"
# A dev-only default, published in the README: never use it for anything real.
DEFAULT_WEBHOOK_SECRET = "whsec_dev_only_not_a_secret"
DEFAULT_RETRY_DELAYS_S: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)


class ConfigError(ValueError):
    """An environment variable holds a value the emulator cannot use."""


@dataclass(frozen=True)
class Settings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    webhook_url: str = DEFAULT_WEBHOOK_URL
    webhook_secret: str = DEFAULT_WEBHOOK_SECRET
    retry_delays_s: tuple[float, ...] = DEFAULT_RETRY_DELAYS_S

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        port_text = env.get("STRIPE_EMULATOR_PORT", str(DEFAULT_PORT))
        try:
            port = int(port_text)
        except ValueError:
            raise ConfigError(f"STRIPE_EMULATOR_PORT is not an integer: {port_text!r}") from None
        if not 0 < port < 65536:
            raise ConfigError(f"STRIPE_EMULATOR_PORT out of range: {port}")
        delays_text = env.get("STRIPE_EMULATOR_WEBHOOK_RETRY_DELAYS_S")
        delays = DEFAULT_RETRY_DELAYS_S if delays_text is None else parse_delays(delays_text)
        return cls(
            host=env.get("STRIPE_EMULATOR_HOST", DEFAULT_HOST),
            port=port,
            webhook_url=env.get("STRIPE_EMULATOR_WEBHOOK_URL", DEFAULT_WEBHOOK_URL).strip(),
            webhook_secret=env.get("STRIPE_EMULATOR_WEBHOOK_SECRET", DEFAULT_WEBHOOK_SECRET),
            retry_delays_s=delays,
        )


def parse_delays(text: str) -> tuple[float, ...]:
    """``"0.5,1,2"`` -> ``(0.5, 1.0, 2.0)``; an empty string means no retries."""
    delays: list[float] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            delay = float(part)
        except ValueError:
            raise ConfigError(f"retry delay is not a number: {part!r}") from None
        if delay < 0:
            raise ConfigError(f"retry delay must not be negative: {part!r}")
        delays.append(delay)
    return tuple(delays)
