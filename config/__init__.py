"""Configuration: the one place where settings are read."""

from config.settings import REPOSITORY, Environment, Settings, SettingsError, get_settings

__all__ = ["REPOSITORY", "Environment", "Settings", "SettingsError", "get_settings"]
