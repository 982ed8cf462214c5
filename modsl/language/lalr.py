"""The plan parser's LALR(1) machinery: the table Lark builds from grammar/mobak.lark, and the
small driver that walks it.

Lark is the grammar's compiler, not its runtime. On a cache miss `build` has Lark turn the
grammar into its LALR table, terminals and rules, and keeps only plain data (states, actions,
rule shapes) that `marshal` can write; every later start loads that data and parses with
`Table.parse`, a loop over the table, so `modsl lint` never imports Lark (its import, and the
standard library it pulls in, was a third of a cold start). The tree building follows Lark's
LALR rules for this grammar: `[x]` leaves a None where x is absent, a `?rule` with one child
is that child, an alias names the callback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

SHIFT, REDUCE = 0, 1
END = "$END"


class Token(NamedTuple):
    """A token: its terminal's name, its text, and its columns (1-based, end exclusive). A
    tuple, not a `str` subclass: one is made for every word of a plan, and a tuple is built
    in C (`tuple.__new__`), a `str` subclass's attributes in Python (docs/performance.md)."""

    type: str
    value: str
    column: int
    end_column: int

    def __str__(self) -> str:
        return self.value


class UnexpectedCharacters(Exception):
    """No terminal matches at `column` (1-based)."""

    def __init__(self, column: int) -> None:
        super().__init__(f"no token at column {column}")
        self.column = column


class UnexpectedToken(Exception):
    """`token` cannot come here; `expected` is what could (after pending reductions)."""

    def __init__(self, token: Token, expected: set[str]) -> None:
        super().__init__(f"unexpected {token.type} at column {token.column}")
        self.token = token
        self.column = token.column
        self.expected = expected


class Unbuilt(NamedTuple):
    """What a rule with no callback gives: its name and children (never a plan node)."""

    rule: str
    children: list[Any]


class Rule(NamedTuple):
    origin: str
    size: int
    """How many symbols it pops."""
    callback: str
    inline: bool
    """A `?rule`: one child is passed up as it is."""
    nones: tuple[int, ...]
    """How many Nones go before each popped symbol, and after the last (`[x]` absent)."""

    @property
    def passes_through(self) -> bool:
        """A `?rule` of one symbol and no absent parts: its value is its child's, unchanged
        (what `_callback` makes of it), so a parser may leave the child where it is."""
        return self.inline and self.size == 1 and not any(self.nones)


class Terminal(NamedTuple):
    name: str
    regex: str
    keyword: str
    """For a plain word (`"for"i`), the word: lexed as a NAME, then re-typed by dictionary."""


class Table(NamedTuple):
    """The LALR table of one grammar, as plain data."""

    states: list[dict[str, tuple[int, int]]]
    """Per state: terminal or rule name → (SHIFT, next state) or (REDUCE, rule index)."""
    rules: list[Rule]
    start: int
    end: int
    terminals: list[Terminal]
    """In the order a lexer should try them (priority, then widest and longest first)."""
    ignore: list[str]
    """Regexes of what separates tokens."""

    def dump(self) -> tuple[Any, ...]:
        return (self.states, [tuple(r) for r in self.rules], self.start, self.end,
                [tuple(t) for t in self.terminals], self.ignore)

    @classmethod
    def load(cls, data: Any) -> Table:
        """The table `dump` wrote; ValueError for anything else (a damaged cache file)."""
        try:
            states, rules, start, end, terminals, ignore = data
            table = cls(states, [Rule(*r) for r in rules], start, end,
                        [Terminal(*t) for t in terminals], ignore)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not a parse table: {exc}") from None
        if not (isinstance(states, list) and all(isinstance(s, dict) for s in states)
                and isinstance(start, int) and isinstance(end, int) and 0 <= start < len(states)
                and all(isinstance(r.origin, str) and isinstance(r.nones, tuple)
                        for r in table.rules)):
            raise ValueError("not a parse table")
        return table

    def parse(self, tokens: Callable[[Callable[[], int]], Iterator[Token]],
              callbacks: list[Callable[[list[Any]], Any]]) -> Any:
        """Run the parser over `tokens(current_state)`; one callback per rule builds a value."""
        states, rules = self.states, self.rules
        stack = [self.start]
        values: list[Any] = []
        end_token: Token | None = None
        stream = tokens(lambda: stack[-1])
        token = next(stream, None)
        while True:
            if token is None:  # the line is read: reduce until the start rule is done
                if end_token is None:
                    column = tokens_end(values) + 1
                    end_token = Token(END, "", column, column)
                token_type = END
            else:
                token_type = token.type
            action = states[stack[-1]].get(token_type)
            if action is None or (token is None and action[0] == SHIFT):
                found = token if token is not None else end_token
                assert found is not None
                raise UnexpectedToken(found, self.accepts(stack))
            if action[0] == SHIFT:
                stack.append(action[1])
                values.append(token)
                token = next(stream, None)
                continue
            rule = rules[action[1]]  # reduce
            size = rule.size
            if size:
                children = values[-size:]
                del values[-size:]
                del stack[-size:]
            else:
                children = []
            values.append(callbacks[action[1]](children))
            stack.append(states[stack[-1]][rule.origin][1])
            if token is None and stack[-1] == self.end:
                return values[-1]

    def advance(self, stack: tuple[int, ...], terminal: str
                ) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
        """What the parser does with `stack` when `terminal` comes next: the rules it reduces
        (their indices, in order) and its stack after shifting `terminal` (for END: once the
        start rule is done); None when `terminal` cannot come here."""
        states, rules = self.states, self.rules
        trial, reduced = list(stack), list[int]()
        while True:
            action = states[trial[-1]].get(terminal)
            if action is None or (terminal == END and action[0] == SHIFT):
                return None
            if action[0] == SHIFT:
                return tuple(reduced), (*trial, action[1])
            rule = rules[action[1]]
            reduced.append(action[1])
            if rule.size:
                del trial[-rule.size:]
            goto = states[trial[-1]].get(rule.origin)
            if goto is None:
                return None
            trial.append(goto[1])
            if terminal == END and trial[-1] == self.end:
                return tuple(reduced), tuple(trial)

    def accepts(self, stack: list[int]) -> set[str]:
        """The terminals that could come next: those that shift after pending reductions."""
        return {terminal for terminal in self.states[stack[-1]]
                if (terminal.isupper() or terminal == END)
                and self.advance(tuple(stack), terminal) is not None}

    def callbacks(self, builder: object) -> list[Callable[[list[Any]], Any]]:
        """One callback per rule: `builder`'s method of the rule's callback name, with Lark's
        placeholders and inlining around it."""
        return [_callback(rule, getattr(builder, rule.callback, None)) for rule in self.rules]


