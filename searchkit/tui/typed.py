"""Typed access from the screens and widgets to the app and the search screen that show
them (Textual types ``self.app`` as any ``App``, ``self.screen`` as any ``Screen``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:  # pragma: no cover
    from .app import SearchApp
    from .search import SearchScreen

__all__ = ["search_app", "search_screen"]


def search_app(node: DOMNode) -> SearchApp:
    """The :class:`SearchApp` that ``node`` is part of: it runs no other app."""
    return cast("SearchApp", node.app)


def search_screen(node: DOMNode) -> SearchScreen:
    """The search screen of a widget only that screen holds (the query box, the results)."""
    return cast("SearchScreen", node.screen)
