import codecs

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from searchkit.errors import InputError
from searchkit.text.textdecode import choose_encoding, decode_bytes

TEXT = ("Влітку в області працюють мовні табори. Діти вивчають англійську мову, а їхні батьки "
        "збирають гроші на ремонт школи. Ґанок відремонтували ще торік, і всі були щасливі.")
WORDS = ["мова", "табір", "діти", "школа", "ґанок", "їжак", "пісня", "село", "місто", "ремонт", "новина",
         "Київ", "Львів", "Україна", "ПРАВДА", "війна", "мир", "рік", "гроші", "життя", "є", "і", "та",
         "в'язень", "сім'я", "Івано-Франківськ", "2024", "COVID-19", "—", ",", ".", "!", "«", "»"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8_u"])
def test_each_supported_encoding_decodes_exactly(encoding):
    assert decode_bytes(TEXT.encode(encoding), "f.txt") == TEXT


def test_crlf_is_kept_for_the_reader_to_normalise():
    assert decode_bytes("рядок\r\nще".encode("cp1251") + TEXT.encode("cp1251"), "f.txt").startswith("рядок\r\n")


@settings(max_examples=150, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), min_size=12, max_size=200), enc=st.sampled_from(["cp1251", "koi8_u"]))
def test_legacy_code_pages_decode_exactly_or_are_refused_never_garbled(words, enc):
    text = " ".join(words)
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:  # koi8-u has no «»
        assume(False)
    try:
        decoded = decode_bytes(data, "f.txt")
    except InputError as e:
        assert "f.txt: " in str(e)
        return
    assert decoded == text


@settings(max_examples=150, deadline=None)
@given(data=st.binary(min_size=1, max_size=4000))
def test_random_bytes_decode_or_raise_input_error_only(data):
    try:
        text = decode_bytes(data, "f.bin")
    except InputError as e:
        assert str(e).startswith("f.bin: ")
        return
    text.encode("utf-8")  # whatever it decoded to is real Unicode


@pytest.mark.parametrize("sample", [
    "Ã¨ Ã© Ãª le cafÃ© dÃ©jÃ  vu".encode("latin-1"),  # Latin-1 text: not a Cyrillic code page
    bytes(range(128, 256)) * 4,  # every high byte once: no language at all
])
def test_undetectable_text_is_refused_with_a_clear_message(sample):
    with pytest.raises(InputError, match=r"f\.txt: not UTF-8 \(bad byte at offset \d+\) and not recognisably"):
        decode_bytes(sample, "f.txt")


def test_a_file_mixing_utf8_and_a_code_page_is_refused():
    with pytest.raises(InputError, match="mixed encodings"):
        decode_bytes(TEXT.encode("utf-8") + TEXT.encode("cp1251"), "f.txt")


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-be"])
def test_utf32_with_its_byte_order_mark_decodes_exactly_not_as_utf16(encoding):
    data = TEXT.encode(encoding) if encoding == "utf-32" else codecs.BOM_UTF32_BE + TEXT.encode(encoding)
    assert decode_bytes(data, "f.txt") == TEXT


@pytest.mark.parametrize(("codec", "order"), [("utf-32-le", "little-endian"), ("utf-32-be", "big-endian")])
def test_utf32_without_its_byte_order_mark_is_named_as_such_not_as_binary_data(codec, order):
    with pytest.raises(InputError, match=rf"f\.txt: looks like UTF-32 \({order}\) without a byte-order mark; "
                                         "save it as UTF-8"):
        decode_bytes(TEXT.encode(codec), "f.txt")


def test_nul_bytes_mean_binary():
    with pytest.raises(InputError, match="binary data"):
        decode_bytes(b"PK\x03\x04\x00\x00" + TEXT.encode(), "f.txt")


def test_a_sample_cut_inside_a_utf8_character_is_still_utf8():
    data = TEXT.encode("utf-8")
    cut = next(i for i in range(50, 100) if (data[i] & 0xC0) == 0x80)  # inside a 2-byte letter
    assert choose_encoding(data[:cut], "f.csv", complete=False) == "utf-8"
    with pytest.raises(InputError):
        choose_encoding(data[:cut], "f.csv", complete=True)


def test_a_declared_charset_is_used_when_the_bytes_agree():
    page = "<p>Мовні табори.</p>".encode("cp1251")  # too short to detect on its own
    assert decode_bytes(page, "p.html", declared="windows-1251") == "<p>Мовні табори.</p>"
    assert choose_encoding(codecs.BOM_UTF8 + b"x", "f") == "utf-8-sig"


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02" * 10,  # NULs at both positions of a pair
    b"PK\x03\x04\x00\x00" + TEXT.encode(),
    bytes([1, 0, 2, 0, 3, 0]) * 20,  # NULs every other byte, but the pairs are control characters
])
def test_binary_data_with_nul_bytes_is_not_taken_for_utf16(data):
    with pytest.raises(InputError, match="binary data"):
        decode_bytes(data, "f.txt")


def test_utf16_with_its_byte_order_mark_is_still_read_and_without_it_is_refused_by_name():
    assert decode_bytes(TEXT.encode("utf-16"), "f.txt") == TEXT
    with pytest.raises(InputError, match=r"^f\.txt: looks like UTF-16 \(big-endian\) without a byte-order mark; "
                                         r"save it as UTF-8$"):
        decode_bytes(TEXT.encode("utf-16-be"), "f.txt")


SHORT_TXT = "Заголовок\nТекст про пшеницю.\n"
SHORT_CSV = "id,title,text\nz1,Ціни на зерно,Пшениця подорожчала.\nz2,Врожай,Зібрали більше ячменю.\n"


@pytest.mark.parametrize("codec", ["cp1251", "koi8_u"])
def test_a_short_file_in_a_cyrillic_code_page_is_imported_as_written(tmp_path, codec):
    from searchkit import Engine

    eng = Engine.init(tmp_path / "home")
    (tmp_path / "short.txt").write_bytes(SHORT_TXT.encode(codec))
    (tmp_path / "short.csv").write_bytes(SHORT_CSV.encode(codec))
    report = eng.import_paths([tmp_path / "short.txt", tmp_path / "short.csv"])
    assert (report.added, report.failed, report.errors) == (3, 0, [])
    assert eng.get("short").text.startswith("Заголовок\nТекст про пшеницю.")
    assert [eng.get(i).title for i in ("z1", "z2")] == ["Ціни на зерно", "Врожай"]


@pytest.mark.parametrize("data", [
    SHORT_TXT.encode("mac_cyrillic"),  # capitals where windows-1251 has punctuation: refused by name
    bytes([0xC1, 0xE7, 0x8F, 0xFE, 0x0A, 0xD3, 0x9C, 0xE1, 0xAA, 0xF5, 0xB0, 0xC9, 0x20, 0xEE, 0x83, 0xD8] * 2),
    bytes(range(0xC0, 0x100)),  # the Cyrillic letters in order: no prose
])
def test_short_text_in_no_cyrillic_code_page_is_still_refused(data):
    with pytest.raises(InputError, match=r"not recognisably windows-1251 or koi8-u"):
        decode_bytes(data, "f.txt")
