"""The stand-in's MatrixOne personality: what a MatrixOne server holds (`world`), how it runs
snapshots, PITRs and restores (`backup`), CLONE (`clone`), Go's time parsing (`gotime`), and
its sessions (`session`). A second, independent reading of MatrixOne (docs/standin.md): it
never imports modsl's checker or this engine's rules, so the two can disagree, and a test
says where.
"""
