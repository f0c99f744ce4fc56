"""Learning cycles (issue #20): lesson study, mentoring pairs and classroom action
research (PTK), each a guided, recorded cycle inside a community (docs/cycles.md)."""
