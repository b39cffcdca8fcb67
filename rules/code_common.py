"""What the handler-code rules share: iterating facts, naming sinks."""
from __future__ import annotations

from collections.abc import Iterator

from lambda_secrets_lint.model.code import CodeFacts, Sink, SinkKind, Tainted
from lambda_secrets_lint.model.project import Project


def handler_files(project: Project) -> Iterator[CodeFacts]:
    """Handler source files (CDK app code runs at synth time, not in Lambda)."""
    return (c for c in project.code if not c.is_cdk)


def sinks(project: Project, kinds: tuple[SinkKind, ...], what: tuple[Tainted, ...]) -> Iterator[tuple[CodeFacts, Sink]]:
    for facts in handler_files(project):
        for sink in facts.sinks:
            if sink.kind in kinds and sink.what in what:
                yield facts, sink


def sink_key(sink: Sink) -> str:
    """Fingerprint text: the sink and the origin, never a line or a value."""
    return f"{sink.kind.value}:{sink.via}:{sink.origin}"
