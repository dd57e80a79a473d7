"""The case API at a school: SERAT, personal quiz, plans and their gates, consent, sessions,
notes of concern and the chronology. Every write goes through a service; every read through a
need-to-know selector, audited."""

from cse_platform.accounts.models import User
from cse_platform.permissions import capability_permission
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.models import (
    Consent,
    NoteOfConcern,
    Plan,
    SeratAssessment,
    TeachingSession,
    TutorGroup,
    YoungPerson,
)
from safeguarding.rules.instruments import InstrumentKind
from safeguarding.rules.roles import Capability
from safeguarding.selectors.cases import (
    assessment_get,
    chronology,
    plan_get,
    young_person_get,
)
from safeguarding.selectors.concerns import concern_for, concerns_for, with_people_shown
from safeguarding.selectors.people import young_people_visible_to
from safeguarding.selectors.plans import plan_state
from safeguarding.services.assessments import quiz_decline, quiz_record, serat_submit
from safeguarding.services.concerns import concern_log, concern_review
from safeguarding.services.plans import consent_record, plan_agree, plan_item_complete, plan_option_choose
from safeguarding.services.sessions import session_record

C = Capability


# --- instruments in force ---------------------------------------------------------------------------


class ItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    allowed_scores = serializers.ListField(child=serializers.IntegerField())
    guidance = serializers.DictField(child=serializers.CharField(), source="guidance_map")


class InstrumentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    is_default = serializers.BooleanField()
    notice = serializers.CharField()
    bands = serializers.ListField(child=serializers.ListField())
    items = ItemSerializer(many=True)


def _instrument_data(version) -> dict:
    instrument = version.as_instrument()
    return {
        "kind": version.kind, "version": version.version, "title": version.title,
        "is_default": instrument.is_default, "notice": version.notice, "bands": version.bands,
        "items": [{"code": i.code, "title": i.name, "text": i.text, "allowed_scores": list(i.allowed_scores),
                   "guidance_map": {str(score): text for score, text in i.guidance}} for i in instrument.items],
    }


class InstrumentInForceViewSet(viewsets.ViewSet):
    """The SERAT and personal quiz in force, to fill in. Permission: serat.complete."""

    permission_classes = [capability_permission(C.SERAT_COMPLETE)]

    @extend_schema(responses=InstrumentSerializer(many=True))
    def list(self, request):
        versions = [instrument_in_force(kind=kind) for kind in InstrumentKind]
        return Response(InstrumentSerializer([_instrument_data(v) for v in versions], many=True).data)


# --- SERAT and quiz --------------------------------------------------------------------------------


class QuizSerializer(serializers.Serializer):
    status = serializers.CharField()
    total = serializers.IntegerField(allow_null=True)
    level = serializers.CharField()
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class AssessmentSerializer(serializers.ModelSerializer):
    instrument_version = serializers.IntegerField(source="instrument.version", read_only=True)
    assessed_by = serializers.CharField(source="assessed_by.full_name", read_only=True)
    quiz = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField()

    class Meta:
        model = SeratAssessment
        fields = ["id", "young_person", "answers", "total", "level", "instrument_version", "assessed_by",
                  "assessed_at", "reviews", "review_outcome", "quiz", "plan"]
        read_only_fields = fields

    @extend_schema(responses=QuizSerializer(allow_null=True))
    def get_quiz(self, assessment) -> dict | None:
        quiz = getattr(assessment, "quiz", None)
        return QuizSerializer(quiz).data if quiz else None

    def get_plan(self, assessment) -> int | None:
        plan = assessment.plans.filter(status="active").first()
        return plan.pk if plan else None


class SeratSubmitSerializer(serializers.Serializer):
    young_person = serializers.IntegerField()
    answers = serializers.DictField(help_text="Item code → score, for every item of the SERAT in force.")


class QuizSubmitSerializer(serializers.Serializer):
    answers = serializers.DictField()


class QuizDeclineSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """SERATs completed by staff. Permission: serat.complete to submit; case.read_assigned to read
    (need-to-know: staff only for the young people they work with)."""

    serializer_class = AssessmentSerializer
    queryset = SeratAssessment.objects.none()

    def get_permissions(self):
        capability = C.CASE_READ_ASSIGNED if self.action in ("retrieve", "list") else C.SERAT_COMPLETE
        return [capability_permission(capability)()]

    def get_object(self):
        return assessment_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(parameters=[], responses=AssessmentSerializer(many=True))
    def list(self, request):
        person = young_person_get(user=request.user, pk=_int_param(request, "young_person"))
        return Response(AssessmentSerializer(person.assessments.select_related("instrument", "assessed_by"),
                                             many=True).data)

    @extend_schema(request=SeratSubmitSerializer, responses={201: AssessmentSerializer})
    def create(self, request):
        data = _valid(SeratSubmitSerializer, request)
        person = young_person_get(user=request.user, pk=data["young_person"], purpose="serat.open")
        assessment = serat_submit(young_person=person, answers=data["answers"], assessor=request.user)
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=QuizSubmitSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def quiz(self, request, pk=None):
        assessment = self.get_object()
        quiz_record(assessment=assessment, answers=_valid(QuizSubmitSerializer, request)["answers"],
                    recorder=request.user)
        return Response(AssessmentSerializer(_fresh(assessment)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=QuizDeclineSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"], url_path="decline-quiz")
    def decline_quiz(self, request, pk=None):
        assessment = self.get_object()
        quiz_decline(assessment=assessment, recorder=request.user,
                     note=_valid(QuizDeclineSerializer, request)["note"])
        return Response(AssessmentSerializer(_fresh(assessment)).data, status=status.HTTP_201_CREATED)


# --- plans -----------------------------------------------------------------------------------------


class ChecklistRowSerializer(serializers.Serializer):
    code = serializers.CharField(source="item.code")
    text = serializers.CharField(source="item.text")
    expectation = serializers.CharField(source="item.expectation")
    done = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()
    blocked_reasons = serializers.ListField(child=serializers.CharField(), source="blocked.reasons")

    def get_done(self, row) -> bool:
        return row.record is not None

    def get_note(self, row) -> str:
        return row.record.note if row.record else ""


class ScuFactsSerializer(serializers.Serializer):
    advice_recorded = serializers.BooleanField()
    material_agreed = serializers.BooleanField()
    mase_authorises_without_consent = serializers.BooleanField()
    review_on = serializers.DateField(allow_null=True)


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="plan.pk")
    young_person = serializers.IntegerField(source="plan.young_person_id")
    assessment = serializers.IntegerField(source="plan.assessment_id")
    level = serializers.CharField(source="plan.level")
    status = serializers.CharField(source="plan.status")
    option = serializers.CharField(source="plan.option")
    agreed = serializers.BooleanField(source="plan.is_agreed")
    agreed_at = serializers.DateTimeField(source="plan.agreed_at")
    teaching_action = serializers.CharField(source="requirements.teaching_action")
    options = serializers.SerializerMethodField()
    group = serializers.CharField(source="requirements.group.value")
    consent_rule = serializers.CharField(source="requirements.consent.text")
    review_rule = serializers.CharField(source="requirements.review.text")
    checklist = ChecklistRowSerializer(many=True)
    consent = serializers.SerializerMethodField()
    scu = ScuFactsSerializer()
    session_blocked_reasons = serializers.ListField(child=serializers.CharField(), source="session_blockers.reasons")

    def get_options(self, state) -> list[str]:
        return [option.code for option in state.requirements.teaching_options]

    def get_consent(self, state) -> str:
        return state.consent.decision if state.consent else ""


class AgreeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OptionSerializer(serializers.Serializer):
    option = serializers.CharField()


class ItemDoneSerializer(serializers.Serializer):
    code = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class ConsentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consent
        fields = ["id", "young_person", "decision", "given_by", "relationship", "method", "decided_on", "note",
                  "recorded_at"]
        read_only_fields = ["id", "recorded_at"]
        extra_kwargs = {"young_person": {"queryset": YoungPerson.objects.all()}}


class SessionSerializer(serializers.ModelSerializer):
    participants = serializers.PrimaryKeyRelatedField(many=True, queryset=YoungPerson.objects.all(), required=False)
    tutor_group = serializers.PrimaryKeyRelatedField(queryset=TutorGroup.objects.all(), required=False,
                                                     allow_null=True)
    option = serializers.CharField(required=False, allow_blank=True, default="")
    delivered_by = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False,
        help_text="The member of staff who delivered it: yourself if left out; the DCPO may name anyone.")

    class Meta:
        model = TeachingSession
        fields = ["id", "option", "group", "tutor_group", "participants", "delivered_by", "held_on",
                  "preview_confirmed", "notes", "recorded_at"]
        read_only_fields = ["id", "recorded_at"]


