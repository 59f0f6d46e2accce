"""Adding and removing the "replica" database alias in tests (tests/config/test_replica*.py)."""

import copy

from django.db import connections

from config.replica import REPLICA


def add_replica(options: dict | None = None) -> None:
    settings = copy.deepcopy(connections["default"].settings_dict)
    if options:
        settings["OPTIONS"] = {**settings["OPTIONS"], **options}
    # As settings.py configures it: tests leave it out of their flushes.
    settings["TEST"] = {**settings["TEST"], "MIRROR": "default"}
    connections.settings[REPLICA] = settings


def remove_replica() -> None:
    if hasattr(connections._connections, REPLICA):
        connections[REPLICA].close()
        del connections[REPLICA]
    connections.settings.pop(REPLICA, None)
