"""``python -m planning_core``: the same as the ``planning-core`` command."""

from planning_core.cli import main

if __name__ == "__main__":
    main()
