"""File sizes in the reader's language: "28 baiti", "1 baits", "1,5 MB".

Django's ``filesizeformat`` builds the text from its own messages, and its Latvian catalogue has
the plural forms of "%(size)d byte" in the wrong order ("28 baits"). The same messages are
declared here, so the project catalogue (which comes before Django's) carries the correct
forms, and ``filesizeformat`` everywhere, templates included, reads right.
"""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils.translation import ngettext_lazy

# Extracted by makemessages into atpazit/locale; Django's filesizeformat looks up the same ids.
BYTES = ngettext_lazy("%(size)d byte", "%(size)d bytes", "size")


def file_size(num_bytes: int) -> str:
    """The size as people read it in the active language."""
    return str(filesizeformat(num_bytes))
