"""Publishing a year's survey results (closed to published), and the public summary (on or off).

Both are national admins' decisions; each write goes through the ORM, so the audit log records it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from slihub.accounts.models import scope_of
from slihub.survey import results as survey_results
from slihub.survey.models import SurveyVersion


def _national(user) -> None:
    if not scope_of(user).national:
        raise PermissionDenied("Only national admins publish the survey's results.")


@transaction.atomic
def publish_results(*, version: SurveyVersion, user) -> SurveyVersion:
    """Publish a closed survey's results: signed-in council users can read them from now on."""
    _national(user)
    version = SurveyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == SurveyVersion.Status.PUBLISHED:
        raise ValidationError(f"The {version.year} results are already published.")
    if version.status != SurveyVersion.Status.CLOSED:
        raise ValidationError(
            f"The {version.year} survey is {version.get_status_display().lower()}: close it before "
            "publishing its results."
        )
    version.status = SurveyVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at", "updated_at"])
    # work the published figures out now (disclosure control takes seconds for a large survey), so that
    # the first council user to open the results does not wait for them
    transaction.on_commit(lambda: survey_results.question_results(version))
    return version


@transaction.atomic
def set_public_summary(*, version: SurveyVersion, user, public: bool) -> SurveyVersion:
    """Show (public=True) or withdraw the public summary of published results: their suppressed tables
    and figures, without free text, for anyone, signed in or not."""
    _national(user)
    version = SurveyVersion.objects.select_for_update().get(pk=version.pk)
    if public and version.status != SurveyVersion.Status.PUBLISHED:
        raise ValidationError(f"Publish the {version.year} results before publishing a public summary.")
    if version.public_summary != public:
        version.public_summary = public
        version.save(update_fields=["public_summary", "updated_at"])
    return version
