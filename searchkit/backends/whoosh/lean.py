"""Import Whoosh without two modules it loads for functions searchkit never calls.

``whoosh.compat`` imports ``urllib.request`` (an HTTP client, with ``http.client``,
``email`` and ``ssl``) for ``urlretrieve``, and ``whoosh.query.terms`` imports
``whoosh.lang.morph_en`` (English word variations) for ``variations``: together about
20 ms of every fresh ``searchkit search``. While those two Whoosh modules are first
imported, a stand-in module gives each the one name it takes, a function that imports
the real one when called; the stand-ins are removed at once, so any other import of
these modules gets the real ones.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__all__ = ["import_whoosh"]


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _variations(*args: Any, **kwargs: Any) -> Any:
    from whoosh.lang.morph_en import variations

    return variations(*args, **kwargs)


#: module -> (the name its importer takes, the stand-in function)
_STAND_INS = {"urllib.request": ("urlretrieve", _urlretrieve),
              "whoosh.lang.morph_en": ("variations", _variations)}


def import_whoosh() -> None:
    """Import the Whoosh modules that load the two above (once per process)."""
    if "whoosh.query.terms" in sys.modules:
        return
    placed = {}
    for name, (attr, fn) in _STAND_INS.items():
        if name not in sys.modules:
            stand_in = types.ModuleType(name)
            setattr(stand_in, attr, fn)
            placed[name] = sys.modules[name] = stand_in
    try:
        importlib.import_module("whoosh.compat")
        importlib.import_module("whoosh.query.terms")
    finally:
        for name, stand_in in placed.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]


import_whoosh()
