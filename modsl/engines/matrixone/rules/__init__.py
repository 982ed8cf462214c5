"""MatrixOne's own rule families, loaded for plans that target MatrixOne."""
