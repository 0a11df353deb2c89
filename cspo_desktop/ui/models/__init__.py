"""Qt item models: thin adapters over lightweight rows read from the product file."""
