"""Ids within one import: a .txt or .html file's article takes its id from the file's
name, so two files of one name in one import are two stories (the second is refused, never
stored over the first); and what another import stored is never one of this import's."""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from pathlib import Path

from click.testing import CliRunner, Result

from searchkit import Engine
from searchkit.cli import main
from searchkit.models import Article

from .conftest import imported, write_jsonl


def page(path: Path, title: str, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><head><title>{title}</title></head><body><p>{text}</p></body></html>", encoding="utf-8")
    return path


def test_two_pages_of_one_name_in_two_folders_are_not_one_article_updated(tmp_path: Path) -> None:
    page(tmp_path / "site/2022/03/index.html", "Березень", "Новини березня про школу.")
    page(tmp_path / "site/2022/04/index.html", "Квітень", "Новини квітня про лікарню.")
    eng = Engine.init(tmp_path / "home")
    report = eng.import_paths([tmp_path / "site"])
    assert (report.added, report.updated, report.failed) == (1, 0, 1)
    assert "site/2022/04/index.html" in report.errors[0] and "site/2022/03/index.html" in report.errors[0]
    assert "rename" in report.errors[0]
    assert [h.title for h in eng.search("школа").hits] == ["Березень"]  # the first page is kept


def test_a_file_and_a_feed_record_of_one_id_in_one_import_keep_the_first(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in/a.jsonl", [{"id": "cp", "title": "Запис", "text": "Текст запису про музей."}])
    page(tmp_path / "in/cp.html", "Сторінка", "Сторінка про театр.")
    eng = Engine.init(tmp_path / "home")
    report = eng.import_paths([tmp_path / "in"])  # a folder is read in name order: a.jsonl first
    assert (report.added, report.failed) == (1, 1) and "cp.html" in report.errors[0]
    assert eng.search("музей").total == 1 and eng.search("театр").total == 0


def test_a_file_imported_again_updates_its_own_article(tmp_path: Path) -> None:
    path = page(tmp_path / "news/story.html", "Новина", "Перша версія про школу.")
    eng = Engine.init(tmp_path / "home")
    assert eng.import_paths([path]).added == 1
    page(path, "Новина", "Друга версія про школу.")
    report = eng.import_paths([path])
    assert (report.updated, report.failed) == (1, 0)


def test_a_page_of_one_name_imported_later_from_another_folder_is_refused_not_stored_over(tmp_path: Path) -> None:
    march = page(tmp_path / "site/2022/03/index.html", "Березень", "Новини березня про мости.")
    page(tmp_path / "site/2022/04/index.html", "Квітень", "Новини квітня про лікарні.")
    home = tmp_path / "home"
    eng = Engine.init(home)
    assert eng.import_paths([tmp_path / "site/2022/03"]).added == 1
    assert eng.get("index").extra == {"imported_from": str(march.resolve())}
    r = CliRunner().invoke(main, ["--home", str(home), "import", str(tmp_path / "site/2022/04")],
                           catch_exceptions=False)
    assert r.exit_code == 2 and "0 added, 0 updated, 0 unchanged, 1 failed" in r.stdout
    errors = [line for line in r.stderr.splitlines() if line.startswith("Error")]
    assert len(errors) == 1 and "site/2022/04/index.html" in errors[0] and str(march.resolve()) in errors[0]
    assert "rename the file, or delete the stored article" in errors[0]
    assert [h.title for h in eng.search("мости").hits] == ["Березень"] and eng.search("лікарні").total == 0


def test_a_file_imported_again_from_its_place_updates_its_article_and_the_text_is_not_searched_by_its_path(
        tmp_path: Path) -> None:
    path = page(tmp_path / "мости/story.html", "Новина", "Перша версія про школу.")
    eng = Engine.init(tmp_path / "home")
    eng.import_paths([tmp_path / "мости"])
    page(path, "Новина", "Друга версія про школу.")
    assert (eng.import_paths([path]).updated, eng.search("друга").total) == (1, 1)
    assert eng.search("мости").total == 0  # the folder's name is no word of the article


def test_an_article_stored_without_its_file_is_updated_by_a_file_of_its_name(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    stored_before_ids_were_normalised(eng, "story", "Перша версія про школу")  # (no file kept)
    path = page(tmp_path / "later/story.html", "Новина", "Друга версія про школу.")
    report = eng.import_paths([path])
    assert (report.updated, report.failed) == (1, 0)
    assert eng.get("story").extra == {"imported_from": str(path.resolve())}


def test_a_feed_record_naming_a_file_it_came_from_does_not_refuse_the_file_of_its_id(tmp_path: Path) -> None:
    # (a record's own "imported_from" was taken for the file the article came from: the
    # page of its name was refused, "its article's id 'story' ... is that of /etc/passwd")
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("Мости.", encoding="utf-8")
    eng = Engine.init(tmp_path / "home")
    write_jsonl(tmp_path / "feed.jsonl", [{"id": "story", "text": "Перша версія про школу.",
                                           "imported_from": str(elsewhere)}])
    assert eng.import_paths([tmp_path / "feed.jsonl"]).added == 1
    path = page(tmp_path / "later/story.html", "Новина", "Друга версія про школу.")
    report = eng.import_paths([path])
    assert (report.updated, report.failed, report.errors) == (1, 0, [])
    assert eng.get("story").extra == {"imported_from": str(path.resolve())}


def test_the_same_text_piped_twice_is_one_article_and_keeps_no_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Engine.init(home).close()
    for _ in range(2):
        r = CliRunner().invoke(main, ["--home", str(home), "import", "--stdin-format", "txt", "-"],
                               input="Текст про мости і дороги.\n", catch_exceptions=False)
        assert r.exit_code == 0, r.output
    eng = Engine(home)
    (hit,) = eng.search("мости").hits
    assert eng.get(hit.id).extra == {}


def test_an_import_that_waited_for_anothers_lock_takes_none_of_its_articles_for_its_own(tmp_path: Path) -> None:
    first, waiting = Engine.init(tmp_path / "home"), Engine(tmp_path / "home")
    page(tmp_path / "later/story.html", "Новина", "Друга версія про школу.")
    feed = write_jsonl(tmp_path / "feed.jsonl", [{"id": "story", "title": "Новина", "text": "Перша версія."},
                                                 {"id": "other", "title": "Інша", "text": "Інша новина."}])
    got = {}
    with first.lock:
        later = threading.Thread(target=lambda: got.update(r=waiting.import_paths([tmp_path / "later"])))
        later.start()
        time.sleep(0.3)  # it is waiting for the lock now
        assert first.import_paths([feed]).added == 2
    later.join()
    report = got["r"]
    assert (report.updated, report.failed, report.warnings) == (1, 0, [])


def test_one_file_named_twice_in_an_import_is_one_article_not_a_clash(tmp_path: Path) -> None:
    path = page(tmp_path / "news/story.html", "Новина", "Текст про школу.")
    report = Engine.init(tmp_path / "home").import_paths([path, path])
    assert (report.added, report.failed, report.replaced) == (1, 0, 0)  # (read once: nothing replaced)


# -- one spelling of an id: Unicode NFC, whatever the input or the typing -------------------

TYPED = "Київ-новини-травень"  # as a keyboard types it (NFC: ї and й one character each)
DECOMPOSED = unicodedata.normalize("NFD", TYPED)  # as macOS and many zip files name the file


def test_an_id_from_a_decomposed_file_name_is_found_as_typed(tmp_path: Path) -> None:
    (tmp_path / "mac").mkdir()
    (tmp_path / "mac" / f"{DECOMPOSED}.txt").write_text("Новини Києва про транспорт\n", encoding="utf-8")
    home = tmp_path / "home"
    Engine.init(home).close()

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)

    assert run("import", str(tmp_path / "mac")).exit_code == 0
    listed = json.loads(run("search", "транспорт", "--json").stdout)["hits"][0]["id"]
    assert listed == TYPED
    shown = run("show", TYPED)
    assert shown.exit_code == 0 and "Новини Києва про транспорт" in shown.stdout
    assert run("explain", "транспорт", TYPED).exit_code == 0
    assert run("similar", TYPED).exit_code == 1  # found: it has nothing to be similar to
    assert run("duplicates", TYPED).exit_code == 1
    deleted = run("delete", TYPED)
    assert deleted.exit_code == 0 and "Deleted 1 of 1 article" in deleted.stdout


def test_the_library_finds_an_id_however_its_letters_are_spelt(tmp_path: Path) -> None:
    eng = imported(tmp_path, [{"id": TYPED, "text": "Новини Києва про транспорт і метро."},
                              {"id": "інша", "text": "Новини Львова про транспорт і метро."}])
    for spelling in (TYPED, DECOMPOSED):
        assert eng.get(spelling).id == TYPED
        assert eng.explain("транспорт", spelling).article_id == TYPED
        assert [h.id for h in eng.similar(spelling)] == ["інша"]
        assert eng.duplicates(spelling) == ()
    assert eng.delete(DECOMPOSED) == 1 and eng.search("Києва").total == 0


def test_two_spellings_of_one_id_in_one_feed_are_one_article_said_as_a_repeat(tmp_path: Path) -> None:
    feed = write_jsonl(tmp_path / "feed.jsonl", [{"id": "e\u0301", "text": "Перший текст про кота."},
                                                 {"id": "\u00e9", "text": "Другий текст про кота."}])
    eng = Engine.init(tmp_path / "home")
    report = eng.import_paths(feed)
    assert (report.added, report.replaced, report.failed) == (1, 1, 0)
    assert "(Unicode NFC)" in report.warnings[0] and "'é' in" in report.warnings[0]
    assert [(h.id, h.title) for h in eng.search("кота")] == [("\u00e9", "Другий текст про кота.")]


def test_a_decomposed_id_from_csv_or_stdin_is_stored_composed(tmp_path: Path) -> None:
    (tmp_path / "feed.csv").write_text(f"id,text\n{DECOMPOSED},Новини Києва про транспорт.\n", encoding="utf-8")
    home = tmp_path / "home"
    eng = Engine.init(home)
    assert eng.import_paths(tmp_path / "feed.csv").added == 1
    line = json.dumps({"id": unicodedata.normalize("NFD", "їжак"), "text": "Їжак шукав гриби."}, ensure_ascii=False)
    r = CliRunner().invoke(main, ["--home", str(home), "import", "-"], input=line + "\n", catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert sorted(h.id for h in eng.search("транспорт OR гриби")) == sorted([TYPED, "їжак"])


def stored_before_ids_were_normalised(eng: Engine, art_id: str, text: str) -> None:
    """Store an article as an import before ids were normalised did: its id as the input
    spelt it, naming its file."""
    eng.corpus.put(Article(id=art_id, title=text, text=text))
    eng.index()


def test_an_id_stored_decomposed_before_is_found_as_typed_and_updated_not_stored_twice(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    stored_before_ids_were_normalised(eng, DECOMPOSED, "Новини Києва про транспорт")
    assert eng.get(TYPED).id == DECOMPOSED and eng.get(DECOMPOSED).id == DECOMPOSED
    path = tmp_path / "mac" / f"{DECOMPOSED}.txt"
    path.parent.mkdir()
    path.write_text("Новини Києва про транспорт\n", encoding="utf-8")
    report = eng.import_paths(path)  # the same file again: the same article
    assert (report.added, report.unchanged) == (0, 1)
    path.write_text("Новини Києва про транспорт і метро\n", encoding="utf-8")
    report = eng.import_paths(path)  # changed: updated where it is, not stored beside it
    assert (report.added, report.updated) == (0, 1) and eng.corpus.count() == 1
    assert [h.id for h in eng.search("метро")] == [DECOMPOSED]
    assert eng.delete(TYPED) == 1 and eng.import_paths(path).added == 1  # deleted, it comes back composed
    assert [h.id for h in eng.search("метро")] == [TYPED]


def test_deleting_a_typed_id_removes_one_article_where_a_home_holds_two_spellings(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    stored_before_ids_were_normalised(eng, "\u00e9", "Перший текст про кота")
    stored_before_ids_were_normalised(eng, "e\u0301", "Другий текст про кота")
    assert eng.get("e\u0301").text == "Другий текст про кота"  # each spelling as listed is its own article
    assert eng.get("\u00e9").text == "Перший текст про кота"
    assert eng.delete_each(["e\u0301", "\u00e9"]) == [True, False]  # one id given twice
    assert [h.id for h in eng.search("кота")] == ["\u00e9"]
    assert eng.delete("e\u0301") == 1 and eng.search("кота").total == 0


def test_an_archive_moved_and_imported_again_takes_its_new_place_and_a_later_namesake_is_refused(
        tmp_path: Path) -> None:
    page(tmp_path / "old/2022/story.html", "Новина", "Репортаж про мости через Дніпро.")
    eng = Engine.init(tmp_path / "home")
    assert eng.import_paths([tmp_path / "old"]).added == 1
    (tmp_path / "old").rename(tmp_path / "new")
    moved = (tmp_path / "new/2022/story.html").resolve()
    report = eng.import_paths([tmp_path / "new"])
    assert (report.failed, report.added) == (0, 0)  # the same story, from its new place
    assert eng.get("story").extra == {"imported_from": str(moved)}
    page(tmp_path / "other/story.html", "Інша", "Зовсім інша новина про театр.")
    refused = eng.import_paths([tmp_path / "other"])
    assert refused.failed == 1 and str(moved) in refused.errors[0]
    assert [h.title for h in eng.search("мости").hits] == ["Новина"] and eng.search("театр").total == 0


def test_deleting_one_id_typed_composed_and_decomposed_deletes_one_of_one(tmp_path: Path) -> None:
    eng = imported(tmp_path, [{"id": TYPED, "text": "Новини Києва про транспорт і метро."}])
    r = CliRunner().invoke(main, ["--home", str(eng.home), "delete", TYPED, DECOMPOSED, "--json"])
    assert r.exit_code == 0 and json.loads(r.output) == {"deleted": 1, "requested": 1, "not_found": []}
    r = CliRunner().invoke(main, ["--home", str(eng.home), "delete", DECOMPOSED, TYPED])
    assert r.exit_code == 1 and r.output.strip() == f"Deleted 0 of 1 article. Not found: {DECOMPOSED}."


def test_the_library_says_which_articles_a_delete_removed_by_their_stored_ids(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    stored_before_ids_were_normalised(eng, DECOMPOSED, "Новини Києва про транспорт")
    deletion = eng.delete_ids([TYPED, "нема", DECOMPOSED, "нема"])
    assert deletion.deleted == (DECOMPOSED,)  # (as stored: decomposed)
    assert deletion.not_found == ("нема",) and deletion.requested == 2
    assert eng.search("транспорт").total == 0


def test_a_mistyped_file_name_is_refused_before_the_index_catches_up_on_stored_articles(tmp_path: Path) -> None:
    eng = Engine.init(tmp_path / "home")
    write_jsonl(tmp_path / "feed.jsonl", [{"id": f"n{i}", "title": "Новина", "text": f"Новина номер {i} про мости."}
                                          for i in range(5)])
    assert eng.import_paths([tmp_path / "feed.jsonl"], index=False).added == 5
    report = eng.import_paths([tmp_path / "nonexistent.jsonl"])
    assert report.failed == 1 and "nonexistent.jsonl" in report.errors[0]
    assert eng.unindexed() == (5, 5)  # left for the next import or `searchkit index`, not caught up first
    assert eng.import_paths([tmp_path / "feed.jsonl"]).unchanged == 5 and eng.unindexed() == (0, 5)


def test_an_id_with_an_apostrophe_is_found_typed_with_another_kind(tmp_path: Path) -> None:
    # (a file named with U+2019, as a Ukrainian layout types it, was "no article with id"
    # when typed with the ASCII apostrophe, and the two look the same where ids are listed)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "інтерв\u2019ю-мер.txt").write_text("Мер розповів про бюджет міста.\n", encoding="utf-8")
    home = tmp_path / "home"
    Engine.init(home).close()

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, ["--home", str(home), *args], catch_exceptions=False)

    assert run("import", str(tmp_path / "in")).exit_code == 0
    shown = run("show", "інтерв'ю-мер")
    assert shown.exit_code == 0 and "Мер розповів про бюджет" in shown.stdout
    assert run("explain", "бюджет", "інтерв'ю-мер").exit_code == 0
    deleted = run("delete", "інтерв\u02bcю-мер")
    assert deleted.exit_code == 0 and "Deleted 1 of 1 article" in deleted.stdout
    assert run("search", "бюджет").exit_code == 1


def test_an_id_typed_with_its_own_apostrophe_is_that_article_where_a_home_holds_both(tmp_path: Path) -> None:
    eng = imported(tmp_path, [{"id": "кар'єра", "text": "Перша стаття про кар'єру вчителя."},
                              {"id": "кар\u2019єра", "text": "Друга стаття про кар'єру лікаря."}])
    assert eng.get("кар'єра").text.startswith("Перша")
    assert eng.get("кар\u2019єра").text.startswith("Друга")
    assert eng.delete_each(["кар\u2019єра"]) == [True]
    assert [h.id for h in eng.search("кар'єра")] == ["кар'єра"]


def test_an_id_typed_with_a_third_apostrophe_deletes_neither_of_two_articles_it_could_mean(tmp_path: Path) -> None:
    # ``кар'єра`` and ``кар’єра`` are two articles: ``карʼєра`` names neither, and deleting
    # either would delete an article nobody named
    eng = imported(tmp_path, [{"id": "кар'єра", "text": "Перша стаття про кар'єру вчителя."},
                              {"id": "кар\u2019єра", "text": "Друга стаття про кар'єру лікаря."}])
    assert eng.delete_each(["кар\u02bcєра"]) == [False]
    assert sorted(h.id for h in eng.search("кар'єра")) == sorted(["кар'єра", "кар\u2019єра"])
    assert eng.get("кар\u2019єра").text.startswith("Друга")
    eng.close()


#: Two articles whose ids differ only in their apostrophe, and one with an id of its own.
TWO_SPELLINGS = [{"id": "б'ю", "title": "Перша", "text": "Перша стаття про бокс."},
                 {"id": "б\u2019ю", "title": "Друга", "text": "Друга стаття про бокс."},
                 {"id": "інше", "title": "Третя", "text": "Третя стаття про бокс."}]


def test_an_id_typed_with_a_third_apostrophe_is_named_ambiguous_by_delete_and_nothing_is_deleted(
        tmp_path: Path) -> None:
    eng = imported(tmp_path, TWO_SPELLINGS)
    runner = CliRunner()
    r = runner.invoke(main, ["--home", str(eng.home), "delete", "б\u02bcю", "інше"])
    assert r.exit_code == 1
    assert r.output.strip() == ("Deleted 1 of 2 articles. Ambiguous: 'бʼю' could be \"б'ю\" or 'б’ю'; "
                                "give the id as listed.")
    assert eng.search("Третя").total == 0
    r = runner.invoke(main, ["--home", str(eng.home), "delete", "б\u02bcю", "--json"])
    assert r.exit_code == 1
    assert json.loads(r.output) == {"deleted": 0, "requested": 1, "not_found": [],
                                    "ambiguous": {"б\u02bcю": ["б'ю", "б\u2019ю"]}}
    assert sorted(h.id for h in eng.search("бокс")) == ["б'ю", "б\u2019ю"]
    assert eng.delete_ids(["б\u02bcю"]).ambiguous == (("б\u02bcю", ("б'ю", "б\u2019ю")),)
    eng.close()


def test_show_and_get_name_an_id_typed_with_a_third_apostrophe_ambiguous(tmp_path: Path) -> None:
    from searchkit import ArticleAmbiguous, ArticleNotFound

    eng = imported(tmp_path, TWO_SPELLINGS)
    r = CliRunner().invoke(main, ["--home", str(eng.home), "show", "б\u02bcю"])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert r.output.startswith("Error: id 'бʼю' is ambiguous: it could be \"б'ю\" or 'б’ю'")
    try:
        eng.get("б\u02bcю")
    except ArticleAmbiguous as e:
        assert e.could_be == ("б'ю", "б\u2019ю") and isinstance(e, ArticleNotFound)
    else:
        raise AssertionError("an ambiguous id was taken for one article")
    assert eng.get("б\u2019ю").title == "Друга"  # (typed as stored, it is that article)
    eng.close()
