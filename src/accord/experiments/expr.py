"""A small, safe expression language shared by events and what-ifs (never ``eval``).

Grammar (recursive descent, lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)*     # chains: 30 <= x < 70
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := "-" unary | "+" unary | atom
    atom    := NUMBER | NAME | NAME "[" NAME ("," NAME)* "]" | "(" expr ")"

Every node keeps the column where it starts, so callers can point at the offending part.
Names are only names: there are no calls, attributes, strings or subscripts of values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from accord.errors import AccordError

_NUMBER = r"(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
_OP = r"(?P<op><=|>=|==|!=|\*=|/=|\+=|-=|[<>=+\-*/(),\[\]])"
# outside brackets a name is an identifier; inside, an id may also hold '.' and '-' (actor ids)
_TOKEN = re.compile(rf"\s*(?:{_NUMBER}|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|{_OP})")
_TOKEN_IN_BRACKETS = re.compile(
    rf"\s*(?:(?P<name>[A-Za-z0-9_][A-Za-z0-9_.\-]*)|{_NUMBER}|{_OP})"
)
KEYWORDS = {"and", "or", "not"}
COMPARISONS = {"<", "<=", ">", ">=", "==", "!="}


class ExpressionError(AccordError):
    """A syntax or meaning error in an expression, with a caret under the position.

    Parameters
    ----------
    text : str
        The expression.
    pos : int
        Column (from 0) of the error.
    message : str
        What is wrong.
    what : str, optional
        What the expression is (``event``, ``what-if``...), the message's first word.
    """

    def __init__(self, text: str, pos: int, message: str, what: str = "expression"):
        self.text, self.pos, self.reason, self.what = text, pos, message, what
        caret = " " * (pos + 4) + "^"
        super().__init__(f"{what} {text!r}, column {pos + 1}: {message}\n    {text}\n{caret}")

    def __reduce__(self) -> tuple[type, tuple[str, int, str, str]]:
        """Pickle by the constructor's arguments (errors come back from Dask workers)."""
        return type(self), (self.text, self.pos, self.reason, self.what)


@dataclass(frozen=True)
class Token:
    """One token: its kind (``number``, ``name``, ``op`` or ``end``), its text and its column."""

    kind: str  # "number", "name", "op", "end"
    text: str
    pos: int


def tokenize(text: str, what: str = "expression") -> list[Token]:
    """Split an expression into tokens.

    Inside brackets a name may also hold ``.`` and ``-`` (actor ids such as ``eu.de``).

    Parameters
    ----------
    text : str
        The expression.
    what : str, optional
        What the expression is (``event``, ``what-if``...), for error messages.

    Returns
    -------
    list of Token
        The tokens, closed by one of kind ``end``.

    Raises
    ------
    ExpressionError
        At a character that starts no token.
    """
    tokens: list[Token] = []
    pos = depth = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = (_TOKEN_IN_BRACKETS if depth else _TOKEN).match(text, pos)
        if match is None or match.end() == pos:
            bad = pos + len(text[pos:]) - len(text[pos:].lstrip())
            raise ExpressionError(text, bad, f"unexpected character {text[bad]!r}", what)
        kind = match.lastgroup or "op"
        start = match.start(kind)
        tokens.append(Token(kind, match.group(kind), start))
        depth += {"[": 1, "]": -1}.get(match.group(kind), 0) if kind == "op" else 0
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# --- syntax tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A node of the syntax tree; ``pos`` is the column (from 0) where it starts."""

    pos: int


@dataclass(frozen=True)
class Num(Node):
    """A number literal."""

    value: float


@dataclass(frozen=True)
class Name(Node):
    """A bare name (an issue id in events)."""

    name: str


