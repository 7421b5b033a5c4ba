"""The query language, parsed into a small tree (pure: no Whoosh, no dictionary).

    words            all must match:            політв'язні Білорусь
    "exact phrase"   the words side by side, in any inflection:  "мовні табори"
    OR               either side:               Київ OR Харків   (also "or" between two words)
    AND              all must match anyway:     Київ AND Харків  (the same as Київ Харків)
    -word, NOT word  must not match:            Лукашенко -Путін
    title:word       only in the title:         title:санкції   (also title:"a phrase")
    заголовок:word   the same, named in Ukrainian (заголовок/назва: title, текст: text)
    ( ... )          grouping:                  (Київ OR Харків) обстріл
    word*            prefix;  word~ / word~2    fuzzy (1 or 2 edits)

A field name other than title/text (``foo:word``), a boost (``word^2``), fuzziness
past 2 (``word~3``) or another tool's operator of words near each other
(``NEAR(мова, школа)``) is searched as best it can be and said in ``warnings``, never a
silent no-match.

Parsing is lenient, like a web search box: an unclosed quote or bracket is closed for the
user and reported in ``warnings``; only a query with nothing to search raises QueryError.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from dataclasses import field as dataclass_field  # (a Word has a field of its own named so)

from ..advice import (
    ALL_WORDS,
    EXACT,
    FACETS_OPTION,
    LIMIT,
    NO_COLLAPSE,
    PAGE,
    SINCE,
    SORT,
    SOURCE,
    SOURCES,
    TIMELINE,
    UNTIL,
    Todo,
)
from ..errors import QueryError, echoed
from ..store.fields import COLUMN_ALIASES, MAX_SOURCE
from ..text.analysis import tokenize
from ..text.normalize import fold_fullwidth, normalize_word, straight_quotes

__all__ = [
    "MAX_QUERY_CHARS",
    "SEARCH_OPTIONS",
    "STOP_WORDS",
    "And",
    "Node",
    "Not",
    "Or",
    "ParsedQuery",
    "Phrase",
    "Word",
    "check_length",
    "check_source",
    "clean_query_text",
    "field_named",
    "holds_phrase",
    "is_stop_word",
    "nothing_searchable",
    "parse_query",
    "words_of",
    "words_only",
]

#: Most words in one query (also counted as analysed, where ``a/b/c`` is three: see
#: :mod:`.limits`).
MAX_WORDS = 64


#: Most characters in one query, checked before anything else reads it: room for
#: :data:`MAX_WORDS` words of 60 letters with their operators, where a typed query is
#: rarely past 200. Every step before the word limits (date words, cleaning, parsing) is
#: linear in the text: 1 MB of words took 4 s to refuse, a 1 MB hyphen chain 16 s to answer.
MAX_QUERY_CHARS = 4000


def check_length(text: str) -> None:
    """Refuse ``text`` when it is longer than :data:`MAX_QUERY_CHARS`: first, at once."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query is longer than {MAX_QUERY_CHARS:,} characters",
                         hint="search for its key words: a few telling words find the articles")


def check_source(source: str | None) -> None:
    """Refuse a source filter longer than any article's source (:data:`MAX_SOURCE`, which
    an import refuses): at once, as a long query is (1 MB took 42 s to compare); and a
    blank one, which names no source (``--source "$SRC"`` with ``SRC`` unset searched every
    source, as if no filter had been given; ``None`` is no filter)."""
    if source is not None and len(source) > MAX_SOURCE:
        raise QueryError(f"source {echoed(source)} is longer than {MAX_SOURCE:,} characters, as no article's is",
                         hint=f"give the source's name as {SOURCES} lists it")
    if source is not None and not source.strip():
        raise QueryError(f"source {echoed(source)} is blank: it names no source",
                         hint=f"give the source's name as {SOURCES} lists it, or leave {SOURCE} out")


def too_many_words() -> QueryError:
    """The refusal of a query of more than :data:`MAX_WORDS` words, with what to do."""
    return QueryError(f"query has more than {MAX_WORDS} words",
                      hint="search for its key words: a few telling words find the articles")


#: Ukrainian function words: in a query with other words they are not required, only
#: preferred (they occur in nearly every article and carry no topic). Never all dropped.
STOP_WORDS = frozenset(
    "а але б би бо в від вже всі для до е же ж з за зі і із й к лише між на над не ні о об "
    "однак от по при про під та так також те ти то у хоч хоча це цей ця ці чи що щоб як якщо "
    "її його їх він вона вони воно ми ви я".split()
)
MAX_DEPTH = 32
#: The fields a query may name (``title:санкції``), each with the field it searches.
FIELDS = {"title": "title", "text": "body", "body": "body"}
#: Their Ukrainian names, each read as its English one (``заголовок:санкції`` is
#: ``title:санкції``): the names a CSV header row gives them (``заголовок``, ``назва``,
#: ``текст``), as a Ukrainian newsroom types them. Unlike an English one, such a name is
#: a field only glued to what follows it (``заголовок:мова``, ``заголовок:(…)``): with
#: nothing after its colon it is the word of a sentence (``Заголовок: мова``), searched
#: as ever.
UKRAINIAN_FIELDS = {name: column for name, column in COLUMN_ALIASES.items() if column in FIELDS}


