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
                field.widget.attrs["aria-describedby"] = f"{self.add_prefix(name)}-hint"

    def add_error(self, field, error):
        """Every error, from validation or added by a view afterwards (a service's refusal), marks its
        field: the error class, and aria-describedby naming the error message."""
        super().add_error(field, error)
        self._mark_errors()

    def _mark_errors(self):
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            base = widget.attrs["class"].split()[0]
            if f"{base}--error" not in widget.attrs["class"].split():
                widget.attrs["class"] += f" {base}--error"
            html_name = self.add_prefix(name)
            described = [f"{html_name}-hint"] if self.fields[name].help_text else []
            widget.attrs["aria-describedby"] = " ".join([*described, f"{html_name}-error"])

    def error_list(self):
        """(field id, message) pairs for the error summary, in field order; ids carry the form's prefix,
        so that a page with several forms links each error to its own field."""
        items = [(self[name].auto_id, error) for name in self.fields for error in self.errors.get(name, [])]
        first = next(iter(self.fields), None)
        return [(self[first].auto_id if first else "", e) for e in self.non_field_errors()] + items
