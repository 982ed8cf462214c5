"""The functions a verify query may call: built-ins that only compute a value (MB211).

Why an allow-list and not a list of dangerous calls: a name the server does not know as a
built-in is resolved to a *stored* function, and a stored function may write anything
(`SELECT shop.purge_orders()` emptied a table). Servers also keep adding calls that wait,
lock or reach other servers (`MASTER_POS_WAIT`, `SOURCE_POS_WAIT`, `MASTER_GTID_WAIT`, ...), so a
deny-list is always one release behind. A name is here only when it is a built-in on
MatrixOne, MySQL and MariaDB alike (an unknown name would reach a user's function of that
name: tests/test_apply.py asks MariaDB about every one) and reads nothing but its arguments
and the rows of the query. What is not here is refused by name, in the plan, at lint time;
adding a name is a reviewed change to this file.
"""

from __future__ import annotations

AGGREGATES = frozenset({
    "COUNT", "SUM", "MIN", "MAX", "AVG", "BIT_AND", "BIT_OR", "BIT_XOR", "GROUP_CONCAT",
    "STD", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VAR_POP", "VAR_SAMP", "VARIANCE",
})  # not ANY_VALUE: MariaDB 10.11 has none, so the name would reach a stored function
CHECKSUMS = frozenset({"MD5", "SHA", "SHA1", "SHA2", "CRC32"})
CONDITIONALS = frozenset({"COALESCE", "IFNULL", "NULLIF", "IF", "ISNULL", "GREATEST", "LEAST"})
CASTS = frozenset({"CAST", "CONVERT"})
STRINGS = frozenset({
    "CONCAT", "CONCAT_WS", "LENGTH", "CHAR_LENGTH", "CHARACTER_LENGTH", "BIT_LENGTH", "LOWER",
    "UPPER", "LCASE", "UCASE", "SUBSTRING", "SUBSTR", "MID", "LEFT", "RIGHT", "TRIM", "LTRIM",
    "RTRIM", "REPLACE", "REVERSE", "LPAD", "RPAD", "REPEAT", "SPACE", "INSTR", "LOCATE",
    "POSITION", "FIELD", "FIND_IN_SET", "HEX", "UNHEX", "ASCII", "CHAR", "STRCMP",
    "SUBSTRING_INDEX", "TO_BASE64", "FROM_BASE64", "ELT",
})
NUMBERS = frozenset({
    "ABS", "CEIL", "CEILING", "FLOOR", "ROUND", "TRUNCATE", "MOD", "POW", "POWER", "SQRT",
    "EXP", "LN", "LOG", "LOG2", "LOG10", "SIGN", "PI", "BIN", "OCT",
})
DATES = frozenset({
    "NOW", "CURDATE", "CURTIME", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
    "UTC_TIMESTAMP", "DATE", "TIME", "TIMESTAMP", "YEAR", "MONTH", "DAY", "DAYOFMONTH", "HOUR",
    "MINUTE", "SECOND", "WEEKDAY", "DAYOFWEEK", "DAYOFYEAR", "DATE_ADD", "DATE_SUB", "ADDDATE",
    "SUBDATE", "DATEDIFF", "TIMESTAMPDIFF", "TIMESTAMPADD", "DATE_FORMAT", "STR_TO_DATE",
    "UNIX_TIMESTAMP", "FROM_UNIXTIME", "TO_DAYS", "LAST_DAY", "EXTRACT",
})
JSON = frozenset({"JSON_EXTRACT", "JSON_UNQUOTE", "JSON_LENGTH"})
WINDOWS = frozenset({"ROW_NUMBER", "RANK", "DENSE_RANK"})
INFO = frozenset({"DATABASE", "SCHEMA", "VERSION"})

PURE_FUNCTIONS: frozenset[str] = (AGGREGATES | CHECKSUMS | CONDITIONALS | CASTS | STRINGS
                                  | NUMBERS | DATES | JSON | WINDOWS | INFO)
"""Every name a verify may call, upper case."""

SYNTAX_BEFORE_PAREN = frozenset({
    "SELECT", "FROM", "JOIN", "STRAIGHT_JOIN", "LATERAL", "ON", "USING", "WHERE", "AND", "OR",
    "XOR", "NOT", "IN", "EXISTS", "ANY", "SOME", "ALL", "DISTINCT", "DISTINCTROW", "WITH",
    "RECURSIVE", "BY", "HAVING", "WHEN", "THEN", "ELSE", "CASE", "OVER", "PARTITION", "UNION",
    "INTERSECT", "EXCEPT", "LIKE", "RLIKE", "REGEXP", "BETWEEN", "IS", "INTERVAL", "INDEX",
    "KEY", "ESCAPE", "DIV", "AS",
})
"""Words of the SELECT syntax that a parenthesis may follow without making a call (`IN (`,
`FROM (SELECT ...)`, `USE INDEX (i)`)."""
