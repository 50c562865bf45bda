"""`slihub alliances challenge-groups`: propose peer challenge groups, solved exactly (the objective is
in slihub/stats/grouping.py; the instance format in slihub/alliances/INSTANCE_FORMAT.md)."""

import json as _json

from django.core.management.base import CommandError

from slihub.alliances.grouping_instances import (
    InstanceError,
    instance_to_json,
    read_instance,
    result_to_json,
    result_to_text,
)
from slihub.stats import grouping

NAME = "challenge-groups"


def add_parser(subparsers):
    parser = subparsers.add_parser(
        NAME,
        help="propose peer challenge groups (triads or fours), solved exactly",
        description=(
            "Propose challenge groups maximising the total of the pair scores (weak with strong, "
            "away from last year's pairs, near each other), printing each group's score with its parts, "
            "the total and whether it is proven best."
        ),
    )
    parser.add_argument("--instance", metavar="FILE.json", help="a self-contained instance (no database)")
    parser.add_argument("--region", metavar="CODE", help="without --instance: the region (ONS code or slug)")
    parser.add_argument("--year", metavar="YYYY", type=int, help="without --instance: the cycle's first year")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--time-limit",
        metavar="SECONDS",
        type=float,
        default=grouping.DEFAULT_TIME_LIMIT_S,
        help=f"stop the search after this long (default {grouping.DEFAULT_TIME_LIMIT_S:g})",
    )
    parser.add_argument(
        "--save-instance",
        metavar="FILE.json",
        help="with --region: also write the instance built from the hub",
    )
    return parser


def run(
    command, *, instance=None, region=None, year=None, json=False, time_limit=None, save_instance=None, **_
):
    as_json = json
    if time_limit is not None and not time_limit > 0:
        raise CommandError("--time-limit must be above 0 seconds", returncode=2)
    if instance:
        if region or year:
            raise CommandError(
                "--region and --year are for the hub's data; --instance is self-contained.", returncode=2
            )
        try:
            problem = read_instance(instance)
        except InstanceError as error:
            raise CommandError(f"{error}\nNothing was grouped.", returncode=2) from None
    else:
        problem = _hub_instance(region, year)
        if save_instance:
            with open(save_instance, "w", encoding="utf-8") as out:
                out.write(_json.dumps(instance_to_json(problem), indent=2, ensure_ascii=False))
    result = grouping.solve(problem, time_limit_s=time_limit or grouping.DEFAULT_TIME_LIMIT_S)
    if as_json:
        command.stdout.write(_json.dumps(result_to_json(result), indent=2, ensure_ascii=False))
    else:
        command.stdout.write(result_to_text(result))



def _hub_instance(region, year):
    from django.db import DatabaseError
    from django.db.models import Q

    from slihub.alliances.challenges import region_instance
    from slihub.alliances.models import Alliance

    if not region or not year:
        raise CommandError(
            "Give --instance FILE.json, or --region CODE and --year YYYY to group a region's councils "
            "from the hub's data.",
            returncode=2,
        )
    try:
        alliance = (
            Alliance.objects.select_related("region")
            .filter(Q(region__code=region.upper()) | Q(region__slug=region.lower()))
            .first()
        )
    except DatabaseError as error:
        raise CommandError(
            f"Grouping a region needs a migrated database ({str(error).splitlines()[0]}). "
            "Run `slihub migrate` first, or use --instance FILE.json.",
            returncode=2,
        ) from None
    if alliance is None:
        raise CommandError(f"--region: no alliance for the region {region!r}", returncode=2)
    try:
        return region_instance(alliance, year)
    except grouping.GroupingError as error:
        raise CommandError(f"{alliance.region.name}: {error}", returncode=2) from None
