"""Aisle's media plane: aiortc peers that forward encoded media between a call's participants
and record it by remuxing. Signaling talks to it only through `media.control.MediaControl`
(implemented in-process by `media.local.LocalMediaControl`); see docs/media.md.
"""
