"""PostgreSQL's English full-text search, read the same way in Python, for SQLite.

On PostgreSQL a posting matches a search when `to_tsvector('english', search_document)`
matches `websearch_to_tsquery('english', q)` (postings.search). SQLite, the embedded default,
has neither; a substring match found "robot" in six demo postings and "robots" in one, where
PostgreSQL, which stems, finds the same six for both. So this module reads text the way
PostgreSQL 15's default parser and `english` configuration do (the same kinds of tokens, the
same 127 stop words, the same Snowball stemmer release) and a query the way
`websearch_to_tsquery` does (words, "quoted phrases", -not, or), and the search asks SQLite the
same question over the stored `Posting.search_terms`:

    search_terms  " robot _ lab ... "  one lexeme per position, "_" where a stop word stood

A lexeme is a word between spaces (LIKE); a phrase with a stop word inside it is a regular
expression with one `[^ ]+` per skipped position. Ranking is PostgreSQL's alone; which postings
match is the same (tests/postings/test_search_parity.py runs one table on either database and,
on PostgreSQL, compares this module with `to_tsvector` and `websearch_to_tsquery` directly).

Not mirrored, being rare in postings: a few of the parser's corner cases (a "~" path, a host
with a port, a signed decimal right after a word) and the cap of 16,383 positions a document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

STOP = "_"  # stands in search_terms for a position a stop word took

# PostgreSQL's english.stop (share/tsearch_data/english.stop), the Snowball project's list.
_ENGLISH_STOP = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
"""
STOP_WORDS = frozenset(_ENGLISH_STOP.split())

# snowballstemmer is pinned to 2.2.0 in requirements.lock: the Snowball release PostgreSQL 15
# builds its english_stem from (3.x stems "international" and "organization" differently).
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _english(word: str) -> str | None:
    """english_stem: None for a stop word, else the Snowball stem (PostgreSQL passes a word
    over 1,000 bytes through unstemmed)."""
    if word in STOP_WORDS:
        return None
    if len(word.encode()) > 1000:
        return word
    return _STEMMER.stemWord(word)


_ALNUM = r"[^\W_]"  # a letter or digit, any script
_HAS_LETTER = r"[^\W_]*[^\W\d_][^\W_]*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_HOST = rf"(?:{_LABEL}\.)+[A-Za-z]{{2,}}(?![A-Za-z0-9])"
_SEGMENT = rf"{_ALNUM}+(?:-{_ALNUM}+)*"
_TOKEN = re.compile(
    "|".join(
        (
            r"(?P<skip></?[A-Za-z][^<>]*>|&(?:[A-Za-z]+|#[0-9]+);)",  # a tag, an entity
            rf"(?P<email>[A-Za-z0-9][\w.+-]*@{_HOST})",
            rf"(?:(?:https?|ftp)://)?(?P<host>{_HOST})(?P<path>/[^\s\"<>]*)?",
            r"(?P<number>[0-9]+(?:\.[0-9]+)+)",  # 3.5, 1.2.3: never the start of a path
            # A path, or a name with dots; a hyphen only after its first dot or slash ("a.b-c"
            # is one token, "data-driven/ML" a hyphenated word and then "/ml").
            rf"(?P<file>(?:/{_SEGMENT}(?:[./]{_SEGMENT})*|{_ALNUM}+(?:[./]{_SEGMENT})+)-*)",
            rf"(?P<hword>{_HAS_LETTER}(?:-{_HAS_LETTER})+)",
            r"(?P<signed>[-+][0-9]+(?:\.[0-9]+)*)",
            rf"(?P<word>{_ALNUM}+)",
        )
    )
)
_LETTERS = re.compile(r"[^\W\d_]+")


def _word(token: str) -> str | None:
    """A word of letters goes through english_stem; one with digits is kept as written."""
    token = token.lower()
    return _english(token) if _LETTERS.fullmatch(token) else token


def lexemes(text: str) -> list[str | None]:
    """One entry per position, as to_tsvector('english', text) numbers them: the lexeme, or
    None where a stop word took the position."""
    found: list[str | None] = []
    after_hword = -1
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup if match.lastgroup != "path" else "host"
        token = match.group(kind)
        if kind == "skip":
            continue
        if kind == "host":
            path = match.group("path")
            if path:  # a URL: the whole address, then its host and its path
                found += [(token + path).lower(), token.lower(), path.lower()]
            else:
                found.append(token.lower())
        elif kind == "hword":  # the whole hyphenated word, then each part
            parts = token.split("-")
            whole = token.lower()
            found.append(_english(whole) if all(map(_LETTERS.fullmatch, parts)) else whole)
            found += [_word(part) for part in parts]
            after_hword = match.end()
        elif kind == "signed" and match.start() == after_hword:
            found.append(token[1:])  # "foo-bar-3": PostgreSQL reads the 3 without the sign
        elif kind == "word":
            found.append(_word(token))
        else:  # an email address, a number with dots, a path, a signed number: as written
            found.append(token.lower())
    return found


