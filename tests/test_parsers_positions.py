"""Low-level template readers: textio, the positioned tree, the YAML and JSON loaders."""
from __future__ import annotations

import copy
import errno
import json
import os
import pickle
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from lambda_secrets_lint.model.location import Span
from lambda_secrets_lint.parsers import cfn_yaml
from lambda_secrets_lint.parsers.cfn_json import load_json
from lambda_secrets_lint.parsers.cfn_yaml import CFN_SHORT_TAGS, load_yaml
from lambda_secrets_lint.parsers.nodes import ParseError, PosDict, PosList
from lambda_secrets_lint.parsers.textio import SourceError, read_text

MB = 1024 * 1024


def all_spans(value: Any) -> list[tuple[Any, ...]]:
    """Every span in a tree, in walk order, to compare two loaders exactly."""
    out: list[tuple[Any, ...]] = []
    pending = [value]
    while pending:
        node = pending.pop()
        if isinstance(node, PosDict):
            out.append(("map", node.span, tuple(node.key_spans.items()), tuple(node.value_spans.items())))
            pending.extend(node.values())
        elif isinstance(node, PosList):
            out.append(("seq", node.span, tuple(node.item_spans)))
            pending.extend(node)
    return out


def containers(value: Any) -> list[Any]:
    out, pending = [], [value]
    while pending:
        node = pending.pop()
        if isinstance(node, (dict, list)):
            out.append(node)
            pending.extend(node.values() if isinstance(node, dict) else node)
    return out


# --------------------------------------------------------------------------- YAML positions

YAML_SAMPLE = """\
AWSTemplateFormatVersion: 2010-09-09
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables:
          TABLE: !Ref Table
          API_KEY: "abc"
          LIST: [a, bb]
# trailing comment

"""


def test_yaml_key_and_value_spans_are_exact() -> None:
    doc = load_yaml(YAML_SAMPLE)
    assert isinstance(doc, PosDict)
    assert doc.key_spans["Resources"] == Span(2, 1, 2, 10)
    assert doc.value_spans["AWSTemplateFormatVersion"] == Span(1, 27, 1, 37)
    variables = doc["Resources"]["Fn"]["Properties"]["Environment"]["Variables"]
    assert isinstance(variables, PosDict)
    assert variables.key_spans["TABLE"] == Span(8, 11, 8, 16)
    assert variables.value_spans["TABLE"] == Span(8, 18, 8, 28)  # the tag is part of the value
    assert variables.key_spans["API_KEY"] == Span(9, 11, 9, 18)
    assert variables.value_spans["API_KEY"] == Span(9, 20, 9, 25)  # quotes included
    assert variables.value_spans["LIST"] == Span(10, 17, 10, 24)
    assert variables["LIST"].item_spans == [Span(10, 18, 10, 19), Span(10, 21, 10, 23)]
    assert variables["LIST"].span == Span(10, 17, 10, 24)


def test_yaml_block_mapping_span_ends_at_its_last_value_not_at_the_next_token() -> None:
    doc = load_yaml(YAML_SAMPLE)
    variables = doc["Resources"]["Fn"]["Properties"]["Environment"]["Variables"]
    assert variables.span == Span(8, 11, 10, 24)
    assert doc["Resources"].span == Span(3, 3, 10, 24)
    assert doc.value_spans["Resources"] == doc["Resources"].span


def test_yaml_tagged_value_wrapper_spans_point_at_the_tagged_node() -> None:
    doc = load_yaml("A:\n  - !Sub 'x-${Y}'\n")
    wrapper = doc["A"][0]
    node = Span(2, 5, 2, 18)
    assert doc["A"].item_spans[0] == node
    assert wrapper == {"Fn::Sub": "x-${Y}"}
    assert wrapper.span == node
    assert wrapper.key_spans == {"Fn::Sub": node}
    assert wrapper.value_spans == {"Fn::Sub": node}


