"""Tests for the pure IAM evaluation core (lambda_secrets_lint.iam)."""
from __future__ import annotations

import pytest

from lambda_secrets_lint.iam import (
    Statement,
    action_matches,
    evaluate,
    expand_sam_policy,
    is_broad_managed,
    is_overbroad,
    is_specific,
    managed_policy_statements,
    pattern_covers,
    patterns_intersect,
    required_actions,
    resource_matches,
    secret_arn_patterns,
    ssm_parameter_arn,
    statements_from_document,
    substitute,
)

ACCT = "arn:aws:secretsmanager:us-east-1:123456789012:secret:"


def allow(actions, resources, cond=False, **kw):
    return Statement("Allow", tuple(actions), (), tuple(resources), (), cond, **kw)


def deny(actions, resources, cond=False, **kw):
    return Statement("Deny", tuple(actions), (), tuple(resources), (), cond, **kw)


# ---------------------------------------------------------------- wildcard matching


@pytest.mark.parametrize(
    "pattern, action, expected",
    [
        ("ssm:GetParameter", "ssm:GetParameter", True),
        ("SSM:getparameter", "ssm:GetParameter", True),
        ("ssm:GetParameter", "ssm:GetParameters", False),
        ("ssm:GetParameter*", "ssm:GetParametersByPath", True),
        ("ssm:Get*", "ssm:GetParameterHistory", True),
        ("ssm:GetParameter?", "ssm:GetParameters", True),
        ("ssm:GetParameter?", "ssm:GetParameter", False),
        ("ssm:*", "secretsmanager:GetSecretValue", False),
        ("*", "secretsmanager:GetSecretValue", True),
        ("secretsmanager:Get*", "secretsmanager:BatchGetSecretValue", False),
    ],
)
def test_action_matches(pattern, action, expected):
    assert action_matches(pattern, action) is expected


@pytest.mark.parametrize(
    "pattern, arn, expected",
    [
        ("*", "arn:aws:ssm:us-east-1:1:parameter/a", True),
        ("arn:aws:ssm:*:*:parameter/app/*", "arn:aws:ssm:us-east-1:1:parameter/app/db/pw", True),
        ("arn:aws:ssm:*:*:parameter/app/*", "arn:aws:ssm:us-east-1:1:parameter/App/db", False),  # case-sensitive
        ("arn:aws:ssm:*:*:parameter/a?c", "arn:aws:ssm:eu-west-1:1:parameter/abc", True),
        ("arn:aws:ssm:*:*:parameter/a?c", "arn:aws:ssm:eu-west-1:1:parameter/abbc", False),
        (ACCT + "prod/db-??????", ACCT + "prod/db-AbCdEf", True),
        (ACCT + "prod/db-??????", ACCT + "prod/db2-AbCdEf", False),
        (ACCT + "prod/db-??????", ACCT + "prod/db-AbCdEfG", False),
        (ACCT + "prod/db*", ACCT + "prod/db2-AbCdEf", True),
    ],
)
def test_resource_matches(pattern, arn, expected):
    assert resource_matches(pattern, arn) is expected


@pytest.mark.parametrize(
    "p, q, intersect, covers",
    [
        ("arn:aws:ssm:us-east-1:1:parameter/a", "arn:aws:ssm:*:*:parameter/a", True, False),
        ("arn:aws:ssm:*:*:parameter/*", "arn:aws:ssm:*:*:parameter/a", True, True),
        ("x-??????", "x-*", True, False),
        ("x-*", "x-??????", True, True),
        ("x2-*", "x-??????", False, False),
        ("a?", "a?", True, True),
        ("a?*", "a*", True, False),
    ],
)
def test_pattern_intersect_and_cover(p, q, intersect, covers):
    assert patterns_intersect(p, q) is intersect
    assert pattern_covers(p, q) is covers


# ---------------------------------------------------------------- ARNs


@pytest.mark.parametrize(
    "name, expected",
    [
        ("/a/b", "arn:aws:ssm:*:*:parameter/a/b"),
        ("a", "arn:aws:ssm:*:*:parameter/a"),
        ("a/b", "arn:aws:ssm:*:*:parameter/a/b"),
        ("arn:aws:ssm:us-east-1:1:parameter/x", "arn:aws:ssm:us-east-1:1:parameter/x"),
    ],
)
def test_ssm_parameter_arn(name, expected):
    assert ssm_parameter_arn(name) == expected
    assert "parameter//" not in ssm_parameter_arn(name)


