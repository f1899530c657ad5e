"""Secrets never reach git: the configuration grammar, the known values, and the scan that fails closed."""
