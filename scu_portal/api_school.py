"""The school's referral API, at a school's host: send, follow, reply, withdraw.

Every endpoint reads the school's own referrals (`request.tenant`) and never joins public accounts:
answers name their author by `by_name`. Another school's referral is not found (404).
"""

from cse_platform.audit.services import audit_record
from cse_platform.permissions import capability_permission
from django.db import connection
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from safeguarding.models import Plan
from safeguarding.rules import referrals as rules
from safeguarding.rules.roles import Capability
from scu_portal.models.referrals import MaseOutcome, Referral, ReferralStatusChange, ScuAnswer
from scu_portal.selectors.answers import school_referral, school_referrals
from scu_portal.services.referrals import referral_reply, referral_send, referral_send_facts, referral_withdraw

C = Capability


class CodeField(serializers.CharField):
    """A code from a fixed set (a kind, status or level), shown as a plain string: the sets are the
    framework's, listed in the field's description, so the schema does not name one set several ways."""

    def __init__(self, *, choices=None, **kwargs):
        if choices:
            codes = ", ".join(str(value) for value, _ in dict.fromkeys(
                (c if isinstance(c, tuple) else (c, c)) for c in choices))
            kwargs.setdefault("help_text", f"One of: {codes}.")
        super().__init__(**kwargs)


class CodesModelSerializer(serializers.ModelSerializer):
    serializer_choice_field = CodeField


