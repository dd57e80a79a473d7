"""The school's pages for young people and tutor groups.

Every page states its capability (FRAMEWORK.md §5). Lists read through the people selectors (need-to-know for
case readers; identity only for the school administrator), writes go to the services. A service's
ValidationError is shown on the form, naming the field; an ActionRefused shows its reasons with status 409,
having changed nothing.
"""

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from cse_platform.forms import add_service_errors
from cse_platform.views import Page
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from safeguarding.forms.people import (
    MisImportForm,
    StaffLinksForm,
    TutorGroupForm,
    YoungPersonForm,
    YoungPersonSearchForm,
)
from safeguarding.models import TutorGroup, YoungPerson
from safeguarding.rules.roles import Capability
from safeguarding.selectors.people import (
    case_reader,
    current_level,
    people_manager,
    staff_linkable,
    tutor_group_list,
    tutor_groups_for_filter,
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
PAGE_SIZE = 50


def case_url_builder(request):
    """A function giving a young person's case page, or None while the case pages do not exist."""
    urlconf = getattr(request, "urlconf", None)
    try:
        reverse("cases:young_person", kwargs={"pk": 1}, urlconf=urlconf)
    except NoReverseMatch:
        return None
    return lambda pk: reverse("cases:young_person", kwargs={"pk": pk}, urlconf=urlconf)


# Young people ----------------------------------------------------------------------------------------------


class YoungPersonListView(Page):
    """Young people, with search. Case readers see those they may (with level and case page); the school
    administrator sees everyone's identity only. Permission: case.read_assigned or school.administer."""

    capabilities = (C.CASE_READ_ASSIGNED, C.SCHOOL_ADMINISTER)
    template_name = "safeguarding/people/list.html"

    def get(self, request):
        user = request.user
        form = YoungPersonSearchForm(request.GET or None, tutor_groups=tutor_groups_for_filter(user))
        form.is_valid()
        filters = form.cleaned_data if form.is_bound else {}
        group = filters.get("tutor_group")
        people = young_people_found(user, q=filters.get("q", ""), tutor_group_id=group.pk if group else None,
                                    year_group=filters.get("year_group"))
        if form.errors:  # a tutor group or year group that is not on offer matches no one
            people = people.none()
        show_case = case_reader(user)
        page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
        case_url = case_url_builder(request) if show_case else None
        rows = [{"person": person,
                 "level": current_level(person) if show_case else None,
                 "case_url": case_url(person.pk) if case_url else None}
                for person in page]
        audit_record(actor=user, action="young_people.list", subject_type="safeguarding.youngperson",
                     detail={"shown": [row["person"].pk for row in rows], "searched": bool(request.GET)})
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form, "page": page, "rows": rows, "show_case": show_case, "can_manage": people_manager(user),
            "sees_all": user.can(C.CASE_READ_ALL),
            "query": query.urlencode(), "searched": bool(request.GET),
        }
        if request.htmx:
            return self.render(context, template_name="safeguarding/people/_results.html")
        return self.render(context)


class YoungPersonCreateView(Page):
    """Add a young person. Permission: case.manage (DCPO) or school.administer."""

    capabilities = (C.CASE_MANAGE, C.SCHOOL_ADMINISTER)
    template_name = "safeguarding/people/form.html"

    def get(self, request):
        return self.render({"form": YoungPersonForm(), "person": None})

    def post(self, request):
        form = YoungPersonForm(request.POST)
        if form.is_valid():
            try:
                person = young_person_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except ActionRefused as refusal:
                return self.refused({"form": form, "person": None}, refusal)
            else:
                messages.success(request, f"{person.full_name} was added.")
                return redirect("people:list")
        return self.render({"form": form, "person": None})


class ManagedPersonMixin:
    def person(self, pk: int) -> YoungPerson:
        try:
            return young_people_manageable_by(self.request.user).select_related("tutor_group").get(pk=pk)
        except YoungPerson.DoesNotExist:
            raise Http404("No such young person") from None


