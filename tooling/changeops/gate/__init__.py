"""The pull-request gate (`check`): judges the records a pull request changes by the base's policies."""
