"""Rendering the jaarverslag and the factsheets from the kerncijfers mart."""
