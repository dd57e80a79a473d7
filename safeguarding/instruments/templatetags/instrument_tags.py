"""{% load instrument_tags %}{% default_notice version %}: wherever an instrument marked as the platform's
default is shown, say it is a default to be replaced by the authority's approved items."""

from django import template

from safeguarding.rules.instruments import DEFAULT_NOTICE

register = template.Library()


@register.filter
def is_default_instrument(version) -> bool:
    """True when the version (or rules Instrument) carries the platform's default notice."""
    return bool(getattr(version, "notice", "")) and version.notice == DEFAULT_NOTICE


@register.inclusion_tag("instruments/_default_notice.html")
def default_notice(version):
    return {"version": version, "show": is_default_instrument(version)}
