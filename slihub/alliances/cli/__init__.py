"""The `slihub alliances` subcommands, one module each.

Each module here defines NAME (the subcommand), `add_parser(subparsers)` returning its parser, and
`run(command, **options)`, where `command` is the Django BaseCommand (for its stdout and CommandError).
"""
