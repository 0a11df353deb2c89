"""CSPO Desktop: an offline workbench for Scrum Product Owners."""

__version__ = "0.1.0"
