"""Governors and the framework over the API. These routes are on both hosts' routers; each viewset
answers on its own host only and is a 404 on the other.

School host: the framework in force (framework.read), the school's anonymous figures
(school_figures.read), the school's acknowledgements (framework.read) and a governor's acknowledgement
(framework.acknowledge). Central host: oversight of every school and the framework's versions
(authority admin: schools.manage).
"""

from cse_platform.accounts.schemas import current_audience
from cse_platform.permissions import capability_permission
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Audience, Capability
from scu_portal.models import FrameworkVersion, GovernorAcknowledgement
from scu_portal.selectors.governance import (
    NoFrameworkVersionInForce,
    framework_levels,
    framework_version_in_force,
    framework_versions,
    governance_oversight,
    school_acknowledgements,
    school_figures,
)
from scu_portal.services.governance import framework_version_publish, governor_acknowledge


class HostOnlyMixin:
    """Answer on one host only; anywhere else the endpoint does not exist (404), before anything else."""

    audience: Audience

    def initial(self, request, *args, **kwargs):
        if current_audience() != self.audience:
            raise NotFound()
        super().initial(request, *args, **kwargs)


def version_in_force_or_404() -> FrameworkVersion:
    try:
        return framework_version_in_force()
    except NoFrameworkVersionInForce as missing:
        raise NotFound(str(missing)) from missing


class FrameworkVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FrameworkVersion
        fields = ["version", "title", "summary", "published_at"]
        read_only_fields = ["published_at"]


class FrameworkProcessSerializer(serializers.Serializer):
    text = serializers.CharField()
    required = serializers.BooleanField()


class FrameworkLevelSerializer(serializers.Serializer):
    level = serializers.CharField(source="level.value")
    label = serializers.CharField()
    colour = serializers.CharField()
    minimum = serializers.IntegerField(help_text="The lowest SERAT score at this level.")
    maximum = serializers.IntegerField(help_text="The highest SERAT score at this level.")
    teaching_action = serializers.CharField(source="plan.teaching_action")
    group = serializers.CharField(source="plan.group.label")
    processes = FrameworkProcessSerializer(source="plan.processes", many=True)
    consent = serializers.CharField(source="plan.consent.text")
    consent_if_refused = serializers.CharField(source="plan.consent.if_refused")
    review = serializers.CharField(source="plan.review.text")
    quiz_required = serializers.BooleanField(source="plan.quiz_required")
    awaits_scu_advice = serializers.BooleanField(source="plan.awaits_scu_advice")


class FrameworkSerializer(FrameworkVersionSerializer):
    levels = serializers.SerializerMethodField()

    class Meta(FrameworkVersionSerializer.Meta):
        fields = [*FrameworkVersionSerializer.Meta.fields, "levels"]

    @extend_schema_field(FrameworkLevelSerializer(many=True))
    def get_levels(self, obj) -> list[dict]:
        return FrameworkLevelSerializer(framework_levels(), many=True).data


class SchoolLevelCountSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices())
    count = serializers.IntegerField()


class SchoolFiguresSerializer(serializers.Serializer):
    at_level = SchoolLevelCountSerializer(many=True)
    not_assessed = serializers.IntegerField()
    open_reviews = serializers.IntegerField()


class FrameworkViewSet(HostOnlyMixin, viewsets.GenericViewSet):
    """The framework in force, at a school. Permission: framework.read; figures: school_figures.read."""

    audience = Audience.SCHOOL
    serializer_class = FrameworkSerializer
    queryset = FrameworkVersion.objects.none()

    def get_permissions(self):
        needed = Capability.SCHOOL_FIGURES_READ if self.action == "figures" else Capability.FRAMEWORK_READ
        return [capability_permission(needed)()]

    @extend_schema(responses=FrameworkSerializer)
    def list(self, request):
        """The version in force, with what each level requires (from the framework's rules)."""
        return Response(FrameworkSerializer(version_in_force_or_404()).data)

    @extend_schema(responses=SchoolFiguresSerializer)
    @action(detail=False, methods=["get"])
    def figures(self, request):
        """The school's anonymous figures: young people at each current level, and open reviews."""
        figures = school_figures()
        data = {
            "at_level": [{"level": level.value, "count": count} for level, count in figures.at_level],
            "not_assessed": figures.not_assessed,
            "open_reviews": figures.open_reviews,
        }
        return Response(SchoolFiguresSerializer(data).data)


