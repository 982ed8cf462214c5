"""The engine's name, in a module of its own: its rules say it without importing the engine's
package, whose ENGINE reaches (lazily) its live reads, drills and stand-in, which use the rules:
an import cycle."""

ENGINE_NAME = "starrocks"
