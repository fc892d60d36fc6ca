"""onpath: whose networks does a country's Internet traffic cross, and what if we cut them off."""

__version__ = "0.1.0"