class GovernorAcknowledgementSerializer(serializers.ModelSerializer):
    version = serializers.CharField(source="framework_version.version")

    class Meta:
        model = GovernorAcknowledgement
        fields = ["id", "version", "governor_name", "governor_email", "statement", "acknowledged_at"]


class FrameworkAcknowledgeSerializer(serializers.Serializer):
    version = serializers.CharField(
        required=False, help_text="The version the governor read; refused (409) if it is no longer in force."
    )


class AcknowledgementViewSet(HostOnlyMixin, viewsets.GenericViewSet):
    """A school's governors' acknowledgements. Read: framework.read; acknowledge: framework.acknowledge."""

    audience = Audience.SCHOOL
    serializer_class = GovernorAcknowledgementSerializer
    queryset = GovernorAcknowledgement.objects.none()

    def get_permissions(self):
        needed = Capability.FRAMEWORK_ACKNOWLEDGE if self.action == "create" else Capability.FRAMEWORK_READ
        return [capability_permission(needed)()]

    def get_queryset(self):
        return school_acknowledgements(school=self.request.tenant).select_related("framework_version")

    @extend_schema(responses=GovernorAcknowledgementSerializer(many=True))
    def list(self, request):
        """Every acknowledgement at this school, newest first."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(GovernorAcknowledgementSerializer(page, many=True).data)

    @extend_schema(request=FrameworkAcknowledgeSerializer, responses={201: GovernorAcknowledgementSerializer})
    def create(self, request):
        """Acknowledge the framework version in force, as the signed-in governor (once per version)."""
        incoming = FrameworkAcknowledgeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        acknowledgement = governor_acknowledge(
            school=request.tenant, governor=request.user, version=incoming.validated_data.get("version")
        )
        return Response(GovernorAcknowledgementSerializer(acknowledgement).data, status=status.HTTP_201_CREATED)


class GovernorAcknowledgementLineSerializer(serializers.Serializer):
    governor_name = serializers.CharField()
    governor_email = serializers.EmailField()
    acknowledged_at = serializers.DateTimeField()


class SchoolGovernanceSerializer(serializers.Serializer):
    school = serializers.CharField(source="school.slug")
    school_name = serializers.CharField(source="school.name")
    acknowledged = serializers.BooleanField()
    acknowledgements = GovernorAcknowledgementLineSerializer(many=True)
    earlier_versions = serializers.ListField(child=serializers.CharField())


class GovernanceOversightSerializer(serializers.Serializer):
    version = FrameworkVersionSerializer()
    schools = SchoolGovernanceSerializer(many=True)


class OversightViewSet(HostOnlyMixin, viewsets.GenericViewSet):
    """Whether each active school's governors have acknowledged the version in force.
    Permission: authority admin (schools.manage)."""

    audience = Audience.CENTRAL
    permission_classes = [capability_permission(Capability.SCHOOLS_MANAGE)]
    serializer_class = GovernanceOversightSerializer
    queryset = FrameworkVersion.objects.none()

    @extend_schema(responses=GovernanceOversightSerializer)
    def list(self, request):
        version_in_force_or_404()
        return Response(GovernanceOversightSerializer(governance_oversight()).data)


class FrameworkVersionViewSet(HostOnlyMixin, viewsets.GenericViewSet):
    """The framework's published versions; publishing one puts it in force.
    Permission: authority admin (schools.manage)."""

    audience = Audience.CENTRAL
    permission_classes = [capability_permission(Capability.SCHOOLS_MANAGE)]
    serializer_class = FrameworkVersionSerializer
    queryset = FrameworkVersion.objects.none()

    def get_queryset(self):
        return framework_versions()

    @extend_schema(responses=FrameworkVersionSerializer(many=True))
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(FrameworkVersionSerializer(page, many=True).data)

    @extend_schema(request=FrameworkVersionSerializer, responses={201: FrameworkVersionSerializer})
    def create(self, request):
        """Publish a new version: every school's governors then need to acknowledge it."""
        incoming = FrameworkVersionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        published = framework_version_publish(actor=request.user, **incoming.validated_data)
        return Response(FrameworkVersionSerializer(published).data, status=status.HTTP_201_CREATED)


ROUTES = [
    ("framework", FrameworkViewSet, "framework"),
    ("framework-acknowledgements", AcknowledgementViewSet, "framework-acknowledgement"),
    ("governance-oversight", OversightViewSet, "governance-oversight"),
    ("framework-versions", FrameworkVersionViewSet, "framework-version"),
]
