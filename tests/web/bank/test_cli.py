"""``flask bank`` commands."""

from __future__ import annotations

from sqlalchemy import func, select

from question_bank.models import Question


def test_generate_adds_drafts_with_a_progress_bar(app, unit, db):
    """``flask bank generate`` stores new drafts and reports how many."""
    before = db.session.scalar(select(func.count(Question.id)))
    result = app.test_cli_runner().invoke(args=["bank", "generate", "--unit", str(unit.id), "--seed", "7",
                                                "--types", "cloze,true_false"])
    assert result.exit_code == 0, result.output
    added = db.session.scalar(select(func.count(Question.id))) - before
    assert f"Added {added} draft questions" in result.output and added > 0


def test_generate_refuses_an_unknown_unit_and_type(app, unit):
    """Mistakes are explained, not raised."""
    runner = app.test_cli_runner()
    assert "No unit" in runner.invoke(args=["bank", "generate", "--unit", "nope"]).output
    result = runner.invoke(args=["bank", "generate", "--unit", str(unit.id), "--types", "essay"])
    assert result.exit_code != 0 and "essay" in result.output


def test_export_then_import_round_trips(app, unit, db, tmp_path):
    """Exported GIFT imports back as the same number of draft questions."""
    runner = app.test_cli_runner()
    questions = db.session.scalars(select(Question).where(Question.unit_id == unit.id)).all()
    for question in questions:
        question.status = "approved"
    db.session.commit()
    target = tmp_path / "bank.gift"
    result = runner.invoke(args=["bank", "export", "--unit", str(unit.id), "--format", "gift",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["bank", "import", str(target), "--unit", str(unit.id)])
    assert result.exit_code == 0, result.output
    assert f"Imported {len(questions)} questions" in result.output
    imported = db.session.scalars(select(Question).where(Question.origin == "imported")).all()
    assert sorted(q.stem for q in imported) == sorted(q.stem for q in questions)


def test_import_of_a_malformed_file_stores_nothing(app, unit, db, tmp_path):
    """A broken GIFT file is refused with its line number; the bank is unchanged."""
    bad = tmp_path / "bad.gift"
    bad.write_text("::Q1:: Which city? {=Oslo ~Bergen}\n\n::Q2:: Broken {=Oslo ~Bergen\n")
    before = db.session.scalar(select(func.count(Question.id)))
    result = app.test_cli_runner().invoke(args=["bank", "import", str(bad), "--unit", str(unit.id)])
    assert result.exit_code != 0 and "line 3" in result.output and "Nothing was imported" in result.output
    assert db.session.scalar(select(func.count(Question.id))) == before


def test_load_units_is_idempotent(app, db):
    """The second run says the units are there already."""
    runner = app.test_cli_runner()
    missing = runner.invoke(args=["bank", "load-units", "--material", "/nonexistent-folder"])
    assert missing.exit_code != 0 and "does not exist" in missing.output
    first = runner.invoke(args=["bank", "load-units"])
    assert first.exit_code == 0 and "Loaded unit" in first.output
    assert "already loaded" in runner.invoke(args=["bank", "load-units"]).output
