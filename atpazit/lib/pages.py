"""What a paginated list's page links need (the template side is web/pagination.html)."""

from __future__ import annotations

from django.http import HttpRequest


def query_without_page(request: HttpRequest) -> str:
    """The request's query string without ``page=``: the filters and sort each page link keeps."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
