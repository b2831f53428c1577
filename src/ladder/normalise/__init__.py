"""Normalisers: map what real exports contain onto the canonical values of the contract."""
