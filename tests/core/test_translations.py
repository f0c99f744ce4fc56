"""The message catalogs: complete, consistent with the code, and used by the pages.

When a test here fails after you added or changed a string, run (from the repository root)::

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 \\
        -k lazy_ngettext:1,2 --no-location --sort-output -o cop/translations/messages.pot .
    .venv/bin/pybabel update -i cop/translations/messages.pot -d cop/translations \\
        --no-fuzzy-matching

then translate the new entries in ``cop/translations/{id,en}/LC_MESSAGES/messages.po`` and
run ``make translations`` (which compiles the ``.mo`` files).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "cop" / "translations"
POT = TRANSLATIONS / "messages.pot"
LANGUAGES = ("id", "en")
PLURAL_FORMS = {"id": 1, "en": 2}
#: the same keywords as the documented extract command
KEYWORDS = ("_l", "lazy_gettext", "ngettext:1,2", "lazy_ngettext:1,2")

#: a printf-style conversion: %(name)s, %(n)d, %s, %.1f, ... (%% is a literal percent sign)
PLACEHOLDER_RE = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
)


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def _catalog(lang: str) -> Catalog:
    return _read(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", locale=lang)


def _key(message: Message) -> str | tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, list | tuple) else message.id


def _messages(catalog: Catalog) -> dict[str | tuple[str, ...], Message]:
    return {_key(m): m for m in catalog if m.id}


def _ids(keys: Iterable[str | tuple[str, ...]]) -> str:
    return "\n".join(f"  {key!r}" for key in sorted(keys, key=str))


def _placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER_RE.finditer(text) if m.group(0) != "%%")


def _forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _translated(message: Message, catalog: Catalog) -> bool:
    """Every form is there (one per plural form of the language) and none is blank."""
    forms = _forms(message.string)
    expected = catalog.num_plurals if message.pluralizable else 1
    return len(forms) == expected and all(form.strip() for form in forms)


@pytest.fixture(scope="module")
def template() -> dict[str | tuple[str, ...], Message]:
    return _messages(_read(POT))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang: str, template: dict) -> None:
    catalog = _catalog(lang)
    assert not catalog.fuzzy, f"the header of the {lang} catalog is marked fuzzy"
    assert catalog.num_plurals == PLURAL_FORMS[lang], f"Plural-Forms of the {lang} catalog"
    messages = _messages(catalog)
    missing = set(template) - set(messages)
    assert not missing, (
        f"{len(missing)} message(s) of messages.pot are not in the {lang} catalog "
        f"(run pybabel update):\n{_ids(missing)}"
    )
    untranslated = [key for key in template if not _translated(messages[key], catalog)]
    assert not untranslated, (
        f"{len(untranslated)} message(s) have no {lang} translation:\n{_ids(untranslated)}"
    )
    fuzzy = [key for key in template if messages[key].fuzzy]
    assert not fuzzy, f"{len(fuzzy)} {lang} translation(s) are fuzzy:\n{_ids(fuzzy)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang: str) -> None:
    catalog = _catalog(lang)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = _forms(message.id)
        for form in _forms(message.string):
            if not form:
                continue
            if message.pluralizable:
                # a form may stand for one or many: it may use the placeholders of either id
                ok = _placeholders(form) in [_placeholders(i) for i in ids]
            else:
                ok = _placeholders(form) == _placeholders(ids[0])
            if not ok:
                wrong.append(f"  {message.id!r} -> {form!r}")
    assert not wrong, f"{lang}: translations whose placeholders differ from the id:\n" + "\n".join(
        wrong
    )
    problems = [f"  {m.id!r}: {'; '.join(map(str, errors))}" for m, errors in catalog.check()]
    assert not problems, f"{lang}: babel's checks failed:\n" + "\n".join(problems)


def test_messages_pot_is_up_to_date(tmp_path: Path, template: dict) -> None:
    fresh = tmp_path / "messages.pot"
    keywords = [arg for kw in KEYWORDS for arg in ("-k", kw)]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            # as `make messages`: the default also skips "_*" folders (templates/_macros)
            "--ignore-dirs",
            ".* venv .venv node_modules",
            *keywords,
            "--no-location",
            "--sort-output",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, f"pybabel extract failed:\n{result.stderr}"
    extracted = _messages(_read(fresh))
    new = set(extracted) - set(template)
    gone = set(template) - set(extracted)
    assert not new, (
        f"{len(new)} message(s) in the code are missing from messages.pot: extract, update "
        f"and translate them (see this module's docstring):\n{_ids(new)}"
    )
    assert not gone, (
        f"{len(gone)} message(s) of messages.pot are no longer in the code: extract and "
        f"update (see this module's docstring):\n{_ids(gone)}"
    )


def _require_compiled() -> None:
    for lang in LANGUAGES:
        po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
        mo = po.with_suffix(".mo")
        assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, (
            f"{mo.relative_to(ROOT)} is missing or older than the .po: run `make translations`"
        )


def test_pages_are_indonesian_by_default(client: FlaskClient) -> None:
    _require_compiled()
    response = client.get("/auth/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Masuk" in html
    assert "Kata sandi" in html
    assert "Log in" not in html
    assert "Password" not in html


def test_pages_follow_the_browser_language(client: FlaskClient) -> None:
    _require_compiled()
    response = client.get("/auth/login", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "Password" in html
    assert "Masuk" not in html
    assert "Kata sandi" not in html
