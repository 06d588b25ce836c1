"""The REST API for other systems (django-ninja, issue 14)."""
