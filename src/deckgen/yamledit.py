"""Surgical edits of an outline's YAML text at nodes ruamel.yaml locates: every byte not edited stays as written."""
from __future__ import annotations

import json
import textwrap

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[str | int, ...]
Item = str | dict  # a scalar text, or a mapping of key -> text or list of texts
WIDTH = 110  # a folded block's lines are wrapped at this column
NULLS = {"null", "~", "Null", "NULL", ""}


class YamlEditError(ValueError):
    """An edit the file's YAML cannot take where it stands (a flow-style list of points, a missing node)."""


def _compose(text: str) -> Node | None:
    try:
        return YAML(typ="rt").compose(text)
    except YAMLError:
        return None


def plain_ok(text: str, flow: bool = False) -> bool:
    """Whether `text` reads back as itself written without quotes (in a block, or inside a flow list when `flow`)."""
    if text in NULLS or text != text.strip() or "\n" in text or "\t" in text:
        return False
    node = _compose(f"k: [{text}]\n" if flow else f"k: {text}\n")
    if not isinstance(node, MappingNode) or len(node.value) != 1:
        return False
    value = node.value[0][1]
    if flow:
        if not isinstance(value, SequenceNode) or len(value.value) != 1:
            return False
        value = value.value[0]
    return isinstance(value, ScalarNode) and value.style is None and value.value == text


def scalar(text: str, flow: bool = False) -> str:
    """`text` as a one-line YAML scalar: plain where it reads back as itself, else double-quoted."""
    return text if plain_ok(text, flow) else json.dumps(text, ensure_ascii=False)


def folded(text: str, indent: int) -> str:
    """`text` as a folded block (`>-`), its lines wrapped at WIDTH and indented by `indent` spaces."""
    lines = textwrap.wrap(text, max(40, WIDTH - indent), break_long_words=False, break_on_hyphens=False)
    return ">-\n" + "".join(" " * indent + line + "\n" for line in lines)


def number(value: float, like: str = "") -> str:
    """A chart value as the outline writes numbers: 12, 1.5 (whole numbers without a point unless `like` had one)."""
    if value == int(value) and "." not in like and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.12g}"


