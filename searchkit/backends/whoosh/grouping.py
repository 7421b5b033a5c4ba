"""Groups of near-duplicate articles: saved beside each generation, brought up to
date after each commit from the signatures in the index."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ...errors import IndexDamaged, NoIndex
from ...store.atomic import write_atomically
from ...text import dedup
from ..records import LAGGING_GROUPS
from . import sigcolumn
from .store import IndexStore

#: The rule the saved groups were formed under (see :class:`searchkit.text.dedup.Stars`).
#: Groups saved without it are connected components, which chain: readers keep using
#: them, and the next write groups the whole index again.
RULE = "centre"
#: The groups' file in a generation.
GROUPS_FILE = "duplicates.json"


def _write_clusters(path: Path, generation: int, clusters: dedup.Clusters) -> None:
    """Save the groups of commit ``generation`` at ``path``, whole or not at all."""
    write_atomically(path, json.dumps({"generation": generation, "rule": RULE, "groups": clusters.to_json()},
                                      ensure_ascii=False))


class Grouping(IndexStore):
    """The near-duplicate groups of the index as it is now."""

    def clusters(self) -> dedup.Clusters:
        """The groups of near-duplicates in the index as it is now."""
        with self._mutex:
            s = self.searcher()
            stamp = (self._gen, s.reader().generation())
            if self._clusters is not None and self._clusters[0] == stamp:
                return self._clusters[1]
            clusters = self._load_clusters(stamp[1])
            self._groups_from = "saved"
            if clusters is None:
                # A commit whose writer is about to save its groups (an import running in
                # another process): the groups of the commit before serve meanwhile, as
                # grouping every article here held searches for tens of seconds.
                clusters = self._load_clusters(None)
                self._groups_from = "earlier"
            if clusters is None:  # none saved, or damaged: a writer stopped before saving them
                clusters = sigcolumn.group_all(s)
                self._groups_from = "worked out"
                self._old_rule = False
            self._clusters = (stamp, clusters)
            return clusters

    def save_missing_groups(self) -> None:
        """Save the groups of the live index if its last writer stopped before it did (or
        they are damaged), so that searches stop working them out; under the write lock."""
        try:
            self.clusters()
        except (NoIndex, IndexDamaged):
            return
        with self._mutex:
            if self._groups_from == "saved" or self._clusters is None:
                return
            s = self.searcher()
            if (self._gen, s.reader().generation()) == self._clusters[0]:
                # (groups worked out just now are this commit's: saved as they are)
                done = self._clusters[1] if self._groups_from == "worked out" else sigcolumn.group_all(s)
                self._save_clusters(done)

    def lagging(self) -> str | None:
        """The groups, when the last writer did not save them (an import running in another
        process, or one that stopped before it did)."""
        try:
            self.clusters()
        except (NoIndex, IndexDamaged):
            return None
        return None if self._groups_from == "saved" else LAGGING_GROUPS

    def groups_to_redo(self) -> bool:
        """Whether the saved groups were formed under an earlier rule (the next write
        groups every article again)."""
        self.clusters()
        return self._old_rule

    def _clusters_path(self) -> Path:
        assert self._gen is not None
        return self.root / self._gen / GROUPS_FILE

    def _load_clusters(self, generation: int | None) -> dedup.Clusters | None:
        """The saved groups of commit ``generation`` (``None``: of whichever commit saved
        them), or ``None`` when there are none or they are damaged."""
        try:
            data = json.loads(self._clusters_path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or (generation is not None and data.get("generation") != generation):
            return None
        self._old_rule = data.get("rule") != RULE
        groups = data.get("groups", [])
        if not isinstance(groups, list) or not all(
                isinstance(g, list) and all(isinstance(i, str) for i in g) for g in groups):
            return None  # damaged: the groups are computed again from the signatures
        try:
            return dedup.Clusters(groups)
        except (TypeError, ValueError, KeyError):
            return None

    def _save_clusters(self, clusters: dedup.Clusters) -> None:
        s = self.searcher()
        generation = s.reader().generation()
        _write_clusters(self._clusters_path(), generation, clusters)
        self._use_clusters(self._gen, generation, clusters)

    def _use_clusters(self, gen: str | None, generation: int, clusters: dedup.Clusters) -> None:
        """Take ``clusters``, saved for commit ``generation`` of ``gen``, as the groups in use."""
        self._clusters = ((gen, generation), clusters)
        self._old_rule = False
        self._groups_from = "saved"

    @staticmethod
    def _group_built(folder: Path, searcher: Any) -> tuple[int, dedup.Clusters]:
        """Group every article of the generation just built in ``folder`` (``searcher``
        on it), not live yet, and save the groups beside it; returns the commit they
        belong to and the groups."""
        clusters = sigcolumn.group_all(searcher)
        generation: int = searcher.reader().generation()
        _write_clusters(folder / GROUPS_FILE, generation, clusters)
        return generation, clusters

    def _regroup(self, changed: Iterable[str], deleted: Iterable[str],
                 before: dedup.Clusters | None) -> None:
        """Bring the groups in line with a commit that wrote ``changed`` and removed
        ``deleted`` (``before``: the groups before it; ``None``: group every article)."""
        s = self.searcher()
        if before is None:
            clusters = sigcolumn.group_all(s)  # band by band from the signature column
        else:
            sigs = sigcolumn.signatures(s)
            # Only the changed articles and the members of groups they were in are looked
            # up; the band keys live in memory for this one pass, not in the index, where
            # 32 terms of one posting each would cost more to write than the signature.
            clusters = before.regrouped(changed, deleted, sigs)
        self._save_clusters(clusters)
