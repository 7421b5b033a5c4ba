"""What to search for what the user typed: the query as typed, or a corrected one.

Like a web search box: a query that finds nothing because of a typo is searched with its
correction ("showing results for ..."), and a query that finds little gets a "did you
mean" suggestion. A misspelling may be another real word (``вчити`` for ``учити``,
``став`` for ``страв``): when all the words together find nothing, the word whose absence
lets the others meet is corrected too, known or not.

The articles holding every word come first; after them come the articles holding some of
the words, more words first (``Plan.relaxed``), and when none holds them all the plan
says which word the best of them lack (``Plan.missing``). Works through the index's
public methods only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from ..text import dates
from ..text.analysis import Analyzer, Token
from ..text.families import is_person_name
from ..text.normalize import hyphen_parts, normalize_word
from ..text.translit import best_reading, is_latin_word
from ..text.translit import candidates as translit_candidates
from ..text.variants import is_function_word, is_name
from . import budget
from . import parse as q
from .parse import parse_query
from .resolve import MIN_COMMON, is_required, partial_items, several_tokens
from .suggest import corrections, match_case, max_edits, replace_word

if TYPE_CHECKING:  # pragma: no cover
    from ..backends.base import Compiled, Index

__all__ = ["Plan", "plan_search"]

#: Fewer hits than this and a likely misspelt word earns a "did you mean".
SUGGEST_BELOW = 3
#: A "did you mean" for a query that found something needs a correction this many times
#: more frequent than the word typed.
SUGGEST_RATIO = 10
#: Most words a query may have for each to be left out in turn (one count each).
MAX_LEFT_OUT = 8
#: Real words tried as the slip in a query that finds nothing: the one whose absence
#: leaves the most articles. A second one (within a 40 ms budget) found nothing more on
#: realtypo-dev (context/realword 0.893 with it, 0.894 without) and made a result depend
#: on how fast the machine was.
MAX_CULPRITS = 1
#: Candidates tried for a real word taken for a slip: a real word has many neighbours one
#: edit away (``стави``: ``ставив``, ``стали``, ``страви``, …), most of them common; 20
#: found no more than 10 (or 6) on realtypo-dev, at twice the counts.
CULPRIT_CANDIDATES = 10
#: A real word that more than this share of the archive's articles hold (as typed or in
#: another form; and more than :data:`SLIP_WRITTEN_MIN` of them) is not taken for a slip.
#: The real misspellings of realtypo-dev are forms the archive writes in 0-6 articles of
#: 1,872 (``вважалося могила`` for ``могла``: its correction was wrong too); a tester's
#: ``вчитель борщ`` (16 articles of bruk's 1,396), ``школа 2021 року`` (219) and ``поліція
#: вареники`` (5) were corrected into other words. 0.3 %: realtypo-dev 0.9151 → 0.9162
#: (0.1 % and 0.2 % the same, the floor deciding; 0.5 % 0.9149, ``вареники`` corrected).
SLIP_WRITTEN_SHARE = 0.003
SLIP_WRITTEN_MIN = 3
#: A query of several words also searches each word's relatives (``архівні документи``
#: finds ``архів``) when its words as typed meet in fewer articles than this: where the
#: all-words matches are few, a text naming the subject through a relative is worth finding;
#: where they are many, the relatives hardly move the first page (topical-dev nDCG@10 0.848
#: with them always, 0.846 never) and their postings made searches at 100,000 articles
#: 1.4× slower (see docs/relevance.md).
FAMILY_BELOW = 10
#: A one-word query finding fewer articles than this also lists, after them, those
#: holding a word one slip away (a page's worth).
NEAR_BELOW = 10
#: The articles holding only some of the words are listed after those holding them all
#: when these are fewer than this: behind a hundred pages of ten, or the longest page a
#: search gives, no reader reaches them, and finding and counting them (a common word's
#: hundreds of thousands of articles) was half the time of the slowest searches at a
#: million articles. Typesense's ``drop_tokens_threshold`` draws such a line.
PARTIAL_BELOW = 1000
#: The partial matches of a query whose first page they and the all-words matches leave
#: short (fewer than this) are also the articles holding only one of its commoner words
#: (in 5 % to ``Ranking.fill_common`` of the archive): ``фінансова грамотність`` on 1,396
#: texts finds 2 articles with both words and 6 with ``грамотність``; the texts on money
#: that never say ``грамотність`` come after them, after every article holding a rarer
#: word (``resolve.Partial``), so no judged figure moves (docs/relevance.md).
FILL_BELOW = 10
#: Near spellings searched for such a query, nearest and commonest first.
NEAR_CANDIDATES = 5
#: How far a near spelling may be.
NEAR_EDITS = 1
#: A near spelling whose word is in over this share of the archive (and over
#: ``resolve.MIN_COMMON`` articles) is not listed: a slip for ``була`` or ``додати`` lists
#: hundreds of articles (``Буча``: 1 article, then 1,313 holding a form of ``бути``), and
#: a word so common is what the archive holds anyway, not the one article meant.
NEAR_COMMON = 0.05
#: Candidates tried per word (each costs one count on the index).
CANDIDATES = 5
#: A query with more words unknown to the index is not mistyped, and each correction
#: walks the vocabulary (63 unknown words took 13 s on 1,400 articles).
MAX_SUSPECTS = 8

#: What a re-parsed query goes through before it is counted or run (the lexicon's synonyms).
Expand = Callable[[q.ParsedQuery], q.ParsedQuery]


@dataclass(frozen=True, slots=True)
class Plan:
    """The query to run and what to tell the user about it."""

    compiled: Compiled
    corrected_query: str | None = None
    suggestion: str | None = None
    #: the partial matches (some of the words, not all), ranked after ``compiled``'s
    relaxed: Compiled | None = None
    #: words the best partial matches lack, when no article holds them all
    missing: tuple[str, ...] = ()
    #: each word that may be left out, with the lemmas and forms that match it (to tell
    #: which words a partial match lacks)
    items: tuple[tuple[str, frozenset[str]], ...] = ()
    #: what the user should know of how the query was searched
    notes: tuple[str, ...] = ()
    #: the similar spellings whose articles ``relaxed`` holds, when a one-word query finds
    #: few articles (see :func:`_near_tier`), and the word searched they are near to
    near: tuple[str, ...] = ()
    near_to: str = ""


@dataclass(slots=True)
class _Draft:
    """A plan in the making: the query as it now stands (``parsed``, and ``expanded`` by
    the lexicon's synonyms), its all-words query, how many articles that finds, and the
    correction made (``corrected``) or offered (``suggestion``)."""

    parsed: q.ParsedQuery
    expanded: q.ParsedQuery
    compiled: Compiled
    total: int
    corrected: str | None = None
    suggestion: str | None = None

    def correct_to(self, text: str, ix: Index, how: _How, expand: Expand) -> None:
        """Search ``text`` instead (a correction), compiled as before."""
        self.parsed, self.corrected = parse_query(text), text
        self.expanded = expand(self.parsed)
        self.compiled = how.compile(ix, self.expanded)


def plan_search(ix: Index, analyzer: Analyzer, parsed: q.ParsedQuery, *, exact: bool = False,
                expand: Expand | None = None, partial: bool = True, keep: frozenset[str] = frozenset(),
                **filters: Any) -> Plan:
    """Decide what to search for ``parsed``; ``filters`` are the search's date/source filters.
    ``expand`` (the lexicon's synonyms) applies to every query run or counted; only the
    words typed are candidates for correction, and of them not those in ``keep``
    (lower-cased: date words searched as words are no typos). ``partial`` adds the
    articles holding some of the words after those holding all of them."""
    expand = expand or (lambda p: p)
    memo: _Memo = {}
    draft, how = _all_words(ix, parsed, expand, exact, filters)
    # a word typed in quotes is searched as written: only offered a correction
    quoted = frozenset(w.text.lower() for w in q.words_of(parsed.root) if isinstance(w, q.Word) and w.quoted)
    _correction(ix, analyzer, draft, how, exact, expand, keep | quoted, memo, filters)
    if quoted and draft.total == 0 and draft.corrected is None and draft.suggestion is None and not exact \
            and not budget.passed():
        offered = _correct(ix, analyzer, draft.parsed, 0, how, filters=filters, expand=expand, memo=memo, keep=keep)
        draft.suggestion = offered[0] if offered is not None else None
    keep |= quoted
    if not partial or draft.total >= PARTIAL_BELOW:
        return Plan(draft.compiled, draft.corrected, draft.suggestion)
    if draft.total == 0 and draft.corrected is None and not exact and not budget.passed():
        # No correction lets all the words meet: the partial matches are searched with
        # each unknown word's own best correction, so they find what it meant.
        each = _each_corrected(ix, analyzer, draft.parsed, keep)
        if each is not None:
            draft.correct_to(each, ix, how, expand)
            draft.total = ix.count(draft.compiled, **filters)
    compiled, total, expanded = draft.compiled, draft.total, draft.expanded
    relaxed = ix.compile_relaxed(expanded, compiled, translit=how.translit, families=how.families)
    if relaxed is not None and relaxed.fillable and total < FILL_BELOW and not budget.passed() \
            and total + ix.count(relaxed, **filters) < FILL_BELOW:
        relaxed = ix.compile_relaxed(expanded, compiled, translit=how.translit, families=how.families,
                                     fill=True) or relaxed
    if relaxed is None and total < NEAR_BELOW and not exact and not keep and not budget.passed() \
            and not is_required(parsed.root):
        # (a date word searched as a word has no near spellings either: вчора, not вечора;
        # nor has a ``+word``: every match holds the word itself)
        near = _near_tier(ix, analyzer, parsed, draft.parsed, how, compiled)
        if near is not None:
            return Plan(compiled, draft.corrected, draft.suggestion, near[0], near=near[1], near_to=near[2])
    missing: tuple[str, ...] = ()
    items: tuple[tuple[str, frozenset[str]], ...] = ()
    if relaxed is not None and total == 0 and not budget.passed():
        missing = _left_out(ix, expanded, how, filters=filters, memo=memo)
        items = _item_terms(ix, expanded, how)
    notes = _unlisted(draft.parsed) if relaxed is None and total == 0 and not exact else ()
    return Plan(compiled, draft.corrected, draft.suggestion, relaxed, missing, items, notes=notes)


def _all_words(ix: Index, parsed: q.ParsedQuery, expand: Expand, exact: bool,
               filters: dict[str, Any]) -> tuple[_Draft, _How]:
    """The all-words query of ``parsed`` and its count; with the words' families when the
    words as typed meet in few articles or the subject is typed with a function word."""
    translit = not exact
    expanded = expand(parsed)
    compiled = ix.compile(expanded, translit=translit, families=False)
    total = ix.count(compiled, **filters)
    families = translit and (total < FAMILY_BELOW or _governed(parsed)) and partial_items(parsed.root) is not None
    how = _How(translit, families)
    if families:  # a second compile and count, for a query whose matches are few
        compiled = how.compile(ix, expanded)
        total = ix.count(compiled, **filters)
    else:
        how.compiled[expanded.root] = compiled
    return _Draft(parsed, expanded, compiled, total), how


def _correction(ix: Index, analyzer: Analyzer, draft: _Draft, how: _How, exact: bool, expand: Expand,
               keep: frozenset[str], memo: _Memo, filters: dict[str, Any]) -> None:
    """A query that finds few articles corrected: searched corrected when it found none
    (or holds a misspelt compound), else the correction offered when it finds more."""
    parsed, total = draft.parsed, draft.total
    # a compound no article holds, that the dictionary does not know, is misspelt however
    # many articles its parts find (``кого-небуть``: ``кого-небудь``)
    broken = not exact and total >= SUGGEST_BELOW and _broken_compound(ix, analyzer, parsed)
    if not (total < SUGGEST_BELOW or broken) or budget.passed():
        return
    fixed = _correct(ix, analyzer, parsed, 0 if broken else total, how, filters=filters, expand=expand,
                     memo=memo, keep=keep)
    if fixed is None and total == 0 and not exact and (apart := _compounds_apart(parsed)) is not None:
        # a slip in one part of a compound (``Харків-Києв``): its parts as words of their
        # own are corrected one by one (``Харків Києва``)
        fixed = _correct(ix, analyzer, apart, 0, how, filters=filters, expand=expand, keep=keep)
    if fixed is None:
        return
    text, found = fixed
    if (total == 0 or broken) and not exact:
        draft.correct_to(text, ix, how, expand)
        draft.total = found
    elif found > total:
        draft.suggestion = text


def _unlisted(parsed: q.ParsedQuery) -> tuple[str, ...]:
    """Why a query no article holds whole lists no partial matches, when it is for how
    it was written: a word searched as its parts side by side, or a prefix or fuzzy word."""
    joined = [w.text for w in q.words_of(parsed.root) if isinstance(w, q.Word) and several_tokens(w.text)
              and not dates.always_filters(w.text)]  # (a date searched as words: said where it is)
    if joined and isinstance(parsed.root, q.And):
        are = "is searched as its" if len(joined) == 1 else "are searched as their"
        return (f"{', '.join(repr(w) for w in joined)} {are} parts side by side, so articles "
                "with only some of the words are not listed; write it with spaces to list them",)
    if joined and isinstance(parsed.root, q.Word):  # (``Київ.Харків``: never a silent no-match)
        return (f"{joined[0]!r} is searched as its parts side by side; write it with spaces to find them apart",)
    broad = [w.text + ("*" if w.prefix else "") + ("~" * bool(w.fuzzy) + "2" * (w.fuzzy == 2))
             for w in q.words_of(parsed.root) if isinstance(w, q.Word) and (w.prefix or w.fuzzy)]
    if broad and not joined and isinstance(parsed.root, q.And):  # (``Лукашенко~ Путін``)
        return (f"no article has all the words, and a query with a prefix or fuzzy word ({', '.join(broad)}) "
                "lists no articles with only some of them; write it without * or ~ to list those",)
    return ()


def _governed(parsed: q.ParsedQuery) -> bool:
    """A subject typed with a function word (``вибори до парламенту``, ``реформа в
    освіті``): its texts as often write it with an adjective (``парламентські вибори``,
    ``освітня реформа``), which only the word's relatives find, so they join whatever
    the count. topical-stops nDCG@10 0.552 → 0.588, topical-more 0.733 → 0.736, the other
    sets and dev the same (see docs/relevance.md, "Word families")."""
    return isinstance(parsed.root, q.And) and any(q.is_stop_word(n) for n in parsed.root.items)


@dataclass(frozen=True, slots=True)
class _How:
    """How one search compiles every query it runs or counts: with transliteration and
    other spellings (not an exact search), with word families (few all-words matches)."""

    translit: bool
    families: bool
    #: the search's queries compiled so far, by their parsed tree: understanding a query
    #: that finds nothing compiles the same ones again (the words left out one by one,
    #: before and after a correction; each word alone, for the partial matches' words),
    #: a third of its compiles at 100,000 articles
    compiled: dict[q.Node, Compiled] = field(default_factory=dict, compare=False, hash=False)

    def compile(self, ix: Index, parsed: q.ParsedQuery) -> Compiled:
        hit = self.compiled.get(parsed.root)
        if hit is None:  # (a compiler reads only the tree, never the text typed)
            hit = self.compiled[parsed.root] = ix.compile(parsed, translit=self.translit, families=self.families)
        return hit


#: One search's answers of :func:`_without_each`, by query and how it is compiled.
_Memo = dict[tuple[q.Node, _How], list[tuple[q.Node, int]]]


def _near_tier(ix: Index, analyzer: Analyzer, typed: q.ParsedQuery, searched: q.ParsedQuery,
               how: _How, found: Compiled) -> tuple[Compiled, tuple[str, ...], str] | None:
    """For a query of one word that finds few articles: the articles holding a word one
    slip away from it instead (``крякнув``: ``крекнув``), to rank after those holding the
    word searched, and the words they hold. A real word mistyped into another real word
    finds the wrong few articles; the one meant is likely among its near spellings.
    ``found``: the search of the word itself, whose terms (its forms, lemmas and other
    spellings) no near spelling repeats. The third part is the word searched, as searched
    (corrected, without the brackets or quotes typed around it)."""
    word, now = typed.root, searched.root
    if not (isinstance(word, q.Word) and isinstance(now, q.Word)) or word.prefix or word.fuzzy:
        return None
    own = found.terms.lemmas | found.terms.forms
    picked: list[str] = []
    covered: set[str] = set()  # the lemmas of the words picked, which find every form of them
    common = max(NEAR_COMMON * ix.doc_count(), MIN_COMMON)
    for cand in corrections(word.text, ix, analyzer, limit=3 * NEAR_CANDIDATES, edits=NEAR_EDITS):
        if cand.frequency > common or is_function_word(cand.word):
            continue  # (``Крим`` is no slip for ``крім``: a function word names no subject)
        toks = analyzer.analyze(cand.word)
        if len(toks) != 1 or own & ({toks[0].form} | set(toks[0].lemmas)):
            continue  # another form of the word searched: already found
        if set(toks[0].lemmas) <= covered:
            continue  # another form of a word picked (``гнійні``, ``гнійна``): one finds both
        picked.append(cand.word)
        covered.update(toks[0].lemmas)
        if len(picked) == NEAR_CANDIDATES:
            break
    if not picked:
        return None
    alts = tuple(q.Word(w, field=word.field) for w in picked)
    root = q.And((alts[0] if len(alts) == 1 else q.Or(alts), q.Not(now)))
    try:
        return how.compile(ix, q.ParsedQuery(" ".join(picked), root)), tuple(picked), now.text
    except QueryError:
        return None


def _item_terms(ix: Index, parsed: q.ParsedQuery, how: _How) -> tuple[tuple[str, frozenset[str]], ...]:
    split = partial_items(parsed.root)
    out = []
    for item in split[0] if split else ():
        try:
            terms = how.compile(ix, q.ParsedQuery(parsed.text, item)).terms
        except QueryError:
            continue
        out.append((_shown(item), terms.lemmas | terms.forms))
    return tuple(out)


def _each_corrected(ix: Index, analyzer: Analyzer, parsed: q.ParsedQuery, keep: frozenset[str]) -> str | None:
    """The query with every word no article holds replaced by its likeliest correction on
    its own (nearest, same first letter, commonest), or ``None`` if none has one."""
    suspects = _suspects(ix, analyzer, parsed, 0, keep)
    if not suspects or len(suspects) > MAX_SUSPECTS:
        return None
    text = parsed.text
    for word, spelling in suspects:
        if not _may_be_mistyped(analyzer, spelling):
            continue
        found = corrections(spelling, ix, analyzer, limit=1, edits=_capped(word, spelling, 2))
        if found:
            text = replace_word(text, word, match_case(word, found[0].word))
    return text if text != parsed.text else None


def _may_be_mistyped(analyzer: Analyzer, word: str) -> bool:
    """Whether a word no article holds may be a slip for one that some article holds: not
    if the Ukrainian dictionary knows it as a word other than a name (``новина``, ``мовні``
    in an archive without them are absent, not mistyped); a name has many spellings, and a
    word only the Russian dictionary knows (``кровью``, ``хочешь``) is most likely the
    Ukrainian word spelt the Russian way (``кров'ю``, ``хочеш``)."""
    return all(not t.known or is_name(t.form) or analyzer.origin(t.form) == "ru"
               for t in analyzer.analyze(word))


def _common_ukrainian(analyzer: Analyzer, tokens: list[Token]) -> bool:
    """Whether the Ukrainian dictionary knows the word of ``tokens`` as one that names no
    person (a Russian word or a name, ``Іосіфовича``, is as likely spelt two letters apart)."""
    return bool(tokens) and all(t.known and analyzer.origin(t.form) == "uk"
                                and not any(is_person_name(lemma) for lemma in t.lemmas) for t in tokens)


def _left_out(ix: Index, parsed: q.ParsedQuery, how: _How, *, filters: dict[str, Any],
              memo: _Memo) -> tuple[str, ...]:
    """The word of an all-words query that finds nothing whose absence lets the most
    articles hold all the others; ``()`` when leaving out one word is not enough."""
    best = (0, "")
    for item, n in _without_each(ix, parsed, how, filters=filters, memo=memo):
        if n > best[0]:
            best = (n, _shown(item))
    return (best[1],) if best[0] else ()


def _without_each(ix: Index, parsed: q.ParsedQuery, how: _How, *, filters: dict[str, Any],
                  memo: _Memo | None = None) -> list[tuple[q.Node, int]]:
    """Each word of the query, with how many articles hold all the others (``memo``: one
    search's answers: correcting a query and naming its missing word both ask)."""
    key = (parsed.root, how)
    if memo is not None and key in memo:
        return memo[key]
    found = _count_without_each(ix, parsed, how, filters=filters)
    if memo is not None:
        memo[key] = found
    return found


def _count_without_each(ix: Index, parsed: q.ParsedQuery, how: _How,
                        filters: dict[str, Any]) -> list[tuple[q.Node, int]]:
    split = partial_items(parsed.root)
    if split is None or len(split[0]) > MAX_LEFT_OUT:
        return []
    content, nots = split
    out = []
    for item in content:
        if is_required(item):  # (``+word``: never the word the matches lack, nor a slip to leave out)
            continue
        rest = tuple(i for i in content if i is not item) + nots
        root = rest[0] if len(rest) == 1 else q.And(rest)
        try:
            n = ix.count(how.compile(ix, q.ParsedQuery(parsed.text, root)), **filters)
        except QueryError:
            n = 0
        out.append((item, n))
    return out


def _shown(item: q.Node) -> str:
    """A query item as the user typed it (near enough)."""
    if isinstance(item, q.Word):
        return item.text
    if isinstance(item, q.Phrase):
        return '"' + " ".join(item.words) + '"'
    return " ".join(_shown(w) for w in q.words_of(item))


def _is_compound(typed: str) -> bool:
    """Whether a word as typed is parts joined by a hyphen (of any kind: ``Харків‑Києв``)."""
    return sum(1 for p in hyphen_parts(typed) if p) > 1


def _broken_compound(ix: Index, analyzer: Analyzer, parsed: q.ParsedQuery) -> bool:
    """Whether a hyphenated query word is unknown to the dictionary and to the archive as a
    whole (its parts' lemmas may still find articles)."""
    for w in q.words_of(parsed.root):
        if isinstance(w, q.Word) and _is_compound(w.text) and not (w.prefix or w.fuzzy):
            tokens = analyzer.analyze(w.text)
            if len(tokens) == 1 and not tokens[0].known and ix.frequency(tokens[0].form) == 0:
                return True
    return False


def _suspects(ix: Index, analyzer: Analyzer, parsed: q.ParsedQuery,
              total: int, keep: frozenset[str]) -> list[tuple[str, str]]:
    """Query words that look mistyped, as ``(typed, word to correct)``: no article has
    them (or, when the query found something, the dictionary does not know them and hardly
    any article has them). A Latin word that spells nothing the index has is corrected
    from its closest Cyrillic reading."""
    out: dict[str, str] = {}
    for w in q.words_of(parsed.root):
        if not isinstance(w, q.Word) or w.prefix or w.fuzzy or w.text.lower() in keep:
            continue
        tokens = analyzer.analyze(w.text)
        if len(tokens) != 1:
            continue
        tok = tokens[0]
        # a compound is what it is as a whole: its parts' lemmas say nothing of its spelling
        whole = "-" in tok.form.strip("-") and not tok.known
        freq = ix.frequency(tok.form) if whole else max(ix.frequency(t) for t in (tok.form, *tok.lemmas))
        if freq == 0 and is_latin_word(w.text):
            if translit_candidates(w.text, has_prefix=ix.has_prefix, exists=ix.has_word, limit=1):
                continue
            reading = best_reading(w.text, has_prefix=ix.has_prefix)
            if reading:
                out[w.text] = reading
        elif freq == 0 or (total > 0 and not tok.known and freq < SUGGEST_BELOW):
            out[w.text] = w.text
    return list(out.items())


def _correct(ix: Index, analyzer: Analyzer, parsed: q.ParsedQuery, total: int, how: _How, *,
             filters: dict[str, Any], expand: Expand, memo: _Memo | None = None,
             keep: frozenset[str] = frozenset()) -> tuple[str, int] | None:
    """The query with its suspect words corrected and how many articles it finds, or
    ``None`` when no correction finds anything together with the other words."""
    suspects = _suspects(ix, analyzer, parsed, total, keep)
    if len(suspects) > MAX_SUSPECTS:
        return None  # more unknown words than typos: each would cost a walk over the vocabulary
    fixed = _corrected(ix, analyzer, parsed, suspects, total, how, filters=filters, expand=expand)
    if fixed is None and total == 0:
        # Every word is in the archive, or correcting the unknown ones was not enough: a
        # real word may be the slip (``вчити`` for ``учити``). The words whose absence lets
        # the others meet are corrected, the one that leaves the most articles first.
        # A word the archive writes often, or beside the next query word, is meant as typed:
        # the next word may be the slip (``смерть вважалося могила``: ``ввижалося``).
        culprits = [(item, n) for item, n in _without_each(ix, parsed, how, filters=filters, memo=memo)
                    if n > 0 and isinstance(item, q.Word) and not (item.prefix or item.fuzzy)
                    and item.text.lower() not in keep and not _written_often(ix, analyzer, item.text)]
        culprits.sort(key=lambda c: -c[1])
        tried = 0
        for item, _ in culprits:
            assert isinstance(item, q.Word)
            if tried == MAX_CULPRITS:
                break
            if _written_beside(ix, parsed, item, how, filters=filters):
                continue  # checked lazily: a phrase count or two per word, in order
            tried += 1
            fixed = _corrected(ix, analyzer, parsed, [(item.text, item.text)], total, how,
                               filters=filters, expand=expand, edits=1, limit=CULPRIT_CANDIDATES, written=True)
            if fixed is not None:
                break
    if fixed is None and total == 0 and not budget.passed():
        # Nothing found either way: a short word two edits off is better than no answer
        # (a foreign name spelt another way: ``уайсона`` for ``Вейсона``), unless the
        # dictionary knows it as a word other than a name: a real word no article holds
        # (``новина``) is what was meant.
        short = [(word, spelling) for word, spelling in suspects
                 if max_edits(normalize_word(spelling), stretch=True) > max_edits(normalize_word(spelling))
                 and _may_be_mistyped(analyzer, spelling)]
        fixed = _corrected(ix, analyzer, parsed, short, total, how, filters=filters, expand=expand, stretch=True)
    return fixed


def _compounds_apart(parsed: q.ParsedQuery) -> q.ParsedQuery | None:
    """``parsed`` with each hyphenated word of the query written as its parts apart, or
    ``None`` when it has none, or when the query holds a phrase: a phrase stays as typed.
    Asked of the parsed query, not its text: a ``"`` typed for the apostrophe
    (``пам"ятник Харків-Києв``) starts no phrase, and ``«…»`` is a phrase too."""
    if q.holds_phrase(parsed.root):
        return None
    joined = {w.text for w in q.words_of(parsed.root)
              if isinstance(w, q.Word) and not (w.prefix or w.fuzzy or w.quoted) and _is_compound(w.text)}
    if not joined:
        return None
    text = parsed.text
    for word in joined:
        text = replace_word(text, word, " ".join(p for p in hyphen_parts(word) if p))
    try:
        return parse_query(text)
    except QueryError:
        return None


def _written_often(ix: Index, analyzer: Analyzer, word: str) -> bool:
    """Whether more than :data:`SLIP_WRITTEN_SHARE` of the archive's articles (and over
    :data:`SLIP_WRITTEN_MIN`) hold ``word`` (as written, or another form of it): a word so
    many articles use is meant, not a slip, though the query's words never meet
    (``вчитель борщ`` is no ``вчитель бор``, ``школа 2021 року`` no ``кола 2021 року``)."""
    tokens = analyzer.analyze(word)
    if len(tokens) != 1:
        return False
    return ix.frequency(tokens[0].form) > max(SLIP_WRITTEN_MIN, SLIP_WRITTEN_SHARE * ix.doc_count())


def _written_beside(ix: Index, parsed: q.ParsedQuery, word: q.Word, how: _How, *,
                    filters: dict[str, Any]) -> bool:
    """Whether some article writes ``word`` next to the query word typed beside it (in
    any forms): a word in that context is what was meant, not a slip. ``мовні табори
    літо`` finds nothing together, yet ``мовні табори`` is written, so ``мовні`` is
    not corrected to ``мові``."""
    items = parsed.root.items if isinstance(parsed.root, q.And) else ()
    at = items.index(word) if word in items else -1
    for pair in ((at - 1, at), (at, at + 1)):
        if at < 0 or pair[0] < 0 or pair[1] >= len(items):
            continue
        both = (items[pair[0]], items[pair[1]])
        if not all(isinstance(w, q.Word) and not (w.prefix or w.fuzzy) and w.field == word.field
                   and not q.is_stop_word(w) for w in both):
            continue
        phrase = q.Phrase(tuple(w.text for w in both if isinstance(w, q.Word)), field=word.field)
        try:
            if ix.count(how.compile(ix, q.ParsedQuery(parsed.text, phrase)), **filters):
                return True
        except QueryError:
            continue
    return False


def _corrected(ix: Index, analyzer: Analyzer, parsed: q.ParsedQuery, suspects: list[tuple[str, str]],
               total: int, how: _How, *, filters: dict[str, Any], expand: Expand,
               edits: int = 2, limit: int = 0, written: bool = False,
               stretch: bool = False) -> tuple[str, int] | None:
    """``parsed`` with each of ``suspects`` replaced by its best correction that finds
    articles with the other words, and how many it finds."""
    if not suspects:
        return None
    text = parsed.text
    found = 0
    for i, (word, spelling) in enumerate(suspects):
        context = text
        for later, _ in suspects[i + 1 :]:  # not yet corrected: leave them out while choosing
            context = replace_word(context, later, "")
        best: tuple[tuple[float, bool, int], str, int] | None = None
        tokens = analyzer.analyze(spelling)
        typed_freq = ix.frequency(tokens[0].form)
        # a Ukrainian word no article holds is meant or slipped one key: ``карантин`` is not ``картин``
        reach = min(edits, 1) if _common_ukrainian(analyzer, tokens) else edits
        reach = _capped(word, spelling, reach)
        for cand in corrections(spelling, ix, analyzer, limit=limit or CANDIDATES, edits=reach, written=written,
                                stretch=stretch):
            if total > 0 and cand.frequency < SUGGEST_RATIO * max(typed_freq, 1):
                continue
            n = _count(ix, replace_word(context, word, match_case(word, cand.word)), how, filters=filters,
                       expand=expand)
            if n == 0:
                continue
            key = (cand.cost, cand.word[:1].lower() != word[:1].lower(), -cand.frequency)
            if best is None or key < best[0]:
                best = (key, match_case(word, cand.word), n)
        if best is not None:
            text = replace_word(text, word, best[1])
            found = best[2]
    if text == parsed.text:
        return None
    n = _count(ix, text, how, filters=filters, expand=expand)
    return (text, n or found) if n else None


def _capped(word: str, spelling: str, edits: int) -> int:
    """How many edits a correction of the query word ``word``, read as ``spelling``, may
    be away, at most ``edits``. A Latin word's Cyrillic reading: one fewer than a word
    typed in Cyrillic, and no more when nothing else is found, since the reading is a
    guess already, and a Latin word that no transliteration finds in the archive is more
    often a foreign word (``mail``, ``iPhone``) than Ukrainian typed in Latin: read
    ``майл`` and ``іфоне``, an edit made them ``май`` and ``фоне``, hundreds of
    articles about neither. A long reading keeps an edit (``Kahamlychka``:
    ``кагамличка``, written ``Кагамлички``)."""
    if spelling == word or not is_latin_word(word):
        return edits
    return min(edits, max(max_edits(normalize_word(spelling)) - 1, 0))


def _count(ix: Index, text: str, how: _How, *, filters: dict[str, Any], expand: Expand) -> int:
    try:
        compiled = how.compile(ix, expand(parse_query(text)))
    except QueryError:
        return 0
    return ix.count(compiled, **filters)
