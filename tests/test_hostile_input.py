"""Import fuzzing: every kind of bad file a real archive meets, in one import. Each bad file
gets a clear message naming it (and the line), the good ones are imported, the exit status
is non-zero, the articles already in corpus/ are untouched and nothing is written outside it."""

from __future__ import annotations

import codecs
import json
import os
import random
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from searchkit import Engine
from searchkit.cli import main
from searchkit.errors import InputError
from searchkit.models import Article
from searchkit.store.formats import MAX_RECORD_BYTES, read_file

from .conftest import ARTICLES, write_jsonl

UK = "Влітку в області працюють мовні табори. Діти вивчають англійську мову, а батьки збирають гроші на ремонт школи."


def jl(*records: object, ascii: bool = False) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=ascii).encode() + b"\n" for r in records)


def files_under(root: Path) -> dict[str, bytes]:
    out = {}
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            p = Path(dirpath) / n
            if p.is_file() and not p.is_symlink():
                out[str(p.relative_to(root))] = p.read_bytes()
    return out


# name -> (content, expected). expected: list of (id, text) imported, or an error fragment.
def hostile_files() -> dict[str, tuple[bytes, list[tuple[str, str]] | str]]:
    rnd = random.Random(7)
    noise = bytes(rnd.randrange(256) for _ in range(3000))
    good = {"id": "good-1", "text": "Добра новина про мовні табори."}
    return {
        "noise.jsonl": (noise, "noise.jsonl:"),
        "noise.txt": (noise, "noise.txt: "),
        "noise.csv": (noise, "noise.csv: "),
        "noise.html": (noise, "noise.html: "),
        "nul.txt": (b"\x00\x01" + UK.encode(), "binary data"),
        "truncated.jsonl": (jl(good) + b'{"id": "cut", "text": "\xd0\x9e\xd0', "truncated.jsonl:2: "),
        "wrong-columns.csv": ("id,title,text\nc1,Т,Текст один\nc2,Т,Текст, з комою, без лапок\n".encode(),
                              "wrong-columns.csv:3: 5 cells but the header has 3 columns"),
        "no-text.csv": (b"id,title\n1,x\n", 'no-text.csv:1: no "text" column'),
        "bom.txt": (codecs.BOM_UTF8 + UK.encode(), [("bom", UK)]),
        "bom.csv": (codecs.BOM_UTF8 + f"id,text\nbom-csv,\"{UK}\"\n".encode(), [("bom-csv", UK)]),
        "bom.jsonl": (codecs.BOM_UTF8 + jl({"id": "bom-jsonl", "text": UK}), [("bom-jsonl", UK)]),
        "utf16.txt": (UK.encode("utf-16"), [("utf16", UK)]),
        "utf16.csv": (f"id,text\nutf16-csv,\"{UK}\"\n".encode("utf-16"), [("utf16-csv", UK)]),
        "utf16.jsonl": (jl({"id": "utf16-jsonl", "text": UK}).decode().encode("utf-16"), [("utf16-jsonl", UK)]),
        "crlf.txt": (f"date 2024-01-02\r\n{UK}\r\nДругий рядок.\r\n".encode(), [("crlf", f"{UK}\nДругий рядок.")]),
        "crlf.csv": (f'id,text\r\ncrlf-csv,"{UK}\r\nДругий рядок."\r\n'.encode(),
                     [("crlf-csv", f"{UK}\r\nДругий рядок.")]),
        "crlf.jsonl": (jl({"id": "crlf-jsonl", "text": UK}).replace(b"\n", b"\r\n"), [("crlf-jsonl", UK)]),
        "cp1251.txt": (UK.encode("cp1251"), [("cp1251", UK)]),
        "koi8u.txt": (UK.encode("koi8_u"), [("koi8u", UK)]),
        "cp1251.csv": (f"id,text\ncp1251-csv,\"{UK}\"\n".encode("cp1251"), [("cp1251-csv", UK)]),
        "cp1251.jsonl": (jl({"id": "cp1251-jsonl", "text": UK}).decode().encode("cp1251"), [("cp1251-jsonl", UK)]),
        "koi8u-page.html": (f"<title>Табори</title><p>{UK}</p>".encode("koi8_u"), [("koi8u-page", UK)]),
        "latin1.txt": ("Le café était déjà fermé à côté de la gare.".encode("latin-1"), "not recognisably"),
        "mixed.txt": (UK.encode() + UK.encode("cp1251"), "mixed encodings"),
        "page.html": (f"<html><head><title>Т</title><script>alert(1)</script><style>b{{}}</style></head>"
                      f"<body><p>{UK}</p></body></html>".encode(), [("page", UK)]),
        "empty.txt": (b" \n", "empty.txt: no text"),  # (a 0-byte file holds no article: a warning)
        "empty.html": (b"<html><script>x</script></html>", "empty.html: no text in the page"),
        "ids.jsonl": (jl(
            {"id": "../../etc/passwd", "text": "шлях"}, {"id": "CON", "text": "пристрій"},
            {"id": ".", "text": "крапка"}, {"id": "..", "text": "дві крапки"},
            {"id": "я" * 512, "text": "довгий"}, {"id": "я" * 513, "text": "задовгий"},
            {"id": "a\u0000b", "text": "нуль"}, {"id": "a\nb", "text": "рядок"}, {"id": "\ud800", "text": "сурогат"},
            {"id": "sur-text", "text": "емодзі \ud83d навпіл"}, {"id": "sur-extra", "text": "т", "tag": "\udc00"},
            ascii=True), "ids.jsonl:6: bad \"id\""),
        "deep.jsonl": (b"[" * 100_000 + b"\n" + jl({"id": "after-deep", "text": UK}), "deep.jsonl:1: bad JSON: nested"),
        "long-line.jsonl": (b'{"id": "huge", "text": "' + b"a" * (MAX_RECORD_BYTES + 10) + b'"}\n'
                            + jl({"id": "after-huge", "text": UK}), "long-line.jsonl:1: line longer than 8 MB"),
        "huge.txt": (b"x" * (MAX_RECORD_BYTES + 1), "huge.txt: too large for one article"),
        "unsupported.pdf": (b"%PDF-1.4", None),  # skipped in a folder walk, not an error
    }


