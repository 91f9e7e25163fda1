"""Co-browsing: consent to view and to control, the page's rrweb batches relayed (and stored
for recordings), and the agent's pointer and remote-control commands."""
