"""``python -m searchkit.cli``: the same as the ``searchkit`` command."""

from . import main

main()
