"""The SQL side, on sqlglot: a `matrixone` dialect and the importer (SQL → plan).

Importing this package registers the dialect, so `sqlglot.parse_one(sql, read="matrixone")`
works afterwards. Nothing on the `lint` path imports it.
"""

from modsl.sql.dialect import MatrixOne

__all__ = ["MatrixOne"]
