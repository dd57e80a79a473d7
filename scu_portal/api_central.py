"""The SCU's API in the central portal: the queue and referrals, answers, status, assignment, target
times, MASE meetings and outcomes, and the authority's aggregate figures. Public schema only."""

from cse_platform.accounts.models import User
from cse_platform.audit.services import audit_record
from cse_platform.permissions import capability_permission
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from safeguarding.rules import referrals as rules
from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Capability
from scu_portal.api_school import (
    SENT_FIELDS,
    ActionSerializer,
    AnswerSerializer,
    CodeField,
    CodesModelSerializer,
    OutcomeSerializer,
    PlanStateSerializer,
    StatusChangeSerializer,
)
from scu_portal.models.referrals import MaseMeeting, MaseOutcome, MaterialUse, Referral
from scu_portal.selectors.queue import (
    STATUS_ALL,
    STATUS_OPEN,
    UNASSIGNED,
    QueueFilters,
    meeting_for_scu,
    meetings,
    referral_figures,
    referral_for_scu,
    referral_queue,
    scu_officers,
    scu_status_moves,
    target_table,
)
from scu_portal.services.mase import mase_agenda_add, mase_meeting_create, mase_outcome_record
from scu_portal.services.triage import referral_answer, referral_assign, referral_status_set, referral_target_set
from tenants.models import School

C = Capability
LEVELS = [(level.value, level.label) for level in Level]
KINDS = [(kind.value, kind.label) for kind in rules.ReferralKind]


class SchoolRefSerializer(CodesModelSerializer):
    class Meta:
        model = School
        fields = ["slug", "name", "kind"]


