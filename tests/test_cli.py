"""The CLI documents itself, and the README documents the CLI: every command and option appears in both."""

from __future__ import annotations

import argparse
import subprocess
import sys

from report.cli import parser
from tests.conftest import ROOT


def commands(node: argparse.ArgumentParser, prefix=()):
    """(command path, parser) for every command and subcommand."""
    yield prefix, node
    for action in node._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from commands(child, prefix + (name,))


def test_every_command_has_help_text_and_runs_help():
    for path, node in commands(parser()):
        done = subprocess.run([sys.executable, "-m", "report.cli", *path, "--help"], capture_output=True, text=True)
        assert done.returncode == 0, path
        assert node.description or not path, f"`report {' '.join(path)}` has no description"
        for action in node._actions:
            if action.option_strings and action.dest != "help":
                assert action.help, f"option {action.option_strings} of `report {' '.join(path)}` has no help"


def test_readme_mentions_every_command_and_option():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path, node in commands(parser()):
        if path:
            assert f"report {' '.join(path)}" in readme, f"README does not document `report {' '.join(path)}`"
        for action in node._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in readme, f"README does not mention {option} of `report {' '.join(path)}`"
