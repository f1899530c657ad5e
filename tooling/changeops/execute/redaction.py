"""Secrets a run must never write: the run's writers use :mod:`changeops.secrets.collect` through these names."""

from __future__ import annotations

from changeops.secrets.collect import MASK, Secrets, collect_secrets, vault_password, yaml_files

__all__ = ["MASK", "Secrets", "collect_secrets", "vault_password", "yaml_files"]
