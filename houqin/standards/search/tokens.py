"""Text → search tokens, the same way for what is indexed and for what people type.

Two streams per text:

- ``terms``: jieba's search-mode words (``lcut_for_search``, no HMM, so a word is cut the
  same way wherever it stands) and codes kept whole ("gb/t", "24421.1", "jgsw/tg", "001"),
  with their parts ("gb", "t", "24421") so "GB/T 24421" finds "GB/T 24421.1—2023".
- ``grams``: the overlapping two-character pieces of each run of Chinese text, and the
  run's last character. jieba cuts "应留样" into "应留 / 样" (应留 is in its dictionary), so
  the word "留样" is not among the terms of "每餐次的食品成品应留样"; its gram "留样" is. A
  typed word matches as a term *or* as the phrase of its grams (the word inside the text).

A query is cut with jieba's precise mode (search mode only adds the pieces of each word,
which a match of the whole word already implies); a lone character sticks to the word
before it ("应留样" stays a phrase instead of "应留" AND a bare "样"); all words must match.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

MAX_QUERY = 100  # characters of a query that are used
MAX_WORDS = 12  # words of a query that are used
MAX_POSITION = 16383  # PostgreSQL keeps positions up to this; SQLite has no limit

# Words of the trade jieba's dictionary lacks (GLOSSARY.md); changing this list needs a
# ``search_reindex``.
DOMAIN_WORDS = (
    "留样",
    "索证索票",
    "进货查验",
    "维保",
    "会前准备",
    "会中服务",
    "会后备场",
    "备场",
    "交接班",
    "巡更",
    "派车",
    "派车单",
    "用车申请",
    "督办单",
    "整改",
    "保洁员",
    "四大家",
    "公务接待",
    "宣贯",
    "复审",
    "起草单位",
    "归口",
    "能愿动词",
)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CODE = re.compile(r"[0-9a-z]+(?:[./][0-9a-z]+)*")
_GLUED = re.compile(r"([a-z]+\d*/[a-z]+)(\d+(?:\.\d+)*)")  # "gb/t24421.1" → "gb/t", "24421.1"
_SPACES = re.compile(r"\s+")
_QUERY_PIECE = re.compile(f"[{_CJK}]+|[0-9a-z]+(?:[./][0-9a-z]+)*")

_lock = threading.Lock()
_jieba: Any = None


def jieba_tokenizer() -> Any:
    """jieba's tokenizer, loaded once per process on first use (about half a second): quiet
    logging, its dictionary cache under VAR_DIR/tmp, the domain words added."""
    global _jieba
    if _jieba is not None:
        return _jieba
    with _lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tmp = Path(getattr(settings, "VAR_DIR", tempfile.gettempdir())) / "tmp"
            try:
                tmp.mkdir(parents=True, exist_ok=True)
            except OSError:
                tmp = Path(tempfile.gettempdir())
            tokenizer = jieba.dt
            tokenizer.tmp_dir = str(tmp)
            tokenizer.initialize()
            for word in DOMAIN_WORDS:
                tokenizer.add_word(word)
            _jieba = tokenizer
    return _jieba


def normalize(text: str) -> str:
    """Full-width letters, digits and slashes as ASCII; lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _code_tokens(token: str) -> list[str]:
    """An ASCII token and, for the index, its parts: "gb/t" → gb/t, gb, t; "24421.1" →
    24421.1, 24421 (each shorter dotted prefix)."""
    glued = _GLUED.fullmatch(token)
    if glued:
        return _code_tokens(glued[1]) + _code_tokens(glued[2])
    out = [token]
    if "/" in token:
        out += [part for part in token.split("/") if part]
    pieces = token.split(".")
    out += [".".join(pieces[:i]) for i in range(1, len(pieces))]
    return out


def _grams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


@dataclass
class Streams:
    """The two token streams of one text, each a list in reading order."""

    terms: list[str] = field(default_factory=list)
    grams: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        text = normalize(text)
        if not text.strip():
            return
        for match in _CODE.finditer(text):
            self.terms += _code_tokens(match[0])
        runs = _CJK_RUN.findall(text)
        if runs:
            cut = jieba_tokenizer().lcut_for_search
            for run in runs:
                self.terms += cut(run, HMM=False)
                self.grams += _grams(run)

    def __bool__(self) -> bool:
        return bool(self.terms or self.grams)


