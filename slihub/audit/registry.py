"""What the audit log records: every model of the apps that hold private records or published evidence.

`register_all()` (called from AuditConfig.ready) walks the app configs, so a model another part of the hub
adds later to one of AUDITED_APPS is audited without anyone remembering to list it. The few tables left
out are named in EXCLUDED_MODELS with the reason: each is computed in bulk from other records, so its
rows are not anybody's write and its source records are audited instead.

Each entry is linked to the councils it belongs to (slihub.audit.models.EntryAuthority), found by
following the record's foreign keys to places.Authority: directly (a contact's authority, a loan's lender
and borrower), or through the record it hangs from (an availability window's specialist's authority).
OWNER_PATHS overrides that where the generic rule would miss a council.
"""

from auditlog.registry import auditlog
from auditlog.signals import post_log
from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models

#: apps (by module) whose every model is audited; the later capabilities that will hold councils' private
#: records are named already, so their models are audited from the day they arrive
AUDITED_APPS = (
    "slihub.accounts",
    "slihub.evidence",
    "slihub.exchange",
    "slihub.warning",
    "slihub.inspections",
    "slihub.jobs",
    "slihub.alliances",
    "slihub.survey",
    "slihub.workshops",
    "slihub.forecast",
)

#: models of those apps that are not audited, and why
EXCLUDED_MODELS = {
    "evidence.Synthesis": "pooled results recomputed in bulk from the studies after every change; "
    "the studies and effect estimates are audited",
    "early_warning.RiskScore": "monthly scores computed in bulk from published data by the risk model",
    "early_warning.RiskModel": "fitted model coefficients, recomputed in bulk with the scores",
    "early_warning.BacktestReport": "a computed report of the model's past accuracy",
    "forecast.StoredForecast": "forecasts computed in bulk from published data after each import",
    "forecast.ForecastBasis": "the published figures each stored forecast was computed from",
    "forecast.StoredBacktest": "a computed report of the forecasts' past accuracy",
    "forecast.StoredCost": "unit costs and projected spending computed in bulk from published data with "
    "the forecasts",
    "inspections.Inspection": "Ofsted's published judgments, imported in bulk from Ofsted's files "
    "(the files are the record)",
}

#: fields never recorded: secrets, bookkeeping of sign-ins, and text computed from other fields
EXCLUDED_FIELDS = {
    "accounts.User": ["password", "last_login"],
    "accounts.Invitation": ["token_hash"],  # derived from the link's secret: kept out of a log admins read
    "evidence.Practice": ["search_text"],
    "jobs.Job": ["log"],  # a job's running commentary, not a change anyone made
}

#: owner paths where following the foreign keys is not enough: tuples of attribute names ending in an
#: authority id (a validation belongs to the practice's council as well as to the validator's)
OWNER_PATHS = {
    "evidence.PeerValidation": [("local_practice", "authority_id"), ("validator_authority_id",)],
    "exchange.Decline": [("authority_id",), ("request", "authority_id")],
}


def _label(model) -> str:
    return model._meta.label


def _authority_fields(model) -> list[str]:
    from slihub.places.models import Authority

    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is Authority
    ]


def owner_paths(model) -> list[tuple[str, ...]]:
    """How to get from a record to the ids of the councils it belongs to."""
    from slihub.accounts.models import User
    from slihub.places.models import Authority

    if _label(model) in OWNER_PATHS:
        return OWNER_PATHS[_label(model)]
    direct = [(name,) for name in _authority_fields(model)]
    if direct:
        return direct
    paths = []
    for field in model._meta.concrete_fields:
        parent = field.related_model if isinstance(field, models.ForeignKey) else None
        if parent is None or parent in (User, Authority) or parent is model:
            continue
        paths.extend((field.name, name) for name in _authority_fields(parent))
    return paths


def audited_models() -> list[type[models.Model]]:
    return [
        model
        for config in apps.get_app_configs()
        if config.name in AUDITED_APPS
        for model in config.get_models()
        if _label(model) not in EXCLUDED_MODELS
    ]


_PATHS: dict[type[models.Model], list[tuple[str, ...]]] = {}


def register_all() -> None:
    for model in audited_models():
        if not auditlog.contains(model):
            # Reverse relations (a loan's backfills) are other records, audited on their own.
            reverse = [f.name for f in model._meta.get_fields() if not getattr(f, "concrete", False)]
            auditlog.register(model, exclude_fields=[*EXCLUDED_FIELDS.get(_label(model), []), *reverse])
        _PATHS[model] = owner_paths(model)
    post_log.connect(_link_authorities, dispatch_uid="slihub.audit.link_authorities")


def authority_ids(instance) -> set[int]:
    ids = set()
    paths = _PATHS.get(type(instance))
    for path in owner_paths(type(instance)) if paths is None else paths:
        value = instance
        try:
            for name in path:
                value = getattr(value, name)
                if value is None:
                    break
        except ObjectDoesNotExist:  # a parent deleted in the same cascade
            continue
        if isinstance(value, int):
            ids.add(value)
    return ids


def _link_authorities(sender, instance, log_entry=None, **kwargs):
    """post_log: link the new entry to the councils its record belongs to."""
    from slihub.audit.models import EntryAuthority

    if log_entry is None:
        return
    ids = authority_ids(instance)
    if ids:
        EntryAuthority.objects.bulk_create(
            EntryAuthority(entry=log_entry, authority_id=i) for i in sorted(ids)
        )
