"""@handles made from a person's name, and the name to greet them by.

Indonesian teachers often write their academic titles and a form of address in
their name: "Bu Rina Marlina, S.Pd.", "Drs. H. Ahmad Fauzi, M.Pd.". The display
name keeps them (that is how colleagues address each other); the handle does
not: ``@rina``, else ``@rina.marlina``, else ``@rina.marlina2``. Handles are
ASCII-folded ("Niké" -> ``nike``), lowercase, 3-32 characters of letters,
digits, ``_`` and single inner dots. Existing handles (``@bu_rina_marlina_s_pd``
from before) stay valid and are never changed behind the user's back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: a handle: 3-32 characters, [a-z0-9_] words joined by single dots
HANDLE_RE = re.compile(r"^(?=.{3,32}$)[a-z0-9_]+(?:\.[a-z0-9_]+)*$")
MIN_LEN = 3
MAX_LEN = 32
#: a generated handle's name parts are cut to this length
MAX_PART = 15

#: forms of address and academic / religious titles (lowercase, without dots)
TITLES = frozenset(
    {
        "bu",
        "ibu",
        "pak",
        "bapak",
        "kak",
        "mas",
        "mbak",
        "bang",
        "sdr",
        "sdri",
        "dr",
        "drs",
        "dra",
        "prof",
        "ir",
        "h",
        "hj",
        "kh",
        "ust",
        "ustadz",
        "ustadzah",
        "spd",
        "spdi",
        "spdsd",
        "mpd",
        "mpdi",
        "ssi",
        "msi",
        "skom",
        "mkom",
        "se",
        "sh",
        "mh",
        "mm",
        "st",
        "mt",
        "ss",
        "sag",
        "mag",
        "ssos",
        "msos",
        "sip",
        "mhum",
        "mkes",
        "skm",
        "spsi",
        "mpsi",
        "sfarm",
        "apt",
        "amd",
        "amdkeb",
        "amdkep",
        "ama",
        "amapd",
        "lc",
        "ma",
        "ba",
        "phd",
        "gr",
        "sth",
        "mth",
        "skep",
        "ners",
        "sikom",
        "sn",
    }
)

_SPACES = re.compile(r"\s+")
_NOT_HANDLE = re.compile(r"[^a-z0-9]+")


def ascii_fold(text: str) -> str:
    """``text`` without accents or other non-ASCII letters ("Niké" -> "Nike")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _is_title(word: str) -> bool:
    """A form of address or a title ("Bu", "S.Pd.", "Dr.", "M.Pd.I")."""
    key = word.lower().replace(".", "").replace(",", "")
    if not key:
        return True
    if key in TITLES:
        return True
    # "S.Pd." style: short, with a dot inside (an initial like "A." stays a name)
    core = word.strip(".,")
    return "." in core and len(key) <= 8


def name_words(name: str) -> list[str]:
    """The words of ``name`` without forms of address and titles.

    Everything after the first comma is titles ("Rina Marlina, S.Pd., M.Pd.");
    before it, title words are dropped wherever they stand.
    """
    first = name.split(",", 1)[0]
    words = [w for w in _SPACES.split(first.strip()) if w]
    kept = [w for w in words if not _is_title(w)]
    return kept or words


def greeting_name(name: str) -> str:
    """The name to greet someone by: their name without titles ("Bu Rina Marlina,
    S.Pd." -> "Rina Marlina"), so a sentence never ends in "S.Pd.."."""
    words = name_words(name)
    cleaned = " ".join(w.strip(".,") if _is_title(w) else w for w in words).strip()
    return cleaned.rstrip(".") or name.strip().rstrip(".") or name


def _parts(name: str) -> list[str]:
    """The handle parts of a name: folded, lowercase, [a-z0-9] only, cut short."""
    parts = []
    for word in name_words(name):
        part = _NOT_HANDLE.sub("", ascii_fold(word).lower())[:MAX_PART]
        if part:
            parts.append(part)
    return parts


def candidates(name: str) -> list[str]:
    """Handles for ``name`` in order of preference: ``rina``, ``rina.marlina``,
    ``rina.sari.marlina`` (each at least MIN_LEN characters, distinct)."""
    parts = _parts(name)
    found: list[str] = []

    def add(handle: str) -> None:
        handle = handle[:MAX_LEN].strip(".")
        if len(handle) >= MIN_LEN and HANDLE_RE.match(handle) and handle not in found:
            found.append(handle)

    if parts:
        add(parts[0])
        if len(parts) > 1:
            add(f"{parts[0]}.{parts[-1]}")
            add(".".join(parts[:3]))
        if len(parts[0]) < MIN_LEN and len(parts) > 1:
            add(parts[0] + parts[1])
    if not found:
        add(((parts[0] if parts else "") + "guru")[:MAX_PART] if parts else "guru")
    return found


def pick(name: str, taken: Iterable[str]) -> str:
    """The first free handle for ``name``: a candidate, else the longest one with the
    smallest free number (``rina.marlina2``)."""
    taken = set(taken)
    options = candidates(name)
    for handle in options:
        if handle not in taken:
            return handle
    base = options[-1][: MAX_LEN - 4]
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def base_of(name: str) -> str:
    """The common prefix of every handle ``pick`` may return (for one LIKE query)."""
    options = candidates(name)
    prefix = options[0]
    for handle in options[1:]:
        while not handle.startswith(prefix):
            prefix = prefix[:-1]
    return prefix