def test_yaml_block_scalar_value_span_is_the_node_span() -> None:
    doc = load_yaml("Code: |\n  line one\n  line two\nNext: 1\n")
    assert doc["Code"] == "line one\nline two\n"
    assert doc.value_spans["Code"] == Span(1, 7, 4, 1)
    assert doc.key_spans["Next"] == Span(4, 1, 4, 5)


def test_yaml_columns_count_code_points() -> None:
    doc = load_yaml("k: 'é😀' # ü\nv: [1, b]\n")
    assert doc.value_spans["k"] == Span(1, 4, 1, 8)
    assert doc["v"].item_spans == [Span(2, 5, 2, 6), Span(2, 8, 2, 9)]


def test_yaml_empty_value_is_none_with_a_position() -> None:
    doc = load_yaml("Parameters:\nResources: {}\n")
    assert doc == {"Parameters": None, "Resources": {}}
    assert doc.value_spans["Parameters"].line == 1


# --------------------------------------------------------------------------- short-form tags

FN_TAGS = sorted(tag for tag in CFN_SHORT_TAGS if tag not in ("!Ref", "!Condition", "!GetAtt"))


def test_every_documented_short_form_is_known() -> None:
    expected = {"!Ref", "!Condition", "!GetAtt"} | {
        f"!{name}" for name in (
            "Sub", "Join", "Select", "Split", "If", "Equals", "And", "Or", "Not",
            "FindInMap", "ImportValue", "Base64", "Cidr", "GetAZs", "Transform",
        )
    }
    assert set(CFN_SHORT_TAGS) == expected


@pytest.mark.parametrize("tag", FN_TAGS)
def test_fn_short_forms_become_long_forms_for_scalar_sequence_and_mapping(tag: str) -> None:
    name = "Fn::" + tag[1:]
    assert load_yaml(f"v: {tag} text") == {"v": {name: "text"}}
    assert load_yaml(f"v: {tag} [a, 1]") == {"v": {name: ["a", 1]}}
    assert load_yaml(f"v: {tag}\n  - a\n  - b\n") == {"v": {name: ["a", "b"]}}
    assert load_yaml(f"v: {tag} {{Name: n}}") == {"v": {name: {"Name": "n"}}}


def test_ref_and_condition_have_no_fn_prefix() -> None:
    assert load_yaml("a: !Ref Bucket\nb: !Condition IsProd\n") == {
        "a": {"Ref": "Bucket"},
        "b": {"Condition": "IsProd"},
    }


def test_tagged_scalars_stay_strings() -> None:
    assert load_yaml("a: !Ref 123\nb: !Base64 true") == {"a": {"Ref": "123"}, "b": {"Fn::Base64": "true"}}


def test_getatt_splits_at_the_first_dot_only() -> None:
    doc = load_yaml("a: !GetAtt Res.Attr\nb: !GetAtt  Res.Attr.Sub\n")
    assert doc == {"a": {"Fn::GetAtt": ["Res", "Attr"]}, "b": {"Fn::GetAtt": ["Res", "Attr.Sub"]}}
    parts = doc["b"]["Fn::GetAtt"]
    assert isinstance(parts, PosList)
    assert parts.item_spans == [Span(2, 13, 2, 16), Span(2, 17, 2, 25)]


def test_getatt_list_form_is_kept() -> None:
    doc = load_yaml("a: !GetAtt [Res, Attr.Sub]\n")
    assert doc == {"a": {"Fn::GetAtt": ["Res", "Attr.Sub"]}}
    assert doc["a"]["Fn::GetAtt"].item_spans == [Span(1, 13, 1, 16), Span(1, 18, 1, 26)]


