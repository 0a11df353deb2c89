"""The item detail panel (see :mod:`.panel`)."""

#: What the panel says while no item is selected (the dock says it before the panel is made).
NOTHING_SELECTED = "Select an item to see and edit all of it here."
