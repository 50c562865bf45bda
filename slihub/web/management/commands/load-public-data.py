from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from slihub.alliances.services import ensure_alliances
from slihub.evidence.services import load_evidence
from slihub.forecast.refresh import compute_forecasts
from slihub.forecast.scenario_services import recompute_saved
from slihub.indicators.services import load_indicator_data
from slihub.inspections.services import load_inspections
from slihub.places.importers import DataFileError
from slihub.places.services import DataFolderError, load_reference_data
from slihub.warning.services import compute_backtest, compute_risk_scores

# In load order: inspections and indicators attach to the authorities the reference data makes.
DATASETS = {
    "reference": ("Reference data", load_reference_data),
    "inspections": ("Ofsted inspections", load_inspections),
    "indicators": ("Indicators", load_indicator_data),
    # The starter content from the "evidence" folder beside the data folder (or SLIHUB_EVIDENCE_DIR), and
    # the library's own transcriptions shipped in slihub/evidence/content (or SLIHUB_EVIDENCE_CONTENT_DIR).
    "evidence": ("Evidence library", load_evidence),
}

# Figures derived from the datasets above, recomputed in the same transaction after a load that
# changed any dataset (not after one that changed nothing, so a second run stays a no-op). Each is
# label -> compute(progress=...).
DERIVED: dict[str, Callable[..., object]] = {
    "Early-warning risk scores": compute_risk_scores,
    "Early-warning backtest": compute_backtest,
    "Forecasts of children looked after": compute_forecasts,
    "Saved forecast scenarios": recompute_saved,  # after the forecasts: their baselines are the same draws
}


class Command(BaseCommand):
    help = (
        "Load the public data from the data folder: reference data (authorities, reorganisations, "
        "statistical neighbours, boundaries), Ofsted inspections, indicators (LAIT's bank and DfE's tidy "
        "files) and the evidence library (its starter content and its own transcriptions of published "
        "reviews). "
        "Idempotent and all-or-nothing: a bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help="folder of public files (default: $SLIHUB_DATA_DIR)")
        parser.add_argument(
            "--only",
            action="append",
            choices=list(DATASETS),
            help="load only this dataset (repeatable); the others must already be loaded",
        )

    def handle(self, *args, data_dir=None, only=None, **options):
        chosen = [name for name in DATASETS if not only or name in only]
        changed = []
        try:
            with transaction.atomic():
                for name in chosen:
                    label, load = DATASETS[name]
                    self.stdout.write(f"== {label}")
                    if load(data_dir, progress=self.stdout.write).changed:
                        changed.append(label)
                # One improvement alliance per English region, once the regions exist (idempotent; an
                # alliance made before the indicators gets the default core indicators now).
                ensure_alliances()
                if changed:
                    for label, compute in DERIVED.items():
                        self.stdout.write(f"== {label}")
                        compute(progress=self.stdout.write)
        except (DataFolderError, DataFileError) as error:
            raise CommandError(f"{error}\nNothing was changed.") from None
        if changed:
            self.stdout.write(self.style.SUCCESS(f"Loaded: {', '.join(changed)}."))
        else:
            self.stdout.write(self.style.SUCCESS("Public data already up to date: nothing changed."))
