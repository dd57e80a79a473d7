"""Forms for the referral pages: they turn what people type into what the services take. The services
and the framework's rules decide what is allowed; the forms offer only what can be chosen now."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from safeguarding.rules import referrals as rules
from safeguarding.rules.levels import Level
from scu_portal.models.referrals import MaterialUse
from scu_portal.selectors.queue import STATUS_ALL, STATUS_OPEN, UNASSIGNED, scu_officers
from tenants.models import School, SchoolKind

INPUT = {"class": "govuk-input"}
SHORT_INPUT = {"class": "govuk-input govuk-input--width-10"}
TEXTAREA = {"class": "govuk-textarea", "rows": 4}
SELECT = {"class": "govuk-select"}
RADIOS = {"class": "govuk-radios__input"}
CHECKBOX = {"class": "govuk-checkboxes__input"}
LEVEL_CHOICES = [(level.value, level.label) for level in reversed(Level)]
KIND_CHOICES = [(kind.value, kind.label) for kind in rules.ReferralKind]


class QuickSelect(forms.Select):
    """A select written in one pass rather than one template per option: a list of every school in the
    authority costs well under a millisecond to render, however many schools there are."""

    def render(self, name, value, attrs=None, renderer=None):
        current = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "", "<option value=\"{}\"{}>{}</option>",
            ((str(v), mark_safe(" selected") if str(v) in current else "", label) for v, label in self.choices),
        )
        return format_html("<select name=\"{}\"{}>{}</select>", name, flatatt(self.build_attrs(self.attrs, attrs)),
                           options)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input govuk-input--width-20", **(attrs or {})},
                         format="%Y-%m-%dT%H:%M")


# --- the school -----------------------------------------------------------------------------------


class ReferralSendForm(forms.Form):
    """At very high the phone call comes first; the kinds offered are those the plan allows now. Below very
    high the call is not a step of the plan and is not asked for (the service ignores it there too)."""

    phoned_at = forms.DateTimeField(
        label="When you phoned the Safeguarding Children Unit", required=False, widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    phoned_to = forms.CharField(label="Who you spoke to", max_length=150, required=False,
                                widget=forms.TextInput(attrs=INPUT))
    phone_summary = forms.CharField(label="What was said", required=False, widget=forms.Textarea(attrs=TEXTAREA))
    kind = forms.ChoiceField(label="What are you sending?", widget=forms.RadioSelect(attrs=RADIOS))
    reasons = forms.CharField(
        label="Why you are sending it", widget=forms.Textarea(attrs={**TEXTAREA, "rows": 6}),
        help_text="The reasons the SCU needs. Only this, the young person's name, date of birth and year group, "
                  "the levels and scores, consent and the plan's checklist are sent: no notes of the school's.",
    )
    dcpo_phone = forms.CharField(label="Your phone number", max_length=40, required=False,
                                 help_text="So the SCU can call you back.", widget=forms.TextInput(attrs=SHORT_INPUT))

    PHONE_FIELDS = ("phoned_at", "phoned_to", "phone_summary")

    def __init__(self, *args, kinds: tuple[rules.ReferralKind, ...], phone_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone_required = phone_required
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0].value
        if phone_required:
            for name in self.PHONE_FIELDS:
                self.fields[name].required = True
            self.fields["phoned_at"].help_text = "At Very High Risk, phone the SCU first, then record the call here."
        else:
            for name in self.PHONE_FIELDS:
                del self.fields[name]

    def clean_phoned_at(self):
        phoned_at = self.cleaned_data.get("phoned_at")
        if phoned_at is not None and timezone.is_naive(phoned_at):
            phoned_at = timezone.make_aware(phoned_at)
        return phoned_at


class ReplyForm(forms.Form):
    text = forms.CharField(label="Your reply to the SCU", widget=forms.Textarea(attrs=TEXTAREA))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Why you are withdrawing it", widget=forms.Textarea(attrs={**TEXTAREA, "rows": 3}))


# --- the SCU --------------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    school = forms.ModelChoiceField(label="School", queryset=School.objects.only("id", "name").order_by("name"),
                                    required=False, empty_label="All schools", widget=QuickSelect(attrs=SELECT))
    kind = forms.ChoiceField(label="Type", required=False, choices=[("", "All types"), *KIND_CHOICES],
                             widget=forms.Select(attrs=SELECT))
    status = forms.ChoiceField(
        label="Status", required=False, widget=forms.Select(attrs=SELECT),
        choices=[(STATUS_OPEN, "Open (not closed or withdrawn)"), (STATUS_ALL, "Any status"),
                 *[(status.value, status.label) for status in rules.ReferralStatus]],
    )
    level = forms.ChoiceField(label="Level", required=False, choices=[("", "All levels"), *LEVEL_CHOICES],
                              widget=forms.Select(attrs=SELECT))
    officer = forms.ChoiceField(label="Officer", required=False, widget=forms.Select(attrs=SELECT))
    overdue = forms.BooleanField(label="Only overdue", required=False, widget=forms.CheckboxInput(attrs=CHECKBOX))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", "Anyone"), (UNASSIGNED, "Not assigned"),
                                          *[(str(o.pk), o.full_name) for o in scu_officers()]]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Move to", widget=forms.RadioSelect(attrs=RADIOS))
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={**TEXTAREA, "rows": 2}))

    def __init__(self, *args, statuses: tuple[rules.ReferralStatus, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in statuses]


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label="Assign to", queryset=scu_officers(), required=False,
                                     empty_label="No one", widget=forms.Select(attrs=SELECT))


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label="What kind of answer", widget=forms.RadioSelect(attrs=RADIOS))
    text = forms.CharField(label="Your answer to the school", widget=forms.Textarea(attrs={**TEXTAREA, "rows": 5}))
    conditions = forms.CharField(label="Conditions of the agreement", required=False,
                                 widget=forms.Textarea(attrs={**TEXTAREA, "rows": 3}))
    review_on = forms.DateField(label="Next SERAT review date", required=False, widget=DateInput(),
                                help_text="At High and Very High Risk the next review date comes from the SCU.")

    def __init__(self, *args, kinds: tuple[rules.AnswerKind, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]


class TargetsForm(forms.Form):
    """One hours field per kind and level."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[self.name_for(row.kind, row.level)] = forms.IntegerField(
                label=f"{row.kind_label} at {row.level.label} (hours)", min_value=1, max_value=24 * 90,
                initial=row.hours, widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
            )

    @staticmethod
    def name_for(kind: str, level: str) -> str:
        return f"hours__{kind}__{level}"

    def bound_rows(self):
        return [(row, self[self.name_for(row.kind, row.level)]) for row in self.rows]


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="Date of the meeting", widget=DateInput())
    agencies = forms.CharField(label="Agencies attending", help_text="One a line, for example: Police, Health.",
                               widget=forms.Textarea(attrs=TEXTAREA))
    referrals = forms.ModelMultipleChoiceField(label="Referrals on the agenda", required=False, queryset=None,
                                               widget=forms.CheckboxSelectMultiple(attrs=CHECKBOX))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referrals"].queryset = candidates
        self.fields["referrals"].label_from_instance = referral_label