@dataclass(frozen=True)
class Ref(Node):
    """``field[arg, ...]``: a reference to a scenario number (used by what-ifs)."""

    field: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class Unary(Node):
    """A prefix operator applied to one operand."""

    op: str  # "-", "+", "not"
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    """An arithmetic or logical operator between two operands."""

    op: str  # "+", "-", "*", "/", "and", "or"
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare(Node):
    """A chain of comparisons, ``a < b <= c``: true where every link holds."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]


def is_boolean(node: Node) -> bool:
    """Return whether a node is a condition (a comparison, ``not``, ``and`` or ``or``).

    Parameters
    ----------
    node : Node
        The node.

    Returns
    -------
    bool
        True for a condition, false for a number.
    """
    if isinstance(node, Compare):
        return True
    if isinstance(node, Unary):
        return node.op == "not"
    if isinstance(node, Binary):
        return node.op in ("and", "or")
    return False


class Parser:
    """Recursive-descent parser of one expression; one method per rule of the grammar.

    Parameters
    ----------
    text : str
        The expression.
    what : str, optional
        What the expression is, for error messages.
    """

    def __init__(self, text: str, what: str = "expression"):
        self.text, self.what = text, what
        self.tokens = tokenize(text, what)
        self.i = 0

    # helpers
    @property
    def tok(self) -> Token:
        """The current token."""
        return self.tokens[self.i]

    def error(self, message: str, pos: int | None = None) -> ExpressionError:
        """Return an error at ``pos`` (default: the current token), for the caller to raise.

        Parameters
        ----------
        message : str
            What is wrong.
        pos : int or None, optional
            Column of the error.

        Returns
        -------
        ExpressionError
            The error.
        """
        return ExpressionError(self.text, self.tok.pos if pos is None else pos, message, self.what)

    def take(self, *texts: str) -> Token | None:
        """Consume the current token if it is an operator or a name among ``texts``.

        Parameters
        ----------
        *texts : str
            The accepted token texts.

        Returns
        -------
        Token or None
            The consumed token, or None (nothing consumed).
        """
        if self.tok.kind in ("op", "name") and self.tok.text in texts:
            tok = self.tok
            self.i += 1
            return tok
        return None

    def expect(self, text: str) -> Token:
        """Consume the token ``text`` or raise.

        Parameters
        ----------
        text : str
            The required token text.

        Returns
        -------
        Token
            The consumed token.

        Raises
        ------
        ExpressionError
            When the current token is another.
        """
        tok = self.take(text)
        if tok is None:
            raise self.error(f"expected {text!r}, found {self.describe()}")
        return tok

    def describe(self) -> str:
        """Return the current token for an error message (``'the end'`` at the end).

        Returns
        -------
        str
            The token's text, quoted, or ``the end``.
        """
        return "the end" if self.tok.kind == "end" else repr(self.tok.text)

    def at_end(self) -> None:
        """Raise unless every token has been consumed."""
        if self.tok.kind != "end":
            raise self.error(f"unexpected {self.describe()}")

    # grammar
    def parse(self) -> Node:
        """Parse the whole expression.

        Returns
        -------
        Node
            The syntax tree.
        """
        node = self.expr()
        self.at_end()
        return node

    def expr(self) -> Node:
        """Parse ``or`` (the lowest precedence).

        Returns
        -------
        Node
            The subtree.
        """
        node = self.and_()
        while tok := self.take("or"):
            node = Binary(tok.pos, "or", node, self.and_())
        return node

    def and_(self) -> Node:
        """Parse ``and``.

        Returns
        -------
        Node
            The subtree.
        """
        node = self.not_()
        while tok := self.take("and"):
            node = Binary(tok.pos, "and", node, self.not_())
        return node

    def not_(self) -> Node:
        """Parse ``not``.

        Returns
        -------
        Node
            The subtree.
        """
        if tok := self.take("not"):
            return Unary(tok.pos, "not", self.not_())
        return self.compare()

    def compare(self) -> Node:
        """Parse a comparison or a chain of them.

        Returns
        -------
        Node
            The subtree.
        """
        first = self.sum()
        operands, ops = [first], []
        while self.tok.kind == "op" and self.tok.text in COMPARISONS:
            ops.append(self.tok.text)
            self.i += 1
            operands.append(self.sum())
        return first if not ops else Compare(first.pos, tuple(operands), tuple(ops))

    def sum(self) -> Node:
        """Parse ``+`` and ``-``.

        Returns
        -------
        Node
            The subtree.
        """
        node = self.product()
        while tok := self.take("+", "-"):
            node = Binary(tok.pos, tok.text, node, self.product())
        return node

    def product(self) -> Node:
        """Parse ``*`` and ``/``.

        Returns
        -------
        Node
            The subtree.
        """
        node = self.unary()
        while tok := self.take("*", "/"):
            node = Binary(tok.pos, tok.text, node, self.unary())
        return node

    def unary(self) -> Node:
        """Parse a prefix ``-`` or ``+``.

        Returns
        -------
        Node
            The subtree.
        """
        if tok := self.take("-", "+"):
            return Unary(tok.pos, tok.text, self.unary())
        return self.atom()

    def atom(self) -> Node:
        """Parse a number, a name, a reference ``field[id, ...]`` or a parenthesised expression.

        Returns
        -------
        Node
            The subtree.

        Raises
        ------
        ExpressionError
            At a call, a keyword or anything else that starts no atom.
        """
        tok = self.tok
        if tok.kind == "number":
            self.i += 1
            return Num(tok.pos, float(tok.text))
        if tok.kind == "name" and tok.text not in KEYWORDS:
            self.i += 1
            if self.take("["):
                args = [self.name_arg()]
                while self.take(","):
                    args.append(self.name_arg())
                self.expect("]")
                return Ref(tok.pos, tok.text, tuple(args))
            if self.tok.kind == "op" and self.tok.text == "(":
                raise self.error("calls are not allowed")
            return Name(tok.pos, tok.text)
        if self.take("("):
            node = self.expr()
            self.expect(")")
            return node
        raise self.error(f"expected a number, a name or '(', found {self.describe()}")

    def name_arg(self) -> str:
        """Parse one id inside a reference's brackets.

        Returns
        -------
        str
            The id.
        """
        tok = self.tok
        if tok.kind != "name" or tok.text in KEYWORDS:
            raise self.error(f"expected an id, found {self.describe()}")
        self.i += 1
        return tok.text


def parse(text: str, what: str = "expression") -> Node:
    """Parse an expression into a syntax tree.

    Parameters
    ----------
    text : str
        The expression.
    what : str, optional
        What the expression is (``event``, ``what-if``...), for error messages.

    Returns
    -------
    Node
        The syntax tree.

    Raises
    ------
    ExpressionError
        On an empty expression or bad syntax.
    """
    if not text.strip():
        raise ExpressionError(text, 0, "empty expression", what)
    return Parser(text, what).parse()
