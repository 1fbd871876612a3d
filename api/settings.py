"""Settings, read once from the environment (``PARLEY_*``) or given explicitly."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """How Parley runs. Every field can be set with an environment variable ``PARLEY_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="PARLEY_")

    store: str = "./data/store"
    """``memory``, or the directory of the embedded Oxigraph store (created and seeded if new)."""
    host: str = "127.0.0.1"
    port: int = 8000
