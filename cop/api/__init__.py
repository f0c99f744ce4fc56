"""JSON API v1 (/api/v1): the contract for mobile apps, integrations and black-box tests."""
