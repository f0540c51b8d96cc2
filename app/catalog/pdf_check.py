"""What is inside an uploaded PDF: run in a child process of its own (SECURITY.md "Uploads").

pypdf's own work on a hostile file is not bounded by anything we can set: a cross-reference
table of 400,000 entries, a chain of cross-reference streams or an object stream of a million
tiny objects each take it tens of seconds before we see a single object. So the file is read
in a child process with a CPU and memory limit and a timeout (``documents.py`` starts it);
inside, the walk over the objects has its own limits too.

This module runs as a plain script (``python -I pdf_check.py < file.pdf``): it imports nothing
of the app, only pypdf, and prints one JSON line ``{"verdict": ...}``.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time

PLAIN, ACTIVE, ENCRYPTED, NO_PAGES, DAMAGED, TOO_COMPLEX = (
    "plain",
    "active",
    "encrypted",
    "no_pages",
    "damaged",
    "too_complex",
)

# What a viewer may run or open when the PDF is viewed: scripts, programs, other files, forms
# sent elsewhere, embedded files and media. A certificate needs none of it.
ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/Rendition",
        "/RichMedia",
        "/RichMediaExecute",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/XFA",
    }
)
# Keys that hold such things, or run actions on events (open, close, print, mouse, keys).
ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/XFA", "/EmbeddedFiles", "/EF", "/RichMediaContent"}
)
ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound"})
# The actions a certificate may keep: go to a page, follow a web link, next page and the like.
HARMLESS_ACTIONS = frozenset({"/GoTo", "/URI", "/Named", "/Thread"})
LINK_SCHEMES = ("http://", "https://", "mailto:")
# Keys whose value is an action; within an action, /Next holds the actions that follow it.
ACTION_KEYS = frozenset({"/A", "/OpenAction", "/PA"})

# A real certificate has a few dozen to a few thousand objects.
MAX_OBJECTS = 50_000
MAX_WALK_SECONDS = 3.0  # of CPU time, after pypdf has read the cross-reference data
CPU_SECONDS = 5  # the child is stopped after this much CPU time, whatever it is doing
MEMORY_BYTES = 1024 * 2**20


class TooComplex(Exception):
    pass


def inspect(data: bytes) -> str:
    """The verdict on ``data``, a file that starts with ``%PDF-``."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return ENCRYPTED
        if not reader.pages:
            return NO_PAGES
        return ACTIVE if has_active_content(reader.trailer) else PLAIN
    except TooComplex:
        return TOO_COMPLEX
    except Exception:  # pypdf raises many kinds on a hostile file: all mean it is unreadable
        return DAMAGED


def has_active_content(trailer) -> bool:
    """Walk every object reachable from the trailer (catalogue, page tree, annotations, actions
    and their /Next chains, the names tree, outlines, forms, embedded files), within limits.

    pypdf has already turned #-escaped names (/J#61vaScript) into plain ones. An object is
    visited at most twice: once as a plain object and once where it is used as an action.

    :raises TooComplex: past ``MAX_OBJECTS`` containers or ``MAX_WALK_SECONDS``
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    deadline = time.process_time() + MAX_WALK_SECONDS
    seen: set[tuple[int, int, bool]] = set()
    todo: list[tuple[object, bool]] = [(trailer, False)]
    visited = 0
    while todo:
        item, as_action = todo.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation, as_action) in seen:
                continue
            seen.add((item.idnum, item.generation, as_action))
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams too: their dictionary
            if _is_active(item, as_action):
                return True
            in_action = (as_action and "/S" in item) or _name(item, "/Type") == "/Action"
            for key, value in item.items():  # values as stored: references stay unresolved
                todo.append((value, key in ACTION_KEYS or (in_action and key == "/Next")))
        elif isinstance(item, ArrayObject):
            todo.extend((value, as_action) for value in item)
        else:
            continue
        visited += 1
        if visited > MAX_OBJECTS or time.process_time() > deadline:
            raise TooComplex
    return False


def _is_active(dictionary, as_action: bool) -> bool:
    if ACTIVE_KEYS.intersection(dictionary.keys()):
        return True
    kind, subtype, action = (_name(dictionary, key) for key in ("/Type", "/Subtype", "/S"))
    if kind in ACTIVE_NAMES or subtype in ACTIVE_ANNOTATIONS or action in ACTIVE_NAMES:
        return True
    if (as_action and action is not None) or kind == "/Action":
        if action not in HARMLESS_ACTIONS:
            return True
        if action == "/URI" and not _is_web_link(_value(dictionary, "/URI")):
            return True
    return False


def _value(dictionary, key):
    # Indexing (not .get) makes pypdf resolve an indirect object: /S 9 0 R names an action too.
    return dictionary[key] if key in dictionary else None  # noqa: SIM401


def _name(dictionary, key) -> str | None:
    value = _value(dictionary, key)
    return str(value) if isinstance(value, str) and value.startswith("/") else None


def _is_web_link(uri) -> bool:
    """http(s) and mailto only; viewers and browsers skip blanks, as in "java script:"."""
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    if not isinstance(uri, str):
        return False
    compact = "".join(c for c in uri if c.isprintable() and not c.isspace()).lower()
    return compact.startswith(LINK_SCHEMES)


def _limit_resources() -> None:
    import resource

    for limit, value in (
        (resource.RLIMIT_CPU, CPU_SECONDS),
        (resource.RLIMIT_AS, MEMORY_BYTES),
        (resource.RLIMIT_CORE, 0),  # stopped at the CPU limit: no core file
    ):
        # Not every system has every limit; the parent's timeout stays in any case.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(limit, (value, value))


def main() -> None:
    _limit_resources()
    verdict = inspect(sys.stdin.buffer.read())
    sys.stdout.write(json.dumps({"verdict": verdict}) + "\n")


if __name__ == "__main__":
    main()