def test_nested_short_forms_match_the_json_long_form() -> None:
    yaml_doc = load_yaml(
        "Variables:\n"
        "  URL: !Join ['', [!Sub 'https://${Api}.example.com', !Ref Path]]\n"
        "  OPT: !If [IsProd, !Ref Secret, !Ref AWS::NoValue]\n"
        "  AZ: !Select [0, !GetAZs '']\n"
        "  ARN: !GetAtt Role.Arn\n"
        "  N: !Not [!Equals [!Ref Env, prod]]\n"
    )
    json_doc = load_json(json.dumps({"Variables": {
        "URL": {"Fn::Join": ["", [{"Fn::Sub": "https://${Api}.example.com"}, {"Ref": "Path"}]]},
        "OPT": {"Fn::If": ["IsProd", {"Ref": "Secret"}, {"Ref": "AWS::NoValue"}]},
        "AZ": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
        "ARN": {"Fn::GetAtt": ["Role", "Arn"]},
        "N": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Env"}, "prod"]}]},
    }}))
    assert yaml_doc == json_doc
    assert isinstance(yaml_doc["Variables"]["OPT"]["Fn::If"][2], PosDict)


def test_unknown_tag_is_an_error_naming_the_tag_and_line() -> None:
    with pytest.raises(ParseError) as info:
        load_yaml("a: 1\nb: !Foo bar\n")
    assert "!Foo" in info.value.message
    assert (info.value.line, info.value.col) == (2, 4)
    with pytest.raises(ParseError, match="!Bar"):
        load_yaml("a: !Bar [1]\n")
    with pytest.raises(ParseError, match="python/object"):
        load_yaml("a: !!python/object:os.system {}\n")


def test_non_specific_tag_is_accepted() -> None:
    assert load_yaml("a: ! 12\nb: ! [1]\n") == {"a": "12", "b": [1]}


def test_tag_on_a_key_is_an_error() -> None:
    with pytest.raises(ParseError, match="key"):
        load_yaml("!Ref a: 1\n")


# --------------------------------------------------------------------------- scalars

def test_timestamps_stay_strings() -> None:
    doc = load_yaml("AWSTemplateFormatVersion: 2010-09-09\nWhen: 2001-12-14t21:59:43.10-05:00\n")
    assert doc == {"AWSTemplateFormatVersion": "2010-09-09", "When": "2001-12-14t21:59:43.10-05:00"}
    assert type(doc["AWSTemplateFormatVersion"]) is str


def test_plain_scalars_resolve_like_safe_load() -> None:
    text = (
        "t: true\nf: False\ny: yes\no: off\ni: 42\nneg: -7\nhex: 0x1F\nsep: 1_000\n"
        "fl: 2.5\nexp: 1.5e+3\nnodot: 1e3\nn: null\ntilde: ~\nempty:\nqt: 'true'\nqi: \"42\"\ns: hello\n"
    )
    doc = load_yaml(text)
    assert doc == yaml.safe_load(text)
    assert doc["t"] is True and doc["o"] is False and doc["y"] is True
    assert doc["hex"] == 31 and doc["sep"] == 1000 and doc["neg"] == -7
    assert doc["fl"] == 2.5 and doc["exp"] == 1500.0 and isinstance(doc["exp"], float)
    assert doc["nodot"] == "1e3"  # YAML 1.1 floats need a dot; safe_load agrees
    assert doc["n"] is None and doc["tilde"] is None and doc["empty"] is None
    assert doc["qt"] == "true" and doc["qi"] == "42"


def test_explicit_standard_tags() -> None:
    assert load_yaml("a: !!str 12\nb: !!int '12'\nc: !!float 1\n") == {"a": "12", "b": 12, "c": 1.0}
    with pytest.raises(ParseError, match="!!int"):
        load_yaml("a: !!int twelve\n")


def test_mapping_keys_are_their_source_text() -> None:
    doc = load_yaml("1: a\non: b\n~: c\n0x10: d\n'q': e\n")
    assert list(doc) == ["1", "on", "~", "0x10", "q"]
    assert all(type(key) is str for key in doc)


