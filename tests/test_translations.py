"""The interface catalogues (dateline/locale): complete, checked, compiled, and covering every string in the code."""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parent.parent / "dateline"
LANGUAGES = ["ar", "fa", "fr"]
ENTRY_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


def parse_po(path):
    """{(context, msgid): {"msgstr": [forms], "fuzzy": bool}} for a PO file, header left out."""
    entries = {}
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        fields, current, fuzzy = {}, None, False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif match := ENTRY_LINE.match(line):
                current = match[1]
                fields[current] = ast.literal_eval(match[2])
            elif line.startswith('"'):
                fields[current] += ast.literal_eval(line)
        if fields.get("msgid"):
            forms = [value for key, value in fields.items() if key.startswith("msgstr")]
            entries[(fields.get("msgctxt"), fields["msgid"])] = {"msgstr": forms, "fuzzy": fuzzy}
    return entries


def catalogue(language):
    return PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language):
    """No entry is untranslated or fuzzy."""
    entries = parse_po(catalogue(language))
    assert len(entries) > 250
    assert [key for key, entry in entries.items() if entry["fuzzy"] or not all(entry["msgstr"])] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_passes_msgfmt_checks(language):
    """`msgfmt -c` accepts the catalogue: placeholders match, headers are complete."""
    if not shutil.which("msgfmt"):
        pytest.skip("GNU gettext's msgfmt is not installed")
    result = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(catalogue(language))], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    """The committed .mo holds exactly the .po's translations (run `dateline compilemessages` after editing)."""
    with open(catalogue(language).with_suffix(".mo"), "rb") as compiled:
        messages = gettext.GNUTranslations(compiled)._catalog
    for (context, msgid), entry in parse_po(catalogue(language)).items():
        key = f"{context}\x04{msgid}" if context else msgid
        if len(entry["msgstr"]) == 1:
            assert messages.get(key) == entry["msgstr"][0], msgid
        else:
            assert [messages.get((key, n)) for n in range(len(entry["msgstr"]))] == entry["msgstr"], msgid


def test_catalogues_cover_every_string_in_the_code(tmp_path, settings, monkeypatch):
    """`makemessages` on the code finds nothing the catalogues lack (run it from dateline/ and translate)."""
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext's xgettext is not installed")
    copy = tmp_path / "dateline"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "fixtures"))
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["fa"], verbosity=0)
    in_code = set(parse_po(copy / "locale" / "fa" / "LC_MESSAGES" / "django.po"))
    for language in LANGUAGES:
        assert sorted(in_code - set(parse_po(catalogue(language))), key=str) == [], language
