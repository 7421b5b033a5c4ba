"""The types of what a library user hands a search, checked where it enters: a wrong type
met deep in the index looked like a damaged index (``search(limit=2.5)`` said "the index
is damaged"), and a saved search kept it for every later import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..query.parse import check_source as _check_source_length

__all__ = ["check_bool", "check_callable", "check_date", "check_facets", "check_int", "check_optional_text",
           "check_source", "check_text"]


def _kind(value: Any) -> str:
    return type(value).__name__


def check_text(name: str, value: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_kind(value)}")


def check_optional_text(name: str, value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a str or None, not {_kind(value)}")


def check_source(value: Any) -> None:
    """A source filter: ``None`` or a str no longer than an article's source may be."""
    check_optional_text("source", value)
    _check_source_length(value)


def check_callable(name: str, value: Any, *, optional: bool = True) -> None:
    """A callback (``progress``): something to call (or, ``optional``, ``None``), refused
    where it enters, not as ``'int' object is not callable`` once the work it hears about
    has begun."""
    if not callable(value) and not (optional and value is None):
        raise TypeError(f"{name} must be a callable{' or None' if optional else ''}, not {_kind(value)}")


def check_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {_kind(value)}")


def check_bool(name: str, value: Any, *also: str) -> None:
    """A switch: ``True`` or ``False`` (or one of the words ``also``), not anything
    truthy: ``snippets="no"`` or ``exact="false"`` would be taken as ``True``."""
    if isinstance(value, bool) or value in also:
        return
    kinds = " or ".join(["a bool", *map(repr, also)])
    if isinstance(value, str) and also:
        raise ValueError(f"{name} must be {kinds}, not {value!r}")
    raise TypeError(f"{name} must be {kinds}, not {_kind(value)}")


def check_date(name: str, value: Any, *, text: bool = True) -> None:
    """A date argument: ``None``, a ``datetime.date`` or (``text``) a date as text."""
    if value is None or isinstance(value, dt.date) or (text and isinstance(value, str)):
        return
    kinds = "a datetime.date, a str or None" if text else "a datetime.date or None"
    raise TypeError(f"{name} must be {kinds}, not {_kind(value)}")


def check_facets(value: Any) -> list[str]:
    """The items of a ``facets`` argument: a str is one (``"source,year"``), else each item
    of the iterable must be one (``[5]`` was an AttributeError, said as a bug)."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, Iterable) or isinstance(value, (bytes, bytearray)):
        raise TypeError(f"facets must be a str or an iterable of str, not {_kind(value)}")
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"facets must be a str or an iterable of str, not one holding {_kind(item)}")
    return items
