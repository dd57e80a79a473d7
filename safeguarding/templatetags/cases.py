"""Template helpers for the case pages: `{% load cases %}`.

    {% level_tag level %}            the level as a coloured GOV.UK tag (its name always shown)
    {% level_tag level "No SERAT" %} the same, with the words shown when there is no level yet
    {{ level|level_label }}          the framework's name for the level
    {% radios field %}               a choice field as GOV.UK radios, each choice's hint under it
"""

from django import template
from django.utils.html import format_html

from safeguarding.rules.levels import Level

register = template.Library()


def _level(value) -> Level | None:
    if value in (None, ""):
        return None
    try:
        return Level(value)
    except ValueError:
        return None


@register.simple_tag
def level_tag(value, empty: str = "No SERAT yet"):
    level = _level(value)
    if level is None:
        return format_html('<strong class="govuk-tag govuk-tag--grey" data-level="">{}</strong>', empty)
    return format_html(
        '<strong class="govuk-tag app-level app-level--{}" data-level="{}">{}</strong>',
        level.value, level.value, level.label,
    )


@register.filter
def level_label(value) -> str:
    level = _level(value)
    return level.label if level is not None else ""


@register.inclusion_tag("includes/radios.html")
def radios(field, label_class: str = "govuk-fieldset__legend--s", hints: dict | None = None):
    """A choice field as GOV.UK radios (includes/radios.html). `hints` maps a choice's value (as text) to a hint
    under it."""
    hints = hints or {}
    hinted = [
        {"data": radio.data, "choice_label": radio.choice_label, "hint": hints.get(str(radio.data["value"]), "")}
        for radio in field.subwidgets
    ]
    return {"field": field, "radios": hinted, "label_class": label_class}


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}`: a dict's value for a key held in a variable."""
    if mapping is None:
        return None
    return mapping.get(key)