def test_ssm_parameter_arn_explicit_parts():
    assert ssm_parameter_arn("/x", "eu-west-1", "42", "aws-cn") == "arn:aws-cn:ssm:eu-west-1:42:parameter/x"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("prod/db", ("arn:aws:secretsmanager:*:*:secret:prod/db-??????",)),
        (ACCT + "prod/db-AbCdEf", (ACCT + "prod/db-AbCdEf",)),
        (ACCT + "prod/db", (ACCT + "prod/db-??????",)),
    ],
)
def test_secret_arn_patterns(value, expected):
    assert secret_arn_patterns(value) == expected


def test_secret_name_matches_real_arn_only_for_same_name():
    (pat,) = secret_arn_patterns("prod/db")
    assert resource_matches(pat, ACCT + "prod/db-AbCdEf")
    assert not resource_matches(pat, ACCT + "prod/db2-AbCdEf")


def test_substitute():
    tpl = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${Name}${!Lit}"
    assert substitute(tpl, {"AWS::Region": "eu-west-1", "Name": "db"}) == "arn:*:ssm:eu-west-1:*:parameter/db${Lit}"
    assert substitute(tpl, {"AWS::Partition": "aws", "AWS::AccountId": "1"}) == "arn:aws:ssm:*:1:parameter/*${Lit}"


# ---------------------------------------------------------------- evaluation

PARAM = "arn:aws:ssm:*:*:parameter/app/db"
SECRET = "arn:aws:secretsmanager:*:*:secret:prod/db-??????"


def test_allow_with_wildcards_in_request_and_policy():
    d = evaluate([allow(["ssm:GetParameter"], ["arn:aws:ssm:us-east-1:123:parameter/app/*"])], "ssm:GetParameter", PARAM)
    assert d.allowed and not d.conditional and len(d.allowing) == 1


def test_nothing_matches_is_denied():
    stmts = [allow(["ssm:GetParameter"], ["arn:aws:ssm:*:*:parameter/other"])]
    assert evaluate(stmts, "ssm:GetParameter", PARAM) .allowed is False
    assert evaluate([], "ssm:GetParameter", PARAM).allowed is False


def test_secret_suffix_policy_vs_request():
    grant = allow(["secretsmanager:GetSecretValue"], [ACCT + "prod/db-??????"])
    assert evaluate([grant], "secretsmanager:GetSecretValue", SECRET).allowed
    other = secret_arn_patterns("prod/db2")[0]
    assert not evaluate([grant], "secretsmanager:GetSecretValue", other).allowed


def test_deny_overrides_allow():
    stmts = [allow(["ssm:*"], ["*"]), deny(["ssm:GetParameter*"], ["arn:aws:ssm:*:*:parameter/app/*"])]
    d = evaluate(stmts, "ssm:GetParameter", PARAM)
    assert not d.allowed and not d.conditional and len(d.denying) == 1
    assert evaluate(stmts, "ssm:GetParameter", "arn:aws:ssm:*:*:parameter/other").allowed


def test_conditional_deny_is_may_deny():
    stmts = [allow(["ssm:GetParameter"], ["*"]), deny(["ssm:GetParameter"], ["*"], cond=True)]
    d = evaluate(stmts, "ssm:GetParameter", PARAM)
    assert d.allowed and d.conditional and len(d.denying) == 1


def test_conditional_allow_only():
    d = evaluate([allow(["ssm:GetParameter"], ["*"], cond=True)], "ssm:GetParameter", PARAM)
    assert d.allowed and d.conditional
    d2 = evaluate(
        [allow(["ssm:GetParameter"], ["*"], cond=True), allow(["ssm:GetParameter"], [PARAM])],
        "ssm:GetParameter",
        PARAM,
    )
    assert d2.allowed and not d2.conditional and len(d2.allowing) == 2


