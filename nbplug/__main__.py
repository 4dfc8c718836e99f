"""``python -m nbplug run TARGET NAME [OPTIONS]...``: the same command line as ``nbplug``."""

from .terminal.cli import main

if __name__ == "__main__":
    main()
