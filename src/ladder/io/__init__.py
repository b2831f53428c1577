"""Reading files of any supported format and validating them against the contract."""
