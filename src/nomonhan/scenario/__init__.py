"""Scenario files: the schema, the loader with file:line errors, the canonical writer, and the
compiled map that the rules read."""
