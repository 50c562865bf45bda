"""`slihub alliances eligibility [--as-of YYYY-MM-DD] [--json]`: every council's Partners in Practice
eligibility on a day, with the inspection it rests on (rules in slihub/alliances/partners.py)."""

import json
from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone

from slihub.alliances import partners

NAME = "eligibility"


def add_parser(subparsers):
    parser = subparsers.add_parser(
        NAME,
        help="Every council's Partners in Practice eligibility on a day.",
        description="Every council's Partners in Practice eligibility on a day (today unless --as-of is "
        "given): eligible or not, the ILACS standard or short inspection it rests on, and why.",
    )
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="The day to judge on (default: today).")
    parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
    return parser


def parse_day(text: str | None) -> date:
    if text is None:
        return timezone.localdate()
    try:
        if len(text) != 10 or not text.isascii():
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--as-of must be a real date written YYYY-MM-DD, like 2025-03-31, not {text!r}", returncode=2
        ) from None


def run(command, *, as_of=None, json=False, **options):
    day = parse_day(as_of)
    standings = partners.eligibility(day)
    if json:
        _print_json(command, day, standings)
    else:
        _print_table(command, day, standings)


def _print_json(command, day, standings):
    document = {
        "as_of": day.isoformat(),
        "eligible": sum(s.eligible for s in standings),
        "councils": [s.as_dict() for s in standings],
    }
    command.stdout.write(json.dumps(document, indent=2))


def _print_table(command, day, standings):
    eligible = sum(s.eligible for s in standings)
    command.stdout.write(
        f"Partners in Practice eligibility on {partners.long_date(day)}: "
        f"{eligible} of {len(standings)} councils eligible"
    )
    command.stdout.write("")
    header = ("Code", "Council", "Status", "Since", "Inspection", "Published", "Overall")
    rows = []
    for s in standings:
        i = s.inspection
        rows.append(
            (
                s.authority.code,
                s.authority.name,
                s.status,
                s.since.isoformat() if s.since else "",
                f"{i.get_kind_display()} {i.start_date.isoformat()}" if i else "",
                i.published_on.isoformat() if i else "",
                i.overall_effectiveness if i else "",
            )
        )
    widths = [max(len(str(row[n])) for row in [header, *rows]) for n in range(len(header))]
    for row in [header, *rows]:
        command.stdout.write(
            "  ".join(str(value).ljust(width) for value, width in zip(row, widths, strict=True)).rstrip()
        )
    command.stdout.write("")
    for s in standings:
        command.stdout.write(f"{s.authority.name} ({s.authority.code}): {s.reason}.")
