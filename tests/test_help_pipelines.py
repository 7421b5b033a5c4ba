"""The shell pipelines that commands' --help shows, run as shown."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from searchkit import Engine
from searchkit.cli import main

pytestmark = pytest.mark.skipif(shutil.which("jq") is None or shutil.which("xargs") is None,
                                reason="the pipeline needs jq and xargs")


def _delete_pipeline(home: Path) -> str:
    """The search-to-delete pipeline of ``delete --help``, its ``searchkit`` this one on ``home``."""
    helptext = CliRunner().invoke(main, ["delete", "--help"]).output
    m = re.search(r"^ *(searchkit search .*?\\\n *\|.*?searchkit delete)$", helptext, re.M | re.S)
    assert m is not None, helptext
    here = f"{shlex.quote(sys.executable)} -m searchkit --home {shlex.quote(str(home))}"
    return m.group(1).replace("\\\n", " ").replace("searchkit ", f"{here} ")


def _left(home: Path) -> list[str]:
    eng = Engine(home)
    try:
        return [a.id for a in eng.stored(["інтерв'ю з тестом", "лишається"])]
    finally:
        eng.close()


def _run(pipeline: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", pipeline], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1"})


def test_the_delete_pipeline_in_help_deletes_the_articles_a_search_finds(tmp_path):
    eng = Engine.init(tmp_path / "home")
    eng.import_articles([{"id": "інтерв'ю з тестом", "text": "Тест для нового інтерв'ю."},
                         {"id": "лишається", "text": "Про погоду в Ужгороді."}])
    eng.close()
    res = _run(_delete_pipeline(tmp_path / "home"))
    assert res.returncode == 0 and res.stdout.startswith("Deleted 1 of 1 article"), res.stderr
    assert _left(tmp_path / "home") == ["лишається"]


def test_the_delete_pipeline_in_help_does_nothing_when_the_search_finds_nothing(tmp_path):
    # (xargs ran ``searchkit delete`` with no id: "Missing argument 'ID...'", exit 123)
    eng = Engine.init(tmp_path / "home")
    eng.import_articles([{"id": "лишається", "text": "Про погоду в Ужгороді."}])
    eng.close()
    res = _run(_delete_pipeline(tmp_path / "home"))
    assert res.stderr == "" and res.stdout == ""
    assert _left(tmp_path / "home") == ["лишається"]
