"""Settings read from the environment (every value has a dev default)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_SMTP_PORT = 28025
DEFAULT_HTTP_PORT = 28026
# tools/smtp_sink/src/smtp_sink/config.py -> the repository (the tool only runs from a checkout)
REPO_ROOT = Path(__file__).resolve().parents[4]


class ConfigError(ValueError):
    """An environment variable holds a value the sink cannot use."""


@dataclass(frozen=True)
class Settings:
    host: str = DEFAULT_HOST
    smtp_port: int = DEFAULT_SMTP_PORT
    http_port: int = DEFAULT_HTTP_PORT
    mail_dir: Path = REPO_ROOT / ".run" / "mail"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            host=env.get("SMTP_SINK_HOST", DEFAULT_HOST),
            smtp_port=_port(env, "SMTP_SINK_PORT", DEFAULT_SMTP_PORT),
            http_port=_port(env, "SMTP_SINK_HTTP_PORT", DEFAULT_HTTP_PORT),
            mail_dir=_mail_dir(env),
        )


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, str(default))
    try:
        port = int(text)
    except ValueError:
        raise ConfigError(f"{name} is not an integer: {text!r}") from None
    if not 0 < port < 65536:
        raise ConfigError(f"{name} out of range: {port}")
    return port


def _mail_dir(env: Mapping[str, str]) -> Path:
    """``SMTP_SINK_DIR``, else ``mail/`` in the run directory ``scripts/stack.py`` uses."""
    if explicit := env.get("SMTP_SINK_DIR"):
        return Path(explicit)
    run_dir = env.get("TICKETING_RUN_DIR")
    return (Path(run_dir) if run_dir else REPO_ROOT / ".run") / "mail"