def test_deny_that_only_partially_covers_unknown_request_is_may_deny():
    # region unknown in the request: a Deny for one region may or may not apply
    stmts = [allow(["ssm:GetParameter"], ["*"]), deny(["ssm:GetParameter"], ["arn:aws:ssm:us-west-2:*:parameter/app/db"])]
    d = evaluate(stmts, "ssm:GetParameter", PARAM)
    assert d.allowed and d.conditional


def test_not_action():
    power = Statement("Allow", (), ("iam:*", "organizations:*"), ("*",), (), False)
    assert evaluate([power], "secretsmanager:GetSecretValue", SECRET).allowed
    assert not evaluate([power], "iam:CreateUser", "*").allowed
    deny_all_but = Statement("Deny", (), ("ssm:GetParameters",), ("*",), (), False)
    stmts = [allow(["ssm:*"], ["*"]), deny_all_but]
    assert evaluate(stmts, "ssm:GetParameters", PARAM).allowed
    assert not evaluate(stmts, "ssm:GetParameter", PARAM).allowed


def test_not_resource():
    st = Statement("Allow", ("ssm:GetParameter",), (), (), ("arn:aws:ssm:*:*:parameter/admin/*",), False)
    assert evaluate([st], "ssm:GetParameter", PARAM).allowed
    assert not evaluate([st], "ssm:GetParameter", "arn:aws:ssm:us-east-1:1:parameter/admin/pw").allowed


def test_middy_needs_get_parameters_not_get_parameter():
    # @middy/ssm v2+ calls GetParameters; a GetParameter-only grant is not enough (REFERENCE §A.3, §C)
    only_singular = [allow(["ssm:GetParameter"], [PARAM])]
    (needed,) = required_actions("ssm", "GetParametersCommand", False)
    assert needed == "ssm:GetParameters"
    assert not evaluate(only_singular, needed, PARAM).allowed
    assert evaluate([allow(["ssm:GetParameters"], [PARAM])], needed, PARAM).allowed


@pytest.mark.parametrize(
    "service, action, kms, expected",
    [
        ("ssm", "get_parameter", False, ("ssm:GetParameter",)),
        ("ssm", "getParametersByPath", False, ("ssm:GetParametersByPath",)),
        ("ssm", "paginateGetParametersByPath", True, ("ssm:GetParametersByPath", "kms:Decrypt")),
        ("secretsmanager", "GetSecretValueCommand", True, ("secretsmanager:GetSecretValue", "kms:Decrypt")),
        (
            "secretsmanager",
            "batch_get_secret_value",
            False,
            ("secretsmanager:BatchGetSecretValue", "secretsmanager:GetSecretValue"),
        ),
    ],
)
def test_required_actions(service, action, kms, expected):
    assert required_actions(service, action, kms) == expected


def test_required_actions_filters_and_errors():
    assert required_actions("secretsmanager", "BatchGetSecretValue", False, uses_filters=True)[-1] == (
        "secretsmanager:ListSecrets"
    )
    with pytest.raises(ValueError):
        required_actions("s3", "GetObject", False)
    with pytest.raises(ValueError):
        required_actions("ssm", "PutParameter", False)


# ---------------------------------------------------------------- LSL302 / LSL303


@pytest.mark.parametrize(
    "stmt, broad",
    [
        (allow(["ssm:GetParameter"], ["*"]), True),
        (allow(["ssm:*"], ["arn:aws:ssm:us-east-1:123:parameter/*"]), True),
        (allow(["ssm:GetParameter*"], ["arn:aws:ssm:*:*:parameter/*"]), True),
        (allow(["secretsmanager:GetSecretValue"], ["arn:aws:secretsmanager:*:*:secret:*"]), True),
        (allow(["secretsmanager:*"], ["*"]), True),
        (allow(["*"], ["*"]), True),
        # reads nothing alone and accepts only Resource "*": the documented grant, not a broad one
        (allow(["secretsmanager:BatchGetSecretValue"], ["*"]), False),
        (Statement("Allow", ("ssm:GetParameter",), (), (), ("arn:aws:ssm:*:*:parameter/x",), False), True),
        (allow(["ssm:GetParameter"], ["arn:aws:ssm:*:*:parameter/app/*"]), False),
        (allow(["ssm:DescribeParameters"], ["*"]), False),
        (allow(["secretsmanager:ListSecrets", "secretsmanager:DescribeSecret"], ["*"]), False),
        (allow(["secretsmanager:GetSecretValue"], [ACCT + "prod/db-??????"]), False),
        (deny(["ssm:*"], ["*"]), False),
        (allow(["secretsmanager:GetSecretValue"], ["*"], cond=True), False),
        (allow(["ssm:GetParameter"], ["*"], unresolved=True), False),
    ],
)
def test_is_overbroad(stmt, broad):
    reason = is_overbroad(stmt)
    assert (reason is not None) is broad
    if broad:
        assert "allows" in reason


