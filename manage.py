"""Command-line entry point: ``python manage.py --help`` (same as the ``tracker`` script)."""

from tracker.console import main

if __name__ == "__main__":
    main()