def test_collection_as_key_is_an_error() -> None:
    with pytest.raises(ParseError, match="key"):
        load_yaml("? [a, b]\n: 1\n")


def test_duplicate_yaml_keys_last_wins_with_its_spans() -> None:
    doc = load_yaml("a: 1\nb: 2\na: 3\n")
    assert doc == {"a": 3, "b": 2}
    assert doc.key_spans["a"] == Span(3, 1, 3, 2)
    assert doc.value_spans["a"] == Span(3, 4, 3, 5)


# --------------------------------------------------------------------------- anchors, aliases, merges

def test_aliases_expand_to_independent_copies() -> None:
    doc = load_yaml("base: &env {A: 1, L: [x]}\nfn1: *env\nfn2: [*env]\n")
    assert doc["fn1"] == doc["base"] == doc["fn2"][0] == {"A": 1, "L": ["x"]}
    ids = [id(node) for node in containers(doc)]
    assert len(ids) == len(set(ids)), "an alias shares a container with its anchor"
    doc["fn1"]["L"].append("changed")
    assert doc["base"]["L"] == ["x"]
    # The alias is written at line 2; the copied mapping keeps the anchor's positions.
    assert doc.value_spans["fn1"] == Span(2, 6, 2, 10)
    assert doc["fn1"].key_spans["A"] == Span(1, 13, 1, 14)


def test_alias_of_a_scalar_and_as_a_key() -> None:
    assert load_yaml("a: &v hello\nb: *v\n*v : c\n") == {"a": "hello", "b": "hello", "hello": "c"}


def test_undefined_and_recursive_aliases_are_errors() -> None:
    with pytest.raises(ParseError, match="undefined alias") as info:
        load_yaml("a: 1\nb: *nope\n")
    assert info.value.line == 2
    with pytest.raises(ParseError, match="recursive"):
        load_yaml("a: &x [1, *x]\n")


def test_merge_keys_follow_yaml_merge_semantics() -> None:
    doc = load_yaml(
        "base: &base {Runtime: python3.12, Timeout: 3}\n"
        "other: &other {Timeout: 9, MemorySize: 256}\n"
        "fn: {<<: *base, Timeout: 30}\n"
        "both: {<<: [*base, *other]}\n"
    )
    assert doc["fn"] == {"Runtime": "python3.12", "Timeout": 30}
    assert doc["both"] == {"Runtime": "python3.12", "Timeout": 3, "MemorySize": 256}
    assert "<<" not in doc["fn"]
    assert doc["fn"].key_spans["Timeout"] == Span(3, 17, 3, 24)  # the explicit key wins
    assert doc["fn"].key_spans["Runtime"] == Span(1, 14, 1, 21)  # merged from the anchor


def test_merge_of_a_scalar_is_an_error() -> None:
    with pytest.raises(ParseError, match="merge"):
        load_yaml("a: &s text\nb: {<<: *s}\n")


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    assert load_yaml("'<<': 1\n") == {"<<": 1}