@pytest.mark.parametrize(
    "stmt, specific",
    [
        (allow(["ssm:GetParameter"], ["arn:aws:ssm:*:*:parameter/app/db"]), True),
        (allow(["secretsmanager:GetSecretValue"], [ACCT + "prod/db-??????"]), True),
        (allow(["secretsmanager:GetSecretValue"], [ACCT + "prod/db-*"]), True),
        (allow(["secretsmanager:GetSecretValue"], [ACCT + "prod/db-AbCdEf"]), True),
        (allow(["secretsmanager:GetSecretValue"], [ACCT + "prod/*"]), False),
        (allow(["secretsmanager:GetSecretValue"], [ACCT + "*"]), False),
        (allow(["ssm:GetParameter"], ["arn:aws:ssm:*:*:parameter/app/*"]), False),
        (allow(["ssm:GetParameter"], ["*"]), False),
        (allow(["ssm:DescribeParameters"], ["arn:aws:ssm:*:*:parameter/app/db"]), False),
        (deny(["ssm:GetParameter"], ["arn:aws:ssm:*:*:parameter/app/db"]), False),
    ],
)
def test_is_specific(stmt, specific):
    assert is_specific(stmt) is specific


# ---------------------------------------------------------------- SAM templates

CTX = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012"}


def test_sam_ssm_parameter_read_policy_exact():
    out = expand_sam_policy({"SSMParameterReadPolicy": {"ParameterName": "app/db"}}, CTX)
    assert [(s.actions, s.resources, s.has_condition) for s in out] == [
        (("ssm:DescribeParameters",), ("*",), False),
        (
            ("ssm:GetParameters", "ssm:GetParameter", "ssm:GetParametersByPath"),
            ("arn:aws:ssm:us-east-1:123456789012:parameter/app/db",),
            False,
        ),
    ]


def test_sam_ssm_slash_prefix_policy_exact():
    out = expand_sam_policy({"SSMParameterWithSlashPrefixReadPolicy": {"ParameterName": "/app/db"}})
    assert out[1].resources == ("arn:*:ssm:*:*:parameter/app/db",)
    assert evaluate(out, "ssm:GetParameters", ssm_parameter_arn("/app/db")).allowed


def test_sam_secret_get_policy_exact():
    out = expand_sam_policy({"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": {"Ref": "DbSecret"}}})
    assert len(out) == 1
    assert out[0].actions == ("secretsmanager:GetSecretValue",)
    assert out[0].resources == ("*",) and out[0].unresolved
    assert is_overbroad(out[0]) is None  # unresolved Ref must not be reported as '*'
    known = expand_sam_policy(
        {"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": {"Ref": "DbSecret"}}},
        {"DbSecret": ACCT + "prod/db-AbCdEf"},
    )
    assert known[0].resources == (ACCT + "prod/db-AbCdEf",) and not known[0].unresolved
    assert not any(s.actions == ("secretsmanager:DescribeSecret",) for s in out)


def test_sam_rotation_policy_is_conditional():
    out = expand_sam_policy({"AWSSecretsManagerRotationPolicy": {"FunctionName": "rot"}}, CTX)
    assert out[0].has_condition and out[0].resources == (
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:*",
    )
    assert out[0].actions == (
        "secretsmanager:DescribeSecret",
        "secretsmanager:GetSecretValue",
        "secretsmanager:PutSecretValue",
        "secretsmanager:UpdateSecretVersionStage",
    )
    assert out[1].actions == ("secretsmanager:GetRandomPassword",) and out[1].resources == ("*",)
    d = evaluate(out, "secretsmanager:GetSecretValue", SECRET)
    assert d.allowed and d.conditional
    assert all(is_overbroad(s) is None for s in out)


