"""Forms for after a workshop: a material's upload and feedback. Attendance (one group of radios a booked
place) and the practices shared (checkboxes of ids) are read from the post in after_views."""

from __future__ import annotations

from django import forms

from slihub.govuk import GovukFormMixin
from slihub.workshops import after
from slihub.workshops.models import Material


class MaterialForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=after.TITLE_MAX)
    kind = forms.ChoiceField(
        label="What kind of material is it?", choices=Material.Kind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label="File",
        required=False,  # checked by the service, with the page's own words
        help_text="A file",  # with the limit in force, in __init__
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Enter a title for the material"
        self.fields["title"].error_messages["max_length"] = (
            f"Title must be {after.TITLE_MAX} characters or fewer"
        )
        self.fields["kind"].error_messages["required"] = "Select what kind of material it is"
        self.fields["kind"].error_messages["invalid_choice"] = "Select what kind of material it is"
        limit = after.size_words(after.max_material_bytes())
        self.fields["file"].help_text = f"A {after.ALLOWED_NAMES}, smaller than {limit}"
        self.fields["file"].error_messages["empty"] = "The selected file is empty"
        self.fields["file"].widget.attrs["class"] = "govuk-file-upload"
        self.fields["file"].widget.attrs["accept"] = ",".join(f".{e}" for e in after.ALLOWED_TYPES)


class FeedbackForm(GovukFormMixin, forms.Form):
    usefulness = forms.TypedChoiceField(
        label="How useful was the event?",
        choices=after.USEFULNESS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    will_use = forms.CharField(
        label="What will you take back to your council?",
        required=False,
        max_length=after.WILL_USE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    comments = forms.CharField(
        label="Any other comments",
        required=False,
        max_length=after.COMMENTS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["usefulness"].error_messages["required"] = "Select how useful the event was"
        self.fields["usefulness"].error_messages["invalid_choice"] = "Select how useful the event was"
        self.fields["will_use"].error_messages["max_length"] = (
            f"What you will take back must be {after.WILL_USE_MAX} characters or fewer"
        )
        self.fields["comments"].error_messages["max_length"] = (
            f"Comments must be {after.COMMENTS_MAX} characters or fewer"
        )
