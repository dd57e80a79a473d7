"""The school's referral pages: sending from a plan, the school's referrals, one referral with the SCU's
answers (reply to a request for information, withdraw), and a young person's referrals.

At a school's host only; every page reads the school's own referrals through `school`, never another's,
and never joins public accounts."""

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from cse_platform.forms import add_service_errors
from cse_platform.permissions import CapabilityRequiredMixin, has_capability
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from safeguarding.models import Plan, PlanStatus, YoungPerson
from safeguarding.rules import referrals as rules
from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Capability
from scu_portal.forms import ReferralSendForm, ReplyForm, WithdrawForm
from scu_portal.models.referrals import MaseOutcome, Referral
from scu_portal.selectors.answers import school_referral, school_referrals
from scu_portal.services.referrals import referral_reply, referral_send, referral_send_facts, referral_withdraw

C = Capability
READERS = (C.REFERRAL_SEND, C.CASE_READ_ALL)


def _referral(request, pk: int) -> Referral:
    try:
        return school_referral(school=connection.tenant, pk=pk)
    except Referral.DoesNotExist:
        raise Http404("No such referral at this school.") from None


# Levels at which the SCU hears from a school at all, read from the rules with every fact in favour.
def _levels_with_referrals():
    return [level.value for level in Level
            if rules.referral_kinds_allowed(level=level, consent=rules.ConsentState.REFUSED, consultation_sent=True)]


class ReferralListView(CapabilityRequiredMixin, View):
    """The school's referrals and requests to the SCU, newest first. Permission: referral.send or
    case.read_all (the DCPO, the headteacher)."""

    capabilities = READERS

    def get(self, request):
        referrals = list(school_referrals(school=request.tenant))
        audit_record(actor=request.user, action="referral.list", subject_type="scu_portal.referral",
                     detail={"shown": [referral.pk for referral in referrals]})
        return render(request, "scu_portal/school/list.html", {
            "referrals": referrals, "can_send": has_capability(request.user, C.REFERRAL_SEND),
        })


class PlanChooseView(CapabilityRequiredMixin, View):
    """The young people whose current plan calls for the SCU, and what can be sent on each. Permission:
    referral.send."""

    capabilities = (C.REFERRAL_SEND,)

    def get(self, request):
        plans = (Plan.objects.filter(status=PlanStatus.ACTIVE, level__in=_levels_with_referrals())
                 .select_related("young_person").order_by("young_person__last_name", "young_person__first_name"))
        rows = [(plan, referral_send_facts(plan=plan)) for plan in plans]
        return render(request, "scu_portal/school/choose.html", {"rows": rows})


class ReferralSendView(CapabilityRequiredMixin, View):
    """Send a referral or request on a plan: the kinds the level allows now, the phone call first at very
    high. Permission: referral.send."""

    capabilities = (C.REFERRAL_SEND,)

    def _context(self, request, plan, form=None):
        facts = referral_send_facts(plan=plan)
        if form is None:
            form = ReferralSendForm(kinds=facts.kinds_allowed, phone_required=facts.phone_required)
        return {"plan": plan, "facts": facts, "form": form, "refusals": self._refusals(facts),
                "young_person": plan.young_person, "sent": school_referrals(school=request.tenant, plan_id=plan.pk)}

    @staticmethod
    def _refusals(facts):
        """Why each kind that cannot be sent now cannot be."""
        refusals = []
        for kind in rules.ReferralKind:
            if kind in facts.kinds_allowed:
                continue
            decision = rules.referral_decision(kind=kind, level=facts.level, consent=facts.consent,
                                               consultation_sent=facts.consultation_sent, phone_recorded=True,
                                               plan_active=facts.plan_active, open_kinds=facts.open_kinds)
            reasons = decision.reasons or facts.plan_gate(kind).reasons
            refusals.append((kind, reasons))
        return refusals

    def _plan(self, plan_id):
        plan = get_object_or_404(Plan.objects.select_related("young_person"), pk=plan_id)
        audit_record(actor=self.request.user, action="referral.send_form", subject=plan,
                     young_person_id=plan.young_person_id)
        return plan

    def get(self, request, plan_id):
        return render(request, "scu_portal/school/send.html", self._context(request, self._plan(plan_id)))

    def post(self, request, plan_id):
        plan = self._plan(plan_id)
        facts = referral_send_facts(plan=plan)
        form = ReferralSendForm(request.POST, kinds=facts.kinds_allowed, phone_required=facts.phone_required)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = referral_send(
                    plan=plan, kind=data["kind"], sender=request.user, reasons=data["reasons"],
                    dcpo_phone=data["dcpo_phone"], phoned_at=data.get("phoned_at"),
                    phoned_to=data.get("phoned_to", ""), phone_summary=data.get("phone_summary", ""),
                )
            except (ValidationError, ActionRefused) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{referral.get_kind_display()} sent to the Safeguarding Children Unit.")
                return redirect("referrals:detail", pk=referral.pk)
        return render(request, "scu_portal/school/send.html", self._context(request, plan, form), status=400)


