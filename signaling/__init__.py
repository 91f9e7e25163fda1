"""Aisle's control plane: HTTP + Socket.IO, auth, conversations, routing and storage."""
