"""The command line starts without the heavy modules."""

from __future__ import annotations

import subprocess
import sys


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