EXTRA_OK = [("../../etc/passwd", "шлях"), ("CON", "пристрій"), (".", "крапка"), ("..", "дві крапки"),
            ("я" * 512, "довгий"), ("good-1", "Добра новина про мовні табори."), ("after-deep", UK),
            ("after-huge", UK), ("c1", "Текст один")]
EXTRA_ERRORS = ["ids.jsonl:7: bad \"id\"", "ids.jsonl:8: bad \"id\"", "ids.jsonl:9: \"id\" has a lone surrogate",
                "ids.jsonl:10: \"text\" has a lone surrogate", "ids.jsonl:11: field 'tag' has a lone surrogate"]


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, dict]:
    folder = tmp_path / "incoming"
    (folder / "sub").mkdir(parents=True)
    cases = hostile_files()
    for name, (content, _) in cases.items():
        (folder / name).write_bytes(content)
    os.symlink("loop.txt", folder / "loop.txt")  # a link to itself
    os.symlink("..", folder / "sub" / "up")  # a folder loop: never followed
    os.mkfifo(folder / "fifo.txt")  # reading it would block forever
    (folder / "dir.txt").mkdir()  # a folder that looks like a file
    (folder / os.fsdecode(b"bad-\xff-name.txt")).write_bytes(UK.encode())
    return folder, cases


