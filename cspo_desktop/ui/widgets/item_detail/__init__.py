"""The item detail panel (see :mod:`.panel`)."""