def _laughs(first_level: str, levels: int = 9) -> str:
    lines = [f"l0: &l0 {first_level}"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("first_level", ['["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
                                         "[[], [], [], [], [], [], [], [], []]"])
def test_billion_laughs_fails_fast(first_level: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ParseError, match="alias expansion exceeds 1000000 nodes") as info:
        load_yaml(_laughs(first_level))
    elapsed = time.perf_counter() - started
    assert info.value.line is not None
    # A hang guard, not a benchmark: the bomb is refused after counting a few
    # dozen aliases (about a millisecond); expanding it would take hours.
    assert elapsed < 2.0


def test_alias_budget_counts_expanded_nodes() -> None:
    text = "a: &a [1, 2, 3, 4]\nb: [*a, *a, *a]\n"  # 5 + 5*3 + 1 + scalars
    assert load_yaml(text, max_nodes=100)["b"] == [[1, 2, 3, 4]] * 3
    with pytest.raises(ParseError, match="exceeds 20 nodes"):
        load_yaml(text, max_nodes=20)


# --------------------------------------------------------------------------- depth

DEEP_YAML = {
    "flow sequences": "[" * 1000 + "]" * 1000,
    "flow mappings": "{a: " * 1000 + "1" + "}" * 1000,
    "block sequences": "- " * 1000 + "x\n",
    "block mappings": "".join(" " * i + "a:\n" for i in range(1000)) + " " * 1000 + "1\n",
    "200k flow sequences": "[" * 200_000 + "]" * 200_000,  # crashes PyYAML's C composer
}


@pytest.mark.parametrize("text", DEEP_YAML.values(), ids=DEEP_YAML.keys())
def test_deep_yaml_is_a_parse_error_not_a_crash(text: str) -> None:
    with pytest.raises(ParseError, match="nesting deeper than 400 levels"):
        load_yaml(text)


def test_yaml_depth_limit_boundary_and_tags_count() -> None:
    assert load_yaml("[" * 400 + "]" * 400) is not None
    with pytest.raises(ParseError, match="deeper than 10"):
        load_yaml("[" * 11 + "]" * 11, max_depth=10)
    # a tag wrapper is a real level of the tree: [[ {Fn::Join: [...]} ]]
    with pytest.raises(ParseError, match="deeper than 3"):
        load_yaml("[[!Join [a]]]", max_depth=3)
    # an alias re-inserts its anchor's whole height
    with pytest.raises(ParseError, match="deeper than 5"):
        load_yaml("a: &a [[[1]]]\nb: [[*a]]\n", max_depth=5)


# --------------------------------------------------------------------------- documents, errors

def test_multi_document_stream_uses_the_first_and_ignores_the_rest() -> None:
    assert load_yaml("a: 1\n---\nb: 2\n") == {"a": 1}
    assert load_yaml("a: 1\n---\nb: [unclosed\n") == {"a": 1}


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n# another\n", "---\n", "---\n...\n"])
def test_empty_yaml_document_is_none(text: str) -> None:
    assert load_yaml(text) is None


@pytest.mark.parametrize(
    ("text", "fragment", "line", "col"),
    [
        ("a: b: c\n", "mapping values are not allowed", 1, 5),
        ("a: 1\nb: 'unterminated\n", "found unexpected end of stream", 3, 1),
        ("a:\n  - 1\n  b: 2\n", "expected", 3, 3),
        ("a: 1\n\tb: 2\n", "tab", 2, 1),
    ],
)
def test_malformed_yaml_reports_problem_and_position(text: str, fragment: str, line: int, col: int) -> None:
    with pytest.raises(ParseError) as info:
        load_yaml(text)
    assert fragment in info.value.message
    assert (info.value.line, info.value.col) == (line, col)
    assert "\n" not in info.value.message


def test_yaml_error_message_does_not_quote_the_document() -> None:
    secret = "sk_live_51HqLyjWDarjtT1zdp7dcXYZabc"
    with pytest.raises(ParseError) as info:
        load_yaml(f"key: {secret}\n  bad: [\n")
    assert secret not in str(info.value)
    assert "^" not in info.value.message  # no PyYAML snippet with a caret


def test_control_character_is_a_positioned_error() -> None:
    with pytest.raises(ParseError) as info:
        load_yaml("a: 1\nb: x\x07y\n")
    assert "U+0007" in info.value.message
    assert (info.value.line, info.value.col) == (2, 5)


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="libyaml not available")
def test_pure_python_fallback_gives_the_same_tree_and_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    text = YAML_SAMPLE + (
        "Extra:\n  X: !GetAtt A.B.C\n  Y: [!Ref a, !If [c, !Sub 'x', !Ref AWS::NoValue]]\n"
        "  Z: &q {a: 1}\n  W:\n    <<: *q\n    b: |\n      text\n  V: \"esc\\u00e9\"\n"
    )
    fast = load_yaml(text)
    monkeypatch.setattr(cfn_yaml, "_LOADER", yaml.SafeLoader)
    slow = load_yaml(text)
    assert fast == slow
    assert all_spans(fast) == all_spans(slow)
    with pytest.raises(ParseError, match="nesting deeper"):
        load_yaml("[" * 5000 + "]" * 5000)  # pure-Python composer would hit RecursionError


