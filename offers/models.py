"""Models arrive with the offers issue."""
