"""Forms for the training register pages (central portal)."""

from django import forms

from scu_portal.services.training import DEFAULT_COURSE
from tenants.models import School, SchoolStatus

INPUT = {"class": "govuk-input"}
DATE = {"class": "govuk-input govuk-input--width-10", "type": "date"}


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, school: School) -> str:
        return school.name if school.is_active else f"{school.name} (archived)"


class TrainingRecordForm(forms.Form):
    school = SchoolChoiceField(
        label="School",
        queryset=School.objects.none(),
        empty_label="Choose a school",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    staff_name = forms.CharField(label="Member of staff's name", max_length=150, widget=forms.TextInput(attrs=INPUT))
    staff_email = forms.EmailField(
        label="Member of staff's email address",
        help_text="The address of their account at the school: this is how the school's pages know they are trained.",
        widget=forms.EmailInput(attrs={**INPUT, "spellcheck": "false", "autocomplete": "off"}),
    )
    course = forms.CharField(
        label="Course", max_length=200, initial=DEFAULT_COURSE, widget=forms.TextInput(attrs=INPUT)
    )
    completed_on = forms.DateField(
        label="Completed on", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        help_text="Leave it empty if the training does not expire.",
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )

    def __init__(self, *args, include_archived: School | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        schools = School.objects.filter(status=SchoolStatus.ACTIVE)
        if include_archived is not None:
            schools = School.objects.filter(pk=include_archived.pk) | schools
        self.fields["school"].queryset = schools.order_by("name")


class TrainingFilterForm(forms.Form):
    school = SchoolChoiceField(
        label="School",
        queryset=School.objects.order_by("name"),
        required=False,
        empty_label="All schools",
        to_field_name="slug",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    q = forms.CharField(label="Name or email", required=False, widget=forms.TextInput(attrs=INPUT))
