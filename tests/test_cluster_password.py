"""A password in a cluster's URL (``http://USER:PASSWORD@HOST``, sent as basic auth) is
never printed: every message names the host with ``***`` for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main

from .test_cluster_answers import StubCluster

opensearchpy = pytest.importorskip("opensearchpy")

NOBODY = "http://admin:s3cret@127.0.0.1:9/news"  # (nothing listens on port 9)


def _said(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, res.output + res.stderr


def test_a_cluster_that_cannot_be_reached_is_named_without_its_password(tmp_path: Path) -> None:
    home = str(tmp_path / "desk")
    code, said = _said("--url", NOBODY, "init", home)
    assert code == 0 and "cannot reach OpenSearch at http://admin:***@127.0.0.1:9 " in said
    code, said = _said("--home", home, "search", "мова")
    assert code == 2 and "http://admin:***@127.0.0.1:9" in said
    assert "s3cret" not in said


def test_a_bad_url_is_quoted_without_its_password(tmp_path: Path) -> None:
    for url in ("ftp://admin:s3cret@127.0.0.1:9/news", "http://admin:s3cret@127.0.0.1:9/a/b"):
        code, said = _said("--url", url, "init", str(tmp_path / "desk"))
        assert code == 2 and "admin:***@127.0.0.1:9" in said and "s3cret" not in said


def test_a_home_moved_to_a_cluster_says_where_without_the_password(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(opensearchpy, "OpenSearch", StubCluster())
    Engine.init(tmp_path / "desk").close()
    code, said = _said("--url", NOBODY, "init", str(tmp_path / "desk"))
    assert code == 0 and "its index is now http://admin:***@127.0.0.1:9/news (opensearch)" in said
    assert "s3cret" not in said
