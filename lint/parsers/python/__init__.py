"""The Python extractor (libcst): see lambda_secrets_lint.parsers.python_code."""
from lambda_secrets_lint.parsers.python.extract import extract_python

__all__ = ["extract_python"]