def test_a_folder_of_hostile_files_imports_the_good_and_reports_each_bad_one(home, tmp_path, hostile):
    folder, cases = hostile
    eng = Engine(home)
    eng.import_paths([write_jsonl(tmp_path / "seed.jsonl", ARTICLES)])
    corpus_before = files_under(home / "corpus")
    outside_before = {p for p in files_under(tmp_path) if not p.startswith("home/")}

    r = CliRunner().invoke(main, ["--home", str(home), "import", "--json", str(folder)], catch_exceptions=False)

    assert r.exit_code == 2
    summary = json.loads(r.stdout)
    errors = summary["errors"]
    assert summary["failed"] == len(errors)
    assert "Traceback" not in r.stderr and "Error: unexpected" not in r.stderr
    for line in r.stderr.splitlines():  # one line per problem, each naming its file
        if line.startswith("Warning: "):  # (the files of other types, skipped)
            assert f"skipped (first: {folder / 'unsupported.pdf'})" in line, line
            continue
        assert line.startswith("Error: " + str(folder)) or line.startswith("… and"), line
    expected_errors = [exp for _, exp in cases.values() if isinstance(exp, str)] + EXTRA_ERRORS + [
        "loop.txt: a broken or looping symbolic link",
        "fifo.txt: not a regular file",
        "bad-\\udcff-name.txt: the file name cannot be an article id",
    ]
    for fragment in expected_errors:
        assert any(fragment in e for e in errors), (fragment, errors)
    assert all(e.startswith(str(folder)) for e in errors)

    expected_ok = [pair for _, exp in cases.values() if isinstance(exp, list) for pair in exp] + EXTRA_OK
    for art_id, text in expected_ok:
        assert eng.get(art_id).text == text, art_id
    assert summary["added"] == len(expected_ok)

    # corpus/ intact: the seed articles untouched; everything new is inside it.
    corpus_after = files_under(home / "corpus")
    assert all(corpus_after[k] == v for k, v in corpus_before.items())
    assert len(corpus_after) == len(corpus_before) + len(expected_ok)
    assert all((home / "corpus" / k).resolve().is_relative_to((home / "corpus").resolve()) for k in corpus_after)
    assert {p for p in files_under(tmp_path) if not p.startswith("home/")} == outside_before
    assert sorted(os.listdir(home)) == [".searchkit-id", ".searchkit.lock", "corpus", "index"]
    # and the index agrees with the store
    stats = eng.stats()
    assert stats.index_up_to_date and stats.articles == len(corpus_after)
    assert eng.search("табори", collapse=False).total >= 10  # the test pages are near-copies


def test_a_looping_link_given_by_name_is_reported(tmp_path):
    os.symlink("a.txt", tmp_path / "b.txt")
    os.symlink("b.txt", tmp_path / "a.txt")
    eng = Engine.init(tmp_path / "home")
    report = eng.import_paths([tmp_path / "a.txt"], index=False)
    assert report.errors == [f"{tmp_path / 'a.txt'}: a broken or looping symbolic link"]


def test_a_link_that_leads_nowhere_in_a_folder_is_said_as_one_given_by_name_is(tmp_path):
    # (in a folder it said 'cannot read: No such file or directory' of a file the user sees listed)
    (tmp_path / "in").mkdir()
    os.symlink("gone.txt", tmp_path / "in" / "broken.txt")
    os.symlink("b.txt", tmp_path / "in" / "a.txt")
    os.symlink("a.txt", tmp_path / "in" / "b.txt")
    (tmp_path / "in" / "c.txt").write_text(UK, encoding="utf-8")
    eng = Engine.init(tmp_path / "home")
    report = eng.import_paths([tmp_path / "in"], index=False)
    assert report.errors == [f"{tmp_path / 'in' / name}: a broken or looping symbolic link"
                             for name in ("a.txt", "b.txt", "broken.txt")]
    assert report.added == 1


