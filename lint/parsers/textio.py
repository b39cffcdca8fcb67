"""Read a source file as text, or say in one line why it cannot be linted.

Every failure becomes a SourceError whose message is safe to print: it names
sizes, offsets and byte values, never the file's content (which may be a
secret).
"""
from __future__ import annotations

import errno
import os
import pathlib
import stat

__all__ = ["SourceError", "read_text", "BINARY_SNIFF_BYTES"]

# Same window as git's binary heuristic: a NUL early on means "not text".
BINARY_SNIFF_BYTES = 8192

# Longest BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)

_OS_REASONS: dict[int, str] = {
    errno.ELOOP: "symbolic link loop",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "file not found (it may have been removed or be a broken symbolic link)",
    errno.ENOTDIR: "file not found (a parent path is not a directory)",
    errno.EISDIR: "is a directory, not a file",
    errno.ENAMETOOLONG: "path is too long",
}


class SourceError(Exception):
    """A file that cannot be read as text; ``message`` is a one-line reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def read_text(path: pathlib.Path, max_size: int) -> str:
    """Return the decoded text of ``path``; raise SourceError if it is not lintable text."""
    data = _read_bytes(path, max_size)
    if not data:
        return ""
    return _decode(data)


def _read_bytes(path: pathlib.Path, max_size: int) -> bytes:
    try:
        # stat before open: a directory, FIFO or device must be refused without
        # opening it (opening a FIFO blocks until a writer appears).
        _check_stat(os.stat(path), max_size)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            # The path may have been swapped between stat and open: check the
            # opened file itself, then never read more than the limit allows.
            _check_stat(os.fstat(handle.fileno()), max_size)
            data = handle.read(max_size + 1)
    except OSError as exc:
        raise SourceError(_os_reason(exc)) from None
    if len(data) > max_size:  # the file grew after fstat
        raise SourceError(_too_big(len(data), max_size, at_least=True))
    return data


def _check_stat(st: os.stat_result, max_size: int) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise SourceError("is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise SourceError("not a regular file (a device, socket or pipe)")
    if st.st_size > max_size:
        raise SourceError(_too_big(st.st_size, max_size))


def _os_reason(exc: OSError) -> str:
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    if isinstance(exc, PermissionError):  # Windows reports some denials without EACCES
        return "permission denied"
    detail = os.strerror(exc.errno) if exc.errno else type(exc).__name__
    return f"cannot read file ({detail})"


def _too_big(size: int, limit: int, *, at_least: bool = False) -> str:
    shown, shown_limit = _human_size(size), _human_size(limit)
    if shown == shown_limit:  # "5 MB, over the 5 MB limit" would read as a bug
        shown, shown_limit = f"{size:,} bytes", f"{limit:,} bytes"
    more = "at least " if at_least else ""
    return f"file is {more}{shown}, over the {shown_limit} limit (max-file-size)"


def _human_size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            text = f"{n / scale:.1f}"
            return f"{text.removesuffix('.0')} {unit}"
    return f"{n} bytes"


def _decode(data: bytes) -> str:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            text = _decode_with(data, codec, label)
            # A NUL in UTF-16/32 text is a real U+0000, still a binary tell.
            nul = text.find("\x00", 0, BINARY_SNIFF_BYTES)
            if nul >= 0:
                raise SourceError(f"binary file (NUL character at character {nul})")
            return text
    nul = data.find(b"\x00", 0, BINARY_SNIFF_BYTES)
    if nul >= 0:
        raise SourceError(f"binary file (NUL byte at offset {nul})")
    return _decode_with(data, "utf-8", "UTF-8")


def _decode_with(data: bytes, codec: str, label: str) -> str:
    skip = 0
    if codec == "utf-8-sig":
        # Decode past the BOM ourselves: the utf-8-sig codec reports error
        # offsets relative to the end of the BOM, not to the file.
        codec, skip = "utf-8", 3
    try:
        text = data[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        # Name the byte value in hex and its file offset, never the text around it.
        offset = exc.start + skip
        byte = f"0x{data[offset]:02X} at offset {offset}"
        if exc.end + skip >= len(data) and exc.reason in ("unexpected end of data", "truncated data"):
            raise SourceError(f"not valid {label}: file ends inside a character (byte {byte})") from None
        raise SourceError(f"not valid {label}: invalid byte {byte}") from None
    return text
