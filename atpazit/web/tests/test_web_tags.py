"""The shared page pieces: a table or its empty sentence, a dashboard's short list, page links."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import Paginator
from django.template import TemplateSyntaxError, engines
from django.utils import translation


def render(source: str, **context: Any) -> str:
    with translation.override("en"):
        return engines["django"].from_string("{% load web_tags %}" + source).render(context)


class TestTable:
    def test_it_wraps_the_table_and_captions_it_for_screen_readers(self) -> None:
        html = render('{% table _("Holds, newest first") %}<tbody></tbody>{% endtable %}')

        assert html.startswith(
            '<div class="table-wrap" role="region" tabindex="0" aria-label="Holds, newest first">'
            "\n<table>\n"
        )
        assert '<caption class="visually-hidden">Holds, newest first</caption>' in html
        assert html.endswith("<tbody></tbody></table>\n</div>")

    def test_it_says_the_empty_sentence_instead_of_an_empty_table(self) -> None:
        source = (
            '{% table _("Holds") rows=holds empty=_("No hold.") %}<tbody></tbody>{% endtable %}'
        )

        assert render(source, holds=[]) == "<p>No hold.</p>"
        assert "<table>" in render(source, holds=["a hold"])

    @pytest.mark.parametrize(
        "source",
        [
            "{% table %}{% endtable %}",
            '{% table _("Holds") rows=holds %}{% endtable %}',
            '{% table _("Holds") sort=yes %}{% endtable %}',
        ],
    )
    def test_it_refuses_a_tag_it_cannot_render(self, source: str) -> None:
        with pytest.raises(TemplateSyntaxError):
            render(source)


class TestShortlist:
    source = "{% shortlist items total=total more_url=url %}{% for i in items %}<li>{{ i }}</li>{% endfor %}{% endshortlist %}"

    def test_it_lists_the_items_and_says_how_many_there_are_in_all(self) -> None:
        html = render(self.source, items=["A", "B"], total=5, url="/all/?open=1&mine=1")

        assert (
            html
            == '<ul><li>A</li><li>B</li></ul>\n<p><a href="/all/?open=1&amp;mine=1">5 in all.</a></p>'
        )

    def test_it_says_nothing_more_when_every_item_is_shown(self) -> None:
        assert render(self.source, items=["A"], total=1, url="/all/") == "<ul><li>A</li></ul>\n"

    def test_it_says_none_when_there_is_nothing(self) -> None:
        assert render(self.source, items=[], total=0, url="/all/") == "<p>None.</p>"

    def test_it_needs_the_total(self) -> None:
        with pytest.raises(TemplateSyntaxError):
            render("{% shortlist items %}{% endshortlist %}")


class TestPagination:
    def test_the_page_links_keep_the_filters(self) -> None:
        page = Paginator(list(range(30)), 10).get_page(2)

        html = render(
            '{% query_string state=state status=status as q %}{% include "web/pagination.html" with query=q %}',
            page=page,
            state="open",
            status="",
        )

        assert 'href="?state=open&amp;page=1"' in html
        assert 'href="?state=open&amp;page=3"' in html
        assert "Page 2 of 3" in html

    def test_one_page_needs_no_links_unless_asked(self) -> None:
        page = Paginator([1], 10).get_page(1)

        assert "pagination" not in render('{% include "web/pagination.html" %}', page=page)
        assert "Page 1 of 1" in render(
            '{% include "web/pagination.html" with always=True %}', page=page
        )
