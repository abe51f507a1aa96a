"""pandera schemas for the published tables."""
