"""The clients of a cluster's connection, without a cluster: none is sent a request."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest

pytest.importorskip("opensearchpy")

from searchkit.backends.opensearch.client import Connection  # noqa: E402


def test_threads_asking_for_a_client_at_once_share_one_and_leave_none_unclosed() -> None:
    # (a search and the topic model read beside it: each made a client, and the one it
    # replaced was never closed, its connections left open)
    conn = Connection(["http://127.0.0.1:9"])
    real, made = conn.os.OpenSearch, []

    def slowly_made(**options: Any) -> Any:
        time.sleep(0.05)  # (the time two threads met in)
        made.append(real(**options))
        return made[-1]

    conn.os = SimpleNamespace(OpenSearch=slowly_made)
    got: list[Any] = []
    threads = [threading.Thread(target=lambda: got.append(conn.meta)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 1 and all(c is made[0] for c in got) and len(got) == 4
    conn.close()