class ReferralDetailView(CapabilityRequiredMixin, View):
    """One of the school's referrals: what was sent, its status and every answer. Permission: referral.send
    or case.read_all. Another school's referral is not found."""

    capabilities = READERS

    def get(self, request, pk, reply_form=None, withdraw_form=None, status=200):
        referral = _referral(request, pk)
        audit_record(actor=request.user, action="referral.read", subject=referral,
                     young_person_id=referral.young_person_ref)
        can_send = has_capability(request.user, C.REFERRAL_SEND)
        can_reply = can_send and bool(rules.referral_transition_decision(
            current=referral.status, target=rules.ReferralStatus.SCHOOL_REPLIED, side=rules.Side.SCHOOL))
        can_withdraw = can_send and bool(rules.referral_transition_decision(
            current=referral.status, target=rules.ReferralStatus.WITHDRAWN, side=rules.Side.SCHOOL))
        return render(request, "scu_portal/school/detail.html", {
            "referral": referral, "can_reply": can_reply, "can_withdraw": can_withdraw,
            "reply_form": reply_form or ReplyForm(), "withdraw_form": withdraw_form or WithdrawForm(),
        }, status=status)


class ReferralReplyView(ReferralDetailView):
    """Reply to the SCU's request for more information. Permission: referral.send."""

    capabilities = (C.REFERRAL_SEND,)
    http_method_names = ["post"]

    def post(self, request, pk):
        referral = _referral(request, pk)
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                referral_reply(referral=referral, sender=request.user, text=form.cleaned_data["text"])
            except (ValidationError, ActionRefused) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Your reply was sent to the Safeguarding Children Unit.")
                return redirect("referrals:detail", pk=pk)
        return self.get(request, pk, reply_form=form, status=400)


class ReferralWithdrawView(ReferralDetailView):
    """Withdraw a referral the school sent. Permission: referral.send."""

    capabilities = (C.REFERRAL_SEND,)
    http_method_names = ["post"]

    def post(self, request, pk):
        referral = _referral(request, pk)
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                referral_withdraw(referral=referral, sender=request.user, reason=form.cleaned_data["reason"])
            except (ValidationError, ActionRefused) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The referral was withdrawn.")
                return redirect("referrals:detail", pk=pk)
        return self.get(request, pk, withdraw_form=form, status=400)


class YoungPersonReferralsView(CapabilityRequiredMixin, View):
    """A young person's referrals and every answer of the SCU on them, for their case. Permission:
    referral.send or case.read_all."""

    capabilities = READERS

    def get(self, request, young_person_id):
        young_person = get_object_or_404(YoungPerson, pk=young_person_id)
        audit_record(actor=request.user, action="referral.read_young_person", subject=young_person,
                     young_person_id=young_person.pk)
        referrals = school_referrals(school=request.tenant, young_person_id=young_person.pk).prefetch_related(
            "answers", Prefetch("mase_outcomes", queryset=MaseOutcome.objects.select_related("meeting")))
        return render(request, "scu_portal/school/young_person.html", {
            "young_person": young_person, "referrals": referrals,
            "can_send": has_capability(request.user, C.REFERRAL_SEND),
        })
