"""Statistics with disclosure control, official tables and exports (issue 14)."""
