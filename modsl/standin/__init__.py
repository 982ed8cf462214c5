"""The stand-in: a MySQL-protocol server that behaves like a target engine for what modsl
touches, so plans can run end to end in tests, CI and drills. Needs the `standin` extra
(mysql-mimic).

This package is the engine-neutral shell (the server thread, faults, the clock, the session
plumbing, plain SQL on SQLite); what a server *is* comes from its engine's folder
(`Engine.standin()`, in `modsl/engines/<name>/`). It is a second, independent
reading of each engine (docs/standin.md): it never imports modsl's checker, so the two can
disagree, and a test says where.
"""

from modsl.standin.server import Faults, StandIn
from modsl.standin.store import Clock

__all__ = ["Clock", "Faults", "StandIn"]