class YamlText:
    """An outline's text with edits collected at located nodes, applied together by `text()`."""

    def __init__(self, text: str) -> None:
        self.source = text
        self.root = _compose(text)
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        # (start, rank, order, end, replacement): at one place a mapping's new last key (rank 0) goes first, then a new
        # list item (1), then the change of what stands there (2)
        self.edits: list[tuple[int, int, int, int, str]] = []

    # ------------------------------------------------------------ finding nodes

    def node(self, path: Path) -> Node | None:
        """The node at a model path (mapping keys and list indices), or None."""
        node = self.root
        for step in path:
            if isinstance(node, MappingNode) and isinstance(step, str):
                node = next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == step), None)
            elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
            else:
                return None
        return node

    def kind(self, path: Path) -> str | None:
        """What stands at `path`: 'text', 'mapping', 'list' (block), 'flow' (a [..] or {..}), or None."""
        node = self.node(path)
        if isinstance(node, ScalarNode):
            return "text"
        if isinstance(node, (MappingNode, SequenceNode)) and node.flow_style:
            return "flow"
        return "mapping" if isinstance(node, MappingNode) else "list" if isinstance(node, SequenceNode) else None

    def length(self, path: Path) -> int:
        node = self.node(path)
        return len(node.value) if isinstance(node, (MappingNode, SequenceNode)) else 0

    def value(self, path: Path) -> str:
        """The text of the scalar at `path` as written (e.g. '1.0'), '' when there is none."""
        node = self.node(path)
        return node.value if isinstance(node, ScalarNode) else ""

    def key_node(self, path: Path) -> Node | None:
        parent = self.node(path[:-1])
        if isinstance(parent, MappingNode):
            return next((k for k, _ in parent.value if isinstance(k, ScalarNode) and k.value == path[-1]), None)
        return None

    def last_line(self, node: Node) -> int:
        """The last line (0-based) that holds the node's own content (not the blank lines and comments after it)."""
        if isinstance(node, MappingNode) and node.value and not node.flow_style:
            k, v = node.value[-1]
            return self.last_line(v) if not (isinstance(v, ScalarNode) and v.value == "" and v.style is None) else k.end_mark.line
        if isinstance(node, SequenceNode) and node.value and not node.flow_style:
            return self.last_line(node.value[-1])
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            line = node.end_mark.line - (1 if node.end_mark.column == 0 else 0)
            while line > node.start_mark.line and not self.lines[line].strip():
                line -= 1
            return line
        return node.end_mark.line

    def dash_column(self, item: Node) -> int:
        """The column of the `-` that opens a block list item."""
        line = self.lines[item.start_mark.line][: item.start_mark.column]
        head = line.rstrip()
        return len(head) - 1 if head.endswith("-") else max(0, item.start_mark.column - 2)

    def _line_start(self, line: int) -> int:
        return self.starts[min(line, len(self.lines))]

    def _add(self, start: int, end: int, text: str, rank: int = 2) -> None:
        self.edits.append((start, rank, len(self.edits), end, text))

    # ------------------------------------------------------------ edits

    def replace(self, path: Path, value: str) -> None:
        """Set the text at `path` (an existing scalar), keeping a folded or literal block a folded block."""
        node = self.node(path)
        if not isinstance(node, ScalarNode):
            raise YamlEditError(f"no text at {path}")
        parent = self.node(path[:-1])
        flow = isinstance(parent, (SequenceNode, MappingNode)) and bool(parent.flow_style)
        if node.style in ("|", ">"):
            indent = self._block_indent(node)
            self._add(node.start_mark.index, self._line_start(self.last_line(node) + 1), folded(value, indent))
        else:
            self._add(node.start_mark.index, node.end_mark.index, scalar(value, flow))

    def _block_indent(self, node: ScalarNode) -> int:
        line = self.lines[node.start_mark.line + 1] if node.start_mark.line + 1 < len(self.lines) else ""
        return len(line) - len(line.lstrip(" ")) if line.strip() else node.start_mark.column + 2

    def _key_indent(self, mapping: MappingNode) -> int:
        return mapping.value[0][0].start_mark.column if mapping.value else mapping.start_mark.column

    def set_key(self, path: Path, key: str, value: Item | list) -> None:
        """Set `key` of the mapping at `path`: its value replaced when present, else a new last key."""
        mapping = self.node(path)
        if not isinstance(mapping, MappingNode) or mapping.flow_style:
            raise YamlEditError(f"no block mapping at {path}")
        present = self.node(path + (key,))
        col = self._key_indent(mapping)
        if isinstance(present, ScalarNode) and isinstance(value, str):
            self.replace(path + (key,), value)
            return
        if present is not None:  # a list replaced: from the key's line end to the value's last line
            k = self.key_node(path + (key,))
            assert k is not None
            self._add(k.start_mark.index, self._line_end(self.last_line(present)), key + ":" + self.emit_value(value, col + 2).rstrip("\n"))
            return
        pos = self._line_start(self.last_line(mapping) + 1)
        self._add(pos, pos, " " * col + key + ":" + self.emit_value(value, col + 2), rank=0)

    def _line_end(self, line: int) -> int:
        """The index just before the line break ending `line`."""
        end = self._line_start(line + 1)
        text = self.lines[line] if line < len(self.lines) else ""
        return end - (len(text) - len(text.rstrip("\r\n")))

    def delete_key(self, path: Path, key: str) -> None:
        k, v = self.key_node(path + (key,)), self.node(path + (key,))
        if k is None or v is None:
            return
        self._add(self._line_start(k.start_mark.line), self._line_start(self.last_line(v) + 1), "")

    def _block_seq(self, path: Path) -> SequenceNode:
        seq = self.node(path)
        if not isinstance(seq, SequenceNode) or seq.flow_style or not seq.value:
            raise YamlEditError(f"no block list at {path}")
        return seq

    def delete_item(self, path: Path, index: int) -> None:
        """Remove item `index` of the block list at `path`, with its lines."""
        seq = self._block_seq(path)
        item = seq.value[index]
        start = self._line_start(item.start_mark.line)
        end = self._line_start(self.last_line(item) + 1)
        self._add(start, end, "")

    def insert_item(self, path: Path, index: int, value: Item) -> None:
        """Insert a new item before item `index` of the block list at `path` (at its end when index == len)."""
        seq = self._block_seq(path)
        col = self.dash_column(seq.value[0])
        if index < len(seq.value):
            pos = self._line_start(seq.value[index].start_mark.line)
        else:
            pos = self._line_start(self.last_line(seq.value[-1]) + 1)
        self._add(pos, pos, " " * col + "- " + self.emit_item(value, col + 2), rank=1)

    def replace_item(self, path: Path, index: int, value: Item) -> None:
        """Replace item `index` of the block list at `path` as a whole (a plain text that becomes a mapping)."""
        seq = self._block_seq(path)
        item = seq.value[index]
        col = self.dash_column(item)
        self._add(item.start_mark.index, self._line_end(self.last_line(item)), self.emit_item(value, col + 2).rstrip("\n"))

    # ------------------------------------------------------------ emitting

    def emit_value(self, value: Item | list, indent: int) -> str:
        """What follows 'key:' (from the space on, ending in a line break); further lines at `indent`."""
        if isinstance(value, list):
            return "\n" + "".join(" " * indent + "- " + self.emit_item(v, indent + 2) for v in value)
        if isinstance(value, dict):
            return "\n" + " " * indent + self.emit_item(value, indent)
        if len(value) + indent > WIDTH:
            return " " + folded(value, indent)
        return " " + scalar(value) + "\n"

    def emit_item(self, value: Item, indent: int) -> str:
        """What follows '- ' (ending in a line break); a mapping's further keys at `indent`."""
        if isinstance(value, dict):
            return "".join(("" if i == 0 else " " * indent) + f"{k}:" + self.emit_value(v, indent + 2)
                           for i, (k, v) in enumerate(value.items()))
        if len(value) + indent > WIDTH:
            return folded(value, indent)
        return scalar(value) + "\n"

    def text(self) -> str:
        """The source with every collected edit applied, in the order of the places they change."""
        crlf = "\r\n" in self.source  # new lines end as the file's own do
        out, pos = [], 0
        for start, _, _, end, repl in sorted(self.edits):
            if start < pos:
                raise YamlEditError("two edits of the same lines")
            out += [self.source[pos:start], repl.replace("\n", "\r\n") if crlf else repl]
            pos = end
        return "".join(out) + self.source[pos:]
