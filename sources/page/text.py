"""An element's text as a reader sees it: paragraphs as blank lines, <br> and <li> as line breaks.

In:  an lxml element of a parsed page.
Out: `element_text(element)` -> str; `short_text(element, length=...)` -> the normalised text of a
     small element (a label), '' when it is long (told by its text length, when the caller knows
     it, before any text is built). The tag sets say which elements break lines.
"""

from __future__ import annotations

import re

from lxml import etree

# Elements that start a paragraph (a blank line) and those that only start a line. The split
# matters: lists are judged paragraph by paragraph, and <li>/<br> items form one-per-line lists.
PARAGRAPH_TAGS = frozenset(
    "p div section article aside header footer main nav ul ol dl table thead tbody tfoot details "
    "summary blockquote figure form fieldset pre dd dt h1 h2 h3 h4 h5 h6 hr".split()
)
LINE_TAGS = frozenset("li tr caption option label".split())
CELL_TAGS = frozenset(("td", "th"))
# Never part of a label: controls ("Read more"), drawings, and anything a page script owns.
SKIP_TAGS = frozenset("script style noscript template button svg select iframe object head".split())
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object")


# Breaks are collected as marks and resolved per run of marks, so that </li><li> gives one line
# break, <br><br> a blank line, and the page source's own line breaks (just layout) none.
_BR, _LINE, _PARA, _CELL = "\x01", "\x02", "\x03", "\x04"
_MARKS = re.compile("(?<![ \x01-\x04])[ \x01-\x04]*[\x01-\x04][ \x01-\x04]*")  # from run starts only: linear
_SPACE = re.compile(r"[ \t\r\n\f\v\xa0]+")


def element_text(element) -> str:
    """An element's text with paragraph breaks as blank lines and <br>/<li> as line breaks."""
    out: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in SKIP_TAGS:
                walker.skip_subtree()
                continue
            out.append(_mark_for(tag))
            if node.text:
                out.append(node.text)
        else:
            if tag not in SKIP_TAGS and tag != "br":
                out.append(_mark_for(tag))
            if node is not element and node.tail:
                out.append(node.tail)
    text = _SPACE.sub(" ", "".join(out))
    return _MARKS.sub(_resolve_marks, text).strip()


def _mark_for(tag: str) -> str:
    if tag in PARAGRAPH_TAGS:
        return _PARA
    if tag == "br":
        return _BR
    if tag in LINE_TAGS:
        return _LINE
    return _CELL if tag in CELL_TAGS else ""


def _resolve_marks(run: re.Match) -> str:
    marks = run.group(0)
    if _PARA in marks or marks.count(_BR) >= 2:
        return "\n\n"
    if _LINE in marks or _BR in marks:
        return "\n"
    return " \t "


def short_text(element, limit: int = 80, length: int | None = None) -> str:
    """Normalised text of a small element (a label), '' when it is long. `length` is the length of
    its text_content() when known (PageIndex.text_length): a long element's text is never built."""
    if length is not None and length > limit * 4:
        return ""
    text = element.text_content()
    if len(text) > limit * 4:
        return ""
    return " ".join(text.split())[:limit]
