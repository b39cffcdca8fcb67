"""Linking infrastructure facts to code facts (functions ↔ handler files)."""
