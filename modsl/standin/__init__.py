"""A MatrixOne stand-in: a MySQL-protocol server that behaves like MatrixOne for what modsl
touches (accounts, databases and rows, snapshots, PITRs, restores, the live-state reads), so
plans can run end to end in tests, CI and drills. Needs the `standin` extra (mysql-mimic).

It is a second, independent reading of MatrixOne (docs/standin.md): it never imports modsl's
checker, so the two can disagree, and a test says where.
"""

from modsl.standin.server import Faults, StandIn
from modsl.standin.world import Clock, World

__all__ = ["Clock", "Faults", "StandIn", "World"]
