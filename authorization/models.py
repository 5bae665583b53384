"""Models arrive with the authorization issue."""
