"""GOV.UK Design System conventions for Django forms: classes, error states and error summaries."""

from django import forms

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.PasswordInput: "govuk-input",
}


class GovukFormMixin:
    """For a Django form: GOV.UK classes, `aria-describedby` for hints and errors, error styling."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            base = WIDGET_CLASSES.get(type(field.widget), "govuk-input")
            field.widget.attrs["class"] = " ".join(filter(None, [base, field.widget.attrs.get("class", "")]))
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{name}-hint"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                base = widget.attrs["class"].split()[0]
                widget.attrs["class"] += f" {base}--error"
                described = [f"{name}-hint"] if self.fields[name].help_text else []
                widget.attrs["aria-describedby"] = " ".join([*described, f"{name}-error"])

    def error_list(self):
        """(field id, message) pairs for the error summary, in field order."""
        items = [(f"id_{name}", error) for name in self.fields for error in self.errors.get(name, [])]
        first = next(iter(self.fields), "")
        return [(f"id_{first}", error) for error in self.non_field_errors()] + items
