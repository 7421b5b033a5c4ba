import threading
from pathlib import Path

import pytest

from searchkit.store.atomic import write_atomically


def test_threads_writing_one_file_never_let_a_reader_see_part_of_it(tmp_path: Path) -> None:
    # two engines of one program (the TUI's) each save a segment's words: with one
    # temporary name per process, one renamed the other's half-written file into place
    path = tmp_path / "words"
    data = ("слово\n" * 200_000).encode()
    write_atomically(path, data)
    seen: list[int] = []
    writing = True

    def write() -> None:
        for _ in range(15):
            write_atomically(path, data)

    def read() -> None:
        while writing:
            seen.append(len(path.read_bytes()))

    reader = threading.Thread(target=read)
    writers = [threading.Thread(target=write) for _ in range(3)]
    reader.start()
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    writing = False
    reader.join()
    assert seen and set(seen) == {len(data)}
    assert [p.name for p in tmp_path.iterdir()] == ["words"]


def test_a_write_that_fails_leaves_the_file_as_it_was_and_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "searchkit.toml"
    write_atomically(path, "backend = \"whoosh\"\n")
    with pytest.raises(UnicodeEncodeError):
        write_atomically(path, "\ud800")  # (a lone surrogate: no UTF-8 for it)
    assert path.read_text() == "backend = \"whoosh\"\n"
    assert [p.name for p in tmp_path.iterdir()] == ["searchkit.toml"]
