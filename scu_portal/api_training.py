"""The authority's training register over the API (central portal only).

Permission: authority admin (training.manage), for every action.
"""

from cse_platform.permissions import capability_permission
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from safeguarding.rules.roles import Capability
from scu_portal.models import TrainingRecord
from scu_portal.selectors.training import training_record_is_current, training_record_list
from scu_portal.services.training import (
    DEFAULT_COURSE,
    training_record_create,
    training_record_delete,
    training_record_update,
)
from tenants.models import School


class TrainingRecordSerializer(serializers.ModelSerializer):
    school = serializers.SlugRelatedField(slug_field="slug", queryset=School.objects.all())
    course = serializers.CharField(max_length=200, required=False, default=DEFAULT_COURSE)
    current = serializers.SerializerMethodField()

    class Meta:
        model = TrainingRecord
        fields = ["id", "school", "staff_name", "staff_email", "course", "completed_on", "expires_on", "current",
                  "recorded_at"]
        read_only_fields = ["recorded_at"]

    def get_current(self, record) -> bool:
        """Whether the record counts today (completed, and not expired)."""
        return training_record_is_current(record, on=timezone.localdate())


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("school", description="A school's slug."),
        OpenApiParameter("q", description="Part of a name or email address."),
    ]),
)
class TrainingRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                            mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The register of staff who completed the authority's detailed training.
    Permission: authority admin (training.manage)."""

    permission_classes = [capability_permission(Capability.TRAINING_MANAGE)]
    serializer_class = TrainingRecordSerializer
    queryset = TrainingRecord.objects.none()

    def get_queryset(self):
        slug = self.request.query_params.get("school")
        school = None
        if slug:
            school = School.objects.filter(slug=slug).first()
            if school is None:
                return TrainingRecord.objects.none()
        return training_record_list(school=school, search=self.request.query_params.get("q", ""))

    def create(self, request, *args, **kwargs):
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        record = training_record_create(actor=request.user, **incoming.validated_data)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        record = self.get_object()
        incoming = self.get_serializer(record, data=request.data, partial=kwargs.pop("partial", False))
        incoming.is_valid(raise_exception=True)
        record = training_record_update(record=record, actor=request.user, **incoming.validated_data)
        return Response(self.get_serializer(record).data)

    def destroy(self, request, *args, **kwargs):
        training_record_delete(record=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


ROUTES = [("training-records", TrainingRecordViewSet, "training-record")]