class PlanViewSet(viewsets.GenericViewSet):
    """A young person's plan and everything done under it. Reading needs case.read_assigned and
    need-to-know; each action states its own capability."""

    serializer_class = PlanSerializer
    queryset = Plan.objects.none()
    capabilities = {
        "list": C.CASE_READ_ASSIGNED, "retrieve": C.CASE_READ_ASSIGNED, "agree": C.PLAN_AGREE,
        "choose_option": C.CASE_MANAGE, "complete_item": C.CASE_MANAGE, "consents": C.CONSENT_RECORD,
        "sessions": C.SESSION_RECORD,
    }

    def get_permissions(self):
        return [capability_permission(self.capabilities.get(self.action, C.CASE_MANAGE))()]

    def _plan(self, purpose="case.read"):
        return plan_get(user=self.request.user, pk=self.kwargs["pk"], purpose=purpose)

    def _state(self, plan):
        return PlanSerializer(plan_state(plan=_fresh_plan(plan), viewer=self.request.user)).data

    @extend_schema(responses=PlanSerializer(many=True))
    def list(self, request):
        """Plans of the young people you may see; `?awaiting_agreement=1` for the headteacher's list."""
        plans = Plan.objects.filter(young_person__in=young_people_visible_to(request.user), status="active")
        if request.query_params.get("awaiting_agreement"):
            plans = plans.filter(agreed_at__isnull=True)
        return Response([{"id": p.pk, "young_person": p.young_person_id, "level": p.level,
                          "agreed": p.is_agreed, "created_at": p.created_at} for p in plans.order_by("created_at")])

    @extend_schema(responses=PlanSerializer)
    def retrieve(self, request, pk=None):
        return Response(self._state(self._plan()))

    @extend_schema(request=AgreeSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        plan = plan_agree(plan=self._plan("plan.agree"), headteacher=request.user,
                          note=_valid(AgreeSerializer, request)["note"])
        return Response(self._state(plan))

    @extend_schema(request=OptionSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], url_path="choose-option")
    def choose_option(self, request, pk=None):
        plan = plan_option_choose(plan=self._plan("plan.option"), option=_valid(OptionSerializer, request)["option"],
                                  dcpo=request.user)
        return Response(self._state(plan))

    @extend_schema(request=ItemDoneSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], url_path="complete-item")
    def complete_item(self, request, pk=None):
        data = _valid(ItemDoneSerializer, request)
        plan = self._plan("plan.item")
        plan_item_complete(plan=plan, code=data["code"], note=data["note"], by=request.user)
        return Response(self._state(plan))

    @extend_schema(request=ConsentSerializer, responses={201: ConsentSerializer})
    @action(detail=True, methods=["post"])
    def consents(self, request, pk=None):
        plan = self._plan("consent.record")
        data = _valid(ConsentSerializer, request)
        consent = consent_record(plan=plan, recorder=request.user, **data)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SessionSerializer, responses={201: SessionSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        plan = self._plan("session.record")
        data = _valid(SessionSerializer, request)
        session = session_record(plan=plan, option=data.get("option") or None, group=data["group"],
                                 participants=data.get("participants") or [plan.young_person],
                                 tutor_group=data.get("tutor_group"),
                                 delivered_by=data.get("delivered_by") or request.user,
                                 held_on=data["held_on"], recorder=request.user,
                                 preview_confirmed=data.get("preview_confirmed", False), notes=data.get("notes", ""))
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


# --- notes of concern ------------------------------------------------------------------------------


class ConcernSerializer(serializers.ModelSerializer):
    young_person = serializers.PrimaryKeyRelatedField(queryset=YoungPerson.objects.all(), required=False,
                                                      allow_null=True)
    logged_by = serializers.CharField(source="logged_by.full_name", read_only=True)

    def to_representation(self, note):
        data = super().to_representation(note)
        # The author may not work with the young person the DCPO later linked the note to.
        shown = getattr(note, "person_shown", note.young_person)
        data["young_person"] = shown.pk if shown else None
        return data

    class Meta:
        model = NoteOfConcern
        fields = ["id", "young_person", "about", "source", "concern", "logged_by", "logged_at", "seen_at"]
        read_only_fields = ["id", "logged_by", "logged_at", "seen_at"]


class ConcernReviewSerializer(serializers.Serializer):
    young_person = serializers.PrimaryKeyRelatedField(queryset=YoungPerson.objects.all(), required=False,
                                                      allow_null=True)


class ConcernViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Notes of concern. Anyone with concern.log logs one; the DCPO sees all and reviews them;
    others see the notes they logged."""

    serializer_class = ConcernSerializer
    queryset = NoteOfConcern.objects.none()

    def get_permissions(self):
        return [capability_permission(C.CASE_MANAGE if self.action == "review" else C.CONCERN_LOG)()]

    def get_queryset(self):
        return concerns_for(self.request.user)

    def get_object(self):
        return concern_for(self.request.user, int(self.kwargs["pk"]))

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(with_people_shown(request.user, page), many=True).data)

    @extend_schema(request=ConcernSerializer, responses={201: ConcernSerializer})
    def create(self, request):
        data = _valid(ConcernSerializer, request)
        note = concern_log(author=request.user, **data)
        return Response(ConcernSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConcernReviewSerializer, responses=ConcernSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        note = concern_review(note=self.get_object(), dcpo=request.user,
                              young_person=_valid(ConcernReviewSerializer, request).get("young_person"))
        return Response(ConcernSerializer(note).data)


# --- chronology ------------------------------------------------------------------------------------


class ChronologyEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    by = serializers.CharField()


class ChronologyViewSet(viewsets.GenericViewSet):
    """A young person's chronology, newest first. Permission: case.read_assigned, need-to-know."""

    permission_classes = [capability_permission(C.CASE_READ_ASSIGNED)]
    queryset = YoungPerson.objects.none()
    serializer_class = ChronologyEntrySerializer

    @extend_schema(responses=ChronologyEntrySerializer(many=True))
    def retrieve(self, request, pk=None):
        person = young_person_get(user=request.user, pk=pk, purpose="chronology.read")
        return Response(ChronologyEntrySerializer(chronology(young_person=person, viewer=request.user),
                                                many=True).data)


# --- helpers ---------------------------------------------------------------------------------------


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _int_param(request, name: str) -> int:
    try:
        return int(request.query_params[name])
    except (KeyError, ValueError):
        raise serializers.ValidationError({name: ["Give the young person's id."]}) from None


def _fresh(assessment: SeratAssessment) -> SeratAssessment:
    return SeratAssessment.objects.select_related("instrument", "assessed_by").get(pk=assessment.pk)


def _fresh_plan(plan: Plan) -> Plan:
    return Plan.objects.select_related("young_person", "assessment").get(pk=plan.pk)


ROUTES = [
    ("instruments-in-force", InstrumentInForceViewSet, "instrument-in-force"),
    ("serat-assessments", AssessmentViewSet, "serat-assessment"),
    ("plans", PlanViewSet, "plan"),
    ("concerns", ConcernViewSet, "concern"),
    ("chronologies", ChronologyViewSet, "chronology"),
]

