"""kerncijfers: key figures, annual report and factsheets from Werk en Inkomen extracts."""
