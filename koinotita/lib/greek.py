"""Greek text as data: folding for comparison, ELOT 743 transliteration, and one phonetic
form that Greek script, ELOT Latin and common Greeklish spellings all reduce to.

`stem_key()` and `search_terms()` are the Greek-aware word search of the directory and the
programme catalogue (staff and public pages alike): ordinary inflection (τρόφιμα /
τροφίμων, στέγη / στέγαση, βία / βίας) meets through the Snowball Greek stemmer
(`snowballstemmer`, the algorithm of PostgreSQL's `greek` text-search configuration, whose
stems the PostgreSQL tests compare), and accents, final sigma and Greeklish through
`phonetic()`. The stems are computed here, in Python, for both databases, so that SQLite and
PostgreSQL find the same services.

`phonetic()` is what the search key stores and what a query is turned into, so that
«Χρήστος», "Christos", "Xristos", "Hristos" and "Xrhstos" are the same word, and so are
«Ευάγγελος», "Evangelos", "Euaggelos" and "Evaggelos". It is deliberately lossy (ξ and χ,
ι/η/υ/ει/οι, ο/ω fall together): it finds candidates, and the result list shows enough of
each person for the user to pick the right one.
"""

import re
import unicodedata
from dataclasses import dataclass

import snowballstemmer

_FINAL_SIGMA = str.maketrans({"ς": "σ"})


