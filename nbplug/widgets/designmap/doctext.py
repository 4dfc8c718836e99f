"""An extension point's docstring as the design map shows it: its first paragraph, as plain text.

Real designs document their hooks in reStructuredText (pytest's
``Create a :class:`~pytest.Collector` for the given path``); the map shows what a reader of the
rendered docs would read: ``Create a Collector for the given path``. Roles keep their text
(``:class:`~a.b.C``` is ``C``, ``:ref:`title <target>``` is ``title``), literals, emphasis and
links lose their markup, and the paragraph's lines are joined into one.

Decision: a handful of regular expressions for the inline markup docstrings use. Rejected:
docutils (a dependency and a full parse for one paragraph, and it reports errors on the half-reST
most docstrings are) and showing the first line only (pytest's first lines stop mid-sentence).
"""

from __future__ import annotations

import inspect
import re

__all__ = ["doc_text", "first_paragraph"]

#: ``:role:`text``` and ``:domain:role:`text``` (Sphinx roles).
_ROLE = re.compile(r"(?<![\w`]):(?:[\w.+-]+:)+`([^`]+)`")
#: ``text <target>`` inside a role or a link: the text is what is shown.
_TITLED = re.compile(r"^(.*?)\s*<[^<>]+>$", re.DOTALL)
_LITERAL = re.compile(r"``(.+?)``")
_LINK = re.compile(r"`([^`]+?)`__?")
_INTERPRETED = re.compile(r"(?<![\w`])`([^`]+)`(?![\w`])")
_STRONG = re.compile(r"(?<![\w*\\])\*\*(?=\S)([^*]+?)(?<=\S)\*\*(?![\w*])")
_EMPHASIS = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*]+?)(?<=\S)\*(?![\w*])")
_SUBSTITUTION = re.compile(r"(?<![\w|])\|([^|\s][^|]*?)\|(?![\w|])")
_ESCAPE = re.compile(r"\\(.)")
#: A field list's line (``:param x: ...``), unlike a role (``:ref:`...```).
_FIELD = re.compile(r":[^:`]+:(\s|$)")


def _role_text(match: re.Match[str]) -> str:
    text = match.group(1).strip()
    titled = _TITLED.match(text)
    if titled and titled.group(1):
        return titled.group(1)
    text = text.lstrip("!")
    if text.startswith("~"):  # Sphinx: show the last component only
        return text[1:].rsplit(".", 1)[-1]
    return text


def _link_text(match: re.Match[str]) -> str:
    titled = _TITLED.match(match.group(1))
    return titled.group(1) if titled and titled.group(1) else match.group(1)


def first_paragraph(doc: str) -> str:
    """The first paragraph of a (cleaned) docstring that is prose, its lines joined; a paragraph
    that is a directive (``.. note::``), its indented body or a field list (``:param x:``) is
    passed over."""
    paragraph: list[str] = []
    for line in [*doc.splitlines(), ""]:
        if line.strip():
            paragraph.append(line)
            continue
        if paragraph and not (paragraph[0].startswith(("..", " ", "\t")) or _FIELD.match(paragraph[0])):
            break
        paragraph = []
    return " ".join(line.strip() for line in paragraph)


def doc_text(doc: str | None) -> str:
    """``doc`` (a docstring, indented or not) as the map shows it: its first paragraph, reST roles
    and inline markup stripped (``""`` when there is none)."""
    if not doc:
        return ""
    text = first_paragraph(inspect.cleandoc(doc))
    if text.endswith("::"):  # reST: "Example::" introduces a literal block
        text = text[:-1]
    text = _ROLE.sub(_role_text, text)
    text = _LITERAL.sub(r"\1", text)
    text = _LINK.sub(_link_text, text)
    text = _INTERPRETED.sub(r"\1", text)
    text = _STRONG.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\1", text)
    text = _SUBSTITUTION.sub(r"\1", text)
    return _ESCAPE.sub(r"\1", text)
