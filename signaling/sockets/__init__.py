"""Socket.IO: the server's configuration, per-socket limits, and the two namespaces."""
