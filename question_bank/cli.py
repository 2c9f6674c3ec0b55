"""``python -m question_bank``: generate questions from reading files, without the web app.

    python -m question_bank generate FILE... [--format json|gift|aiken] [--types t1,t2]
                                             [--max N] [--seed S] [--unit PATH]

Questions go to stdout; a file that cannot be read prints a message to stderr and exits with
status 2. Nothing touches a database.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from question_bank.generation import GENERATED_TYPES, generate, generate_with_unit
from question_bank.readings import MAX_BYTES, ReadingError, read_document

FORMATS = ("json", "gift", "aiken")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; its help text is the command's documentation."""
    parser = argparse.ArgumentParser(
        prog="python -m question_bank",
        description="Debrief's question bank tools (no web app, no database).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    gen = commands.add_parser(
        "generate",
        help="make cited questions from reading files and print them",
        description=(
            "Read each FILE (.txt, .md, .html/.htm or .pdf, at most "
            f"{MAX_BYTES // (1024 * 1024)} MB), generate questions that cite the passage "
            "proving their answer, and print them to stdout. Exit status 2 when a file cannot "
            "be read."
        ),
    )
    gen.add_argument("files", nargs="+", metavar="FILE", type=Path, help="reading files")
    gen.add_argument("--format", choices=FORMATS, default="json",
                     help="output format (default: json, with generation stats)")
    gen.add_argument("--types", action="append", metavar="T1,T2",
                     help="question types to make, comma-separated or repeated; one of: "
                          + ", ".join(GENERATED_TYPES) + " (default: all)")
    gen.add_argument("--max", type=int, default=None, metavar="N",
                     help="keep at most N questions (the best first)")
    gen.add_argument("--seed", type=int, default=0, metavar="S",
                     help="seed for choice order and true/false mix (default: 0); "
                          "the same input and seed always give the same output")
    gen.add_argument("--unit", type=Path, default=None, metavar="PATH",
                     help="a unit folder (e.g. question_bank/units/russia-dprk-treaty): adds its "
                          "notes, glossary, timeline and topic pack")
    return parser


def _types(values: list[str] | None, parser: argparse.ArgumentParser) -> list[str] | None:
    if not values:
        return None
    wanted = [t.strip() for value in values for t in value.split(",") if t.strip()]
    unknown = [t for t in wanted if t not in GENERATED_TYPES]
    if unknown:
        parser.error(f"unknown question type(s): {', '.join(unknown)} "
                     f"(choose from {', '.join(GENERATED_TYPES)})")
    return wanted


def _dumps(questions, fmt: str, stats: dict) -> str:
    from question_bank.formats import dumps

    return dumps(questions, fmt, stats if fmt == "json" else None)


def run_generate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Read the files, generate, print; 2 on a reading problem."""
    types = _types(args.types, parser)
    if args.max is not None and args.max < 1:
        parser.error("--max must be at least 1")
    documents = []
    for path in args.files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"error: cannot open {path}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        try:
            documents.append(read_document(data, path.name))
        except ReadingError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    options = {"types": types, "max_questions": args.max, "seed": args.seed}
    if args.unit is not None:
        from question_bank.units import UnitError, load_unit

        try:
            unit = load_unit(args.unit)
        except (UnitError, OSError) as exc:
            print(f"error: cannot load unit {args.unit}: {exc}", file=sys.stderr)
            return 2
        result = generate_with_unit(documents, unit, **options)
    else:
        result = generate(documents, **options)
    sys.stdout.write(_dumps(result.questions, args.format, result.stats))
    if not sys.stdout.isatty():
        sys.stdout.write("\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for ``python -m question_bank``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "generate":
        return run_generate(args, parser)
    parser.error(f"unknown command {args.command}")
    return 2