def field_named(name: str) -> str | None:
    """The field ``name:`` searches, in any letter case and in English or Ukrainian, or
    ``None`` when it names none.

    >>> field_named("Title"), field_named("ЗАГОЛОВОК"), field_named("текст"), field_named("увага")
    ('title', 'title', 'body', None)
    """
    lower = name.lower()
    return FIELDS.get(UKRAINIAN_FIELDS.get(lower, lower))


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    field: str | None = None  # None: title and body
    prefix: bool = False
    fuzzy: int = 0
    #: typed ``+word``: every match holds it, the partial matches too (Lucene's "must")
    required: bool = False
    #: typed in quotes (``"кнутрукція"``): searched as written, never corrected (a
    #: correction is only offered); otherwise the same word (compiled, compared and
    #: shown alike)
    quoted: bool = dataclass_field(default=False, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Phrase:
    words: tuple[str, ...]
    field: str | None = None


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node = Word | Phrase | And | Or | Not


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    text: str
    root: Node
    warnings: tuple[str, ...] = field(default=())


# Lexer: quotes, parentheses, and runs of anything else. A field prefix binds to the next
# quoted phrase (title:"...", заголовок:"...") so it is lexed together with it; a name of
# letters glued to a bracket (title:(, заголовок:() is a token of its own, ``fopen``.
# A field's name after another (``text:title:(…)``, ``title:текст:"…"``) is taken with it, as
# ``text:title:школа`` is: one field per word, the first (said in a note).
_FIELD_NAME = r"(?i:" + "|".join(map(re.escape, [*FIELDS, *UKRAINIAN_FIELDS])) + r")"
_FIELD_CHAIN = _FIELD_NAME + r"(?::" + _FIELD_NAME + r")+"
#: Lucene's + glued to a bracket (``+(школа OR мова)``), outside quotes
_PLUS_GROUP = re.compile(r"(?<![^\s(])\++(?=\()")
#: A field's name with a minus or a + after its colon, before a bracket or (at the end of a
#: part outside quotes) a quote: ``title:-(…)``, ``title:+"…"``
_MARKED_FIELD = re.compile(r"(?<![^\s(-])(?P<name>" + _FIELD_NAME + r"(?::" + _FIELD_NAME
                           + r")*):(?P<mark>[-+]+)(?=\(|$)")
#: Other search tools' operators of words near each other, written as a call glued to its
#: bracket in any case: ``NEAR(мова, школа)`` (SQL Server, Oracle, Vespa's ``near``; with a
#: distance last, ``NEAR((мова, школа), 5)``), ``ONEAR(…)`` (Vespa, in order), Google's
#: ``мова AROUND(3) школа``. The name is dropped, with a note, and the words in the bracket
#: searched as a group: read as a word, ``NEAR`` was one every hit had to hold.
_FOREIGN = r"(?i:NEAR|ONEAR|AROUND)"
#: the distance such an operator's bracket ends with (``5`` in ``NEAR(мова, школа, 5)``),
#: a number after a comma, glued to the word before it or not (``школа,5``)
_GLUED_DISTANCE = re.compile(r"(?P<w>.*[^\d,]),(?P<n>\d+)")
_LEX = re.compile(
    r'\s*(?P<minus>-*)(?:(?P<fphrase>(?P<pf>' + _FIELD_CHAIN + r'|[A-Za-z]+|(?i:'
    + "|".join(map(re.escape, UKRAINIAN_FIELDS)) + r')):"(?P<pq>[^"]*)(?P<pend>"|$))(?P<pslop>~\d*(?=[\s()]|$))?'
    r'|(?P<phrase>"(?P<q>[^"]*)(?P<qend>"|$))(?P<qslop>~\d*(?=[\s()]|$))?'
    r"|(?P<fopen>" + _FIELD_CHAIN + r"|[^\W\d_]+):(?=\()"
    r"|(?P<foreign>" + _FOREIGN + r")(?=\()"
    r"|(?P<open>\()|(?P<close>\))"
    r'|(?P<word>[^\s()"]+))'
)
_OPERATORS = (("word", "OR"), ("word", "NOT"))
_FUZZY = re.compile(r"^(?P<w>.+?)~(?P<n>[12]?)$")
_TOO_FUZZY = re.compile(r"^(?P<w>.+?)~(?P<n>[03-9]|\d\d+)$")
#: ``word~0.8`` (an old Lucene similarity), ``word~a``, ``word~-1``: no count of edits
_ODD_FUZZY = re.compile(r"^(?P<w>[^~]+?)~(?P<rest>.*[^\d~].*)$")
#: A word marked a prefix and fuzzy at once (``школа*~``, ``школа~2*``): read as fuzzy
_PREFIX_AND_FUZZY = re.compile(r"^(?P<w>[^*~]+)(?:\*+~(?P<n>\d*)|~(?P<m>\d*)\*+)$")
#: Lucene's boost at the end of a word, before any fuzzy or prefix mark: ``слово^2``,
#: ``слово^0.5``, ``слово^-1``, ``слово^+2``, ``слово^1e3``, ``слово^2~`` (a sign or an
#: exponent made it two words side by side, found nowhere; ``^-1`` without a note)
_BOOST = re.compile(r"\^[-+]?(?:\d+(?:\.\d*)?|\.\d+)?(?:[eE][-+]?\d+)?(?=(?:~\d*|\*)?$)")
#: Prefix or fuzzy marks at the end of a quoted word (``"кі* собака"``, ``"кіт~1 пес"``),
#: matched on the word reversed: anchored at its start, so a hostile word of 60,000 marks
#: is one pass, not one per position (a search for them at the end took 55 s).
_QUOTED_MARK_REVERSED = re.compile(r"(?:\*|\d*~)+")
#: punctuation typed between two words without a space (not ``.``: ``ukr.net``; not ``-``
#: or an apostrophe, which are inside words)
_JOINER = re.compile(r"[,;|+/_&]+")
_LETTERS = re.compile(r"[^\W\d_]")
#: a prefix or fuzzy mark at the end of a word (``вчит*``, ``вчитель~2``)
_MARKS = re.compile(r"(?:\*|~\d?)+$")
#: (not before a figure: ``мороз −20`` is twenty below zero)
_MINUS_SIGN = re.compile(r"(?:(?<=^)|(?<=[\s(]))\u2212+(?=[^\s\d])")
#: a dash typed onto a word (``—Київ``), or Lucene's ``!`` (``!Київ``): searched as the
#: word, with a note on the minus
_DASHED = re.compile(r"^[\u2010-\u2015\ufe58\ufe63\uff0d!]+(?=\w)")
#: Lucene's "must hold" (``+Київ``): searched as the word, with a note on the order
_PLUS = re.compile(r"^\++(?=\w)")
#: Lucene's range (``[2020 TO 2022]``, ``{a TO b}``, after a field or not), standing alone
_RANGE = re.compile(r"(?<![^\s(])(?:[^\W\d_]\w*:)?[\[{][^\]}\s]*\s+TO\s+[^\]}\s]*[\]}](?![^\s)])")
_RANGE_NOTE = f"a range is not supported; to filter by date, use {SINCE}/{UNTIL}"
#: a + and a minus before one word (``+-мова``): required, as the first mark says, with a note
_PLUS_MINUS = re.compile(r"^\++[-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]+(?=\w)")
#: Lucene's one-letter wildcard inside a word (``мо?а``): searched as written, with a note
_INNER_QUESTION = re.compile(r"\w\?+\w")
#: Lucene's ``&&`` and ``||`` between two words, read as ``and`` and ``or`` are
_SYMBOLS = {"&&": "and", "||": "or"}


def _in_field(node: Node | None, fld: str) -> Node | None:
    """``node`` with each word and phrase that names no field of its own searched in ``fld``."""
    if node is None:
        return None
    if isinstance(node, (Word, Phrase)):
        return node if node.field is not None else replace(node, field=fld)
    if isinstance(node, Not):
        inner = _in_field(node.item, fld)
        return None if inner is None else Not(inner)
    items = tuple(n for n in (_in_field(i, fld) for i in node.items) if n is not None)
    return type(node)(items) if items else None


def _shown(node: Node) -> str:
    """A word, phrase or group as a note names it."""
    if isinstance(node, Word):
        return node.text
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    return "(…)"


def _unmarked(word: str) -> str:
    """``word`` without the prefix and fuzzy marks at its end (``кі*`` -> ``кі``)."""
    m = _QUOTED_MARK_REVERSED.match(word[::-1])
    return word[: len(word) - m.end()] if m else word


#: The options of ``searchkit search``, each with the argument of ``Engine.search`` that
#: does what it does, as one :class:`~searchkit.advice.Todo` (``None``: the command's
#: alone): typed inside the query (``'санкції --since 2016'``, or a line read from stdin)
#: one is a word, and said to be no option, in the words of whoever typed it (a test holds
#: this to the command's options).
SEARCH_OPTIONS: dict[str, Todo | None] = {
    "limit": LIMIT, "page": PAGE, "since": SINCE, "until": UNTIL, "source": SOURCE, "sort": SORT, "exact": EXACT,
    "all": ALL_WORDS, "no-collapse": NO_COLLAPSE, "facets": FACETS_OPTION, "json": None, "format": None,
    "bom": None, "timeline": TIMELINE}


def _option_note(typed: str, bare: str) -> str | None:
    """The note on a query word that names an option of the search (``--since``,
    ``--since=2016``, ``—since`` as a dash-correcting keyboard types it), or ``None``."""
    name = bare.partition("=")[0].lower()
    if name not in SEARCH_OPTIONS:
        return None
    option = SEARCH_OPTIONS[name]
    said = f"{option} is an option of the search" if option else f"--{name} is an option of the command"
    return f"searched {typed!r} as {bare!r}: {said}, not a word of the query; give it outside the query"


#: Most minuses and NOTs a note repeats as typed; more are counted.
_MARKS_SHOWN = 8


def _stacked_note(marks: list[str], shown: str, word: bool) -> str:
    """The note on a term after more than one minus or NOT (``--Крим``, ``NOT NOT Крим``):
    each undoes the one before, so an even number leaves nothing out. (Lucene refuses
    such a query; searching it as read, and saying so, keeps to a lenient box.)"""
    typed = repr("".join("NOT " if m == "NOT" else m for m in marks) + shown)
    if len(marks) > _MARKS_SHOWN:  # (a hostile query's thousands of them: counted, not echoed)
        typed = f"{len(marks):,} minuses or NOTs before {shown!r}"
    kinds = set(marks)
    if len(marks) == 2:
        why = ("two minuses" if kinds == {"-"} else "two NOTs" if kinds == {"NOT"} else "a minus and a NOT") + \
            " cancel out"
    else:
        why = ("minuses" if kinds == {"-"} else "NOTs" if kinds == {"NOT"} else "minuses and NOTs") + \
            " cancel out in pairs"
    if len(marks) % 2:
        return f"read {typed} as '-{shown}': {why}"
    return f"searched {typed} as {shown!r}: {why}; to leave {'a word' if word else 'it'} out, write -{shown}"


#: fields a query cannot name that a search filters by: what to use instead
_FILTERS = {"source": f"{SOURCE}", "date": f"{SINCE}/{UNTIL}", "year": f"{SINCE}/{UNTIL}", "month": f"{SINCE}/{UNTIL}"}


#: The Ukrainian names of those filters, as a CSV header row gives them (``джерело:``,
#: ``дата:``): glued to a word, they get the same note as their English names.
_UKRAINIAN_FILTERS = {name: column for name, column in COLUMN_ALIASES.items() if column in _FILTERS}


def _unknown_field(name: str) -> str:
    """The note on ``name:word``, a field the language lacks (its words are searched
    everywhere): ``source:`` and ``date:`` (``джерело:``, ``дата:``) name the filter that
    does what was meant."""
    meant = _UKRAINIAN_FILTERS.get(name.lower(), name.lower())
    instead = _FILTERS.get(meant)
    return (f"unknown field {name!r}; searched everywhere (fields: title, text)"
            + (f"; to filter by {meant}, use {instead}" if instead else ""))


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.warnings: list[str] = []
        self.plus = False  # a + that marks nothing was noted
        self.toks: list[tuple[str, str]] = []
        self.words = 0
        self.operators: list[str] = []  # operators dropped for joining nothing
        self.ranges: list[str] = []  # Lucene's ranges, dropped
        # a quote typed for the apostrophe (``Пам"ятник``) is one, not the start of a phrase
        cleaned = straight_quotes(text)
        # the minus sign (U+2212) is a minus wherever a hyphen would be one
        cleaned = _MINUS_SIGN.sub("-", cleaned)
        cleaned = self._without_ranges(cleaned)
        cleaned = self._without_field_marks(cleaned)
        for m in _LEX.finditer(cleaned):
            kind = m.lastgroup
            # a minus written onto a quote or a bracket leaves it out (``-"мовні табори"``,
            # ``-(київ OR харків)``); onto a word, the word keeps it (read below)
            minus = m.group("minus")
            if minus and m.group("word") is None and m.group("close") is None:
                self.toks.append(("minus", minus))
            elif minus and m.group("word") is None:
                self.toks.append(("word", minus))  # ``-)``: a dash, no word (dropped)
            if m.group("fphrase"):
                if not m.group("pend"):
                    self.warnings.append("closed an unclosed quote")
                self._slop(m.group("pslop"), m.group("pq"))
                name = self._one_field(m.group("pf"), f'"{m.group("pq")}"')
                self.toks.append(("fphrase", f"{name}\x00{m.group('pq')}"))
            elif m.group("phrase") is not None:
                if not m.group("qend"):
                    self.warnings.append("closed an unclosed quote")
                self._slop(m.group("qslop"), m.group("q"))
                self.toks.append(("phrase", m.group("q")))
            elif m.group("fopen"):
                self.toks.append(("fopen", self._one_field(m.group("fopen"), "(…)")))
            elif m.group("foreign"):
                self.toks.append(("foreign", m.group("foreign")))
            elif m.group("open"):
                self.toks.append(("open", "("))
            elif m.group("close"):
                self.toks.append(("close", ")"))
            elif m.group("word"):
                self.toks += [("word", w) for w in self._apart(m.group("word"), minus)]
            del kind
        self._read_operators()
        self.i = 0
        self.depth = 0

    def _one_field(self, names: str, what: str) -> str:
        """The first of the field names ``names`` (``text:title``), the others said to be
        dropped, as a word's are (``text:title:школа``): they were searched as a word
        ``title:``, found nowhere, and the group or phrase ``what`` after them everywhere."""
        first, more, _rest = names.partition(":")
        if more:
            self.warnings.append(f"read {names}:{what} as {first}:{what}: one field per word")
        return first

    def _without_field_marks(self, text: str) -> str:
        """``text`` without a minus or a + between a field's name and the group or phrase
        it applies to (``title:-(школа)``, ``title:+"нова школа"``), each said in a note, as
        behind a field before a word (``title:-школа``): the name and its marks were read as
        a word of marks alone, dropped unsaid, and the group or phrase searched everywhere.
        So is a + before a bracket (``+(школа OR мова)``), which marks nothing."""
        parts = text.split('"')

        def said(m: re.Match[str], part: int) -> str:
            if m.end() == len(parts[part]) and part == len(parts) - 1:
                return m.group()  # (no quote after it)
            name, mark = m.group("name"), m.group("mark")
            what = "(…)" if m.end() < len(parts[part]) else f'"{parts[part + 1]}"'
            shown = f"{name}:{mark}{what}"
            if mark.startswith("-"):
                fld = field_named(name.split(":")[0])
                self.warnings.append(f"read {shown} as {name}:{what}: to leave it out of the {fld}, "
                                     f"write -{name}:{what}")
            else:
                self.warnings.append(f"searched {shown} as {name}:{what}: + requires a word, not a group or a "
                                     "phrase (write it before each word)")
            return f"{name}:"

        def group(m: re.Match[str]) -> str:
            # (read as a mark standing alone: no word, dropped unsaid, the group not required)
            self.said_plus("ignored the + before '(…)': + requires a word, not a group (write it before a word "
                           "outside the brackets)")
            return ""

        for k in range(0, len(parts), 2):
            parts[k] = _PLUS_GROUP.sub(group, _MARKED_FIELD.sub(functools.partial(said, part=k), parts[k]))
        return '"'.join(parts)

    def _without_ranges(self, text: str) -> str:
        """``text`` without Lucene's ranges outside quotes (``[2020 TO 2022]``,
        ``date:{a TO b}``), each said in a note: searched as words, ``TO`` was read as the
        Latin spelling of ``то`` and ``[2020`` said to be the word the hits lack."""
        parts = text.split('"')

        def said(m: re.Match[str]) -> str:
            self.ranges.append(m.group())
            self.warnings.append(f"ignored {m.group()!r}: {_RANGE_NOTE}")
            return " "

        for i in range(0, len(parts), 2):  # (the parts outside quotes)
            parts[i] = _RANGE.sub(said, parts[i])
        return '"'.join(parts)

    def _apart(self, word: str, minus: str = "") -> list[str]:
        """``word``, or the words it joins by punctuation without a space (``школа,вчитель``,
        ``Київ/Харків``, ``школа~,вчитель``): typed so, they are words apart, not a phrase
        that finds nothing. Each part keeps the word's field and its own marks; a part of
        one letter keeps the whole as written, and so does punctuation before a figure
        (``м/с``, ``24/7``: their parts side by side)."""
        name, sep, core = word.partition(":")
        if not (sep and field_named(name)):
            name, sep, core = "", "", word
        cuts = [m for m in _JOINER.finditer(core) if m.start() > 0 and m.end() < len(core)
                and _LETTERS.match(core, m.end()) and (core[m.start() - 1] in "*~" or core[m.start() - 1].isalnum())]
        if not cuts:
            return self._marked_apart(word, minus)
        parts, at = [], 0
        for m in cuts:
            parts.append(core[at:m.start()])
            at = m.end()
        parts.append(core[at:])
        if any(len(_LETTERS.findall(_MARKS.sub("", p))) < 2 for p in parts):
            return [minus + word]
        joiners = "".join(sorted(set("".join(m.group() for m in cuts))))
        words = [f"{minus}{name}{sep}{p}" for p in parts]  # (a minus leaves out each of them)
        either = f"; for either word, write {' OR '.join(words)}" if "|" in joiners else ""
        self.warnings.append(f"searched {minus + word!r} as {' '.join(words)}: words joined by {joiners} are "
                             f"words apart{either}")
        return words

    def _marked_apart(self, word: str, minus: str) -> list[str]:
        """``word``, or when a prefix or fuzzy mark ends a word of several
        (``В.Зеленськ*``, ``мовн.табори~``) the words apart, the mark on the last: a
        pattern is one word, and searched as the first of them alone it was refused
        (``prefix 'В.Зеленськ' is too short``), or found what the first one letter away
        finds (``в~``: every article), the rest dropped unsaid."""
        name, sep, core = word.partition(":")
        if not (sep and field_named(name)):
            name, sep, core = "", "", word
        mark = _MARKS.search(core)
        if mark is None:
            return [minus + word]
        plus = core[:len(core) - len(core.lstrip("+"))]
        stem = core[len(plus):mark.start()]
        parts = [raw for _, _, raw in tokenize(stem)]
        # (``мо*ва*``: the rule of a * inside, in word(); ``табори^2~``: the boost's, ignored there)
        if len(parts) < 2 or "*" in stem or "~" in stem or "^" in stem:
            return [minus + word]
        if minus or self.toks[-1:] == [("word", "NOT")]:  # (``-В.Зеленськ*``: not every article with в left out)
            words = [f"{minus}{name}{sep}{parts[-1]}{mark.group()}"]
            before = "the words before it are not left out"
        else:
            words = [f"{name}{sep}{plus}{p}" for p in parts]
            words[-1] += mark.group()
            before = "the words before it are searched as they are"
        self.warnings.append(f"searched {minus + word!r} as {' '.join(words)}: {mark.group()[0]} marks the word "
                             f"it ends, and {before}")
        return words

    def _slop(self, slop: str | None, phrase: str) -> None:
        """``"газова війна"~2`` (Lucene's words within two of each other): said, and
        searched as the phrase (the ``~2`` was a word, ``2``, that few articles hold)."""
        if slop:
            self.warnings.append(f'searched "{phrase}"{slop} as the phrase "{phrase}": words near each other '
                                 "(~N after a phrase) are not supported; without quotes, words close together "
                                 "rank first")

    def _read_operators(self) -> None:
        """``and`` (any case) and a lowercase ``or`` between two terms are meant as
        operators: AND is what words do anyway (dropped), ``or`` is OR; ``and NOT x`` is
        ``NOT x``. Said in ``warnings``; a quoted ``"and"`` is still a word.

        ``AND`` in capitals is an operator wherever it stands, as ``OR`` and ``NOT`` are:
        one with no term on a side (``AND``, ``Київ AND``) is dropped with a note, never
        searched as a word. Another case (``and``, ``And``) there is the word."""
        toks = self.toks
        out: list[tuple[str, str]] = []
        for i, (kind, value) in enumerate(toks):
            word = value.lower() if kind == "word" else ""
            word = _SYMBOLS.get(word, word)
            if word in ("and", "or") and value != "OR":
                before = out[-1] if out else None
                after = toks[i + 1] if i + 1 < len(toks) else None
                has_before = before is not None and before[0] != "open" and before not in _OPERATORS
                has_after = after is not None and after[0] != "close" and (
                    after not in _OPERATORS or (word == "and" and after == ("word", "NOT")))
                if has_before and has_after:
                    quote = f'; quote "{value}" to search the word' if value.isalpha() else ""
                    if word == "and":
                        self.warnings.append(f"read {value!r} as: all the words (the default{quote})")
                        continue
                    self.warnings.append(f"read {value!r} as OR{f' ({quote[2:]})' if quote else ''}")
                    kind, value = "word", "OR"
                elif value == "AND":
                    self._ignored("AND", "before" if not has_before else "after")
                    continue
            out.append((kind, value))
        self.toks = out

    def _ignored(self, operator: str, side: str) -> None:
        """An operator with no term on ``side`` joins nothing: dropped, said in ``warnings``."""
        self.operators.append(operator)
        self.warnings.append(f"ignored {'an' if operator != 'NOT' else 'a'} {operator} with nothing {side} it "
                             f'(quote "{operator}" to search the word)')

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def parse(self) -> Node | None:
        node = self.or_expr()
        while self.peek() is not None:  # stray ")" at top level
            self.i += 1
            self.warnings.append("ignored an unmatched ')'")
            more = self.or_expr()
            if more is not None:
                node = more if node is None else And((node, more))
        return node

    def or_expr(self) -> Node | None:
        items = []
        first = self.and_expr()
        if first is not None:
            items.append(first)
        while (t := self.peek()) is not None and t == ("word", "OR"):
            self.i += 1
            nxt = self.and_expr()
            if not items:
                self._ignored("OR", "before")
            elif nxt is None:
                self._ignored("OR", "after")
            if nxt is not None:
                items.append(nxt)
        if not items:
            return None
        if len(items) > 1:
            for item in items:
                if isinstance(item, Not):
                    # (the cluster and the embedded index agree; it is what OR says, and
                    # rarely what is meant)
                    shown = _shown(item.item)
                    self.warnings.append(f"OR -{shown} matches every article that lacks {shown}; to leave it "
                                         f"out, write -{shown} outside the OR")
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node | None:
        items: list[Node] = []
        while (t := self.peek()) is not None and t[0] != "close" and t != ("word", "OR"):
            node = self.unary()
            if node is not None:
                items.append(node)
        if not items:
            return None
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node | None:
        # A loop, not recursion: "NOT NOT ... x" or "------x" may be as long as the query.
        marks: list[str] = []  # the minuses and NOTs before the term, one "-" or "NOT" each
        glued = False  # the last minuses were typed onto a word (``--Крим``)
        while True:
            t = self.peek()
            if t is None or t[0] == "close":
                self._ignored("NOT", "after")
                return None
            if t == ("word", "NOT"):
                self.i += 1
                marks.append("NOT")
                continue
            if t[0] == "minus":
                self.i += 1
                marks += t[1]
                continue
            if t[0] == "word" and t[1].startswith("-") and len(t[1]) > 1:
                bare = t[1].lstrip("-")
                self.toks[self.i] = ("word", bare or "-")
                marks += t[1][:len(t[1]) - len(bare)]
                glued = True
            break
        negate = len(marks) % 2 == 1
        term = self.toks[self.i]
        node = self.primary()
        if node is None and negate and (t := self.peek()) is not None and t[0] in ("open", "fopen", "phrase",
                                                                                    "fphrase"):
            # ``-title:(київ OR харків)``: the field was dropped (said), the minus still
            # leaves out what follows it
            node = self.primary()
        if len(marks) > 1 and node is not None:
            word = isinstance(node, Word) and term[0] == "word"
            shown = (term[1] if word else "(…)" if term[0] == "open" else f"{term[1]}:(…)" if term[0] == "fopen"
                     else _shown(node))
            option = _option_note("--" + shown, shown) if glued and marks == ["-", "-"] and word else None
            self.warnings.append(option or _stacked_note(marks, shown, word))
        return Not(node) if negate and node is not None else node

    def primary(self) -> Node | None:
        kind, value = self.toks[self.i]
        self.i += 1
        if kind == "foreign":  # ``NEAR(``, ``AROUND(``: the next token opens its bracket
            return self.foreign(value)
        if kind == "fopen":  # ``title:(``, ``заголовок:(``, ``foo:(``, ``Увага:(``
            fld = field_named(value)
            if fld is None and not (value.isascii() and value.isalpha()) and value.lower() not in _UKRAINIAN_FILTERS:
                return self.word(value + ":")  # (a word that ends in a colon)
            return self.in_field(value, fld)
        name = value[:-1] if kind == "word" and value.endswith(":") else ""
        # ``title: (…)``, with a space: an English name, as ever (a Ukrainian one is a word there)
        if name and (t := self.peek()) is not None and t[0] == "open" and name.isascii() and name.isalpha():
            return self.in_field(name, FIELDS.get(name.lower()))
        if kind == "open":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"query nests brackets deeper than {MAX_DEPTH} levels",
                                 hint="write it with fewer brackets: a group needs one pair")
            node = self.or_expr()
            if (t := self.peek()) is not None and t[0] == "close":
                self.i += 1
            else:
                self.warnings.append("closed an unclosed '('")
            self.depth -= 1
            return node
        if kind == "close":
            return None
        if kind == "phrase":
            return self.phrase(value, None)
        if kind == "fphrase":
            name, text = value.split("\x00", 1)
            fld = field_named(name)
            if fld is None:
                self.warnings.append(_unknown_field(name))
            return self.phrase(text, fld)
        return self.word(value)

    def foreign(self, name: str) -> Node | None:
        """The group after another search tool's operator ``name`` (``NEAR(мова, школа)``),
        searched as a group of its words, without the operator and the distance its bracket
        may end with (``NEAR(мова, школа, 5)``, Google's ``AROUND(3)``), said in a note."""
        distance = self._distance(self.i)
        at = len(self.warnings)
        node = self.primary()
        ignored = (f"{name}({distance})" if node is None and distance else
                   f"{name} and its distance {distance} before (…)" if distance else f"{name} before (…)")
        searched = "" if node is None else "the words in its brackets are searched, and "
        self.warnings.insert(at, f"ignored {ignored}: words near each other are another search tool's operator, "
                                 f"not this one's; {searched}words close together rank first "
                                 f'(quote "{name}" to search the word)')
        if node is None:
            self.operators.append(name)
        return node

    def _distance(self, start: int) -> str:
        """The distance ending the bracket opened at token ``start`` (a number alone in it,
        or one after a comma), taken out of the tokens; ``""`` when it ends with none."""
        depth, close = 0, len(self.toks)
        for k in range(start, len(self.toks)):
            depth += {"open": 1, "close": -1}.get(self.toks[k][0], 0)
            if depth == 0:
                close = k
                break
        last, before = self.toks[close - 1], self.toks[close - 2] if close - 2 > start else None
        if last[0] != "word":
            return ""
        if last[1].isdigit() and (before is None or before[0] == "word" and before[1].endswith(",")):
            del self.toks[close - 1]
            if before is not None and before[1] == ",":
                del self.toks[close - 2]
            return last[1]
        glued = _GLUED_DISTANCE.fullmatch(last[1])
        if glued is None and last[1].startswith(",") and last[1][1:].isdigit():
            del self.toks[close - 1]
            return last[1][1:]
        if glued is None:
            return ""
        self.toks[close - 1] = ("word", glued.group("w"))
        return glued.group("n")

    def in_field(self, name: str, fld: str | None) -> Node | None:
        """The group after ``name:`` (the next token opens it), each of its words searched in
        ``fld`` (``title:(проект OR футбол)``); ``None``: a field the language lacks, said,
        and the group searched everywhere."""
        if fld is None:
            self.warnings.append(_unknown_field(name))
            return self.primary()
        return _in_field(self.primary(), fld)

    def phrase(self, text: str, fld: str | None) -> Node | None:
        words = tuple(text.split())
        marked = [w for w in words if _unmarked(w) != w]
        if marked:
            self.warnings.append(f"ignored * and ~ in {', '.join(repr(w) for w in marked)}: inside quotes every "
                                 "word matches in any form, never by prefix or fuzzily")
            words = tuple(w for w in map(_unmarked, words) if w)
        self.count(len(words))
        if not words:
            return None
        if len(words) == 1:
            return Word(words[0], fld, quoted=True)
        return Phrase(words, fld)

    def word(self, text: str) -> Node | None:
        fld = None
        dash = _DASHED.match(text)
        if dash:
            bare = text[dash.end():]
            hyphen = "" if text.startswith("!") else " (a hyphen-minus)"
            option = _option_note(text, bare) if not text.startswith("!") else None
            self.warnings.append(option or f"searched {text!r} as {bare!r}: to leave a word out, write -{bare}{hyphen}")
            text = bare
        text, plus = self.unplussed(text)
        if _INNER_QUESTION.search(text):
            self.warnings.append(f"searched {text!r} as written: ? stands for no letter here; * at the end of a "
                                 f"word stands for its endings ({text.split('?')[0]}*)")
        name, sep, rest = text.partition(":")
        named = field_named(name) if sep else None
        if named is not None and not rest and name.lower() not in FIELDS:  # (``Заголовок: санкції``)
            # (a word, as in a sentence; but someone who typed it meant the field more often than
            # not, and was only told that no article holds ``Заголовок:``)
            where = "titles" if named == "title" else "text"
            self.warnings.append(f"searched {text!r} as a word, as in a sentence: to search the {where} only, "
                                 f"glue the field to its word ({name}:слово)")
        if named is not None and (rest or name.lower() in FIELDS):  # (``Заголовок:`` alone is a word)
            if not rest.strip("-+"):  # (``title:``, and ``title:-`` before a space: marks alone, no word)
                self.warnings.append(f"ignored {text!r}: a field needs a word after it ({name}:word)")
                return None
            fld = named
            text, marked = self.unplussed(rest, f"{name}:")  # (``title:+школа``, ``title:+-школа``)
            if text.startswith("-") and text.strip("-"):
                self.warnings.append(f"read {name}:{text} as {name}:{text.lstrip('-')}: to leave a word out of the "
                                     f"{fld}, write -{name}:{text.lstrip('-').lstrip('+')}")  # (no +: it marks nothing)
                text, again = self.unplussed(text.lstrip("-"), f"{name}:")  # (``title:-+школа``, as it says)
                marked = marked or again
            plus = plus or marked
            inner, sep2, rest2 = text.partition(":")
            if sep2 and rest2 and field_named(inner):
                self.warnings.append(f"read {name}:{text} as {name}:{rest2}: one field per word")
                text = rest2
        elif sep and rest and not rest.startswith("/") and (name.isascii() and name.isalpha()
                                                            or name.lower() in _UKRAINIAN_FILTERS):
            self.warnings.append(_unknown_field(name))
            text = rest
        boost = _BOOST.search(text)
        if boost:
            self.warnings.append(f"ignored {boost.group()!r} in {text!r}: boosts are not supported")
            text = text[:boost.start()] + text[boost.end():]
        prefix = fuzzy = 0
        both = _PREFIX_AND_FUZZY.match(text)
        if both:  # (the * was dropped unsaid, or with the count of edits: ~2* was read as ~)
            edits = both.group("n") or both.group("m") or ""
            self.warnings.append(f"read {text!r} as {both.group('w')}~{edits}: a word is a prefix (*) or fuzzy (~), "
                                 "not both")
            text = f"{both.group('w')}~{edits}"
        odd = _ODD_FUZZY.match(text)
        if odd:
            self.warnings.append(f"read {text!r} as {odd.group('w')}~: a fuzzy word takes ~ (1 edit) or ~2")
            text = odd.group("w") + "~"
        inner = text.strip("*")
        if "*" in inner and not text.endswith(("*", "~")) and "~" not in text:  # (as written: say so)
            self.warnings.append(f"searched {text!r} as written: * marks a prefix only at the end of a word "
                                 f"({inner.split('*')[0]}*)")
        elif "*" in inner and "~" not in text:
            # ``мо*ва*``: the prefix before the inner * (every word the pattern meant begins
            # so); searched as the prefix of its first part alone, the rest went unsaid
            first = inner.split("*")[0]
            self.warnings.append(f"read {text!r} as {first}*: * marks a prefix only at the end of a word, "
                                 "never inside one")
            text = first + "*"
        if text.startswith("*") and text.strip("*"):
            self.warnings.append(f"read {text!r} as {text.lstrip('*')}: a word cannot begin with * (word* ends one)")
            text = text.lstrip("*")
        far = _TOO_FUZZY.match(text)
        if far:
            edits = "" if int(far.group("n")) == 0 else "~2"
            self.warnings.append(f"read {text!r} as {far.group('w')}{edits}: fuzzy words match 1 or 2 edits away")
            text = far.group("w") + edits
        m = _FUZZY.match(text)
        if m:
            text, fuzzy = m.group("w"), int(m.group("n") or 1)
        elif text.endswith("*") and len(text.rstrip("*")) > 0:
            text, prefix = text.rstrip("*"), 1
        text = text.strip("*~")
        if not text.strip("-"):  # a dash standing alone (``мова - київ``) is no word
            return None
        self.count(1)
        word = Word(text, fld, bool(prefix), fuzzy)
        if plus and is_stop_word(word):
            self.said_plus(f"searched {'+' + text!r} as {text!r}: a function word only ranks beside the other "
                           "words, + cannot make it required")
        return replace(word, required=True) if plus and not is_stop_word(word) else word

    def unplussed(self, text: str, field: str = "") -> tuple[str, bool]:
        """``text`` without Lucene's + before it (``+мова``), and whether it had one. A +
        and a minus together (``+-мова``) require the word, as the first mark says (as
        ``-+мова`` leaves it out), with a note; ``field`` is the ``title:`` typed before
        them, named in the note. (The minus was dropped with the +, unsaid, and the word
        searched as any other; behind a field, both marks were searched as part of it.)"""
        plus = _PLUS.match(text)
        if plus is not None:
            return text[plus.end():], True
        both = _PLUS_MINUS.match(text)
        if both is None:
            return text, False
        bare = text[both.end():]
        self.warnings.append(f"searched {field + text!r} as {field + '+' + bare!r}: a word is required (+) or left "
                             f"out (-), not both; to leave it out, write -{field}{bare}")
        return bare, True

    def said_plus(self, note: str) -> None:
        """One note on a + that marks nothing, however many there are."""
        if not self.plus:
            self.warnings.append(note)
            self.plus = True

    def count(self, n: int) -> None:
        self.words += n
        if self.words > MAX_WORDS:
            raise too_many_words()


