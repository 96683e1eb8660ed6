"""Text a server sent, made safe to show a person: the rule of the Swift side's `TerminalText`
(Sources/ServiceLog/TerminalText.swift) and contrib/hostile/terminal_text.py.

A server another user planted at a socket path the caller named can put terminal controls in a
status message or a GOAWAY's reason; printed as they are, they recolour, retitle or clear the
terminal of whoever reads the traceback, and a right-to-left override reverses the rest of the line.
"""

from __future__ import annotations

import re

# C0, DEL, C1, the line and paragraph separators, the bidirectional embeddings, overrides, isolates.
_NEEDS_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped(text: str) -> str:
    """`text` with each such code point written as a visible escape: `\\n`, `\\r`, `\\t`, else
    `\\u{1B}` with the code point in hex, as the Swift side writes it."""
    return _NEEDS_ESCAPE.sub(lambda match: _NAMED.get(match.group(), f"\\u{{{ord(match.group()):X}}}"), text)
