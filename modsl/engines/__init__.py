"""Engine folders, one per target engine: everything one engine knows (versions, emission, rules,
live reads, import reader, stand-in personality, drills). Found by `modsl.targets`, never
named by shared code; never importing one another (pyproject.toml's import-linter contracts)."""
