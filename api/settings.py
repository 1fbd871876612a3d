"""Settings, read once from the environment (``PARLEY_*``) or given explicitly."""

from __future__ import annotations

from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.store import is_remote


class Settings(BaseSettings):
    """How Parley runs. Every field can be set with an environment variable ``PARLEY_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="PARLEY_")

    store: str = "./data/store"
    """``memory``, the directory of the embedded Oxigraph store (created and seeded if new), or the
    ``http(s)://`` URL of a SPARQL 1.1 server to use as a remote store."""
    store_query_url: str | None = None
    """A remote store's SPARQL query endpoint (default: ``<store>/query``, as Oxigraph server has it)."""
    store_update_url: str | None = None
    """A remote store's SPARQL update endpoint (default: ``<store>/update``)."""
    store_graph_store_url: str | None = None
    """A remote store's Graph Store Protocol endpoint (default: ``<store>/store``)."""
    store_user: str | None = None
    """User name for HTTP authentication with a remote store (basic or digest: ``store_auth``)."""
    store_password: SecretStr | None = None
    store_auth: Literal["basic", "digest"] = "basic"
    """How a remote store checks ``store_user`` and ``store_password``: ``basic`` or ``digest`` (Virtuoso's
    ``/sparql-auth``)."""
    store_request_form: Literal["portable", "direct"] = "portable"
    """How queries and updates go to a remote store: ``portable`` (GET for a short query, a URL-encoded form
    for a long one and for updates: every server takes them) or ``direct`` (the text as the request body,
    ``application/sparql-query``: Oxigraph server and Fuseki take it, Virtuoso 7 never answers it)."""
    store_token: SecretStr | None = None
    """A bearer token for a remote store (instead of basic authentication)."""
    store_timeout: float = 30.0
    """Seconds to connect to a remote store and send it a request before it counts as unreachable."""
    store_read_timeout: float = 600.0
    """Seconds a remote store may work on a request before answering (whole-graph reads of a large graph
    take minutes)."""
    store_check_interval: float = 0.2
    """Over a remote store, seconds between a replica's checks that no other one has written: how stale
    its answers may be (0: check before every request)."""
    changes_poll_interval: float = 0.25
    """Seconds between a process's looks at the store's version while anyone listens to /changes/stream: how
    soon a write through any replica reaches the listeners."""
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

    def store_options(self) -> dict:
        """The options :func:`graph.ingest.load.open_store` takes for a remote store (none for an embedded one)."""
        if not is_remote(self.store):
            return {}
        return {
            "query_url": self.store_query_url,
            "update_url": self.store_update_url,
            "graph_store_url": self.store_graph_store_url,
            "user": self.store_user,
            "password": self.store_password.get_secret_value() if self.store_password else None,
            "token": self.store_token.get_secret_value() if self.store_token else None,
            "timeout": self.store_timeout,
            "read_timeout": self.store_read_timeout,
            "auth": self.store_auth,
            "request_form": self.store_request_form,
        }
