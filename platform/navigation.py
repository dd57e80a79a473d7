"""The navigation each audience sees; entries are shown only to roles that may use them."""

from dataclasses import dataclass

from safeguarding.rules.roles import Audience, Capability


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    capability: Capability | None = None


NAVIGATION: dict[Audience, tuple[NavEntry, ...]] = {
    Audience.SCHOOL: (
        NavEntry("Home", "home"),
        NavEntry("API", "api-docs"),
    ),
    Audience.CENTRAL: (
        NavEntry("Home", "home"),
        NavEntry("API", "api-docs"),
    ),
}


def nav_entries(audience: Audience) -> tuple[NavEntry, ...]:
    return NAVIGATION[audience]
