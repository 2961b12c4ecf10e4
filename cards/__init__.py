"""Adaptive Cards as pure functions: plain data in, card JSON (dict) out. No botbuilder here."""
