"""What the SCU has answered about one plan, as the school's gates need it.

Reads public rows only, by the school and the school's own plan id; never joins accounts.
"""

from dataclasses import dataclass
from datetime import date

from scu_portal.models import MaseOutcome, MaterialUse, ReferralStatus, ScuAnswer, ScuAnswerKind


@dataclass(frozen=True)
class ScuFacts:
    advice_recorded: bool = False
    # The latest word on using the material: SCU agreement pending MASE, then the MASE plan.
    material_agreed: bool = False
    mase_authorises_without_consent: bool = False
    review_on: date | None = None


def plan_scu_facts(*, school, plan_id: int) -> ScuFacts:
    answers = list(
        ScuAnswer.objects.filter(referral__school=school, referral__plan_ref=plan_id)
        .exclude(referral__status=ReferralStatus.WITHDRAWN)
        .values_list("kind", "review_on", "at")
    )
    outcomes = list(
        MaseOutcome.objects.filter(referral__school=school, referral__plan_ref=plan_id)
        .values_list("material_use", "next_review_on", "recorded_at")
    )
    material_words = sorted(
        [(at, kind == ScuAnswerKind.MATERIAL_AGREED) for kind, _, at in answers
         if kind in (ScuAnswerKind.MATERIAL_AGREED, ScuAnswerKind.MATERIAL_REFUSED)]
        + [(at, use != MaterialUse.NOT_AUTHORISED) for use, _, at in outcomes]
    )
    review_dates = sorted([(at, day) for _, day, at in answers if day] + [(at, day) for _, day, at in outcomes])
    latest_outcome = max(outcomes, key=lambda outcome: outcome[2], default=None)
    return ScuFacts(
        advice_recorded=bool(outcomes) or any(kind == ScuAnswerKind.ADVICE for kind, _, _ in answers),
        material_agreed=bool(material_words) and material_words[-1][1],
        mase_authorises_without_consent=latest_outcome is not None
        and latest_outcome[0] == MaterialUse.WITHOUT_CONSENT,
        review_on=review_dates[-1][1] if review_dates else None,
    )
