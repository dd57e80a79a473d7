from cse_platform.permissions import capability_permission
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from safeguarding.rules.roles import Capability

from .models import School
from .selectors import school_list
from .services import domain_for, school_archive, school_provision


class SchoolSerializer(serializers.ModelSerializer):
    domain = serializers.SerializerMethodField()

    class Meta:
        model = School
        fields = ["slug", "name", "urn", "kind", "status", "domain", "created_at", "archived_at"]
        read_only_fields = ["status", "created_at", "archived_at"]

    def get_domain(self, school) -> str:
        return domain_for(school.slug)

    def create(self, validated_data):
        return school_provision(**validated_data)


class SchoolViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    """Schools of the authority. Permission: authority admin (schools.manage)."""

    permission_classes = [capability_permission(Capability.SCHOOLS_MANAGE)]
    serializer_class = SchoolSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return school_list(include_archived=True)

    @extend_schema(request=None, responses=SchoolSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, slug=None):
        school = school_archive(school=self.get_object())
        return Response(self.get_serializer(school).data, status=status.HTTP_200_OK)


ROUTES = [("schools", SchoolViewSet, "school")]