def tokens_end(values: list[Any]) -> int:
    """The end column of the last token among `values` (0 when there is none)."""
    for value in reversed(values):
        if isinstance(value, Token):
            return value.end_column - 1
        span = getattr(value, "span", None)
        if span is not None:
            return int(span.end_column) - 1
    return 0


def _callback(rule: Rule, method: Callable[[list[Any]], Any] | None
              ) -> Callable[[list[Any]], Any]:
    """`method` itself where nothing goes around it: one call less per reduction."""
    build: Callable[[list[Any]], Any]
    if method is None:
        def build(children: list[Any]) -> Any:
            if rule.inline and len(children) == 1:
                return children[0]
            return Unbuilt(rule.callback, children)
    elif rule.inline:
        def build(children: list[Any]) -> Any:
            return children[0] if len(children) == 1 else method(children)
    else:
        build = method

    if not any(rule.nones):
        return build
    # Where the Nones go, last first (inserting there leaves the earlier places as they are).
    gaps = [(at, (None,) * count) for at, count in enumerate(rule.nones) if count][::-1]

    def with_nones(children: list[Any]) -> Any:
        for at, nones in gaps:
            children[at:at] = nones
        return build(children)

    return with_nones


def build(grammar: str, start: str) -> Table:
    """Have Lark compile `grammar` into a Table (imports Lark: only on a cache miss)."""
    from lark import Lark

    lark = Lark(grammar, parser="lalr", lexer="basic", start=start, maybe_placeholders=True)
    parse_table = lark.parser.parser.parser.parse_table
    rules: list[Any] = []
    index: dict[int, int] = {}
    states: list[dict[str, tuple[int, int]]] = [{} for _ in range(len(parse_table.states))]
    for state, actions in parse_table.states.items():
        for symbol, (action, arg) in actions.items():
            if action.name == "Shift":
                states[state][str(symbol)] = (SHIFT, int(arg))
            else:
                if id(arg) not in index:
                    index[id(arg)] = len(rules)
                    rules.append(arg)
                states[state][str(symbol)] = (REDUCE, index[id(arg)])
    for rule in rules:  # what the shapes below cannot say
        if rule.origin.name.startswith("_") or any(
                s.is_term and s.filter_out for s in rule.expansion):
            raise ValueError(f"rule {rule} inlines a rule or filters a token: not supported")
    states, rules, first, last = _canonical(states, rules, int(parse_table.start_states[start]),
                                            int(parse_table.end_states[start]))
    shapes = [Rule(str(r.origin.name), len(r.expansion),
                   str(r.alias or r.options.template_source or r.origin.name),
                   bool(r.options.expand1) and not r.alias, _nones(r)) for r in rules]
    ignore = set(lark.lexer_conf.ignore)
    ordered = sorted((t for t in lark.lexer_conf.terminals if t.name not in ignore),
                     key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value),
                                    t.name))
    terminals = [Terminal(str(t.name), str(t.pattern.to_regexp()), str(t.pattern.value)
                          if t.pattern.type == "str" and t.pattern.value.isalpha()
                          and t.pattern.value.islower() else "") for t in ordered]
    spaces = [str(t.pattern.to_regexp()) for t in lark.lexer_conf.terminals if t.name in ignore]
    return Table(states, shapes, first, last, terminals, spaces)


def _canonical(states: list[dict[str, tuple[int, int]]], rules: list[Any], start: int,
               end: int) -> tuple[list[dict[str, tuple[int, int]]], list[Any], int, int]:
    """The table numbered independently of Lark's set order (which follows the hash seed):
    rules by their text, states in breadth-first order from the start, symbols sorted. The
    same grammar then always makes the same cache file."""
    rule_order = sorted(range(len(rules)), key=lambda i: str(rules[i]))
    new_rule = {old: new for new, old in enumerate(rule_order)}
    order, seen = [start], {start}
    for state in order:
        for symbol in sorted(states[state]):
            action, arg = states[state][symbol]
            if action == SHIFT and arg not in seen:
                seen.add(arg)
                order.append(arg)
    order += [s for s in range(len(states)) if s not in seen]
    new_state = {old: new for new, old in enumerate(order)}
    renumbered = [{symbol: (action, new_state[arg] if action == SHIFT else new_rule[arg])
                   for symbol, (action, arg) in sorted(states[old].items())} for old in order]
    return renumbered, [rules[i] for i in rule_order], new_state[start], new_state[end]


def _nones(rule: Any) -> tuple[int, ...]:
    """Lark's `empty_indices` as the number of Nones before each symbol and after the last."""
    empty = rule.options.empty_indices
    if not empty:
        return (0,) * (len(rule.expansion) + 1)
    return tuple(len(run) for run in "".join(str(int(b)) for b in empty).split("0"))
