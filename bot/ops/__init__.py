"""Operator tools: `wiift db`, `wiift export`, `wiift doctor`, and the checks behind `/readyz`."""
