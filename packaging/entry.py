"""The PyInstaller bundle's entry point: the same front door as the `playground` command."""

import multiprocessing

from playground.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the schema checker's worker process starts this again
    raise SystemExit(main())