def fold(text: str) -> str:
    """Lower case, no accents or diaeresis, final sigma as σ: for comparing Greek text."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).translate(_FINAL_SIGMA)


# ELOT 743 (simplified: no context rules for αυ/ευ before voiceless consonants, μπ/ντ inside
# words). Digraphs first, then letters.
_ELOT_DIGRAPHS = [
    ("ου", "ou"),
    ("αυ", "av"),
    ("ευ", "ev"),
    ("ηυ", "iv"),
    ("γγ", "ng"),
    ("γξ", "nx"),
    ("γχ", "nch"),
    ("μπ", "mp"),
    ("ντ", "nt"),
]
_ELOT_LETTERS = str.maketrans(
    {
        "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
        "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
        "ρ": "r", "σ": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
    }
)  # fmt: skip


def elot743(text: str) -> str:
    """Latin form of a Greek name by ELOT 743, capitalised like the input (ΠΑΠΑ → PAPA)."""
    words = []
    for word in text.split():
        folded = fold(word)
        latin = folded
        for greek, roman in _ELOT_DIGRAPHS:
            latin = latin.replace(greek, roman)
        latin = latin.translate(_ELOT_LETTERS)
        if word.isupper():
            latin = latin.upper()
        elif word[:1].isupper():
            latin = latin[:1].upper() + latin[1:]
        words.append(latin)
    return " ".join(words)


_VOWELS = set("aeiouy")
_PHONETIC_RULES = [
    # order matters: each rule sees the output of the ones before it
    (re.compile(r"q"), "k"),
    (re.compile(r"8"), "th"),
    (re.compile(r"c(?!h)"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "q"),  # θ
    (re.compile(r"(?:ch|kh|ks|x)"), "H"),  # χ and ξ fall together
]
_PHONETIC_RULES_AFTER_H = [
    (re.compile(r"o[uy]"), "u"),
    (re.compile(r"a[uvf](?=.)|a[uvf]$"), "av"),
    (re.compile(r"e[uvf](?=.)|e[uvf]$"), "ev"),
    (re.compile(r"ai"), "e"),
    (re.compile(r"(?:ei|oi|yi|ui)"), "i"),
    (re.compile(r"mp"), "b"),
    (re.compile(r"nt"), "d"),
    (re.compile(r"(?:gg|gk|ng)"), "g"),
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"w"), "o"),
    (re.compile(r"([a-zH])\1+"), r"\1"),
]


def _resolve_h(word: str) -> str:
    """A lone Latin h is η after a consonant when a consonant or the end follows
    ("Elenh", "Dhmhtrhs"); otherwise it is χ ("Hristos", "Mihalis", "Ahmet")."""
    out = []
    for i, ch in enumerate(word):
        if ch != "h":
            out.append(ch)
            continue
        before = word[i - 1] if i else ""
        after = word[i + 1] if i + 1 < len(word) else ""
        if (
            before
            and before not in _VOWELS
            and before != "H"
            and (not after or after not in _VOWELS)
        ):
            out.append("i")
        else:
            out.append("H")
    return "".join(out)


def phonetic_word(word: str) -> str:
    latin = fold(word)
    for greek, roman in _ELOT_DIGRAPHS:
        latin = latin.replace(greek, roman)
    latin = latin.translate(_ELOT_LETTERS)
    latin = re.sub(r"[^a-z0-9]", "", latin)
    for pattern, replacement in _PHONETIC_RULES:
        latin = pattern.sub(replacement, latin)
    latin = _resolve_h(latin)
    for pattern, replacement in _PHONETIC_RULES_AFTER_H:
        latin = pattern.sub(replacement, latin)
    return re.sub(r"[^a-zH]", "", latin).lower()


def phonetic(text: str) -> str:
    """The phonetic form of every word of `text`, separated by single spaces."""
    words = (phonetic_word(w) for w in re.split(r"[\s\-‐–—_.,;/'’()]+", text))
    return " ".join(w for w in words if w)


def has_mixed_scripts(word: str) -> bool:
    """True when one word mixes Greek and Latin letters (a typing slip, e.g. «Пapa»)."""
    greek = latin = False
    for ch in word:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        greek |= name.startswith("GREEK")
        latin |= name.startswith("LATIN")
    return greek and latin


def sort_key(text: str) -> tuple[str, str]:
    """Greek dictionary order: letters compared without accents, diaeresis or case (so
    «Αλμυρός» comes before «Άργος Ορεστικό»), the text as written breaking ties. A plain
    `sorted()` or a database ORDER BY puts every accented capital after the whole alphabet."""
    return fold(text), text


# --- Words: stems for inflected Greek --------------------------------------------------------

_STEMMER = snowballstemmer.stemmer("greek")
_GREEK_WORD = re.compile(r"[α-ω]+")
MIN_STEM = 3  # a shorter stem (βία → β) says too little: the folded word stands for it


def stem_word(word: str) -> str:
    """The Snowball stem of a Greek word after folding; "" for a word without Greek letters.
    A stem shorter than MIN_STEM is replaced by the folded word without a final σ, so that
    βία and βίας both give «βια»."""
    folded = "".join(_GREEK_WORD.findall(fold(word)))
    if not folded:
        return ""
    stem = _STEMMER.stemWord(folded)
    if len(stem) < MIN_STEM:
        stem = folded[:-1] if folded.endswith("σ") and len(folded) > MIN_STEM else folded
    return stem


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-‐–—_.,;:/'’()«»\"!?]+", text) if w]


def stem_key(text: str) -> str:
    """The stems of every Greek word of `text`, each once, as " s1 s2 … " (a leading and a
    trailing space, so that a stem can be anchored to a word start and a word end)."""
    stems = dict.fromkeys(s for s in (stem_word(w) for w in _words(text)) if s)
    return f" {' '.join(stems)} " if stems else ""


@dataclass(frozen=True)
class SearchTerm:
    """One word of a query and the ways a text's word may match it: its phonetic form
    starts a word of the phonetic key, or its stem starts a word of the stem key, or a
    shorter stem of the same word (στεγ for στέγαση) is a whole word there (στέγη)."""

    phonetic: str
    stem: str

    @property
    def stem_prefixes(self) -> list[str]:
        return [self.stem[:n] for n in range(MIN_STEM + 1, len(self.stem))]

    def matches(self, phonetic_key: str, stems: str) -> bool:
        if self.phonetic and f" {self.phonetic}" in phonetic_key:
            return True
        if not self.stem:
            return False
        return f" {self.stem}" in stems or any(f" {p} " in stems for p in self.stem_prefixes)


def search_terms(query: str) -> list[SearchTerm]:
    """The terms of a search query; a text matches when it matches every term."""
    terms = []
    for word in _words(query):
        term = SearchTerm(phonetic=phonetic_word(word), stem=stem_word(word))
        if term.phonetic or term.stem:
            terms.append(term)
    return terms


def search_keys(text: str) -> tuple[str, str]:
    """The phonetic key and the stem key of `text` (what `SearchTerm.matches` reads)."""
    return f" {phonetic(text)} ", stem_key(text)


def text_matches(query: str, text: str) -> bool:
    """`text` matches every term of `query` (for short lists searched in Python, like the
    programme catalogue; the directory runs the same terms in SQL)."""
    phonetic_key, stems = search_keys(text)
    return all(t.matches(phonetic_key, stems) for t in search_terms(query))
