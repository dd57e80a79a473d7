"""API routes of this area: (prefix, viewset, basename)."""

ROUTES: list = []
