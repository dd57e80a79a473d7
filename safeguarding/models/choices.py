"""Model choices taken from the framework's rules, so no list of levels or codes is written twice."""

from safeguarding.rules.gates import ConsentStatus
from safeguarding.rules.levels import Level
from safeguarding.rules.plans import PLAN_ITEMS, TEACHING_OPTIONS, Group

LEVEL_CHOICES = [(level.value, level.label) for level in Level]
OPTION_CHOICES = [(code, option.title) for code, option in TEACHING_OPTIONS.items()]
PLAN_ITEM_CHOICES = [(code, item.text) for code, item in PLAN_ITEMS.items()]
GROUP_CHOICES = [(group.value, group.label) for group in Group]
CONSENT_DECISIONS = [
    (ConsentStatus.GIVEN.value, "Given"),
    (ConsentStatus.REFUSED.value, "Refused"),
    (ConsentStatus.WITHDRAWN.value, "Withdrawn"),
]
