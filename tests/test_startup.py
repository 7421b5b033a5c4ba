"""The command line starts without the heavy modules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_cli_module_imports_neither_whoosh_nor_pymorphy3_nor_rich():
    code = ("import sys, searchkit.cli; "
            "print(sorted(m for m in ('whoosh', 'pymorphy3', 'rich', 'searchkit.library') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_engine_is_still_importable_from_the_package():
    import searchkit
    from searchkit import Engine
    from searchkit.library import Engine as Direct

    assert Engine is Direct
    assert "Engine" in dir(searchkit) and "Engine" in searchkit.__all__


def test_every_error_the_library_raises_is_importable_from_the_package():
    # a caller catches what it can import: IndexError_ (a cluster out of reach, an index
    # that cannot be written) was raised but only reachable through searchkit.errors
    import searchkit
    from searchkit import errors

    raised = {name for name, obj in vars(errors).items()
              if isinstance(obj, type) and issubclass(obj, (errors.SearchkitError, KeyboardInterrupt))
              and obj.__module__ == errors.__name__}
    assert raised <= set(searchkit.__all__), raised - set(searchkit.__all__)
    assert all(getattr(searchkit, name) is getattr(errors, name) for name in raised)


def test_the_embedded_index_loads_no_http_client_and_leaves_the_real_one_importable():
    code = ("import sys, searchkit.backends.whoosh; "
            "print('urllib.request' in sys.modules, 'whoosh.lang.morph_en' in sys.modules); "
            "import urllib.request, whoosh.compat; from whoosh.lang.morph_en import variations; "
            "print(callable(urllib.request.urlopen), sorted(variations('school'))[:2])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["False False", "True ['school', 'schooled']"]


def test_the_embedded_index_loads_no_asyncio_and_leaves_the_real_cached_property_importable():
    # Whoosh's readers take cached_property from a package that imports asyncio (what the
    # stand-in does for them is checked by every test that searches after a deletion).
    code = ("import sys, searchkit.backends.whoosh, whoosh.reading as r; "
            "print('asyncio' in sys.modules); "
            "from cached_property import cached_property; import asyncio; "
            "print(callable(asyncio.iscoroutinefunction), cached_property.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["False", "True cached_property"]


def test_a_prefix_search_answers_without_loading_the_dictionaries(engine):
    # A prefix is matched by its written form: the dictionaries (70-100 ms to load in a
    # fresh process) are not needed for it, and a word searched as it stands still loads them.
    code = ("import sys; from searchkit import Engine; e = Engine(sys.argv[1]); "
            "print([h.id for h in e.search('табор*').hits], 'pymorphy3' in sys.modules); "
            "print(len(e.search('таборі').hits) > 0, 'pymorphy3' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(engine.home)], capture_output=True, text=True,
                         check=True).stdout
    assert out.split("\n")[:2] == ["['a2'] False", "True True"]


def test_a_program_run_with_python_m_that_imports_searchkit_keeps_its_own_ctrl_c(tmp_path):
    # ``python -m mytool``: while -m locates mytool, sys.argv is ["-m"], as for
    # ``python -m searchkit``; only searchkit's own command line takes Ctrl-C at start-up
    pkg = tmp_path / "mytool"
    pkg.mkdir()
    # (as in a terminal: a job started in the background, CI's too, inherits SIGINT ignored,
    # which searchkit leaves alone whoever runs it)
    (pkg / "__init__.py").write_text(
        "import signal\nsignal.signal(signal.SIGINT, signal.default_int_handler)\nimport searchkit\n",
        encoding="utf-8")
    (pkg / "__main__.py").write_text(
        "import signal\nprint(signal.getsignal(signal.SIGINT) is signal.default_int_handler)\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(root)])}
    out = subprocess.run([sys.executable, "-m", "mytool"], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "True"
    # and searchkit's own start-up still does (its handler says "Interrupted.", not a traceback)
    probe = ("import sys, signal; signal.signal(signal.SIGINT, signal.default_int_handler); sys.argv = ['-m']; "
             "sys.orig_argv = [sys.executable, '-m', 'searchkit']; "
             "import searchkit; print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"
