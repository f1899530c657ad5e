"""changeops: GitOps change management and runbooks for network operations."""

__version__ = "0.1.0"
