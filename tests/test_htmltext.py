import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.models import Article
from searchkit.store.formats import read_file
from searchkit.text.htmltext import declared_charset, extract

PAGE = """<!DOCTYPE html>
<html lang="uk"><head><meta charset="utf-8">
<title>  Мовні
  табори для дітей </title>
<meta property="article:published_time" content="2016-06-01T10:00:00+03:00">
<style>p { color: red }</style>
<script>var s = "<p>не текст</p>";</script>
</head><body>
<nav><a href="/">Головна</a> <a href="/news">Новини</a></nav>
<h1>Табори</h1>
<p>Влітку в області
працюють мовні&nbsp;табори.<br>Діти &amp; батьки задоволені.</p>
<noscript>Увімкніть JavaScript</noscript>
<ul><li>англійська</li><li>польська</li></ul>
<pre>рядок 1
рядок 2</pre>
</body></html>"""


def test_text_is_extracted_and_scripts_styles_and_menus_are_dropped():
    page = extract(PAGE)
    assert page.title == "Мовні табори для дітей"
    assert page.text == ("Табори\n\nВлітку в області працюють мовні табори.\n\nДіти & батьки задоволені.\n\n"
                         "англійська\n\nпольська\n\nрядок 1\n\nрядок 2")
    for junk in ("не текст", "color", "Головна", "JavaScript"):
        assert junk not in page.text
    assert page.date == "2016-06-01T10:00:00+03:00"


def test_first_heading_is_the_title_when_there_is_no_title_tag():
    assert extract("<h1>Новий <b>міст</b></h1><p>Його відкрили.</p>").title == "Новий міст"


def test_unclosed_tags_and_broken_markup_still_give_text():
    page = extract("<p>Перший<div>Другий <b>жирний<p>Третій</i></span>")
    assert page.text == "Перший\n\nДругий жирний\n\nТретій"


def test_an_unclosed_script_hides_only_what_follows_it():
    assert extract("<p>видно</p><script>if (a < b) {").text == "видно"


def test_declared_charset():
    assert declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">') \
        == "windows-1251"
    assert declared_charset(b"<meta charset='koi8-u'>") == "koi8-u"
    assert declared_charset(b"<p>no charset</p>") is None


def test_html_file_becomes_an_article(tmp_path):
    p = tmp_path / "tabory-2016.html"
    p.write_text(PAGE, encoding="utf-8")
    (a,) = read_file(p)
    assert isinstance(a, Article)
    assert a.id == "tabory-2016" and a.title == "Мовні табори для дітей" and a.date == dt.date(2016, 6, 1)
    assert a.text.startswith("Табори\n\nВлітку")


def test_windows_1251_page_is_decoded(tmp_path):
    p = tmp_path / "old.htm"
    p.write_bytes(PAGE.replace("utf-8", "windows-1251").encode("cp1251"))
    (a,) = read_file(p)
    assert a.title == "Мовні табори для дітей" and "задоволені" in a.text


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' &;#!-abpstyle科Київ\n\x00\ud800")), max_size=300)
       | st.text(max_size=300))
def test_any_markup_extracts_without_error(markup):
    page = extract(markup)
    assert isinstance(page.text, str) and isinstance(page.title, str)
