"""Classes: create, join with a code, leave, roster changes and co-teachers."""

from __future__ import annotations

from sqlalchemy import select

from quiz.classes.models import Classroom, Membership


def members(db, classroom) -> set[str]:
    return {m.user.email for m in db.session.scalars(
        select(Membership).where(Membership.classroom_id == classroom.id))}


def test_teacher_creates_a_class_with_a_join_code(login, teacher, db):
    """The new class has a short readable code and its creator as teacher."""
    browser = login(teacher)
    response = browser.post("/classes/new", data={"name": "Year 11 Civics", "subject": "Civics",
                                                  "term": "Autumn 2026"})
    assert response.status_code == 302
    classroom = db.session.scalar(select(Classroom))
    assert classroom.name == "Year 11 Civics" and len(classroom.join_code) == 7
    assert not set(classroom.join_code) & set("0O1IL")
    assert members(db, classroom) == {teacher.email}
    page = browser.get(response.location).get_data(as_text=True)
    assert classroom.join_code in page and "No students yet" in page


def test_class_needs_a_name(login, teacher, db):
    """An empty name is refused beside the field."""
    response = login(teacher).post("/classes/new", data={"name": "  "})
    assert response.status_code == 422 and "This field is required" in response.get_data(as_text=True)
    assert db.session.scalar(select(Classroom)) is None


def test_student_joins_with_the_code_and_appears_on_the_roster(login, classroom, other_student, teacher, db):
    """A code typed in lower case with spaces still works; the teacher then sees the student."""
    code = classroom.join_code
    response = login(other_student).post("/classes/join", data={"code": f" {code[:3].lower()} {code[3:]} "})
    assert response.status_code == 302
    assert other_student.email in members(db, classroom)
    roster = login(teacher).get(f"/classes/{classroom.id}").get_data(as_text=True)
    assert "Olga Other" in roster and "Sam Student" in roster


def test_wrong_join_code_is_refused(login, classroom, other_student, db):
    """A code that matches no class says so and changes nothing."""
    response = login(other_student).post("/classes/join", data={"code": "ZZZZZZZ"})
    assert response.status_code == 422 and "No class has that code" in response.get_data(as_text=True)
    assert other_student.email not in members(db, classroom)


def test_joining_twice_is_refused_politely(login, classroom, student):
    """A student already in the class is told so."""
    response = login(student).post("/classes/join", data={"code": classroom.join_code})
    assert response.status_code == 422 and "already in Civics A" in response.get_data(as_text=True)


def test_closed_class_admits_nobody(login, classroom, teacher, other_student, db):
    """After the teacher closes joining, the code no longer admits students; reopening does."""
    teacher_browser = login(teacher)
    assert teacher_browser.post(f"/classes/{classroom.id}/joining/closed").status_code == 302
    student_browser = login(other_student)
    response = student_browser.post("/classes/join", data={"code": classroom.join_code})
    assert response.status_code == 422 and "not taking new students" in response.get_data(as_text=True)
    teacher_browser.post(f"/classes/{classroom.id}/joining/open")
    assert student_browser.post("/classes/join", data={"code": classroom.join_code}).status_code == 302


def test_regenerated_code_replaces_the_old_one(login, classroom, teacher, other_student, db):
    """The old code stops working once a new one is made."""
    old = classroom.join_code
    login(teacher).post(f"/classes/{classroom.id}/code")
    db.session.refresh(classroom)
    assert classroom.join_code != old
    browser = login(other_student)
    assert browser.post("/classes/join", data={"code": old}).status_code == 422
    assert browser.post("/classes/join", data={"code": classroom.join_code}).status_code == 302


def test_student_leaves_a_class(login, classroom, student, db):
    """Leaving removes the membership and the class from the student's list."""
    browser = login(student)
    assert browser.post(f"/classes/{classroom.id}/leave").status_code == 302
    assert student.email not in members(db, classroom)
    page = browser.get("/classes/").get_data(as_text=True)
    assert "You have left Civics A" in page and f'href="/classes/{classroom.id}"' not in page


def test_teacher_removes_a_student(login, classroom, teacher, student, db):
    """The removed student can no longer open the class."""
    response = login(teacher).post(f"/classes/{classroom.id}/students/{student.id}/remove")
    assert response.status_code == 302
    assert student.email not in members(db, classroom)
    assert login(student).get(f"/classes/{classroom.id}").status_code == 404


def test_removing_someone_not_in_the_class_is_404(login, classroom, other_classroom, teacher, other_student):
    """A tampered user id from another class changes nothing."""
    response = login(teacher).post(f"/classes/{classroom.id}/students/{other_student.id}/remove")
    assert response.status_code == 404


def test_co_teacher_is_added_and_can_manage_the_class(login, classroom, teacher, other_teacher, db):
    """A co-teacher sees the roster; the owner cannot be removed by them."""
    response = login(teacher).post(f"/classes/{classroom.id}/teachers", data={"email": other_teacher.email})
    assert response.status_code == 302
    co = login(other_teacher)
    assert "Sam Student" in co.get(f"/classes/{classroom.id}").get_data(as_text=True)
    co.post(f"/classes/{classroom.id}/teachers/{teacher.id}/remove")
    assert teacher.email in members(db, classroom)
    login(teacher).post(f"/classes/{classroom.id}/teachers/{other_teacher.id}/remove")
    assert other_teacher.email not in members(db, classroom)


def test_co_teacher_must_be_a_teacher(login, classroom, teacher, other_student, db):
    """A student's email cannot be added as a co-teacher."""
    browser = login(teacher)
    browser.post(f"/classes/{classroom.id}/teachers", data={"email": other_student.email})
    assert other_student.email not in members(db, classroom)
    assert "No teacher has an account" in browser.get(f"/classes/{classroom.id}").get_data(as_text=True)


def test_teacher_edits_class_details(login, classroom, teacher, db):
    """Name, subject and term can be changed."""
    login(teacher).post(f"/classes/{classroom.id}/edit", data={"name": "Civics Alpha", "subject": "Politics",
                                                               "term": "Spring"})
    db.session.refresh(classroom)
    assert (classroom.name, classroom.subject, classroom.term) == ("Civics Alpha", "Politics", "Spring")


def test_students_see_only_their_own_classes(login, classroom, other_classroom, student):
    """The class list and dashboard never show another class."""
    browser = login(student)
    for page in ("/classes/", "/dashboard"):
        html = browser.get(page).get_data(as_text=True)
        assert "Civics A" in html and "Civics B" not in html


def test_teacher_cannot_join_by_code(login, other_classroom, teacher):
    """Teachers are added as co-teachers, not by code."""
    assert login(teacher).post("/classes/join", data={"code": other_classroom.join_code}).status_code == 403
