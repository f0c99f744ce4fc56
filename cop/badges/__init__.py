"""Recognition: badges, points and leaderboards per community, Open Badges 2.0 awards."""
