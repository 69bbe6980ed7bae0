"""history layer (see DESIGN.md)."""
