"""API routes of this area: (prefix, viewset, basename).

Young people (list, search, read, create, edit), the MIS import, staff links and tutor groups, at a school's host.
Need-to-know: staff see the young people they work with, the DCPO and the headteacher see all; a school
administrator sees every young person's identity and nothing of any case (no level).
"""

from cse_platform.accounts.models import User
from cse_platform.audit.services import audit_record
from cse_platform.permissions import capability_permission
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from safeguarding.models import TutorGroup, YoungPerson
from safeguarding.rules.roles import Capability
from safeguarding.selectors.people import (
    case_reader,
    current_level,
    staff_linkable,
    tutor_group_list,
    young_people_found,
    young_people_manageable_by,
)
from safeguarding.services.imports import mis_import, mis_upload_read
from safeguarding.services.people import (
    tutor_group_create,
    tutor_group_update,
    young_person_create,
    young_person_staff_set,
    young_person_update,
)

C = Capability
READ_PEOPLE = capability_permission(C.CASE_READ_ASSIGNED, C.SCHOOL_ADMINISTER)
MANAGE_PEOPLE = capability_permission(C.CASE_MANAGE, C.SCHOOL_ADMINISTER)
READ_GROUPS = capability_permission(C.SCHOOL_ADMINISTER, C.CASE_MANAGE)
MANAGE_GROUPS = capability_permission(C.SCHOOL_ADMINISTER)


# Serializers -------------------------------------------------------------------------------------------------


class StaffBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    role = serializers.CharField()
    is_active = serializers.BooleanField()


class YoungPersonSerializer(serializers.ModelSerializer):
    """A young person's identity: what a school administrator sees."""

    tutor_group_name = serializers.CharField(source="tutor_group.name", read_only=True, default=None)

    class Meta:
        model = YoungPerson
        fields = ["id", "upn", "first_name", "last_name", "date_of_birth", "year_group", "tutor_group",
                  "tutor_group_name"]
        read_only_fields = fields


class YoungPersonCaseSerializer(YoungPersonSerializer):
    """Identity and the current level: what staff, the DCPO and the headteacher see."""

    current_level = serializers.SerializerMethodField()

    class Meta(YoungPersonSerializer.Meta):
        fields = [*YoungPersonSerializer.Meta.fields, "current_level"]
        read_only_fields = fields

    def get_current_level(self, person) -> str | None:
        level = current_level(person)
        return level.value if level else None


class YoungPersonInputSerializer(serializers.Serializer):
    upn = serializers.CharField(max_length=20, allow_blank=True)
    first_name = serializers.CharField(allow_blank=True)
    last_name = serializers.CharField(allow_blank=True)
    date_of_birth = serializers.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    year_group = serializers.IntegerField()
    tutor_group = serializers.PrimaryKeyRelatedField(queryset=TutorGroup.objects.all(), allow_null=True,
                                                     required=False)


class StaffLinksInputSerializer(serializers.Serializer):
    staff = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True)


class StaffLinksSerializer(serializers.Serializer):
    staff = StaffBriefSerializer(many=True, help_text="Staff linked to the young person directly.")
    tutor_group_staff = StaffBriefSerializer(many=True, help_text="Staff who see them through their tutor group.")


class ImportInputSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, help_text="A CSV export of the MIS: UPN, forename, surname, "
                                                                  "date of birth, year group, tutor group.")


class RowReportSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    upn = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField())


class ImportReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    check_only = serializers.BooleanField()
    saved = serializers.BooleanField()
    summary = serializers.CharField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    tutor_groups_created = serializers.ListField(child=serializers.CharField())
    columns_ignored = serializers.ListField(child=serializers.CharField())
    refused = RowReportSerializer(many=True)


class TutorGroupSerializer(serializers.ModelSerializer):
    young_people_count = serializers.IntegerField(read_only=True)
    staff = StaffBriefSerializer(many=True, read_only=True)

    class Meta:
        model = TutorGroup
        fields = ["id", "name", "year_group", "young_people_count", "staff"]
        read_only_fields = fields


class TutorGroupInputSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    year_group = serializers.IntegerField()
    staff = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)


# Views -------------------------------------------------------------------------------------------------------

SEARCH_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words of a name, or the start of a UPN."),
    OpenApiParameter("tutor_group", OpenApiTypes.INT, description="A tutor group's id."),
    OpenApiParameter("year_group", OpenApiTypes.INT, description="A year group, 7 to 14."),
]


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


@extend_schema_view(
    list=extend_schema(parameters=SEARCH_PARAMETERS, responses=YoungPersonCaseSerializer(many=True),
                       description="Young people the user may see, by surname. Staff: those they work with; DCPO "
                                   "and headteacher: all; school administrator: all, identity only (no "
                                   "`current_level`). Permission: case.read_assigned or school.administer."),
    retrieve=extend_schema(responses=YoungPersonCaseSerializer,
                           description="One young person, within need-to-know (others: 404). Permission: "
                                       "case.read_assigned or school.administer."),
    create=extend_schema(request=YoungPersonInputSerializer, responses={201: YoungPersonSerializer},
                         description="Permission: case.manage (DCPO) or school.administer."),
    update=extend_schema(request=YoungPersonInputSerializer, responses=YoungPersonSerializer,
                         description="Permission: case.manage (DCPO) or school.administer."),
    partial_update=extend_schema(request=YoungPersonInputSerializer(partial=True), responses=YoungPersonSerializer,
                                 description="Permission: case.manage (DCPO) or school.administer."),
)
class YoungPersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Young people of this school. Reads: case.read_assigned or school.administer; writes, the MIS import and
    staff links: case.manage (DCPO) or school.administer."""

    queryset = YoungPerson.objects.none()

    def get_permissions(self):
        return [(READ_PEOPLE if self.action in ("list", "retrieve") else MANAGE_PEOPLE)()]

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return YoungPersonInputSerializer
        return YoungPersonCaseSerializer if case_reader(self.request.user) else YoungPersonSerializer

    def get_queryset(self):
        user = self.request.user
        if self.action in ("list", "retrieve"):
            return young_people_found(
                user,
                q=self.request.query_params.get("q", "") if self.action == "list" else "",
                tutor_group_id=_int_param(self.request, "tutor_group") if self.action == "list" else None,
                year_group=_int_param(self.request, "year_group") if self.action == "list" else None,
            )
        return young_people_manageable_by(user).select_related("tutor_group")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        audit_record(actor=request.user, action="young_people.list", subject_type="safeguarding.youngperson",
                     detail={"shown": [person.pk for person in page], "searched": bool(request.query_params)})
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        audit_record(actor=request.user, action="young_person.read_identity", subject=person,
                     young_person_id=person.pk)
        return Response(self.get_serializer(person).data)

    def _output(self, person: YoungPerson, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(YoungPersonSerializer(person).data, status=status_code)

    def create(self, request, *args, **kwargs):
        data = YoungPersonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = young_person_create(actor=request.user, **data.validated_data)
        return self._output(person, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        person = self.get_object()
        partial = kwargs.pop("partial", False)
        data = YoungPersonInputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        fields = {name: getattr(person, name) for name in YoungPersonInputSerializer().fields}
        fields.update(data.validated_data)
        person = young_person_update(actor=request.user, young_person=person, **fields)
        return self._output(person)

    @extend_schema(
        request={"multipart/form-data": ImportInputSerializer},
        parameters=[OpenApiParameter("check", OpenApiTypes.BOOL, description="1: check the file only, save "
                                                                              "nothing (a dry run).")],
        responses={200: OpenApiResponse(ImportReportSerializer, description="Checked: nothing saved."),
                   201: OpenApiResponse(ImportReportSerializer, description="Every row saved."),
                   400: OpenApiResponse(ImportReportSerializer, description="Rows refused, nothing saved; or "
                                                                            "`{\"file\": [...]}` for a bad file.")},
        description="Import young people and tutor groups from a CSV export of the MIS, all rows or none. "
                    "Permission: case.manage (DCPO) or school.administer.",
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def mis_import(self, request):
        data = ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        check_only = request.query_params.get("check", "").lower() in ("1", "true", "yes")
        report = mis_import(actor=request.user, content=mis_upload_read(upload), filename=upload.name,
                            check_only=check_only)
        code = (status.HTTP_400_BAD_REQUEST if not report.ok
                else status.HTTP_201_CREATED if report.saved else status.HTTP_200_OK)
        return Response(ImportReportSerializer(report.as_dict()).data, status=code)

    def _links(self, person: YoungPerson) -> Response:
        group_staff = person.tutor_group.staff.all() if person.tutor_group else User.objects.none()
        return Response(StaffLinksSerializer({"staff": person.staff.all(), "tutor_group_staff": group_staff}).data)

    @extend_schema(methods=["get"], responses=StaffLinksSerializer,
                   description="Who works with this young person. Permission: case.manage or school.administer.")
    @extend_schema(methods=["put"], request=StaffLinksInputSerializer, responses=StaffLinksSerializer,
                   description="Set the staff linked to this young person directly. Permission: case.manage or "
                               "school.administer.")
    @action(detail=True, methods=["get", "put"], url_path="staff")
    def staff(self, request, pk=None):
        person = self.get_object()
        audit_record(actor=request.user, action="young_person.read_identity", subject=person,
                     young_person_id=person.pk)
        if request.method == "PUT":
            data = StaffLinksInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            young_person_staff_set(actor=request.user, young_person=person, staff=data.validated_data["staff"])
        return self._links(person)


@extend_schema_view(
    list=extend_schema(responses=TutorGroupSerializer(many=True),
                       description="Permission: school.administer or case.manage."),
    retrieve=extend_schema(responses=TutorGroupSerializer, description="Permission: school.administer or "
                                                                       "case.manage."),
    create=extend_schema(request=TutorGroupInputSerializer, responses={201: TutorGroupSerializer},
                         description="Permission: school.administer."),
    update=extend_schema(request=TutorGroupInputSerializer, responses=TutorGroupSerializer,
                         description="Permission: school.administer."),
    partial_update=extend_schema(request=TutorGroupInputSerializer(partial=True), responses=TutorGroupSerializer,
                                 description="Permission: school.administer."),
)
class TutorGroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Tutor groups and the staff who work with each. Reads: school.administer or case.manage; writes:
    school.administer."""

    serializer_class = TutorGroupSerializer
    pagination_class = None

    def get_permissions(self):
        return [(READ_GROUPS if self.action in ("list", "retrieve") else MANAGE_GROUPS)()]

    def get_queryset(self):
        return tutor_group_list().prefetch_related("staff")

    def _output(self, group: TutorGroup, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(TutorGroupSerializer(get_object_or_404(self.get_queryset(), pk=group.pk)).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        data = TutorGroupInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        group = tutor_group_create(actor=request.user, **data.validated_data)
        return self._output(group, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        group = self.get_object()
        data = TutorGroupInputSerializer(data=request.data, partial=kwargs.pop("partial", False))
        data.is_valid(raise_exception=True)
        values = {"name": group.name, "year_group": group.year_group, **data.validated_data}
        group = tutor_group_update(actor=request.user, tutor_group=group, **values)
        return self._output(group)


class LinkableStaffViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Accounts that can be linked to young people and tutor groups (active members of staff). Permission:
    case.manage or school.administer."""

    serializer_class = StaffBriefSerializer
    permission_classes = [MANAGE_PEOPLE]
    pagination_class = None

    def get_queryset(self):
        return staff_linkable()


ROUTES = [
    ("young-people", YoungPersonViewSet, "young-person"),
    ("tutor-groups", TutorGroupViewSet, "tutor-group"),
    ("linkable-staff", LinkableStaffViewSet, "linkable-staff"),
]