# --------------------------------------------------------------------------- positioned tree

def test_pos_containers_compare_copy_and_pickle_with_their_spans() -> None:
    doc = load_yaml("a: {b: [1, 2]}\n")
    assert doc == {"a": {"b": [1, 2]}}
    clone = pickle.loads(pickle.dumps(doc))
    assert type(clone["a"]) is PosDict and type(clone["a"]["b"]) is PosList
    assert all_spans(clone) == all_spans(doc)
    assert all_spans(copy.deepcopy(doc)) == all_spans(doc)
    shallow = doc["a"].copy()
    assert type(shallow) is PosDict and shallow.key_spans == doc["a"].key_spans
    assert doc["a"]["b"].copy().item_spans == doc["a"]["b"].item_spans


def test_parse_error_str_has_the_position() -> None:
    err = ParseError("bad thing", 3, 7)
    assert str(err) == "line 3, column 7: bad thing"
    assert (err.message, err.line, err.col) == ("bad thing", 3, 7)
    assert pickle.loads(pickle.dumps(err)).line == 3
    assert str(ParseError("no position")) == "no position"


# --------------------------------------------------------------------------- JSON positions

JSON_SAMPLE = """\
{
  "Resources": {
    "Fn": {"Type": "AWS::Lambda::Function",
           "Properties": {"Timeout": 30, "Env": [1, "two", null, 2.5]}}
  }
}
"""


def test_json_key_and_value_spans_are_exact() -> None:
    doc = load_json(JSON_SAMPLE)
    assert doc == json.loads(JSON_SAMPLE)
    assert doc.span == Span(1, 1, 6, 2)
    assert doc.key_spans["Resources"] == Span(2, 3, 2, 14)
    assert doc.value_spans["Resources"] == Span(2, 16, 5, 4)
    fn = doc["Resources"]["Fn"]
    assert doc["Resources"].value_spans["Fn"] == Span(3, 11, 4, 72)
    assert fn.key_spans["Type"] == Span(3, 12, 3, 18)
    assert fn.value_spans["Type"] == Span(3, 20, 3, 43)
    props = fn["Properties"]
    assert props.value_spans["Timeout"] == Span(4, 38, 4, 40)
    assert props["Env"].item_spans == [Span(4, 50, 4, 51), Span(4, 53, 4, 58), Span(4, 60, 4, 64), Span(4, 66, 4, 69)]
    assert props["Env"].span == Span(4, 49, 4, 70)


def test_json_scalars_and_escapes_decode_like_json_loads() -> None:
    text = r'{"s": "a\"b\\c\n\u00e9\ud83d\ude00", "i": -12, "f": 1.5e2, "t": true, "n": null, "e": ""}'
    doc = load_json(text)
    assert doc == json.loads(text)
    assert type(doc["i"]) is int and type(doc["f"]) is float


def test_json_columns_count_code_points_and_skip_a_bom() -> None:
    doc = load_json('\ufeff{"k": "é😀", "z": 1}')
    assert doc.key_spans["k"] == Span(1, 2, 1, 5)
    assert doc.value_spans["k"] == Span(1, 7, 1, 11)
    assert doc.value_spans["z"] == Span(1, 18, 1, 19)


def test_json_duplicate_keys_last_wins_with_its_spans() -> None:
    doc = load_json('{"a": 1,\n "b": 2,\n "a": 3}')
    assert doc == {"a": 3, "b": 2}
    assert doc.key_spans["a"] == Span(3, 2, 3, 5)
    assert doc.value_spans["a"] == Span(3, 7, 3, 8)


