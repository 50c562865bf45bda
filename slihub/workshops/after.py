"""After a workshop: attendance, materials, feedback and what was shared (links to the evidence library).

Writes here take keyword-only arguments and run in one transaction; every model write goes through the
ORM so that django-auditlog records it (the links to practices, a many-to-many change the registry does
not follow, are logged here as one entry with the names before and after).

Rules:
- nothing here happens before the event has started (starts_at <= now);
- organisers (Event.objects.organised_by) mark attendance, upload and delete materials, link practices
  and read the feedback summary;
- a person with a booked place gives feedback, once (they may change it), unless the organisers marked
  them as not attending;
- a material is a PDF, an Office Open XML or OpenDocument file, or plain text, checked by its extension
  and its first bytes, and at most SLIHUB_WORKSHOP_MATERIAL_MAX_BYTES (20 MB unless set).
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from slihub.evidence.models import LocalPractice, Practice
from slihub.workshops.models import Event, Feedback, Material, Registration

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TITLE_MAX = 200
WILL_USE_MAX = 300
COMMENTS_MAX = 2000

USEFULNESS = (
    (5, "Very useful"),
    (4, "Useful"),
    (3, "Somewhat useful"),
    (2, "Not very useful"),
    (1, "Not useful"),
)

OOXML = b"PK\x03\x04"
# extension: (content type stored and served, what its first bytes must be)
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
ALLOWED_NAMES = (
    "PDF, PowerPoint (.pptx), Word (.docx), Excel (.xlsx), OpenDocument (.odp, .odt) "
    "or text (.txt, .md, .csv)"
)
TEXT_TYPES = {"txt", "md", "csv"}
TYPE_LABELS = {
    "pdf": "PDF",
    "pptx": "PowerPoint",
    "docx": "Word document",
    "xlsx": "Excel spreadsheet",
    "odp": "OpenDocument presentation",
    "odt": "OpenDocument text",
    "txt": "text",
    "md": "text (Markdown)",
    "csv": "CSV",
}
SNIFF_BYTES = 64 * 1024


def max_material_bytes() -> int:
    return int(getattr(settings, "SLIHUB_WORKSHOP_MATERIAL_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_words(size: int) -> str:
    """20971520 -> '20 MB' (the limit as people read it)."""
    if size >= 1024 * 1024:
        megabytes = size / (1024 * 1024)
        return f"{megabytes:.0f} MB" if megabytes == int(megabytes) else f"{megabytes:.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


# Who may do what


def has_started(event: Event, now=None) -> bool:
    return event.starts_at <= (now or timezone.now())


def is_organiser(user, event: Event) -> bool:
    return Event.objects.organised_by(user).filter(pk=event.pk).exists()


def require_organiser(user, event: Event) -> None:
    if not is_organiser(user, event):
        raise PermissionDenied(
            "Only the event's organisers (the person who created it and its region's alliance coordinators) "
            "and national admins can do this."
        )


def not_started_message(event: Event, doing: str) -> str:
    start = timezone.localtime(event.starts_at)
    return f"You can {doing} once the event has started, on {start:%-d %B %Y}"


def _require_started(event: Event, doing: str, field: str | None = None) -> None:
    if not has_started(event):
        message = not_started_message(event, doing)
        raise ValidationError({field: [message]} if field else message)


def booked(event: Event, user):
    """The booked places at the event that the user may see (all of them, for its organisers)."""
    return (
        Registration.objects.visible_to(user)
        .filter(event=event, status=Registration.Status.BOOKED)
        .select_related("user", "authority")
        .order_by("user__full_name", "user__username", "id")
    )


def feedback_registration(user, event: Event) -> Registration | None:
    """The person's booked registration that lets them give feedback: booked, and not marked absent."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, user=user, status=Registration.Status.BOOKED)
        .exclude(attended=False)
        .first()
    )


def may_give_feedback(user, event: Event) -> bool:
    return feedback_registration(user, event) is not None


# Attendance


def mark_attendance(*, user, event: Event, attended: dict[int, bool | None]) -> int:
    """Marks each booked registration (by id) attended (True), not attended (False) or not yet known
    (None). Returns how many changed. Ids that are not a booked place at this event are refused."""
    require_organiser(user, event)
    _require_started(event, "mark attendance")
    with transaction.atomic():
        places = {
            r.pk: r
            for r in Registration.objects.select_for_update().filter(
                event=event, status=Registration.Status.BOOKED
            )
        }
        unknown = set(attended) - set(places)
        if unknown:
            raise ValidationError("Attendance can only be marked for people with a confirmed place")
        changed = 0
        for pk, value in attended.items():
            registration = places[pk]
            if registration.attended != value:
                registration.attended = value
                registration.save(update_fields=["attended"])
                changed += 1
    return changed