class OfficerSerializer(CodesModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name", "email", "role"]


class QueueReferralSerializer(CodesModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    school = SchoolRefSerializer()
    assigned_to = OfficerSerializer(allow_null=True)
    overdue = serializers.BooleanField()
    plan_state = PlanStateSerializer()

    class Meta:
        model = Referral
        fields = [*SENT_FIELDS, "school", "assigned_to", "due_at", "first_answered_at", "overdue"]


class ScuReferralSerializer(QueueReferralSerializer):
    answers = AnswerSerializer(many=True)
    status_changes = StatusChangeSerializer(many=True)
    mase_outcomes = OutcomeSerializer(many=True)
    next_statuses = serializers.SerializerMethodField()
    answer_kinds = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [*QueueReferralSerializer.Meta.fields, "answers", "status_changes", "mase_outcomes",
                  "next_statuses", "answer_kinds"]

    def get_next_statuses(self, referral) -> list[str]:
        return [move.value for move in scu_status_moves(referral)]

    def get_answer_kinds(self, referral) -> list[str]:
        return [k.value for k in rules.answer_kinds_allowed(referral_kind=referral.kind, status=referral.status)]


class QueueQuerySerializer(serializers.Serializer):
    school = serializers.SlugField(required=False, help_text="A school's slug.")
    kind = CodeField(choices=KINDS, required=False)
    status = CodeField(
        required=False, default=STATUS_OPEN,
        help_text=f"{STATUS_OPEN} (the default: neither closed nor withdrawn), {STATUS_ALL}, or one status: "
                  + ", ".join(s.value for s in rules.ReferralStatus) + ".",
    )
    level = CodeField(choices=LEVELS, required=False)
    officer = serializers.CharField(required=False, help_text=f"An officer's id, or '{UNASSIGNED}' for no one.")
    overdue = serializers.BooleanField(required=False, default=False)


class StatusSerializer(serializers.Serializer):
    status = CodeField(choices=[s.value for s in rules.PLAIN_STATUSES])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    officer = serializers.IntegerField(allow_null=True, help_text="An SCU officer's or manager's id, or null.")


class AnswerInSerializer(serializers.Serializer):
    kind = CodeField(choices=[(k.value, k.label) for k in rules.AnswerKind
                              if k not in (rules.AnswerKind.OUTCOME, rules.AnswerKind.SCHOOL_REPLY)])
    text = serializers.CharField()
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    review_on = serializers.DateField(required=False, allow_null=True, default=None)


def _scu_referral(pk) -> Referral:
    try:
        return referral_for_scu(pk=int(pk))
    except (Referral.DoesNotExist, ValueError):
        raise Http404 from None


class ScuReferralViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Referrals and requests from every school: the triage queue (very high first, newest first, then by
    age) and each referral. Permission: referral.triage (SCU officers and managers); assigning,
    referral.assign (SCU manager). Refusals of the workflow are HTTP 409 with `reasons`."""

    serializer_class = QueueReferralSerializer

    def get_permissions(self):
        if self.action == "assign":
            return [capability_permission(C.REFERRAL_ASSIGN)()]
        return [capability_permission(C.REFERRAL_TRIAGE)()]

    def get_queryset(self):
        query = QueueQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        school = School.objects.filter(slug=data["school"]).values_list("pk", flat=True).first() \
            if data.get("school") else None
        if data.get("school") and school is None:
            raise serializers.ValidationError({"school": ["No such school."]})
        return referral_queue(filters=QueueFilters(
            school=school, kind=data.get("kind", ""), status=data.get("status") or STATUS_OPEN,
            level=data.get("level", ""), officer=data.get("officer", ""), overdue=data.get("overdue", False),
        ))

    @extend_schema(parameters=[QueueQuerySerializer])
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_record(actor=request.user, action="referral.queue", subject_type="scu_portal.referral",
                     detail={"shown": [row["id"] for row in response.data["results"]]})
        return response

    @extend_schema(responses=ScuReferralSerializer)
    def retrieve(self, request, pk=None):
        referral = _scu_referral(pk)
        audit_record(actor=request.user, action="referral.read", subject=referral,
                     detail={"school": referral.school_id, "young_person_ref": referral.young_person_ref})
        return Response(ScuReferralSerializer(referral).data)

    @extend_schema(request=StatusSerializer, responses=ScuReferralSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Acknowledge, take under review, or close."""
        data = StatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral_status_set(referral=_scu_referral(pk), actor=request.user, **data.validated_data)
        return Response(ScuReferralSerializer(_scu_referral(pk)).data)

    @extend_schema(request=AssignSerializer, responses=ScuReferralSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Assign to an SCU officer, or to no one."""
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        officer_id = data.validated_data["officer"]
        officer = None
        if officer_id is not None:
            officer = scu_officers().filter(pk=officer_id).first()
            if officer is None:
                raise serializers.ValidationError({"officer": ["Choose an active SCU officer or manager."]})
        referral_assign(referral=_scu_referral(pk), officer=officer, actor=request.user)
        return Response(ScuReferralSerializer(_scu_referral(pk)).data)

    @extend_schema(request=AnswerInSerializer, responses={201: AnswerSerializer})
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        """Advice, agreement or refusal to use the material (with conditions), or a request for information."""
        data = AnswerInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = referral_answer(referral=_scu_referral(pk), actor=request.user, **data.validated_data)
        return Response(AnswerSerializer(answer).data, status=status.HTTP_201_CREATED)


class TargetSerializer(serializers.Serializer):
    kind = CodeField(choices=KINDS)
    level = CodeField(choices=LEVELS)
    hours = serializers.IntegerField(min_value=1, max_value=24 * 90)
    set_by_manager = serializers.BooleanField(read_only=True)


class TargetViewSet(viewsets.ViewSet):
    """Target times (hours) for the SCU's first answer, per kind and level. Permission: reading,
    referral.triage; setting, targets.set (SCU manager)."""

    def get_permissions(self):
        if self.action == "create":
            return [capability_permission(C.TARGETS_SET)()]
        return [capability_permission(C.REFERRAL_TRIAGE)()]

    @extend_schema(responses=TargetSerializer(many=True))
    def list(self, request):
        rows = [{"kind": r.kind, "level": r.level.value, "hours": r.hours, "set_by_manager": r.set_by_manager}
                for r in target_table()]
        return Response(TargetSerializer(rows, many=True).data)

    @extend_schema(request=TargetSerializer, responses=TargetSerializer)
    def create(self, request):
        data = TargetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = referral_target_set(actor=request.user, **data.validated_data)
        return Response(TargetSerializer({"kind": target.kind, "level": target.level, "hours": target.hours,
                                          "set_by_manager": True}).data)


class MeetingAgendaReferralSerializer(CodesModelSerializer):
    school = SchoolRefSerializer()

    class Meta:
        model = Referral
        fields = ["id", "kind", "status", "young_person_name", "effective_level", "school"]


class MeetingSerializer(CodesModelSerializer):
    agencies = serializers.ListField(child=serializers.CharField(), source="agency_list")
    referrals = MeetingAgendaReferralSerializer(many=True)
    outcomes = OutcomeSerializer(many=True)

    class Meta:
        model = MaseMeeting
        fields = ["id", "held_on", "agencies", "referrals", "outcomes", "created_at"]


class MeetingInSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    agencies = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    referrals = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class AgendaInSerializer(serializers.Serializer):
    referral = serializers.IntegerField()


class OutcomeInSerializer(serializers.Serializer):
    referral = serializers.IntegerField()
    agreed_level = CodeField(choices=LEVELS)
    actions = ActionSerializer(many=True)
    material_use = CodeField(choices=MaterialUse.choices)
    next_review_on = serializers.DateField()


def _referrals(ids) -> list[Referral]:
    found = {r.pk: r for r in Referral.objects.filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise serializers.ValidationError({"referrals": [f"No such referral: {missing[0]}."]})
    return [found[pk] for pk in ids]


class MeetingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """MASE meetings: date, agencies, agenda, and per referral an outcome. Permission: mase.manage."""

    permission_classes = [capability_permission(C.MASE_MANAGE)]
    serializer_class = MeetingSerializer

    def get_queryset(self):
        return meetings().prefetch_related("referrals__school", "outcomes__meeting")

    def _meeting(self, pk) -> MaseMeeting:
        try:
            return meeting_for_scu(pk=int(pk))
        except (MaseMeeting.DoesNotExist, ValueError):
            raise Http404 from None

    def retrieve(self, request, pk=None):
        return Response(MeetingSerializer(self._meeting(pk)).data)

    @extend_schema(request=MeetingInSerializer, responses={201: MeetingSerializer})
    def create(self, request):
        data = MeetingInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        meeting = mase_meeting_create(held_on=values["held_on"], agencies=values["agencies"],
                                      referrals=_referrals(values["referrals"]), actor=request.user)
        return Response(MeetingSerializer(self._meeting(meeting.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AgendaInSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def agenda(self, request, pk=None):
        """Put a referral on the meeting's agenda, or back on it: one on it that has moved on since it was
        scheduled (under review, the school's reply) returns to mase_scheduled, so its outcome can be recorded."""
        data = AgendaInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        (referral,) = _referrals([data.validated_data["referral"]])
        mase_agenda_add(meeting=self._meeting(pk), referral=referral, actor=request.user)
        return Response(MeetingSerializer(self._meeting(pk)).data)

    @extend_schema(request=OutcomeInSerializer, responses={201: OutcomeSerializer})
    @action(detail=True, methods=["post"])
    def outcomes(self, request, pk=None):
        """Record the meeting's outcome for one referral on its agenda."""
        data = OutcomeInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        (referral,) = _referrals([values.pop("referral")])
        outcome = mase_outcome_record(meeting=self._meeting(pk), referral=referral, actor=request.user, **values)
        outcome = MaseOutcome.objects.select_related("meeting").get(pk=outcome.pk)
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)


class CountSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class MonthCountSerializer(serializers.Serializer):
    month = serializers.DateField()
    count = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_level = CountSerializer(many=True)
    by_kind = CountSerializer(many=True)
    by_school_kind = CountSerializer(many=True)
    by_month = MonthCountSerializer(many=True)


class FiguresViewSet(viewsets.ViewSet):
    """Aggregate counts of referrals (by level, kind, kind of school, month): never a name or a school.
    Permission: aggregate.read (authority analyst)."""

    permission_classes = [capability_permission(C.AGGREGATE_READ)]

    @extend_schema(responses=FiguresSerializer)
    def list(self, request):
        figures = referral_figures()

        def counts(rows):
            return [{"label": label, "count": n} for label, n in rows]

        return Response(FiguresSerializer({
            "total": figures.total, "by_level": counts(figures.by_level), "by_kind": counts(figures.by_kind),
            "by_school_kind": counts(figures.by_school_kind),
            "by_month": [{"month": month, "count": n} for month, n in figures.by_month],
        }).data)


ROUTES = [
    ("scu/referrals", ScuReferralViewSet, "scu-referral"),
    ("scu/targets", TargetViewSet, "scu-target"),
    ("scu/meetings", MeetingViewSet, "scu-meeting"),
    ("scu/figures", FiguresViewSet, "scu-figures"),
]
