"""workspace layer (see DESIGN.md)."""
