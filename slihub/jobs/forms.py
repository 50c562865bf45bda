from django import forms

from slihub.govuk import GovukFormMixin
from slihub.indicators.mappings import MAPPINGS


class IndicatorImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="DfE tidy CSV file",
        help_text="A file from DfE's explore education statistics service, as downloaded (CSV)",
        error_messages={"required": "Choose the CSV file to import", "empty": "The file is empty"},
    )
    mapping = forms.ChoiceField(
        label="Which statistics the file holds",
        choices=[("", "Choose the mapping")]
        + [(name, f"{m.description} ({m.filename})") for name, m in MAPPINGS.items()],
        error_messages={"required": "Choose the mapping that reads the file"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["class"] = "govuk-file-upload"
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"
