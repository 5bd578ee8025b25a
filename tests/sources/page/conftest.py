"""Fixtures for the page reader's tests: counters of the work it does, so that tests assert how much
text a page costs to read (a count, the same on any machine), never how long it took."""

from __future__ import annotations

import lxml.html
import pytest

import sources.page.index as index_module
from sources.page.index import PageIndex


@pytest.fixture
def text_built(monkeypatch):
    """A list that grows by the length of every text the reader builds from the tree: each
    text_content() (labels) and each element_text() (candidates and table cells)."""
    built: list[int] = []
    text_content, element_text = lxml.html.HtmlMixin.text_content, index_module.element_text

    def counted_text_content(element):
        text = text_content(element)
        built.append(len(text))
        return text

    def counted_element_text(element):
        text = element_text(element)
        built.append(len(text))
        return text

    monkeypatch.setattr(lxml.html.HtmlMixin, "text_content", counted_text_content)
    monkeypatch.setattr(index_module, "element_text", counted_element_text)
    return built


@pytest.fixture
def candidates_built(monkeypatch):
    """A list that grows by one element for every element the reader makes candidates of."""
    built: list = []
    candidate = PageIndex.candidate

    def counted(page, element, *args, **kwargs):
        built.append(element)
        return candidate(page, element, *args, **kwargs)

    monkeypatch.setattr(PageIndex, "candidate", counted)
    return built
