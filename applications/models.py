"""Models arrive with the applications issue."""