#: what a searchable word holds (``!!!`` and ``—`` are dropped when compiled)
_SEARCHABLE = re.compile(r"[^\W_]")


def _has_positive(node: Node) -> bool:
    if isinstance(node, Word):
        return bool(_SEARCHABLE.search(node.text))
    if isinstance(node, Phrase):
        return any(_SEARCHABLE.search(w) for w in node.words)
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(_has_positive(n) for n in node.items)
    return all(_has_positive(n) for n in node.items)


def _searchable(node: Node) -> Node | None:
    """``node`` without the words that hold no letter or digit (``мова – школа``, ``мова ?``),
    ``None`` if nothing is left: such a word is dropped when compiled, but left in the
    tree it counted as a word no article holds, so an OR beside it was refused and the
    articles holding only some of the other words were not listed."""
    if isinstance(node, Word):
        return node if _SEARCHABLE.search(node.text) else None
    if isinstance(node, Phrase):
        return node if _has_positive(node) else None
    if isinstance(node, Not):
        item = _searchable(node.item)
        return None if item is None else Not(item)
    items = tuple(n for n in map(_searchable, node.items) if n is not None)
    if not items:
        return None
    return items[0] if len(items) == 1 else type(node)(items)


_SURROGATE = re.compile("[\ud800-\udfff]")


