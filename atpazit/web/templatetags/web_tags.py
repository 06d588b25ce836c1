"""Building blocks shared by every app's pages: the accessible table, a dashboard's short list
and the query string.

A page loads them with ``{% load web_tags %}``. They hold no domain knowledge; an app's own
display helpers stay in its own tag library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Set as AbstractSet

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token, render_value_in_context
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from atpazit.lib.weeks import week_of

register = template.Library()


class BlockNode(template.Node):
    """A block tag's body, its one positional argument and its ``name=value`` options."""

    def __init__(
        self, nodelist: NodeList, argument: FilterExpression, options: dict[str, FilterExpression]
    ) -> None:
        self.nodelist = nodelist
        self.argument = argument
        self.options = options

    def option(self, name: str, context: template.Context) -> object:
        """The option's value in ``context``; None when the tag was not given it."""
        value = self.options.get(name)
        return value.resolve(context) if value is not None else None

    def body(self, context: template.Context) -> SafeString:
        return mark_safe(self.nodelist.render(context))  # noqa: S308 - rendered by the template engine, escaped there


def parse_block(
    parser: Parser,
    token: Token,
    *,
    allowed: AbstractSet[str],
    required: AbstractSet[str] = frozenset(),
) -> tuple[NodeList, FilterExpression, dict[str, FilterExpression]]:
    """Read ``{% tag argument name=value… %}…{% endtag %}``: the body, the argument and the
    options, refusing an option not in ``allowed`` or a missing one of ``required``."""
    tag, *bits = token.split_contents()
    if not bits:
        raise template.TemplateSyntaxError(f"{{% {tag} %}} needs an argument")
    options: dict[str, FilterExpression] = {}
    for bit in bits[1:]:
        name, sep, value = bit.partition("=")
        if not sep or name not in allowed or name in options:
            raise template.TemplateSyntaxError(f"{{% {tag} %}} does not take {bit!r}")
        options[name] = parser.compile_filter(value)
    if missing := required - options.keys():
        raise template.TemplateSyntaxError(f"{{% {tag} %}} needs {', '.join(sorted(missing))}=")
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    return nodelist, parser.compile_filter(bits[0]), options


class TableNode(BlockNode):
    def render(self, context: template.Context) -> SafeString:
        if "rows" in self.options and not self.option("rows", context):
            return format_html("<p>{}</p>", self.option("empty", context))
        caption = self.argument.resolve(context)
        # A region that scrolls sideways on a narrow screen: focusable, and named by the caption
        # so a keyboard user knows what they scroll (issue 11).
        return format_html(
            '<div class="table-wrap" role="region" tabindex="0" aria-label="{}">\n<table>\n'
            '  <caption class="visually-hidden">{}</caption>\n{}</table>\n</div>',
            caption,
            caption,
            self.body(context),
        )


@register.tag("table")
def do_table(parser: Parser, token: Token) -> TableNode:
    """``{% table caption [rows=… empty=…] %}<thead>…</thead><tbody>…</tbody>{% endtable %}``

    Wraps a table in its scrolling container with a caption for screen readers. With ``rows``,
    an empty ``rows`` renders ``<p>empty</p>`` instead of the table.
    """
    nodelist, caption, options = parse_block(parser, token, allowed={"rows", "empty"})
    if ("rows" in options) != ("empty" in options):
        raise template.TemplateSyntaxError("{% table %} takes rows= and empty= together")
    return TableNode(nodelist, caption, options)


class ShortlistNode(BlockNode):
    def render(self, context: template.Context) -> SafeString:
        items = self.argument.resolve(context)
        if not items:
            return format_html("<p>{}</p>", _("None."))
        listed = format_html("<ul>{}</ul>\n", self.body(context))
        total = self.option("total", context)
        if not isinstance(total, int) or total <= len(items):
            return listed
        more = _("%(n)s in all.") % {"n": render_value_in_context(total, context)}
        if url := self.option("more_url", context):
            return listed + format_html('<p><a href="{}">{}</a></p>', url, more)
        return listed + format_html("<p>{}</p>", more)


@register.tag("shortlist")
def do_shortlist(parser: Parser, token: Token) -> ShortlistNode:
    """``{% shortlist items total=n [more_url=…] %}{% for x in items %}<li>…</li>{% endfor %}{% endshortlist %}``

    A dashboard's short list: the items as a list, "n in all." under it when the panel shows
    only some of them (a link with ``more_url``), and "None." when there are none.
    """
    nodelist, items, options = parse_block(
        parser, token, allowed={"total", "more_url"}, required={"total"}
    )
    return ShortlistNode(nodelist, items, options)


@register.simple_tag
def query_string(**params: str | int) -> str:
    """The given parameters as a query string, leaving out the empty ones (for page links)."""
    return urlencode({name: value for name, value in params.items() if value})


@register.filter
def week(moment: dt.datetime | None) -> str:
    """A moment shown as its ISO week only ("week 49 of 2026"): what the recipient of a
    de-identified notice may read of when it was sent (``lib.weeks``)."""
    return week_of(moment)
