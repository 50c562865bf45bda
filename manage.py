#!/usr/bin/env python
"""Django's manage.py; `slihub` (the installed console script) does the same."""

from slihub.cli import main

if __name__ == "__main__":
    main()
