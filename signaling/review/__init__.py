"""Review of recorded conversations: the catalogue, the timeline's manifest, annotations and
scorecards, export, composed video, retention and erasure."""