def streams(*texts: str) -> Streams:
    result = Streams()
    for text in texts:
        result.add(text)
    return result


@dataclass(frozen=True)
class Word:
    """One typed word: ``kind`` "code" (matches a term), "cjk" (a term, or its grams as a
    phrase) or "char" (a lone character: a term, or a gram that starts with it)."""

    kind: str
    token: str

    @property
    def grams(self) -> list[str]:
        return [self.token[i : i + 2] for i in range(len(self.token) - 1)]


def _fts5_phrase(tokens: list[str]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def _ts_lexeme(token: str, suffix: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'" + suffix


@dataclass(frozen=True)
class Query:
    """What a person typed, cut into words (all must match), with the surface strings to
    highlight in the hits."""

    text: str
    words: tuple[Word, ...]
    surfaces: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.words)

    def fts5(self) -> str:
        """The SQLite FTS5 MATCH expression (columns ``terms`` and ``grams``)."""
        parts = []
        for word in self.words:
            term = "terms:" + _fts5_phrase([word.token])
            if word.kind == "code":
                parts.append(term)
            elif word.kind == "char":
                parts.append(f"({term} OR grams:{_fts5_phrase([word.token])}*)")
            else:
                parts.append(f"({term} OR grams:{_fts5_phrase(word.grams)})")
        return " AND ".join(parts)

    def tsquery(self) -> str:
        """The PostgreSQL tsquery (terms weighted A, grams D, as the index writes them)."""
        parts = []
        for word in self.words:
            term = _ts_lexeme(word.token, ":A")
            if word.kind == "code":
                parts.append(term)
            elif word.kind == "char":
                parts.append(f"({term} | {_ts_lexeme(word.token, ':*D')})")
            else:
                phrase = " <-> ".join(_ts_lexeme(gram, ":D") for gram in word.grams)
                parts.append(f"({term} | ({phrase}))")
        return " & ".join(parts)


def _query_words(chunk: str) -> list[Word]:
    """The words of one space-separated chunk of a query, in order."""
    words: list[Word] = []
    for match in _QUERY_PIECE.finditer(chunk):
        piece = match[0]
        if not _CJK_RUN.fullmatch(piece):
            glued = _GLUED.fullmatch(piece)
            pieces = [glued[1], glued[2]] if glued else [piece]
            words += [Word("code", p) for p in pieces]
            continue
        cut = [w for w in jieba_tokenizer().lcut(piece, HMM=False) if w.strip()]
        merged: list[str] = []
        for w in cut:
            if (len(w) == 1 and merged) or (merged and len(merged[-1]) == 1):
                merged[-1] += w
            else:
                merged.append(w)
        words += [Word("char" if len(w) == 1 else "cjk", w) for w in merged]
    return words


def parse(text: str) -> Query:
    """A query from what a person typed (at most MAX_QUERY characters and MAX_WORDS words;
    anything that is not a letter, digit, code or Chinese character is ignored)."""
    text = _SPACES.sub(" ", (text or "").strip())[:MAX_QUERY]
    words: list[Word] = []
    surfaces: list[str] = []
    for chunk in text.split(" "):
        found = _query_words(normalize(chunk))
        if not found:
            continue
        surfaces.append(chunk)
        for word in found:
            if word not in words:
                words.append(word)
                surfaces.append(word.token)
    words = words[:MAX_WORDS]
    if len(words) > 1:  # a code and its parts: "gb/t" already implies "gb"
        words = [w for w in words if w.kind != "code" or w.token not in _parts_of(words, w)]
    unique = sorted({s for s in surfaces if s.strip()}, key=len, reverse=True)
    return Query(text=text, words=tuple(words), surfaces=tuple(unique))


def _parts_of(words: list[Word], word: Word) -> set[str]:
    parts: set[str] = set()
    for other in words:
        if other is not word and other.kind == "code":
            parts.update(_code_tokens(other.token)[1:])
    return parts
