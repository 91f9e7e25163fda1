"""HTTP: the REST API, health checks and the static front ends."""
