"""Node locations from libcst's PositionProvider, one top-level statement at a time.

Resolving PositionProvider for a whole module re-generates the code of every
node with position tracking, which costs more than parsing. Facts sit in a
few statements (the handler, some module-level reads), so positions are
resolved per top-level statement, on first need: the statement is wrapped in
a module of its own (same indentation and newline defaults, the nodes
themselves are shared, not copied) and its lines are shifted by the number of
lines before it, counted from the plain generated code of the statements
above (libcst round-trips the source exactly, so that count is exact).
Top-level statements start in column 0, so columns need no shift.

When the statement is not known (or a node is not in it) the whole module is
resolved once.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from lambda_secrets_lint.model.location import Location, Span

__all__ = ["Positions"]

_NEWLINE = re.compile(r"\r\n?|\n")  # what libcst's position tracking counts as a line break


class Positions:
    def __init__(self, path: str, module: cst.Module, text: str) -> None:
        self.path = path
        self.module = module
        self._text = text
        self._starts: list[int] = []  # first line of each top-level statement's code, filled lazily
        self._next_line = 1 + len(module.header)  # each header EmptyLine is one line
        self._deep: int | None = None  # a statement too deep to generate code for
        self._backward: dict[int, int] = {}
        self._maps: dict[int, Mapping[cst.CSTNode, CodeRange]] = {}
        self._full: Mapping[cst.CSTNode, CodeRange] | None = None

    def loc(self, node: cst.CSTNode, top: int | None = None) -> Location:
        found: CodeRange | None = None
        shift = 0
        if top is not None and 0 <= top < len(self.module.body):
            found = self._statement_map(top).get(node)
            shift = self._start(top) - 1
        if found is None:
            found = self._module_map()[node]
            shift = 0
        start, end = found.start, found.end
        return Location(self.path, Span(start.line + shift, start.column + 1, end.line + shift, end.column + 1))

    def _statement_map(self, top: int) -> Mapping[cst.CSTNode, CodeRange]:
        mapping = self._maps.get(top)
        if mapping is None:
            alone = self.module.with_changes(body=(self.module.body[top],), header=(), footer=())
            mapping = self._maps[top] = _resolve(alone)
        return mapping

    def _start(self, top: int) -> int:
        """First line of the code of top-level statement `top` (its leading
        comment lines included). Counted forward from the header; past a
        statement too deep for libcst's code generator, counted backward from
        the end of the text instead, so statements after it keep their lines."""
        body = self.module.body
        while self._deep is None and len(self._starts) <= top:
            statement = body[len(self._starts)]
            try:
                lines = len(_NEWLINE.findall(self.module.code_for_node(statement)))
            except RecursionError:
                self._deep = len(self._starts)
                break
            self._starts.append(self._next_line)
            self._next_line += lines
        if top < len(self._starts):
            return self._starts[top]
        if top == self._deep:
            raise RecursionError("statement too deep for libcst")
        return self._start_backward(top)

    def _start_backward(self, top: int) -> int:
        if not self._backward:
            module = self.module
            total = len(_NEWLINE.findall(self._text))
            # the generated code drops a final newline the module says it lacks
            # (libcst 1.0 also says so for a file ending in a lone "\r")
            dropped = not module.has_trailing_newline and not self._text.endswith(("\n", "\r"))
            line = 1 + total - len(module.footer) + (1 if dropped else 0)
            for index in range(len(module.body) - 1, (self._deep or 0), -1):
                line -= len(_NEWLINE.findall(module.code_for_node(module.body[index])))
                self._backward[index] = line
        return self._backward[top]

    def _module_map(self) -> Mapping[cst.CSTNode, CodeRange]:
        if self._full is None:
            self._full = _resolve(self.module)
        return self._full


def _resolve(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """PositionProvider's positions for module.

    `MetadataWrapper.resolve` also runs a batched visit over the whole tree
    for the (here empty) set of batchable providers: a full extra traversal
    that costs as much as the position pass itself (libcst 1.0). So the
    provider is run on the wrapper the way `resolve` runs a non-batchable
    provider; if that internal entry point ever changes, `resolve` is used."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    try:
        return PositionProvider()._gen(wrapper)
    except RecursionError:
        raise
    except Exception:  # noqa: BLE001 - libcst internals moved: take the public road
        return wrapper.resolve(PositionProvider)
