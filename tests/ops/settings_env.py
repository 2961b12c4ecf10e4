"""The environment variables the app reads, taken from config.Settings.from_env's source (not a hand list)."""

from __future__ import annotations

import ast
import inspect
import textwrap

from config import Settings

__all__ = ["settings_env_vars"]


def settings_env_vars() -> set[str]:
    """Every literal name passed to env.get(...) or env[...] in Settings.from_env."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(Settings.from_env.__func__)))
    names: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "env"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "env"
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
    return names
