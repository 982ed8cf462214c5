"""The `.mobak` language: the grammar driver (LALR table, lexer, line builder), the parser
(syntax diagnostics only), the typed AST, name syntax and keywords, and the canonical format.
Knows no engine."""
