"""Screening: the indicator catalogue and the pure rules that turn observations into advice."""
