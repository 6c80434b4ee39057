"""The rules: pure functions of the state and the scenario's rules data."""
