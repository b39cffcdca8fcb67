"""lambda-secrets-lint: static linter for AWS Lambda secret hygiene."""

__version__ = "0.2.0"