def document_terms(text: str) -> str:
    """What Posting.search_terms stores: " lexeme lexeme _ lexeme " (empty for no words)."""
    words = lexemes(text)
    if not words:
        return ""
    return " " + " ".join(w or STOP for w in words) + " "


# --- queries ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Phrase:
    """Lexemes at consecutive positions; None is any one position (a stop word was there)."""

    words: tuple[str | None, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    left: Node
    right: Node


@dataclass(frozen=True)
class Or:
    left: Node
    right: Node


Node = Phrase | Not | And | Or
_Item = Node | None  # None: only stop words, dropped once the query is built

_PRIORITY = {"or": 1, "and": 2, "not": 3}
_OPERATOR_CHARS = set("!&|()<")  # skipped between operands
_WORD_END = re.compile(r'[\s!&|()<":]')  # a colon ends a word (and may start one)


def _is_or(q: str, i: int) -> bool:
    """parse_or_operator: "or" on its own, with an operand somewhere after it."""
    if q[i : i + 2].lower() != "or" or i + 2 >= len(q):
        return False
    following = q[i + 2]
    if following in "-_" or following.isalnum():
        return False
    return bool(q[i + 3 :].strip())


def _websearch_tokens(q: str) -> Iterator[tuple[str, str]]:
    """gettoken_query_websearch as PostgreSQL 15 has it: ("value", text) for a word or for
    everything inside quotes (up to the closing quote or the end), ("op", "and"|"or"|"not"),
    and ("stop", "") for an operator left with nothing after it."""
    i, n = 0, len(q)
    waiting_operand, first = True, True
    while True:
        c = q[i] if i < n else ""
        if waiting_operand:
            if c == "":
                if not first:
                    yield "stop", ""
                return
            if c == "-":
                i, first = i + 1, False
                yield "op", "not"
            elif c == '"':
                end = q.find('"', i + 1)
                end = n if end < 0 else end
                yield "value", q[i + 1 : end]
                i, waiting_operand, first = end + 1, False, False
            elif c in _OPERATOR_CHARS:
                i, first = i + 1, False
            elif not c.isspace():
                end_match = _WORD_END.search(q, i + 1)
                end = end_match.start() if end_match else n
                yield "value", q[i:end]
                i, waiting_operand, first = end, False, False
            else:
                i += 1
        elif c == "":
            return
        elif _is_or(q, i):
            i, waiting_operand = i + 2, True
            yield "op", "or"
        elif c.isspace() or c in _OPERATOR_CHARS:
            i += 1
        else:  # the next operand, or a quote: an implicit AND
            waiting_operand = True
            yield "op", "and"


def _operand(text: str) -> _Item:
    """pushval_morph: one operand's lexemes as a phrase (a hyphenated word, a quoted phrase),
    a stop word inside it keeping its position, those at its edges dropped; None when no
    lexeme is left."""
    words = lexemes(text)
    start, end = 0, len(words)
    while start < end and words[start] is None:
        start += 1
    while end > start and words[end - 1] is None:
        end -= 1
    return Phrase(tuple(words[start:end])) if start < end else None


def _apply(op: str, operands: list[_Item]) -> None:
    """Replace the operator's operands by its result, dropping stop words as PostgreSQL's
    cleanup does (x AND stop is x, NOT stop is stop)."""
    if op == "not":
        operand = operands.pop()
        operands.append(None if operand is None else Not(operand))
        return
    right, left = operands.pop(), operands.pop()
    if left is None or right is None:
        operands.append(left or right)
    else:
        operands.append(And(left, right) if op == "and" else Or(left, right))


def parse_websearch(q: str) -> Node | None:
    """websearch_to_tsquery('english', q) as a tree; None when nothing in q can match (only
    stop words or punctuation: PostgreSQL then matches no posting)."""
    operands: list[_Item] = []
    operators: list[str] = []
    for kind, value in _websearch_tokens(q):
        if kind == "op":
            # makepol's operator stack: NOT binds tightest (and to the right), OR loosest.
            priority = _PRIORITY[value]
            while operators and (
                priority < _PRIORITY[operators[-1]]
                or (priority == _PRIORITY[operators[-1]] and value != "not")
            ):
                _apply(operators.pop(), operands)
            operators.append(value)
        else:
            operands.append(_operand(value) if kind == "value" else None)
    while operators:
        _apply(operators.pop(), operands)
    return operands[0] if operands else None