#: A terminal escape sequence (CSI, OSC, DCS ... up to its end), or a lone ESC.
_ESCAPE = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI
                     r"|(?:\x1b[\]P^_X]|[\x9d\x90\x9e\x9f\x98])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS...
                     r"|\x1b[ -/]*[0-~]?")  # any other escape, or a lone ESC
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def clean_query_text(text: str) -> str:
    """``text`` as every entry point searches it (the command line, ``search -``, the
    library, the TUI's query box): terminal escape sequences dropped whole, every other
    control character (tab, newline, NUL, bell, DEL, C1) a space, lone surrogates
    (undecodable bytes from a command line) U+FFFD, so a query can always be echoed back;
    and fullwidth Latin is ASCII, so ``ＫＹＩＶ`` is read as ``KYIV`` is (transliterated too).
    A control character is no joiner: ``мовні\\x07табори`` was searched as the phrase
    ``"мовні табори"`` on the command line, and as two words in the TUI.

    >>> clean_query_text("київ\\x1b[2J\\x07метро\\tлінія")
    'київ метро лінія'
    """
    if not isinstance(text, str):  # (None was re's "expected string or bytes-like object")
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", _ESCAPE.sub("", text))
    return fold_fullwidth(_SURROGATE.sub("\ufffd", text))