def test_json_matches_json_loads_on_a_template() -> None:
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {f"Fn{i}": {"Type": "AWS::Lambda::Function", "Properties": {
            "Environment": {"Variables": {"A": {"Fn::Sub": "${AWS::Region}"}, "N": i, "F": i / 3}},
            "Tags": [{"Key": "k", "Value": "v\t\"q\""}], "Empty": {}, "None": [],
        }} for i in range(50)},
    }
    for text in (json.dumps(template, indent=1), json.dumps(template, separators=(",", ":"))):
        assert load_json(text) == json.loads(text)


@pytest.mark.parametrize(
    ("text", "fragment", "line", "col"),
    [
        ('{"a": 1\n "b": 2}', "expected ',' or '}' after object value", 2, 2),
        ("[1 2]", "expected ',' or ']' after array element", 1, 4),
        ('{"a": 1,\n}', "trailing comma", 1, 8),
        ("[1,\n 2,\n ]", "trailing comma", 2, 3),
        ('{"a": "unterminated}', "unterminated string", 1, 7),
        ('{"a": 1}\n{"b": 2}', "extra data after the top-level value", 2, 1),
        ('{"a": 1} x', "extra data after the top-level value", 1, 10),
        ('{"a" 1}', "expected ':'", 1, 6),
        ('{"a": }', "expected a value", 1, 7),
        ("{a: 1}", "double-quoted key", 1, 2),
        ("{'a': 1}", "double quotes", 1, 2),
        ("[NaN]", "NaN and Infinity", 1, 2),
        ('{"x": -Infinity}', "NaN and Infinity", 1, 7),
        ("[01]", "invalid number", 1, 2),
        ("[1.]", "invalid number", 1, 2),
        ('["a\\qb"]', "invalid escape", 1, 4),
        ('["line\nbreak"]', "control character", 1, 7),
        ("// comment\n{}", "comments", 1, 1),
        ("[tru]", "expected a value", 1, 2),
        ('{"a": [1, 2}', "expected ',' or ']'", 1, 12),
        ("", "empty document", 1, 1),
        ('{\n  "a": [\n', "array opened at line 2, column 8 is not closed", 3, 1),
    ],
)
def test_malformed_json_reports_problem_and_position(text: str, fragment: str, line: int, col: int) -> None:
    with pytest.raises(ParseError) as info:
        load_json(text)
    assert fragment in info.value.message
    assert (info.value.line, info.value.col) == (line, col)


def test_json_error_message_does_not_quote_the_document() -> None:
    secret = "sk_live_51HqLyjWDarjtT1zdp7dcXYZabc"
    for text in (f'{{"k": "{secret}" "x": 1}}', f'{{"k": "{secret}'):
        with pytest.raises(ParseError) as info:
            load_json(text)
        assert secret not in str(info.value)


@pytest.mark.parametrize("text", ["[" * 1000 + "]" * 1000, '{"a":' * 1000 + "1" + "}" * 1000,
                                  "[" * 300_000])
def test_deep_json_is_a_parse_error_not_a_crash(text: str) -> None:
    with pytest.raises(ParseError, match="nesting deeper than 400 levels"):
        load_json(text)


def test_json_depth_limit_boundary() -> None:
    assert load_json("[" * 400 + "]" * 400) is not None
    with pytest.raises(ParseError, match="deeper than 3"):
        load_json('{"a": [[1]], "b": [[[1]]]}', max_depth=3)


# --------------------------------------------------------------------------- textio

