"""Accounts: the custom user model, roles and area assignments (who may see what)."""
