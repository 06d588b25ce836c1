"""Building blocks shared by every app's pages: the accessible table, a dashboard's short list
and the query string.

A page loads them with ``{% load web_tags %}``. They hold no domain knowledge; an app's own
display helpers stay in its own tag library.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token, render_value_in_context
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


class TableNode(template.Node):
    def __init__(
        self,
        nodelist: NodeList,
        caption: FilterExpression,
        rows: FilterExpression | None,
        empty: FilterExpression | None,
    ) -> None:
        self.nodelist = nodelist
        self.caption = caption
        self.rows = rows
        self.empty = empty

    def render(self, context: template.Context) -> SafeString:
        if self.rows is not None and not self.rows.resolve(context):
            empty = self.empty.resolve(context) if self.empty is not None else ""
            return format_html("<p>{}</p>", empty)
        return format_html(
            '<div class="table-wrap">\n<table>\n  <caption class="visually-hidden">{}</caption>\n'
            "{}</table>\n</div>",
            self.caption.resolve(context),
            mark_safe(self.nodelist.render(context)),  # noqa: S308 - rendered by the template engine, escaped there
        )


@register.tag("table")
def do_table(parser: Parser, token: Token) -> TableNode:
    """``{% table caption [rows=… empty=…] %}<thead>…</thead><tbody>…</tbody>{% endtable %}``

    Wraps a table in its scrolling container with a caption for screen readers. With ``rows``,
    an empty ``rows`` renders ``<p>empty</p>`` instead of the table.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% table %} needs a caption")
    caption = parser.compile_filter(bits[1])
    options: dict[str, FilterExpression] = {}
    for bit in bits[2:]:
        name, sep, value = bit.partition("=")
        if not sep or name not in {"rows", "empty"} or name in options:
            raise template.TemplateSyntaxError(f"{{% table %}} does not take {bit!r}")
        options[name] = parser.compile_filter(value)
    if ("rows" in options) != ("empty" in options):
        raise template.TemplateSyntaxError("{% table %} takes rows= and empty= together")
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(nodelist, caption, options.get("rows"), options.get("empty"))


class ShortlistNode(template.Node):
    def __init__(
        self,
        nodelist: NodeList,
        items: FilterExpression,
        total: FilterExpression,
        more_url: FilterExpression | None,
    ) -> None:
        self.nodelist = nodelist
        self.items = items
        self.total = total
        self.more_url = more_url

    def render(self, context: template.Context) -> SafeString:
        items = self.items.resolve(context)
        if not items:
            return format_html("<p>{}</p>", _("None."))
        body = format_html("<ul>{}</ul>\n", mark_safe(self.nodelist.render(context)))  # noqa: S308 - rendered by the template engine, escaped there
        total = self.total.resolve(context)
        if not isinstance(total, int) or total <= len(items):
            return body
        more = _("%(n)s in all.") % {"n": render_value_in_context(total, context)}
        url = self.more_url.resolve(context) if self.more_url is not None else ""
        if url:
            return body + format_html('<p><a href="{}">{}</a></p>', url, more)
        return body + format_html("<p>{}</p>", more)


@register.tag("shortlist")
def do_shortlist(parser: Parser, token: Token) -> ShortlistNode:
    """``{% shortlist items total=n [more_url=…] %}{% for x in items %}<li>…</li>{% endfor %}{% endshortlist %}``

    A dashboard's short list: the items as a list, "n in all." under it when the panel shows
    only some of them (a link with ``more_url``), and "None." when there are none.
    """
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("{% shortlist %} needs the items and total=")
    items = parser.compile_filter(bits[1])
    options: dict[str, FilterExpression] = {}
    for bit in bits[2:]:
        name, sep, value = bit.partition("=")
        if not sep or name not in {"total", "more_url"} or name in options:
            raise template.TemplateSyntaxError(f"{{% shortlist %}} does not take {bit!r}")
        options[name] = parser.compile_filter(value)
    if "total" not in options:
        raise template.TemplateSyntaxError("{% shortlist %} needs total=")
    nodelist = parser.parse(("endshortlist",))
    parser.delete_first_token()
    return ShortlistNode(nodelist, items, options["total"], options.get("more_url"))


@register.simple_tag
def query_string(**params: str | int) -> str:
    """The given parameters as a query string, leaving out the empty ones (for page links)."""
    return urlencode({name: value for name, value in params.items() if value})