# Materials


@dataclass(frozen=True)
class CheckedFile:
    name: str  # the sanitised file name
    extension: str
    content_type: str
    size: int


def safe_filename(name: str) -> str:
    """A file name safe to store and to offer back: no folders, no control or odd characters, no leading
    dot, at most 100 characters, the extension in lower case. 'C:\\a\\..\\Ünïcode slides.PPTX' ->
    'Unicode-slides.pptx'."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = extension, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_.")[:100] or "material"
    extension = re.sub(r"[^A-Za-z0-9]+", "", extension).lower()[:10]
    return f"{stem}.{extension}" if extension else stem


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def _is_office_open_xml(upload) -> bool:
    """A zip whose parts include the Office Open XML list of content types (reads the zip's directory)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return False
    finally:
        upload.seek(0)


def _looks_like(extension: str, head: bytes, upload) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF")
    if extension in ("pptx", "docx", "xlsx"):
        return head.startswith(OOXML) and _is_office_open_xml(upload)
    if extension in ("odp", "odt"):
        # OpenDocument: a zip whose first entry, stored uncompressed, is 'mimetype' naming the format
        return (
            head.startswith(OOXML)
            and head[30:38] == b"mimetype"
            and head[38:].startswith(ALLOWED_TYPES[extension].encode("ascii"))
        )
    if extension in TEXT_TYPES:
        if b"\x00" in head:
            return False
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            return False
        return True
    return False


def check_upload(upload) -> CheckedFile:
    """The upload's sanitised name and content type, or a ValidationError on `file` saying what is wrong:
    no file, empty, too big, a type not allowed, or content that does not match its extension."""
    if upload is None:
        raise ValidationError({"file": ["Select a file to upload"]})
    name = safe_filename(upload.name)
    extension = name.rpartition(".")[2] if "." in name else ""
    if extension not in ALLOWED_TYPES:
        raise ValidationError({"file": [f"The selected file must be a {ALLOWED_NAMES}"]})
    if upload.size == 0:
        raise ValidationError({"file": ["The selected file is empty"]})
    limit = max_material_bytes()
    if upload.size > limit:
        raise ValidationError({"file": [f"The selected file must be smaller than {size_words(limit)}"]})
    if not _looks_like(extension, _head(upload), upload):
        raise ValidationError(
            {
                "file": [
                    f"The selected file is not a real .{extension} file: its content does not match its name"
                ]
            }
        )
    return CheckedFile(
        name=name, extension=extension, content_type=ALLOWED_TYPES[extension], size=upload.size
    )


def add_material(*, user, event: Event, title: str, kind: str, upload) -> Material:
    require_organiser(user, event)
    _require_started(event, "upload materials", "file")
    problems: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        problems["title"] = ["Enter a title for the material"]
    elif len(title) > TITLE_MAX:
        problems["title"] = [f"Title must be {TITLE_MAX} characters or fewer"]
    if kind not in Material.Kind.values:
        problems["kind"] = ["Select what kind of material it is"]
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        problems |= error.message_dict
    if problems:
        raise ValidationError(problems)
    upload.name = checked.name
    upload.seek(0)
    with transaction.atomic():
        material = Material(
            event=event,
            title=title,
            kind=kind,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=user,
        )
        material.file.save(checked.name, upload, save=False)
        try:
            material.save()
        except Exception:
            material.file.delete(save=False)
            raise
    return material


def delete_material(*, user, material: Material) -> None:
    require_organiser(user, material.event)
    storage, name = material.file.storage, material.file.name
    with transaction.atomic():
        material.delete()
        transaction.on_commit(lambda: storage.delete(name))


def type_label(material: Material) -> str:
    return TYPE_LABELS.get(material.file.name.rpartition(".")[2].lower(), "file")


def materials(event: Event) -> list[Material]:
    """The event's materials, oldest first, each with .type_label ('PDF') and .filename for the page."""
    found = list(Material.objects.filter(event=event).order_by("uploaded_at", "id"))
    for material in found:
        material.type_label = type_label(material)
        material.filename = os.path.basename(material.file.name)
    return found


# Feedback


def save_feedback(*, user, event: Event, usefulness, will_use: str = "", comments: str = "") -> Feedback:
    """Creates or changes the person's one feedback on the event."""
    _require_started(event, "give feedback", "usefulness")
    if not may_give_feedback(user, event):
        raise PermissionDenied("Only people who had a place at the event can give feedback on it.")
    problems: dict[str, list[str]] = {}
    if usefulness not in {score for score, _ in USEFULNESS}:
        problems["usefulness"] = ["Select how useful the event was"]
    will_use, comments = (will_use or "").strip(), (comments or "").strip()
    if len(will_use) > WILL_USE_MAX:
        problems["will_use"] = [f"What you will take back must be {WILL_USE_MAX} characters or fewer"]
    if len(comments) > COMMENTS_MAX:
        problems["comments"] = [f"Comments must be {COMMENTS_MAX} characters or fewer"]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().filter(event=event, user=user).first()
        if feedback is None:
            feedback = Feedback(event=event, user=user)
        feedback.usefulness, feedback.will_use, feedback.comments = usefulness, will_use, comments
        feedback.save()
    return feedback


@dataclass
class FeedbackSummary:
    count: int
    rows: list[tuple[int, str, int, int]]  # score, label, how many, percentage of responses (rounded)
    mean: float | None
    booked: int
    attended: int | None  # None until attendance is marked
    answers: list[Feedback]  # with what they will take back or comments


def feedback_summary(event: Event) -> FeedbackSummary:
    counts = dict(
        Feedback.objects.filter(event=event).values_list("usefulness").annotate(n=Count("id")).order_by()
    )
    total = sum(counts.values())
    rows = [
        (score, label, counts.get(score, 0), round(100 * counts.get(score, 0) / total) if total else 0)
        for score, label in USEFULNESS
    ]
    mean = sum(score * n for score, n in counts.items()) / total if total else None
    places = Registration.objects.filter(event=event, status=Registration.Status.BOOKED).aggregate(
        booked=Count("id"),
        marked=Count("id", filter=Q(attended__isnull=False)),
        attended=Count("id", filter=Q(attended=True)),
    )
    answers = list(
        Feedback.objects.filter(event=event)
        .exclude(will_use="", comments="")
        .select_related("user")
        .order_by("-submitted_at", "-id")
    )
    return FeedbackSummary(
        count=total,
        rows=rows,
        mean=mean,
        booked=places["booked"],
        attended=places["attended"] if places["marked"] else None,
        answers=answers,
    )


# What was shared: links to the evidence library and to validated local practice


def linkable_practices(q: str, limit: int = 30):
    q = q.strip()
    if not q:
        return Practice.objects.none()
    return Practice.objects.filter(Q(name__icontains=q) | Q(aliases__icontains=q)).order_by("name")[:limit]


def linkable_local_practices(q: str, limit: int = 30):
    q = q.strip()
    if not q:
        return LocalPractice.objects.none()
    return (
        LocalPractice.objects.filter(status=LocalPractice.Status.VALIDATED)
        .filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(authority__name__icontains=q))
        .select_related("authority")
        .order_by("title")[:limit]
    )