def test_an_unreadable_file_is_reported_and_the_rest_imported(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    locked = tmp_path / "in" / "locked.txt"
    locked.write_text(UK, encoding="utf-8")
    (tmp_path / "in" / "open.txt").write_text(UK, encoding="utf-8")
    if os.geteuid() == 0:
        # root reads any file whatever its mode: make this one fail the way chmod 000 would.
        import builtins

        real = builtins.open

        def opener(file, *args, **kwargs):
            if isinstance(file, (str, os.PathLike)) and os.fspath(file).endswith("locked.txt"):
                raise PermissionError(13, "Permission denied", os.fspath(file))
            return real(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", opener)
    else:
        locked.chmod(0)
    eng = Engine.init(tmp_path / "home")
    report = eng.import_paths([tmp_path / "in"], index=False)
    assert report.errors == [f"{locked}: cannot read: Permission denied"]
    assert report.added == 1 and eng.corpus.get("open") is not None


def test_an_unreadable_folder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "in" / "closed").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text(UK, encoding="utf-8")
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if str(path).endswith("closed"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    report = Engine.init(tmp_path / "home").import_paths([tmp_path / "in"], index=False)
    assert report.errors == [f"{tmp_path / 'in' / 'closed'}: cannot read: Permission denied"]
    assert report.added == 1


# -- properties ----------------------------------------------------------------------------

_settings = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(data=st.binary(max_size=3000), ext=st.sampled_from([".txt", ".jsonl", ".csv", ".html"]))
def test_random_bytes_in_any_format_give_articles_or_input_errors_only(data, ext):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"f{ext}"
        p.write_bytes(data)
        for item in read_file(p):
            assert isinstance(item, (Article, InputError))
            if isinstance(item, Article):
                json.dumps(item.to_json(), ensure_ascii=False).encode("utf-8")  # storable as is
            else:
                assert str(item).startswith(str(p))


_junk = st.one_of(
    st.binary(max_size=80).map(lambda b: b.replace(b"\n", b" ")),
    st.text(max_size=80).map(lambda t: t.replace("\n", " ").encode("utf-8", "surrogatepass")),
    st.just(b'{"id": "x", "text": '),
    st.just(b'{"text": "\\ud83d"}'),
)
_record = st.fixed_dictionaries({"text": st.text(min_size=1, max_size=60)},
                                optional={"title": st.text(max_size=20), "date": st.sampled_from(["2024-02-29", "x"]),
                                          "source": st.text(max_size=10), "extra": st.text(max_size=10)})


@example(lines=[b"\xfe\xff\x00{", {"text": "0"}])  # a UTF-16 BOM and "{" before UTF-8 lines
@example(lines=[b"PK\x03\x04", {"text": "0"}])  # a zip archive's first bytes: the file is refused whole, said once
@example(lines=[b"A", b"a", {"text": "0"}])  # lines of text first: "text, not JSON Lines", said once at line 1
@example(lines=[b'{"id": "x", "text": ', b"A", b"A", {"text": "0"}])  # a bad record, then text: judged text
@_settings
@given(lines=st.lists(st.one_of(_record, _junk), min_size=1, max_size=25))
def test_every_jsonl_line_is_either_imported_or_reported_by_number(lines):
    with tempfile.TemporaryDirectory() as d:
        feed = Path(d) / "feed.jsonl"
        with open(feed, "wb") as f:
            for n, line in enumerate(lines, 1):
                if isinstance(line, dict):
                    line = json.dumps({**line, "id": f"line{n}"}, ensure_ascii=False).encode("utf-8", "surrogatepass")
                f.write(line + b"\n")
        eng = Engine.init(Path(d) / "home")
        report = eng.import_paths([feed], index=False)
        where = [e.split(":")[1] for e in report.errors]
        judged = [e for e, w in zip(report.errors, where, strict=True)
                  if not w.strip().isdigit() or "not JSON Lines" in e]
        if judged:
            # the file refused whole, said once, where it showed what it is instead (a zip's
            # or a gzip's first bytes, or lines of text: "text, not JSON Lines"): nothing of
            # it is stored, and that is the last error
            assert report.errors[-1] == judged[0] and not list(eng.corpus), report.errors
            return
        reported = {int(w) for w in where}
        imported = {int(a.id[4:]) for a in eng.corpus if a.id.startswith("line")}
        blank = {n for n, line in enumerate(lines, 1) if isinstance(line, bytes) and not line.strip()}
        assert reported.isdisjoint(imported)
        assert reported | imported | blank >= {n for n in range(1, len(lines) + 1) if isinstance(lines[n - 1], dict)}
        assert report.failed == len(report.errors) and report.added + report.unchanged + report.failed >= len(imported)
