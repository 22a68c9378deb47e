"""Connection Details: host overview, check, networks, storage."""