def nothing_searchable() -> QueryError:
    """The error for a query of marks alone (``!!!``, ``—``, an emoji), with what to type."""
    return QueryError("nothing searchable in the query", hint="type a word, a number or a quoted phrase")


def parse_query(text: str) -> ParsedQuery:
    """Parse ``text``; raise :class:`QueryError` when nothing searchable is left.

    >>> parse_query('"мовні табори" -Київ').root  # doctest: +NORMALIZE_WHITESPACE
    And(items=(Phrase(words=('мовні', 'табори'), field=None),
               Not(item=Word(text='Київ', field=None, prefix=False, fuzzy=0, required=False))))
    """
    text = clean_query_text(text)
    p = _Parser(text)
    root = p.parse()
    if root is None and p.operators:
        ops = list(dict.fromkeys(p.operators))
        said = (f"{ops[0]} is an operator; put words around it, or quote it" if len(ops) == 1 else
                f"{', '.join(ops[:-1])} and {ops[-1]} are operators; put words around them, or quote one")
        raise QueryError(f'nothing to search: {said} ("{ops[0]}") to search the word')
    if root is None and p.ranges:
        raise QueryError(f"nothing to search in {p.ranges[0]!r}: {_RANGE_NOTE}")
    if root is None:
        raise QueryError("empty query: type a word to search for")
    root = _searchable(root)
    if root is None:
        raise nothing_searchable()  # (``!!!``, ``—``)
    if not _has_positive(root):
        if not any(isinstance(n, Not) for n in _nodes(root)):
            raise nothing_searchable()  # (as the compiler says: ``!!!``)
        if any(isinstance(n, (Word, Phrase)) and _has_positive(n) for n in _positives(root)):
            raise QueryError("each side of an OR needs a word that is not negated (OR -word matches nearly every "
                             "article)", hint="leave a word out with -word beside the others, outside the OR")
        raise QueryError("a query needs at least one word that is not negated")
    inside = [n for n in _nodes(root) if isinstance(n, Word) and n.required and n not in _top_words(root)]
    if inside:
        p.said_plus(f"searched '+{inside[0].text}' as {inside[0].text!r}: + makes a word required only among the "
                    "query's own words, not inside brackets, OR or -")
        root = _not_required(root, set(inside))
    return ParsedQuery(text, root, tuple(dict.fromkeys(p.warnings)))


