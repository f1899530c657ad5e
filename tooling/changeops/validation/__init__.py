"""Validate: records, runbooks, inventory and policies checked together, fast and cached."""