def test_sam_kms_decrypt_policy_exact():
    (st,) = expand_sam_policy({"KMSDecryptPolicy": {"KeyId": "abcd-1234"}}, CTX)
    assert st.actions == ("kms:Decrypt",)
    assert st.resources == ("arn:aws:kms:us-east-1:123456789012:key/abcd-1234",)


def test_sam_sub_parameter_and_wildcard_passthrough():
    (_, st) = expand_sam_policy({"SSMParameterReadPolicy": {"ParameterName": {"Fn::Sub": "${Stage}/*"}}}, {"Stage": "dev"})
    assert st.resources == ("arn:*:ssm:*:*:parameter/dev/*",) and not st.unresolved
    assert evaluate([st], "ssm:GetParameter", ssm_parameter_arn("/dev/x")).allowed


def test_sam_inline_and_managed_entries():
    inline = {
        "Statement": [
            {"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/x"}},
            {"Effect": "Deny", "Action": ["ssm:GetParameter"], "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        ]
    }
    out = expand_sam_policy(inline, CTX)
    assert out[0].resources == ("arn:aws:ssm:us-east-1:123456789012:parameter/x",) and not out[0].unresolved
    assert out[1].effect == "Deny" and out[1].has_condition
    assert expand_sam_policy("AWSLambdaBasicExecutionRole")
    assert expand_sam_policy("arn:aws:iam::aws:policy/SecretsManagerReadWrite")[0].actions == ("secretsmanager:*",)
    assert expand_sam_policy({"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMReadOnlyAccess"}) != ()
    assert expand_sam_policy("arn:aws:iam::123456789012:policy/Custom") == ()
    assert expand_sam_policy({"UnknownPolicy": {}}) == ()


def test_statements_from_document_unresolved_resource_is_may_deny():
    stmts = statements_from_document(
        {"Statement": [
            {"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"},
            {"Effect": "Deny", "Action": "ssm:GetParameter", "Resource": {"Fn::GetAtt": ["P", "Arn"]}},
        ]}
    )
    assert stmts[1].unresolved and stmts[1].resources == ("*",)
    d = evaluate(stmts, "ssm:GetParameter", PARAM)
    assert d.allowed and d.conditional


# ---------------------------------------------------------------- managed policies


@pytest.mark.parametrize(
    "name, broad",
    [
        ("SecretsManagerReadWrite", True),
        ("arn:aws:iam::aws:policy/AmazonSSMFullAccess", True),
        ("AmazonSSMReadOnlyAccess", True),
        ("AdministratorAccess", True),
        ("ReadOnlyAccess", True),  # ssm:Get* on '*'
        ("PowerUserAccess", True),
        ("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", False),
        ("AWSLambdaVPCAccessExecutionRole", False),
        ("SomethingUnknown", False),
    ],
)
def test_is_broad_managed(name, broad):
    assert is_broad_managed(name) is broad


@pytest.mark.parametrize(
    "name, action, resource, allowed",
    [
        ("AWSLambdaBasicExecutionRole", "ssm:GetParameter", PARAM, False),
        ("AWSLambdaVPCAccessExecutionRole", "secretsmanager:GetSecretValue", SECRET, False),
        ("ReadOnlyAccess", "ssm:GetParameters", PARAM, True),
        ("ReadOnlyAccess", "secretsmanager:GetSecretValue", SECRET, False),
        ("AmazonSSMReadOnlyAccess", "ssm:GetParametersByPath", PARAM, True),
        ("AmazonSSMReadOnlyAccess", "secretsmanager:GetSecretValue", SECRET, False),
        ("SecretsManagerReadWrite", "secretsmanager:BatchGetSecretValue", SECRET, True),
        ("AdministratorAccess", "kms:Decrypt", "arn:aws:kms:*:*:key/x", True),
        ("PowerUserAccess", "secretsmanager:GetSecretValue", SECRET, True),
    ],
)
def test_managed_policy_grants(name, action, resource, allowed):
    assert evaluate(managed_policy_statements(name), action, resource).allowed is allowed