def words_only(text: str) -> bool:
    """Whether the query ``text`` is words alone (with AND, OR, brackets, prefixes and
    misspellings): no phrase, field, minus or ``+``. A search of such a query that finds
    nothing found no article holding any of its words, in any form; one of the others may
    find nothing only because of the phrase, the field, the minus or the ``+``.

    >>> words_only("мовні табори"), words_only('"мовні табори"'), words_only("мова -табір")
    (True, False, False)
    """
    try:
        root = parse_query(text).root
    except QueryError:
        return False
    return all(isinstance(n, (And, Or)) or isinstance(n, Word) and n.field is None and not n.required
               for n in _nodes(root))


def _top_words(root: Node) -> tuple[Node, ...]:
    """The words a + may make required: the query's own, not a group's."""
    return root.items if isinstance(root, And) else (root,)


def _not_required(node: Node, words: set[Word]) -> Node:
    """``node`` with ``words`` no longer required (a + where it means nothing)."""
    if isinstance(node, Word):
        return replace(node, required=False) if node in words else node
    if isinstance(node, Not):
        return Not(_not_required(node.item, words))
    if isinstance(node, (And, Or)):
        return type(node)(tuple(_not_required(n, words) for n in node.items))
    return node


def _positives(node: Node, negated: bool = False) -> Iterator[Node]:
    """The words and phrases of ``node`` that no minus leaves out."""
    if isinstance(node, (Word, Phrase)):
        if not negated:
            yield node
    elif isinstance(node, Not):
        yield from _positives(node.item, not negated)
    else:
        for n in node.items:
            yield from _positives(n, negated)