class AnswerSerializer(CodesModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = ScuAnswer
        fields = ["id", "kind", "kind_label", "text", "conditions", "review_on", "by_name", "at"]


class StatusChangeSerializer(CodesModelSerializer):
    class Meta:
        model = ReferralStatusChange
        fields = ["from_status", "to_status", "side", "by_name", "note", "at"]


class ActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    owner = serializers.CharField()


class OutcomeSerializer(CodesModelSerializer):
    meeting_held_on = serializers.DateField(source="meeting.held_on")
    actions = ActionSerializer(many=True)

    class Meta:
        model = MaseOutcome
        fields = ["id", "meeting_held_on", "agreed_level", "actions", "material_use", "next_review_on",
                  "recorded_by_name", "recorded_at"]


class PlanStateSerializer(serializers.Serializer):
    """The plan as it stood when the referral was sent: codes and dates, never a note."""

    level = serializers.CharField(required=False)
    agreed = serializers.BooleanField(required=False)
    agreed_on = serializers.DateField(allow_null=True, required=False)
    option = serializers.CharField(allow_blank=True, required=False)
    items_done = serializers.ListField(child=serializers.CharField(), required=False)
    made_on = serializers.DateField(required=False)


SENT_FIELDS = [
    "id", "kind", "kind_label", "status", "status_label", "urgent", "young_person_ref", "plan_ref",
    "young_person_name", "date_of_birth", "year_group", "serat_total", "serat_level", "quiz_total", "quiz_level",
    "quiz_declined", "effective_level", "reasons", "consent_state", "plan_state", "phoned_at", "phoned_to",
    "phone_summary", "dcpo_name", "dcpo_email", "dcpo_phone", "received_at",
]


class SchoolReferralSerializer(CodesModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    plan_state = PlanStateSerializer()

    class Meta:
        model = Referral
        fields = SENT_FIELDS


class SchoolReferralDetailSerializer(SchoolReferralSerializer):
    answers = AnswerSerializer(many=True)
    status_changes = StatusChangeSerializer(many=True)
    mase_outcomes = OutcomeSerializer(many=True)

    class Meta:
        model = Referral
        fields = [*SENT_FIELDS, "answers", "status_changes", "mase_outcomes"]


class SendSerializer(serializers.Serializer):
    plan = serializers.IntegerField(help_text="The plan's id at this school.")
    kind = CodeField(choices=[(k.value, k.label) for k in rules.ReferralKind])
    reasons = serializers.CharField()
    dcpo_phone = serializers.CharField(required=False, allow_blank=True, default="")
    phoned_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None,
        help_text="Very high: when the SCU was phoned (required there). Ignored, and not kept, at other levels, "
                  "as are phoned_to and phone_summary: the call is a step of the plan only at very high.")
    phoned_to = serializers.CharField(required=False, allow_blank=True, default="",
                                      help_text="Very high: who at the SCU you spoke to.")
    phone_summary = serializers.CharField(required=False, allow_blank=True, default="",
                                          help_text="Very high: what was said.")


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField()


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField()


class SendOptionsSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    level = serializers.CharField()
    consent_state = serializers.CharField()
    kinds_allowed = serializers.ListField(child=serializers.CharField())
    phone_required = serializers.BooleanField()


class SchoolReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The school's referrals and requests to the SCU, with the SCU's answers.

    Permission: reading, referral.send or case.read_all (the DCPO, the headteacher); sending, replying
    and withdrawing, referral.send (the DCPO). Refusals of the framework are HTTP 409 with `reasons`.
    """

    serializer_class = SchoolReferralSerializer

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [capability_permission(C.REFERRAL_SEND, C.CASE_READ_ALL)()]
        return [capability_permission(C.REFERRAL_SEND)()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Referral.objects.none()
        young_person = self.request.query_params.get("young_person")
        plan = self.request.query_params.get("plan")
        return school_referrals(
            school=connection.tenant,
            young_person_id=int(young_person) if young_person and young_person.isdigit() else None,
            plan_id=int(plan) if plan and plan.isdigit() else None,
        )

    def _referral(self, pk) -> Referral:
        try:
            return school_referral(school=connection.tenant, pk=int(pk))
        except (Referral.DoesNotExist, ValueError):
            raise Http404 from None

    @extend_schema(parameters=[
        OpenApiParameter("young_person", int, description="Only this young person's referrals."),
        OpenApiParameter("plan", int, description="Only the referrals sent on this plan."),
    ])
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_record(actor=request.user, action="referral.list", subject_type="scu_portal.referral",
                     detail={"shown": [row["id"] for row in response.data["results"]]})
        return response

    @extend_schema(responses=SchoolReferralDetailSerializer)
    def retrieve(self, request, pk=None):
        referral = self._referral(pk)
        audit_record(actor=request.user, action="referral.read", subject=referral,
                     young_person_id=referral.young_person_ref)
        return Response(SchoolReferralDetailSerializer(referral).data)

    @extend_schema(request=SendSerializer, responses={201: SchoolReferralDetailSerializer})
    def create(self, request):
        """Send a referral or request on a plan. At very high, the phone call to the SCU comes first."""
        data = SendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        plan = Plan.objects.filter(pk=values.pop("plan")).first()
        if plan is None:
            raise serializers.ValidationError({"plan": ["No such plan at this school."]})
        referral = referral_send(plan=plan, sender=request.user, **values)
        return Response(SchoolReferralDetailSerializer(self._referral(referral.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("plan", int, required=True)], responses=SendOptionsSerializer)
    @action(detail=False, methods=["get"], url_path="send-options")
    def send_options(self, request):
        """What can be sent on a plan now, and whether the phone call must be recorded first."""
        plan_id = request.query_params.get("plan", "")
        plan = Plan.objects.filter(pk=int(plan_id)).first() if plan_id.isdigit() else None
        if plan is None:
            raise serializers.ValidationError({"plan": ["No such plan at this school."]})
        facts = referral_send_facts(plan=plan)
        return Response(SendOptionsSerializer({
            "plan": plan.pk, "level": facts.level.value, "consent_state": facts.consent.value,
            "kinds_allowed": [kind.value for kind in facts.kinds_allowed], "phone_required": facts.phone_required,
        }).data)

    @extend_schema(request=ReplySerializer, responses=SchoolReferralDetailSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """Reply to the SCU's request for more information."""
        data = ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral_reply(referral=self._referral(pk), sender=request.user, text=data.validated_data["text"])
        return Response(SchoolReferralDetailSerializer(self._referral(pk)).data)

    @extend_schema(request=WithdrawSerializer, responses=SchoolReferralDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw a referral the school sent."""
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral_withdraw(referral=self._referral(pk), sender=request.user, reason=data.validated_data["reason"])
        return Response(SchoolReferralDetailSerializer(self._referral(pk)).data)


ROUTES = [("referrals", SchoolReferralViewSet, "referral")]
