"""Chat: channels per community, stored messages, live delivery over Socket.IO."""
