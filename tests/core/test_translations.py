"""Every user-visible string is translatable, and Indonesian (the default) has them all."""

import re
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


def test_every_extracted_string_has_an_indonesian_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "_ln:1,2",
            "-k",
            "lazy_ngettext:1,2",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as stream:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(stream) if m.id}
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
