"""Every user-visible string is translatable, and Indonesian (the default) has them all."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


def catalogue():
    with (ROOT / "app/translations/id/LC_MESSAGES/messages.po").open("rb") as stream:
        return read_po(stream)


def untranslated(messages) -> list[str]:
    missing = []
    for message in messages:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(str(message.id))
    return missing


def extract_options() -> list[str]:
    """The options of `make extract-messages`, so that this test reads what the catalogue gets."""
    makefile = (ROOT / "Makefile").read_text()
    [line] = [line for line in makefile.splitlines() if "pybabel extract" in line]
    words = shlex.split(line.split("pybabel extract", 1)[1])
    options = []
    while words:
        word = words.pop(0)
        if word == "-o":
            words.pop(0)  # the output file is the test's own
        elif word != ".":
            options.append(word)
    return options


def extracted_ids(tmp_path) -> set[str]:
    pot = tmp_path / "messages.pot"
    command = [sys.executable, "-m", "babel.messages.frontend", "extract", *extract_options()]
    subprocess.run(
        [*command, "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as stream:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(stream) if m.id}


def test_strings_in_underscore_folders_are_extracted(tmp_path):
    """Babel skips folders starting with "_" unless told otherwise: templates/_macros is one."""
    extracted = extracted_ids(tmp_path)
    assert "Please correct the fields marked below." in extracted  # templates/_macros/forms.html
    assert "Page %(n)d of %(total)d" in extracted  # templates/_macros/lists.html
    assert "Send an enquiry by email" in extracted  # templates/showcase/_contact.html


def test_every_extracted_string_has_an_indonesian_translation(tmp_path):
    extracted = extracted_ids(tmp_path)
    translated = catalogue()
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in translated if m.id}
    assert sorted(extracted - known) == [], (
        "run `make extract-messages` and translate the new strings"
    )
    assert untranslated(translated) == []


def test_translations_keep_their_placeholders():
    for message in catalogue():
        if not message.id or not any(
            message.string if isinstance(message.string, tuple) else [message.string]
        ):
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        target = message.string if isinstance(message.string, str) else message.string[0]
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(target)), source
