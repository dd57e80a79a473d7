"""API routes of this area at a school's host: (prefix, viewset, basename).

Staff accounts and the term calendar, kept by the school administrator (FRAMEWORK.md §5).
"""

from cse_platform.accounts.models import User
from cse_platform.accounts.staff import (
    school_roles,
    staff_account_create,
    staff_account_deactivate,
    staff_account_list,
    staff_account_reactivate,
    staff_account_set_password_link,
    staff_account_update,
)
from cse_platform.permissions import capability_permission
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from safeguarding.rules.roles import Capability

from .models import School, TermHoliday
from .services_calendar import term_holiday_create, term_holiday_delete, term_holiday_list, term_holiday_update

C = Capability
ADMINISTER = capability_permission(C.SCHOOL_ADMINISTER)
READ_CALENDAR = capability_permission(C.SCHOOL_ADMINISTER, C.CASE_READ_ASSIGNED)


# Staff accounts ---------------------------------------------------------------------------------------------


class StaffAccountSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True)
    role_label = serializers.CharField(source="role_enum.label", read_only=True)
    has_password = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "role_label", "is_active", "has_password", "date_joined",
                  "last_login"]
        read_only_fields = fields

    def get_has_password(self, user) -> bool:
        return user.has_usable_password()


class StaffAccountCreatedSerializer(StaffAccountSerializer):
    set_password_url = serializers.CharField(read_only=True, help_text="A link is also emailed to the member of "
                                                                       "staff; give them this one if it does not "
                                                                       "arrive. They choose their password there.")

    class Meta(StaffAccountSerializer.Meta):
        fields = [*StaffAccountSerializer.Meta.fields, "set_password_url"]
        read_only_fields = fields


class StaffAccountInputSerializer(serializers.Serializer):
    email = serializers.CharField(allow_blank=True)
    full_name = serializers.CharField(allow_blank=True)
    role = serializers.ChoiceField(choices=[(role.value, role.label) for role in school_roles()])


class StaffAccountUpdateSerializer(serializers.Serializer):
    full_name = serializers.CharField(allow_blank=True, required=False)
    role = serializers.ChoiceField(choices=[(role.value, role.label) for role in school_roles()], required=False)


class SetPasswordLinkSerializer(serializers.Serializer):
    set_password_url = serializers.CharField()


@extend_schema_view(
    list=extend_schema(description="The school's accounts. Permission: school.administer."),
    retrieve=extend_schema(description="Permission: school.administer."),
    create=extend_schema(request=StaffAccountInputSerializer, responses={201: StaffAccountCreatedSerializer},
                         description="A new account with no password; a set-password link is emailed to its owner and "
                                     "returned, to give them if the email does not arrive. "
                                     "Only the school's roles. Permission: school.administer."),
    partial_update=extend_schema(request=StaffAccountUpdateSerializer, responses=StaffAccountSerializer,
                                 description="Change a name or a role. Permission: school.administer."),
)
class StaffAccountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The school's staff accounts. Permission: school.administer."""

    permission_classes = [ADMINISTER]
    serializer_class = StaffAccountSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return staff_account_list()

    def _link(self, request, path: str) -> str:
        return request.build_absolute_uri(path)

    def create(self, request, *args, **kwargs):
        data = StaffAccountInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = staff_account_create(actor=request.user, **data.validated_data)
        user.set_password_url = self._link(request, staff_account_set_password_link(actor=request.user, user=user))
        return Response(StaffAccountCreatedSerializer(user).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        user = self.get_object()
        data = StaffAccountUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {"full_name": user.full_name, "role": user.role, **data.validated_data}
        user = staff_account_update(actor=request.user, user=user, **values)
        return Response(StaffAccountSerializer(user).data)

    @extend_schema(request=None, responses=StaffAccountSerializer,
                   description="The account can no longer sign in; its sessions and token end. Permission: "
                               "school.administer.")
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        user = staff_account_deactivate(actor=request.user, user=self.get_object())
        return Response(StaffAccountSerializer(user).data)

    @extend_schema(request=None, responses=StaffAccountSerializer, description="Permission: school.administer.")
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        user = staff_account_reactivate(actor=request.user, user=self.get_object())
        return Response(StaffAccountSerializer(user).data)

    @extend_schema(request=None, responses=SetPasswordLinkSerializer,
                   description="A new set-password link for an active account, emailed to its owner and returned. "
                               "Permission: school.administer.")
    @action(detail=True, methods=["post"], url_path="set-password-link")
    def set_password_link(self, request, pk=None):
        path = staff_account_set_password_link(actor=request.user, user=self.get_object())
        return Response(SetPasswordLinkSerializer({"set_password_url": self._link(request, path)}).data)


# Term calendar ---------------------------------------------------------------------------------------------


class TermHolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = TermHoliday
        fields = ["id", "name", "starts_on", "ends_on"]
        read_only_fields = fields


class TermHolidayInputSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    starts_on = serializers.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    ends_on = serializers.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])


@extend_schema_view(
    list=extend_schema(description="This school's holidays. Permission: school.administer or "
                                   "case.read_assigned."),
    retrieve=extend_schema(description="Permission: school.administer or case.read_assigned."),
    create=extend_schema(request=TermHolidayInputSerializer, responses={201: TermHolidaySerializer},
                         description="Open reviews are recounted. Permission: school.administer."),
    update=extend_schema(request=TermHolidayInputSerializer, responses=TermHolidaySerializer,
                         description="Open reviews are recounted. Permission: school.administer."),
    partial_update=extend_schema(request=TermHolidayInputSerializer(partial=True), responses=TermHolidaySerializer,
                                 description="Open reviews are recounted. Permission: school.administer."),
    destroy=extend_schema(description="Open reviews are recounted. Permission: school.administer."),
)
class TermHolidayViewSet(viewsets.ModelViewSet):
    """The school's term calendar: holidays that do not count towards SERAT reviews. Reads: school.administer or
    case.read_assigned; changes: school.administer."""

    serializer_class = TermHolidaySerializer
    pagination_class = None

    def get_permissions(self):
        return [(READ_CALENDAR if self.action in ("list", "retrieve") else ADMINISTER)()]

    def get_queryset(self):
        school = getattr(self.request, "tenant", None)
        if not isinstance(school, School):
            return TermHoliday.objects.none()
        return term_holiday_list(school=school)

    def create(self, request, *args, **kwargs):
        data = TermHolidayInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        holiday = term_holiday_create(actor=request.user, school=request.tenant, **data.validated_data)
        return Response(TermHolidaySerializer(holiday).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        holiday = self.get_object()
        data = TermHolidayInputSerializer(data=request.data, partial=kwargs.pop("partial", False))
        data.is_valid(raise_exception=True)
        values = {"name": holiday.name, "starts_on": holiday.starts_on, "ends_on": holiday.ends_on,
                  **data.validated_data}
        holiday = term_holiday_update(actor=request.user, holiday=holiday, **values)
        return Response(TermHolidaySerializer(holiday).data)

    def destroy(self, request, *args, **kwargs):
        term_holiday_delete(actor=request.user, holiday=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


ROUTES = [
    ("staff-accounts", StaffAccountViewSet, "staff-account"),
    ("term-holidays", TermHolidayViewSet, "term-holiday"),
]