class YoungPersonEditView(ManagedPersonMixin, Page):
    """Edit a young person's identity. Permission: case.manage (DCPO) or school.administer."""

    capabilities = (C.CASE_MANAGE, C.SCHOOL_ADMINISTER)
    template_name = "safeguarding/people/form.html"

    def get(self, request, pk: int):
        person = self.person(pk)
        audit_record(actor=request.user, action="young_person.read_identity", subject=person,
                     young_person_id=person.pk)
        initial = {"upn": person.upn, "first_name": person.first_name, "last_name": person.last_name,
                   "date_of_birth": person.date_of_birth, "year_group": person.year_group,
                   "tutor_group": person.tutor_group}
        return self.render({"form": YoungPersonForm(initial=initial), "person": person})

    def post(self, request, pk: int):
        person = self.person(pk)
        form = YoungPersonForm(request.POST)
        if form.is_valid():
            try:
                young_person_update(actor=request.user, young_person=person, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except ActionRefused as refusal:
                return self.refused({"form": form, "person": person}, refusal)
            else:
                messages.success(request, f"{person.full_name}'s details were saved.")
                return redirect("people:list")
        return self.render({"form": form, "person": person})


class YoungPersonStaffView(ManagedPersonMixin, Page):
    """Which staff work with a young person. Permission: case.manage (DCPO) or school.administer."""

    capabilities = (C.CASE_MANAGE, C.SCHOOL_ADMINISTER)
    template_name = "safeguarding/people/staff.html"

    def context(self, person: YoungPerson, form) -> dict:
        group_staff = list(person.tutor_group.staff.filter(is_active=True)) if person.tutor_group else []
        return {"person": person, "form": form, "group_staff": group_staff}

    def get(self, request, pk: int):
        person = self.person(pk)
        audit_record(actor=request.user, action="young_person.read_identity", subject=person,
                     young_person_id=person.pk)
        form = StaffLinksForm(staff_queryset=staff_linkable(), initial={"staff": list(person.staff.all())})
        return self.render(self.context(person, form))

    def post(self, request, pk: int):
        person = self.person(pk)
        form = StaffLinksForm(request.POST, staff_queryset=staff_linkable())
        if form.is_valid():
            try:
                young_person_staff_set(actor=request.user, young_person=person, staff=form.cleaned_data["staff"])
            except ValidationError as error:
                add_service_errors(form, error)
            except ActionRefused as refusal:
                return self.refused(self.context(person, form), refusal)
            else:
                messages.success(request, f"The staff who work with {person.full_name} were saved.")
                return redirect("people:list")
        return self.render(self.context(person, form))


class MisImportView(Page):
    """Import young people and tutor groups from a CSV export of the MIS, all rows or none; or only check the
    file. Permission: case.manage (DCPO) or school.administer."""

    capabilities = (C.CASE_MANAGE, C.SCHOOL_ADMINISTER)
    template_name = "safeguarding/people/import.html"

    def get(self, request):
        return self.render({"form": MisImportForm()})

    def post(self, request):
        form = MisImportForm(request.POST, request.FILES)
        check_only = request.POST.get("action") == "check"
        if not form.is_valid():
            return self.render({"form": form})
        upload = form.cleaned_data["file"]
        try:
            report = mis_import(actor=request.user, content=mis_upload_read(upload), filename=upload.name,
                                check_only=check_only)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render({"form": form})
        except ActionRefused as refusal:
            return self.refused({"form": form}, refusal)
        if report.saved:
            messages.success(request, report.summary)
            return redirect("people:list")
        return self.render({"form": MisImportForm(), "report": report, "filename": upload.name})


# Tutor groups ----------------------------------------------------------------------------------------------


class TutorGroupListView(Page):
    """Tutor groups, their young people and staff. Permission: school.administer."""

    capabilities = (C.SCHOOL_ADMINISTER,)
    template_name = "safeguarding/people/tutor_groups.html"

    def get(self, request):
        return self.render({"groups": tutor_group_list().prefetch_related("staff")})


class TutorGroupCreateView(Page):
    """Add a tutor group. Permission: school.administer."""

    capabilities = (C.SCHOOL_ADMINISTER,)
    template_name = "safeguarding/people/tutor_group_form.html"

    def get(self, request):
        return self.render({"form": TutorGroupForm(staff_queryset=staff_linkable()), "group": None})

    def post(self, request):
        form = TutorGroupForm(request.POST, staff_queryset=staff_linkable())
        if form.is_valid():
            try:
                group = tutor_group_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except ActionRefused as refusal:
                return self.refused({"form": form, "group": None}, refusal)
            else:
                messages.success(request, f"Tutor group {group.name} was added.")
                return redirect("people:tutor_groups")
        return self.render({"form": form, "group": None})


class TutorGroupEditView(Page):
    """Rename a tutor group, change its year group and its staff. Permission: school.administer."""

    capabilities = (C.SCHOOL_ADMINISTER,)
    template_name = "safeguarding/people/tutor_group_form.html"

    def group(self, pk: int) -> TutorGroup:
        try:
            return TutorGroup.objects.get(pk=pk)
        except TutorGroup.DoesNotExist:
            raise Http404("No such tutor group") from None

    def get(self, request, pk: int):
        group = self.group(pk)
        form = TutorGroupForm(staff_queryset=staff_linkable(), initial={
            "name": group.name, "year_group": group.year_group, "staff": list(group.staff.all())})
        return self.render({"form": form, "group": group})

    def post(self, request, pk: int):
        group = self.group(pk)
        form = TutorGroupForm(request.POST, staff_queryset=staff_linkable())
        if form.is_valid():
            try:
                tutor_group_update(actor=request.user, tutor_group=group, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except ActionRefused as refusal:
                return self.refused({"form": form, "group": group}, refusal)
            else:
                messages.success(request, f"Tutor group {group.name} was saved.")
                return redirect("people:tutor_groups")
        return self.render({"form": form, "group": group})
