"""Settings, read once from the environment (``PARLEY_*``) or given explicitly."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """How Parley runs. Every field can be set with an environment variable ``PARLEY_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="PARLEY_")

    store: str = "./data/store"
    """``memory``, or the directory of the embedded Oxigraph store (created and seeded if new)."""
    host: str = "127.0.0.1"
    port: int = 8000
    token: SecretStr | None = None
    """The bearer token that allows writes; without one, every write is refused (403)."""
    query_timeout: float = 10.0
    """Seconds a SPARQL query may run before it is stopped and answered 503."""
    query_workers: int = 2
    """Worker processes that run SPARQL queries (how many run at once)."""
    query_row_limit: int = 100_000
    """The most rows (or triples) a SPARQL answer may hold."""
    query_memory_mb: int = 4096
    """The most memory a SPARQL query's worker may allocate."""
    max_body_bytes: int = 20 * 1024 * 1024
    """The largest request body accepted (uploads, queries)."""
    cors_origins: str = ""
    """Comma-separated origins allowed to call the API from a browser; empty: CORS off."""
