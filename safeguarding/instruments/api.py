"""The authority's instruments over the API (central portal only).

Permission: authority admin (instruments.manage), for every action.
"""

from cse_platform.permissions import capability_permission
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from safeguarding.rules.instruments import InstrumentKind
from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Capability

from .models import InstrumentVersion
from .selectors import (
    NoInstrumentInForce,
    instrument_in_force,
    instrument_in_force_ids,
    instrument_version_max_total,
    instrument_versions,
)
from .services import (
    instrument_draft_create,
    instrument_draft_update,
    instrument_publish,
    instrument_publish_decision,
    instrument_retire,
)
from .templatetags.instrument_tags import is_default_instrument

KIND_CHOICES = InstrumentKind.choices()  # named by the API schema's ENUM_NAME_OVERRIDES (settings)


class InstrumentItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField()
    allowed_scores = serializers.ListField(child=serializers.IntegerField())
    guidance = serializers.DictField(child=serializers.CharField(), required=False,
                                     help_text='What each score means: {"0": "No concern.", ...}')


class InstrumentBandSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices())
    minimum = serializers.IntegerField()
    maximum = serializers.IntegerField()


class InstrumentVersionSerializer(serializers.ModelSerializer):
    items = InstrumentItemSerializer(many=True)
    bands = serializers.SerializerMethodField()
    is_default = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()
    max_total = serializers.SerializerMethodField()
    publishable = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()

    class Meta:
        model = InstrumentVersion
        fields = ["id", "kind", "version", "title", "status", "in_force", "is_default", "notice", "items", "bands",
                  "max_total", "publishable", "problems", "created_at", "published_at"]

    @extend_schema_field(InstrumentBandSerializer(many=True))
    def get_bands(self, obj) -> list[dict]:
        return [{"level": level, "minimum": low, "maximum": high} for level, low, high in obj.bands]

    def get_is_default(self, obj) -> bool:
        return is_default_instrument(obj)

    def get_in_force(self, obj) -> bool:
        in_force = self.context.setdefault("in_force", instrument_in_force_ids())
        return in_force.get(obj.kind) == obj.pk

    def get_max_total(self, obj) -> int | None:
        return instrument_version_max_total(obj)

    def get_publishable(self, obj) -> bool:
        return obj.status == "draft" and instrument_publish_decision(obj).allowed

    def get_problems(self, obj) -> list[str]:
        """For a draft, what stops it being published (empty if nothing does)."""
        return list(instrument_publish_decision(obj).reasons) if obj.status == "draft" else []


class InstrumentDraftCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    copy_of = serializers.PrimaryKeyRelatedField(queryset=InstrumentVersion.objects.all(), required=False,
                                                 allow_null=True, help_text="The id of a version to copy.")
    items = InstrumentItemSerializer(many=True, required=False)
    bands = InstrumentBandSerializer(many=True, required=False)


class InstrumentDraftUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    items = InstrumentItemSerializer(many=True, required=False)
    bands = InstrumentBandSerializer(many=True, required=False)


class InstrumentRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("kind", enum=[k.value for k in InstrumentKind])]),
)
class InstrumentVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Versions of the SERAT and the personal quiz. Permission: authority admin (instruments.manage)."""

    permission_classes = [capability_permission(Capability.INSTRUMENTS_MANAGE)]
    serializer_class = InstrumentVersionSerializer
    queryset = InstrumentVersion.objects.none()

    def get_queryset(self):
        return instrument_versions(kind=self.request.query_params.get("kind"))

    def _created(self, version, code=status.HTTP_200_OK):
        return Response(InstrumentVersionSerializer(version, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=InstrumentDraftCreateSerializer, responses={201: InstrumentVersionSerializer})
    def create(self, request):
        """Create a draft: empty, a copy of another version of the same kind, or with the items given."""
        incoming = InstrumentDraftCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        draft = instrument_draft_create(
            kind=data["kind"], actor=request.user, title=data.get("title", ""), copy_of=data.get("copy_of"),
            items=data.get("items"), bands=data.get("bands"),
        )
        return self._created(draft, status.HTTP_201_CREATED)

    @extend_schema(request=InstrumentDraftUpdateSerializer,
                   responses={200: InstrumentVersionSerializer, 409: InstrumentRefusalSerializer})
    def partial_update(self, request, pk=None):
        """Change a draft's title, items or thresholds. A published or retired version: 409."""
        incoming = InstrumentDraftUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        version = instrument_draft_update(
            version=self.get_object(), actor=request.user, title=data.get("title"), items=data.get("items"),
            bands=data.get("bands"),
        )
        return self._created(version)

    @extend_schema(request=None, responses={200: InstrumentVersionSerializer, 409: InstrumentRefusalSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish a draft: it becomes the version in force. Refused (409, every reason) unless the rules allow."""
        return self._created(instrument_publish(version=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses={200: InstrumentVersionSerializer, 409: InstrumentRefusalSerializer})
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        """Retire a draft, or a version no longer in force. The version in force: 409."""
        return self._created(instrument_retire(version=self.get_object(), actor=request.user))

    @extend_schema(
        parameters=[OpenApiParameter("kind", enum=[k.value for k in InstrumentKind], required=True)],
        responses=InstrumentVersionSerializer,
    )
    @action(detail=False, methods=["get"], url_path="in-force")
    def in_force(self, request):
        """The version of one kind that schools use now."""
        try:
            version = instrument_in_force(kind=InstrumentKind(request.query_params.get("kind", "")))
        except (ValueError, NoInstrumentInForce) as missing:
            raise Http404(str(missing)) from missing
        return self._created(version)


ROUTES = [("instruments", InstrumentVersionViewSet, "instrument")]
