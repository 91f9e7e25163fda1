"""Calls: voice, video and screen share in a conversation, through the media plane
(`media.control.MediaControl`), logged on the conversation's clock and recorded by remuxing."""
