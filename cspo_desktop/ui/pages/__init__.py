"""One module per screen of the navigation rail."""
