"""operations layer (see DESIGN.md)."""
