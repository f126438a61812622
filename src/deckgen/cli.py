"""The `deckgen` command line: a thin Click layer over the library API."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

import deckgen
from deckgen.errors import DeckgenError, OutlineError

OUTLINE = click.argument("outline", required=False, type=click.Path(dir_okay=False, path_type=Path))


def _fail(exc: DeckgenError) -> None:
    """Print every problem of an error to stderr and exit 1 (no traceback)."""
    for line in str(exc).splitlines():
        click.echo(line if isinstance(exc, OutlineError) else f"error: {line}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(deckgen.__version__, prog_name="deckgen")
def cli() -> None:
    """Turn a briefing outline (YAML) into an editable PowerPoint deck and a printable A4 PDF brief."""


@cli.command()
@OUTLINE
@click.option("-o", "--out-dir", default="build", show_default=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the outputs.")
@click.option("--only", type=click.Choice(["pptx", "pdf"]), help="Build only the deck or only the brief.")
@click.option("-a", "--audience", "audiences", multiple=True, metavar="NAME", help="Tailor for this audience (repeatable); outputs are <stem>-NAME.pptx/.pdf.")
@click.option("--all-audiences", is_flag=True, help="Build once per audience the outline defines, plus <stem>.manifest.json.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no list of written files.")
def build(outline: Path | None, out_dir: Path, only: str | None, audiences: tuple[str, ...], all_audiences: bool, quiet: bool) -> None:
    """Build OUTLINE's deck (.pptx) and brief (.pdf); without OUTLINE, the bundled default outline."""
    formats = (only,) if only else deckgen.FORMATS
    show_bar = not quiet and sys.stderr.isatty() and (all_audiences or len(audiences) > 1)
    try:
        if show_bar:
            steps = len(formats) * (max(len(audiences), 1) if not all_audiences else len(deckgen.audience_names(deckgen.load(outline))))
            with click.progressbar(length=steps, label="building", file=sys.stderr) as bar:
                result = deckgen.build(outline, out_dir, formats, audiences, all_audiences, progress=lambda _name: bar.update(1))
        else:
            result = deckgen.build(outline, out_dir, formats, audiences, all_audiences)
    except DeckgenError as exc:
        _fail(exc)
    for warning in result.warnings:
        click.echo(f"{warning} [warning]", err=True)
    if not quiet:
        for path in result.paths:
            click.echo(str(path))


@cli.command()
@OUTLINE
def audiences(outline: Path | None) -> None:
    """Print who gets what: sections, charts and key figures (rows) per audience (columns)."""
    try:
        names, rows = deckgen.audience_table(deckgen.load(outline))
    except DeckgenError as exc:
        _fail(exc)
    if not names:
        click.echo("the outline defines no audiences")
        return
    header = ["", *names]
    table = [header, *[[label, *cells] for label, cells in rows]]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for k, row in enumerate(table):
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if k == 0:
            click.echo("  ".join("-" * w for w in widths))


@cli.command()
@click.argument("outline", type=click.Path(dir_okay=False, path_type=Path))
def validate(outline: Path) -> None:
    """Check OUTLINE and print its problems, or a one-line summary when it is valid."""
    try:
        doc = deckgen.load(outline)
    except DeckgenError as exc:
        _fail(exc)
    o = doc.outline
    click.echo(f"ok: {len(o.sections)} sections, {len(o.charts)} charts, {len(o.audiences)} audiences")


@cli.command()
def schema() -> None:
    """Print the outline format as JSON Schema (for editor autocompletion)."""
    from deckgen.model import Outline

    click.echo(json.dumps(Outline.model_json_schema(), indent=2, ensure_ascii=False))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="deckgen")