def test_read_text_plain_and_empty(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_bytes(b"a: 1\n")
    (tmp_path / "empty.yaml").write_bytes(b"")
    assert read_text(tmp_path / "t.yaml", MB) == "a: 1\n"
    assert read_text(tmp_path / "empty.yaml", MB) == ""


def test_read_text_strips_bom_and_decodes_utf16(tmp_path: Path) -> None:
    (tmp_path / "u8").write_bytes(b"\xef\xbb\xbfa: \xc3\xa9\n")
    (tmp_path / "le").write_bytes("\ufeffa: é\n".encode("utf-16-le"))
    (tmp_path / "be").write_bytes("\ufeffa: é\n".encode("utf-16-be"))
    for name in ("u8", "le", "be"):
        assert read_text(tmp_path / name, MB) == "a: é\n"


def test_binary_file_is_refused_with_the_nul_offset(tmp_path: Path) -> None:
    (tmp_path / "bin").write_bytes(b"PK\x03\x04" + b"\x00" * 20)
    with pytest.raises(SourceError) as info:
        read_text(tmp_path / "bin", MB)
    assert info.value.message == "binary file (NUL byte at offset 4)"


def test_invalid_utf8_names_byte_and_offset_but_not_content(tmp_path: Path) -> None:
    (tmp_path / "bad").write_bytes(b"key: sk_live_secret\xff rest\n")
    with pytest.raises(SourceError) as info:
        read_text(tmp_path / "bad", MB)
    assert info.value.message == "not valid UTF-8: invalid byte 0xFF at offset 19"
    assert "sk_live" not in str(info.value)
    (tmp_path / "bom_bad").write_bytes(b"\xef\xbb\xbfab\xfe")
    with pytest.raises(SourceError, match="0xFE at offset 5"):
        read_text(tmp_path / "bom_bad", MB)


def test_file_over_the_size_limit_is_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:  # sparse: 7.2 MB on paper, nothing on disk
        handle.truncate(int(7.2 * MB))
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda *a, **k: opened.append(str(a[0])) or real_open(*a, **k))
    with pytest.raises(SourceError) as info:
        read_text(big, 5 * MB)
    assert info.value.message == "file is 7.2 MB, over the 5 MB limit (max-file-size)"
    assert opened == []


def test_symlink_loop_is_reported(tmp_path: Path) -> None:
    loop = tmp_path / "a"
    try:
        os.symlink(loop, loop)
    except (OSError, NotImplementedError) as exc:  # e.g. Windows without the privilege
        pytest.skip(f"cannot create symlinks here: {exc}")
    with pytest.raises(SourceError) as info:
        read_text(loop, MB)
    assert info.value.message == "symbolic link loop"


def test_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        read_text(tmp_path, MB)
    assert info.value.message == "is a directory, not a file"


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not found"):
        read_text(tmp_path / "gone.yaml", MB)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="not a regular file"):
        read_text(fifo, MB)


def test_permission_denied_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked.yaml"
    locked.write_text("a: 1\n")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running with privileges that ignore file modes (root); see the simulated test below")
        with pytest.raises(SourceError) as info:
            read_text(locked, MB)
        assert info.value.message == "permission denied"
    finally:
        locked.chmod(0o600)


def test_permission_denied_is_reported_even_when_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Works under root too: the OS would refuse the open() with EACCES.
    target = tmp_path / "t.yaml"
    target.write_text("a: 1\n")

    def refuse(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(SourceError) as info:
        read_text(target, MB)
    assert info.value.message == "permission denied"


def test_utf16_with_nul_characters_is_binary(tmp_path: Path) -> None:
    (tmp_path / "n").write_bytes("\ufeffab\x00c".encode("utf-16-le"))
    with pytest.raises(SourceError, match="binary file"):
        read_text(tmp_path / "n", MB)


def test_truncated_utf8_character(tmp_path: Path) -> None:
    (tmp_path / "t").write_bytes(b"ab\xe2\x82")
    with pytest.raises(SourceError) as info:
        read_text(tmp_path / "t", MB)
    assert "0xE2 at offset 2" in info.value.message
