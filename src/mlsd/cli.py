"""The mlsd command line (temporary: validate only)."""
from __future__ import annotations
import sys
from pathlib import Path
import click
from mlsd.errors import PresetError
from mlsd.presets import load_preset_file

@click.group()
def main() -> None:
    """mlsd"""

@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Validate preset files."""
    failed = 0
    for f in files:
        try:
            load_preset_file(f)
            click.echo(f"{f}: ok")
        except PresetError as e:
            failed += 1
            click.echo(str(e), err=True)
    sys.exit(1 if failed else 0)
