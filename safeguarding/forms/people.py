"""Forms of the young people and tutor group pages. They only shape input; the services check it."""

from django import forms

from safeguarding.models import TutorGroup
from safeguarding.models.people import upn_validator
from safeguarding.services.imports import HEADERS, MAX_BYTES, MAX_ROWS, Column

YEAR_CHOICES = [(year, f"Year {year}") for year in range(7, 15)]
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        return f"{user.full_name} ({user.email})"


class YoungPersonSearchForm(forms.Form):
    q = forms.CharField(label="Name or UPN", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"class": "govuk-input", "type": "search",
                                                      "autocomplete": "off", "spellcheck": "false"}))
    tutor_group = forms.ModelChoiceField(label="Tutor group", required=False, queryset=TutorGroup.objects.none(),
                                         empty_label="All tutor groups",
                                         widget=forms.Select(attrs={"class": "govuk-select"}))
    year_group = forms.TypedChoiceField(label="Year group", required=False, coerce=int, empty_value=None,
                                        choices=[("", "All year groups"), *YEAR_CHOICES],
                                        widget=forms.Select(attrs={"class": "govuk-select"}))

    def __init__(self, *args, tutor_groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tutor_groups is not None:
            self.fields["tutor_group"].queryset = tutor_groups


class YoungPersonForm(forms.Form):
    upn = forms.CharField(label="UPN", max_length=20, help_text=f"The unique pupil number, as in the MIS. "
                          f"{upn_validator.message}", error_messages={"required": "Enter the UPN."},
                          widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20",
                                                        "spellcheck": "false", "autocomplete": "off"}))
    first_name = forms.CharField(label="Forename", max_length=100, error_messages={"required": "Enter the forename."},
                                 widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off"}))
    last_name = forms.CharField(label="Surname", max_length=100, error_messages={"required": "Enter the surname."},
                                widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off"}))
    date_of_birth = forms.DateField(label="Date of birth", input_formats=DATE_FORMATS,
                                    help_text="For example, 27/03/2012.",
                                    error_messages={"required": "Enter the date of birth.",
                                                    "invalid": "Enter the date of birth as a real date, for example "
                                                               "27/03/2012."},
                                    widget=forms.DateInput(format="%d/%m/%Y",
                                                           attrs={"class": "govuk-input govuk-input--width-10",
                                                                  "autocomplete": "off"}))
    year_group = forms.TypedChoiceField(label="Year group", coerce=int, choices=[("", "Choose"), *YEAR_CHOICES],
                                        error_messages={"required": "Choose the year group."},
                                        widget=forms.Select(attrs={"class": "govuk-select"}))
    tutor_group = forms.ModelChoiceField(label="Tutor group", required=False, queryset=TutorGroup.objects.all(),
                                         empty_label="No tutor group",
                                         widget=forms.Select(attrs={"class": "govuk-select"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tutor_group"].queryset = TutorGroup.objects.order_by("year_group", "name")


class StaffLinksForm(forms.Form):
    staff = StaffChoiceField(label="Staff who work with this young person", required=False,
                             queryset=None, widget=forms.CheckboxSelectMultiple(
                                 attrs={"class": "govuk-checkboxes__input"}))

    def __init__(self, *args, staff_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_queryset


class TutorGroupForm(forms.Form):
    name = forms.CharField(label="Name", max_length=40, help_text="As in the MIS, for example 9N or 10 Blue.",
                           error_messages={"required": "Enter the tutor group's name."},
                           widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10",
                                                         "autocomplete": "off"}))
    year_group = forms.TypedChoiceField(label="Year group", coerce=int, choices=[("", "Choose"), *YEAR_CHOICES],
                                        error_messages={"required": "Choose the year group."},
                                        widget=forms.Select(attrs={"class": "govuk-select"}))
    staff = StaffChoiceField(label="Staff who work with this tutor group", required=False, queryset=None,
                             help_text="They see the young people of this group.",
                             widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}))

    def __init__(self, *args, staff_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_queryset


def _spellings(column: Column) -> str:
    return ", ".join(HEADERS[column][:4])


class MisImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file from the MIS",
        help_text=(f"A header row, then one row per young person, at most {MAX_ROWS:,} rows and "
                   f"{MAX_BYTES // 1024 // 1024} MB."),
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload", "accept": ".csv,text/csv"}),
        error_messages={"required": "Choose the CSV file to import.",
                        "empty": "The file is empty."},
    )

    column_help = [(column.label[0].upper() + column.label[1:], _spellings(column)) for column in Column]
