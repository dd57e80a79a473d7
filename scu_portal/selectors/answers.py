"""What the SCU has answered, as the school sees it: on its referrals, and about one plan for its gates.

Reads public rows only, by the school and the school's own ids; never joins accounts (inside a school's
schema the unqualified accounts table is the school's own), so answers name their author by `by_name`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet

from scu_portal.models.referrals import (
    MaseOutcome,
    MaterialUse,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    ScuAnswer,
    ScuAnswerKind,
)


@dataclass(frozen=True)
class ScuFacts:
    advice_recorded: bool = False
    # The latest word on using the material: SCU agreement pending MASE, then the MASE plan.
    material_agreed: bool = False
    mase_authorises_without_consent: bool = False
    review_on: date | None = None


def plan_scu_facts(*, school, plan_id: int) -> ScuFacts:
    """What the SCU has said about one of the school's plans, for the gates (FRAMEWORK.md §4).

    * ``advice_recorded`` (gate 5): the SCU gave advice, or a MASE outcome was recorded.
    * ``material_agreed`` (gate 4): the latest word on the material, whichever came last: the SCU's
      agreement or refusal pending MASE, or a MASE outcome (which agrees unless it says the material may
      not be used). On the same instant a refusal wins.
    * ``mase_authorises_without_consent`` (gate 4 where consent was refused): the latest MASE outcome
      authorises the material without parental consent.
    * ``review_on``: the next review date most recently set by the SCU or a MASE plan.

    Referrals the school withdrew count for nothing. Two queries, on public rows only.
    """
    answers = list(_answers(school=school, plan_ids=[plan_id]).values_list("kind", "review_on", "at", "id"))
    outcomes = list(_outcomes(school=school, plan_ids=[plan_id])
                    .values_list("material_use", "next_review_on", "recorded_at", "id"))
    material_words = [(at, kind == ScuAnswerKind.MATERIAL_AGREED) for kind, _, at, _ in answers
                      if kind in (ScuAnswerKind.MATERIAL_AGREED, ScuAnswerKind.MATERIAL_REFUSED)]
    material_words += [(at, use != MaterialUse.NOT_AUTHORISED) for use, _, at, _ in outcomes]
    # The latest word; on the same instant a refusal wins.
    latest_word = max(material_words, key=lambda word: (word[0], not word[1]), default=None)
    latest_outcome = max(outcomes, key=lambda outcome: (outcome[2], outcome[3]), default=None)
    review_dates = _latest_review_dates([(plan_id, day, at, pk) for _, day, at, pk in (*answers, *outcomes)])
    return ScuFacts(
        advice_recorded=bool(outcomes) or any(kind == ScuAnswerKind.ADVICE for kind, _, _, _ in answers),
        material_agreed=latest_word is not None and latest_word[1],
        mase_authorises_without_consent=latest_outcome is not None
        and latest_outcome[0] == MaterialUse.WITHOUT_CONSENT,
        review_on=review_dates.get(plan_id),
    )


def plans_scu_review_dates(*, school, plan_ids: Iterable[int]) -> dict[int, date]:
    """For each of these plans of the school that has one, the next review date most recently set by
    the SCU or a MASE plan (as ``plan_scu_facts`` gives it for one plan). Two queries, on public rows."""
    plan_ids = list(plan_ids)
    if not plan_ids:
        return {}
    answers = (_answers(school=school, plan_ids=plan_ids).filter(review_on__isnull=False)
               .values_list("referral__plan_ref", "review_on", "at", "id"))
    outcomes = _outcomes(school=school, plan_ids=plan_ids).values_list(
        "referral__plan_ref", "next_review_on", "recorded_at", "id")
    return _latest_review_dates([*answers, *outcomes])


def _answers(*, school, plan_ids: list[int]) -> QuerySet[ScuAnswer]:
    return (ScuAnswer.objects.filter(referral__school=school, referral__plan_ref__in=plan_ids)
            .exclude(referral__status=ReferralStatus.WITHDRAWN)
            .exclude(kind=ScuAnswerKind.SCHOOL_REPLY))


def _outcomes(*, school, plan_ids: list[int]) -> QuerySet[MaseOutcome]:
    return (MaseOutcome.objects.filter(referral__school=school, referral__plan_ref__in=plan_ids)
            .exclude(referral__status=ReferralStatus.WITHDRAWN))


def _latest_review_dates(entries: Iterable[tuple[int, date | None, datetime, int]]) -> dict[int, date]:
    """plan → the review date set last (by time, then id), from (plan, date, at, id) entries."""
    latest: dict[int, tuple[datetime, int, date]] = {}
    for plan, day, at, pk in entries:
        if day is not None and (plan not in latest or (at, pk) > latest[plan][:2]):
            latest[plan] = (at, pk, day)
    return {plan: entry[2] for plan, entry in latest.items()}


# --- the school's own referrals --------------------------------------------------------------------


def school_referrals(*, school, young_person_id: int | None = None, plan_id: int | None = None,
                     open_only: bool = False) -> QuerySet[Referral]:
    """The school's referrals, newest first. Never joins accounts."""
    referrals = Referral.objects.filter(school=school)
    if young_person_id is not None:
        referrals = referrals.filter(young_person_ref=young_person_id)
    if plan_id is not None:
        referrals = referrals.filter(plan_ref=plan_id)
    if open_only:
        referrals = referrals.exclude(status__in=[ReferralStatus.CLOSED, ReferralStatus.WITHDRAWN])
    return referrals.order_by("-received_at", "-id")


def school_referral(*, school, pk: int) -> Referral:
    """One of the school's referrals with its answers, moves and outcomes; another school's raises
    Referral.DoesNotExist, as a referral that does not exist does."""
    return (
        Referral.objects.filter(school=school)
        .prefetch_related(
            Prefetch("answers", queryset=ScuAnswer.objects.defer("by").order_by("at", "id")),
            Prefetch("status_changes", queryset=ReferralStatusChange.objects.order_by("at", "id")),
            Prefetch("mase_outcomes",
                     queryset=MaseOutcome.objects.select_related("meeting").order_by("recorded_at", "id")),
        )
        .get(pk=pk)
    )
