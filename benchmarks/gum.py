"""Paragraphs of GUM's CoNLL-U: where a block ends without a "# newpar" line after it."""

from __future__ import annotations

import re


class Paragraphs:
    """Tell, sentence by sentence, whether a sentence opens a paragraph of the GUM document."""

    # "# newpar_block = sp who:::"#Veronique" (2 s) | p (2 s)": blocks nest left to right, the
    # last is the paragraph and counts its sentences. GUM marks a paragraph only where the source
    # had a block: after a heading "(1 s)" the story's first sentence may have no "# newpar",
    # and joined to it with a space it read "The Cost to Be Wise Veronique stayed with me".

    def __init__(self) -> None:
        self.left = -1  # sentences of the current block still to come; -1: not in a counted block
        self.marked = False

    def line(self, line: str) -> None:
        """Read a comment line."""
        if line.startswith("# newpar_block"):
            counts = re.findall(r"\((\d+) s\)", line)
            self.left = int(counts[-1]) if counts else -1
        elif line.startswith("# newpar"):
            self.marked, self.left = True, -1

    def opens(self) -> bool:
        """At a "# sent_id" line: True when this sentence opens a paragraph (marked, or after a finished block)."""
        opens = self.marked or self.left == 0
        if self.marked:
            self.left = self.left - 1 if self.left > 0 else -1  # the block counts this sentence
        elif self.left == 0:
            self.left = -1  # an unmarked paragraph: its length is not given
        elif self.left > 0:
            self.left -= 1
        self.marked = False
        return opens