def _nodes(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Not):
        yield from _nodes(node.item)
    elif isinstance(node, (And, Or)):
        for n in node.items:
            yield from _nodes(n)


def words_of(node: Node, *, negated: bool = False) -> list[Word | Phrase]:
    """The positive words and phrases of a query (for highlighting and suggestions)."""
    if isinstance(node, (Word, Phrase)):
        return [] if negated else [node]
    if isinstance(node, Not):
        return words_of(node.item, negated=not negated)
    out: list[Word | Phrase] = []
    for n in node.items:
        out.extend(words_of(n, negated=negated))
    return out


def holds_phrase(node: Node) -> bool:
    """Whether a query holds a phrase of several words anywhere, left out or not: a
    quote typed for the apostrophe (``пам"ятник``) quotes nothing, and one word in quotes
    is that word."""
    return any(isinstance(n, Phrase) for n in _nodes(node))


def analysed_words(node: Node | None) -> list[str]:
    """The words of a query that a search analyses (lemmatizes): every word but a prefix,
    left out or not, and every phrase's words."""
    out: list[str] = []
    for n in _nodes(node) if node is not None else ():
        if isinstance(n, Word) and not n.prefix:
            out.append(n.text)
        elif isinstance(n, Phrase):
            out.extend(n.words)
    return out


def is_stop_word(node: Node) -> bool:
    """A plain query word (no field, prefix or fuzziness) whose normal form is a function
    word: ``То`` and ``то́`` (a stress mark, or an invisible character pasted in) too."""
    return (isinstance(node, Word) and node.field is None and not node.prefix and not node.fuzzy
            and normalize_word(node.text) in STOP_WORDS)
