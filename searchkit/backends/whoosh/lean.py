"""Import Whoosh without three modules it loads for what searchkit never calls.

``whoosh.compat`` imports ``urllib.request`` (an HTTP client, with ``http.client``,
``email`` and ``ssl``) for ``urlretrieve``, and ``whoosh.query.terms`` imports
``whoosh.lang.morph_en`` (English word variations) for ``variations``: together about
20 ms of every fresh ``searchkit search``. ``whoosh.reading`` takes ``cached_property``
from the package of that name, which imports ``asyncio`` (with ``ssl`` and
``concurrent.futures``, 35-50 ms) for the coroutines it could decorate; Whoosh
decorates one plain method. While those Whoosh modules are first imported, a stand-in
module gives each the one name it takes: a function that imports the real one when
called, or, for ``cached_property``, the same descriptor without the coroutine case. The
stand-ins are removed at once, so any other import of these modules gets the real ones.
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


class _CachedProperty:
    """``cached_property.cached_property`` for a plain method: computed on the first read,
    then stored on the instance, which a later read finds first."""

    def __init__(self, func: Any) -> None:
        self.__doc__ = func.__doc__
        self.func = func

    def __get__(self, obj: Any, cls: Any) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.func.__name__] = self.func(obj)
        return value


#: module -> (the name its importer takes, the stand-in)
_STAND_INS: dict[str, tuple[str, Any]] = {"urllib.request": ("urlretrieve", _urlretrieve),
                                          "whoosh.lang.morph_en": ("variations", _variations),
                                          "cached_property": ("cached_property", _CachedProperty)}


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