def _names(model, ids: set[int], attribute: str) -> str:
    return "; ".join(sorted(str(getattr(o, attribute)) for o in model.objects.filter(pk__in=ids))) or "None"


def _log_links(event: Event, before: dict[str, set[int]], after: dict[str, set[int]]) -> None:
    """One audit entry for the change, the practices before and after by name (the audit log's pages show
    an entry's changes as old and new values)."""
    fields = {"practices": (Practice, "name"), "local_practices": (LocalPractice, "title")}
    changes = {
        field: [_names(model, before[field], name), _names(model, after[field], name)]
        for field, (model, name) in fields.items()
        if before[field] != after[field]
    }
    if changes:
        LogEntry.objects.log_create(event, action=LogEntry.Action.UPDATE, changes=changes)


def link_shared(*, user, event: Event, practice_ids, local_practice_ids) -> None:
    """Sets what was shared at the event: evidence practices and validated local practice."""
    require_organiser(user, event)
    _require_started(event, "add what was shared")
    practice_ids, local_ids = set(practice_ids), set(local_practice_ids)
    problems: dict[str, list[str]] = {}
    if Practice.objects.filter(pk__in=practice_ids).count() != len(practice_ids):
        problems["practices"] = ["Select practices from the evidence library"]
    if LocalPractice.objects.filter(pk__in=local_ids, status=LocalPractice.Status.VALIDATED).count() != len(
        local_ids
    ):
        problems["local_practices"] = ["Select local practice that has been validated"]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        before = {
            "practices": set(event.practices.values_list("pk", flat=True)),
            "local_practices": set(event.local_practices.values_list("pk", flat=True)),
        }
        event.practices.set(practice_ids)
        event.local_practices.set(local_ids)
        _log_links(event, before, {"practices": practice_ids, "local_practices": local_ids})
