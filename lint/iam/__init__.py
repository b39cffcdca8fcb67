"""Pure IAM evaluation core for the LSL3xx rules (no I/O, no linking).

- :mod:`.arns` builds the resource ARNs a handler's reads correspond to.
- :mod:`.policy` holds :class:`Statement`, wildcard matching, :func:`evaluate`,
  the LSL302/LSL303 classifiers and :func:`required_actions`.
- :mod:`.sam_templates` expands SAM ``Policies`` entries into statements.
- :mod:`.managed` models the secret-relevant slice of AWS managed policies.
"""
from __future__ import annotations

from .arns import secret_arn_patterns, ssm_parameter_arn, substitute
from .managed import is_broad_managed, is_known_managed, managed_policy_statements
from .policy import (
    SECRET_READ_ACTIONS,
    Decision,
    Statement,
    action_matches,
    evaluate,
    is_overbroad,
    is_specific,
    patterns_intersect,
    pattern_covers,
    required_actions,
    resource_matches,
    specific_resources,
    statements_from_document,
)
from .sam_templates import expand_sam_policy

__all__ = [
    "SECRET_READ_ACTIONS",
    "Decision",
    "Statement",
    "action_matches",
    "evaluate",
    "expand_sam_policy",
    "is_broad_managed",
    "is_known_managed",
    "is_overbroad",
    "is_specific",
    "managed_policy_statements",
    "pattern_covers",
    "patterns_intersect",
    "required_actions",
    "resource_matches",
    "secret_arn_patterns",
    "specific_resources",
    "ssm_parameter_arn",
    "statements_from_document",
    "substitute",
]
