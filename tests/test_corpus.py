import json

import pytest

from searchkit.models import Article
from searchkit.store.corpus import Corpus, article_filename


@pytest.mark.parametrize("art_id", ["../../etc/passwd", "CON", "con.txt", ".", "..", "a/b", "A", "x" * 500,
                                    "Київ", "nul", "a\\b", "ok.", " пробіл "])
def test_ids_never_escape_the_store_or_use_reserved_names(art_id):
    rel = article_filename(art_id)
    shard, name = rel.split("/")
    assert len(shard) == 2 and "/" not in name and "\\" not in name
    assert not name.startswith(".") and name.endswith(".json") and len(name) < 100
    assert name.split(".")[0].lower() not in {"con", "nul"}


def test_safe_ids_are_used_as_file_names():
    assert article_filename("a-platforma-2015").endswith("/a-platforma-2015.json")


def test_ids_that_differ_only_in_case_get_different_files():
    assert article_filename("Abc") != article_filename("abc")


def test_put_reports_added_unchanged_updated_and_round_trips(tmp_path):
    c = Corpus(tmp_path / "corpus")
    a = Article("x1", "Заголовок", "Текст", source="Джерело", extra={"author": "Я"})
    assert c.put(a) == "added"
    assert c.put(a) == "unchanged"
    b = Article("x1", "Заголовок", "Новий текст")
    assert c.put(b) == "updated"
    assert c.get("x1") == b
    stored = json.loads(c.path_for("x1").read_text(encoding="utf-8"))
    assert stored["text"] == "Новий текст"


def test_put_leaves_no_temporary_files(tmp_path):
    c = Corpus(tmp_path / "corpus")
    for i in range(5):
        c.put(Article(f"id{i}", "t", "текст"))
    names = [p.name for p in (tmp_path / "corpus").rglob("*") if p.is_file()]
    assert all(n.endswith(".json") and not n.startswith(".") for n in names) and len(names) == 5


def test_scan_skips_temporary_files_and_stamps_change_on_rewrite(tmp_path):
    c = Corpus(tmp_path / "corpus")
    c.put(Article("a", "t", "текст"))
    (c.path_for("a").parent / ".a.json.123.tmp").write_text("{", encoding="utf-8")
    (before,) = list(c.scan())
    c.put(Article("a", "t", "інший, довший текст"))
    (after,) = list(c.scan())
    assert before.relpath == after.relpath and before.stamp != after.stamp


def test_delete(tmp_path):
    c = Corpus(tmp_path / "corpus")
    c.put(Article("a", "t", "текст"))
    assert c.delete("a") and not c.delete("a") and c.get("a") is None
