"""Training the analyzer's learned parts from the labelled corpus in data/updates/ (`make model`).

Only this package imports scikit-learn (the `train` extra); the engine reads the artefact it writes with the
standard library alone.
"""