def referral_label(referral) -> str:
    return (f"{referral.young_person_name}, {referral.school.name}: {referral.get_kind_display()} "
            f"({Level(referral.effective_level).label}, received {timezone.localtime(referral.received_at):%d %b %Y})")


class AgendaForm(forms.Form):
    referral = forms.ModelChoiceField(label="Add to the agenda", queryset=None, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = candidates
        self.fields["referral"].label_from_instance = referral_label


ACTION_ROWS = 6


class OutcomeForm(forms.Form):
    agreed_level = forms.ChoiceField(label="The level the meeting agreed", choices=LEVEL_CHOICES,
                                     widget=forms.RadioSelect(attrs=RADIOS))
    material_use = forms.ChoiceField(label="May the material be used?", choices=MaterialUse.choices,
                                     widget=forms.RadioSelect(attrs=RADIOS))
    next_review_on = forms.DateField(label="Next review date", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}"] = forms.CharField(label=f"Action {n}", required=False,
                                                         widget=forms.TextInput(attrs=INPUT))
            self.fields[f"owner_{n}"] = forms.CharField(label=f"Owner of action {n}", required=False,
                                                        widget=forms.TextInput(attrs=INPUT))

    def action_rows(self):
        return [(self[f"action_{n}"], self[f"owner_{n}"]) for n in range(1, ACTION_ROWS + 1)]

    def actions(self) -> list[dict]:
        data = self.cleaned_data
        return [{"action": data.get(f"action_{n}", ""), "owner": data.get(f"owner_{n}", "")}
                for n in range(1, ACTION_ROWS + 1)]


class SchoolProvisionForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, widget=forms.TextInput(attrs=INPUT))
    urn = forms.CharField(label="DfE URN", max_length=6, help_text="Six digits.",
                          widget=forms.TextInput(attrs=SHORT_INPUT))
    kind = forms.ChoiceField(label="Kind of school", choices=SchoolKind.choices, widget=forms.Select(attrs=SELECT))
    slug = forms.CharField(label="Address name", max_length=42, widget=forms.TextInput(attrs=SHORT_INPUT),
                           help_text="Lower-case letters, digits and hyphens: the school's address is <name>.<portal>.")
