"""Date and number formats per interface language (settings.FORMAT_MODULE_PATH).

One date format per language, used by every page, list and form: Latvian and Russian
``06.12.2026``, English the British ``06/12/2026`` (never the US month first), times on the
24-hour clock. Django's own locale formats mix a long and a short form (``2026. gada 6.
decembris`` beside ``6.12.2026``) and default English to US dates; these override them.
"""
