"""`slihub alliances ...`: the regional improvement alliances' command line (subcommands in
slihub/alliances/cli/, one module each)."""

import importlib
import pkgutil

from django.core.management.base import BaseCommand

from slihub.alliances import cli


def _subcommands() -> dict:
    names = (info.name for info in pkgutil.iter_modules(cli.__path__))
    modules = (importlib.import_module(f"{cli.__name__}.{name}") for name in names)
    return {module.NAME: module for module in modules}


class Command(BaseCommand):
    help = "Regional improvement alliances: Partners in Practice eligibility and peer challenge groups."
    # A self-contained instance needs neither the database nor the system checks.
    requires_system_checks = []

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        for module in _subcommands().values():
            module.add_parser(subparsers)

    def handle(self, *args, subcommand, **options):
        return _subcommands()[subcommand].run(self, **options)
