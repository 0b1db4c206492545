"""The PyInstaller bundle's entry point: the same front door as the `playground` command."""

import multiprocessing

from playground.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the request and schema-checker processes start this again
    raise SystemExit(main())
