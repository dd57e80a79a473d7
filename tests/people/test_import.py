"""The MIS import: all rows or none, a per-row report, header spellings, a dry run, and bad files refused."""

import pytest
from cse_platform.audit.models import AuditEvent
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from safeguarding.models import TutorGroup, YoungPerson
from safeguarding.rules.roles import Role
from safeguarding.services.imports import MAX_BYTES, MAX_ROWS
from tests.people.conftest import born_for_year, csv_upload, mis_csv, upn


def dob(year_group: int) -> str:
    return born_for_year(year_group).strftime("%d/%m/%Y")


GOOD = mis_csv(
    (upn(1), "Amelia", "Hart", dob(9), 9, "9N"),
    (upn(2), "Ben", "Okafor", dob(10), 10, "10N"),
    (upn(3), "Chloe", "Byrne", dob(9), "Year 9", "9N"),
)


def post(client, text: str, *, check: bool = False, name: str = "pupils.csv"):
    return client.post("/api/young-people/import/" + ("?check=1" if check else ""), {"file": csv_upload(text, name)})


def count(school) -> int:
    with schema_context(school.schema_name):
        return YoungPerson.objects.count()


@pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, Role.DCPO])
def test_a_good_file_saves_every_row_and_creates_tutor_groups(school_a, signed_in, role):
    client, _ = signed_in(role, school_a)
    response = post(client, GOOD)
    assert response.status_code == 201, response.content
    report = response.json()
    assert report["saved"] and report["ok"]
    assert (report["created"], report["updated"], report["unchanged"]) == (3, 0, 0)
    assert sorted(report["tutor_groups_created"]) == ["10N", "9N"]
    with schema_context(school_a.schema_name):
        hart = YoungPerson.objects.get(upn=upn(1))
        assert (hart.first_name, hart.last_name, hart.year_group, hart.tutor_group.name) == ("Amelia", "Hart", 9, "9N")
        assert hart.date_of_birth == born_for_year(9)
        assert TutorGroup.objects.get(name="10N").year_group == 10


def test_a_file_with_one_bad_row_saves_nothing_and_reports_each_problem(school_a, signed_in):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    text = mis_csv(
        (upn(1), "Amelia", "Hart", dob(9), 9, "9N"),
        ("X12", "", "Okafor", "31/02/2011", 15, "10N"),
        (upn(3), "Chloe", "Byrne", dob(9), 9, "9N"),
    )
    response = post(client, text)
    assert response.status_code == 400
    report = response.json()
    assert not report["saved"] and not report["ok"]
    assert [row["row"] for row in report["refused"]] == [3]
    refused = report["refused"][0]
    assert refused["upn"] == "X12"
    problems = " ".join(refused["problems"])
    assert "“X12” is not a UPN" in problems
    assert "forename is missing" in problems
    assert "“31/02/2011” is not a date" in problems
    assert "Year group 15" in problems
    assert len(refused["problems"]) == 4
    assert "Nothing was saved" in report["summary"]
    assert count(school_a) == 0
    with schema_context(school_a.schema_name):
        assert not TutorGroup.objects.exists()


def test_duplicate_upns_in_the_file_are_refused_on_both_rows(school_a, signed_in):
    client, _ = signed_in(Role.DCPO, school_a)
    text = mis_csv((upn(1), "A", "One", dob(9), 9, "9N"), (upn(2), "B", "Two", dob(9), 9, "9N"),
                   (upn(1), "C", "Three", dob(9), 9, "9N"))
    report = post(client, text).json()
    assert [row["row"] for row in report["refused"]] == [2, 4]
    assert "also on row 4" in report["refused"][0]["problems"][0]
    assert "also on row 2" in report["refused"][1]["problems"][0]
    assert count(school_a) == 0


@pytest.mark.parametrize(("born", "problem"), [
    ("01/01/2000", "makes this young person"),
    ("2030-01-01", "is in the future"),
    ("01/01/12", "is not a date"),
    ("", "date of birth is missing"),
])
def test_dates_of_birth_must_be_sensible_for_11_to_18_year_olds(school_a, signed_in, born, problem):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    report = post(client, mis_csv((upn(1), "A", "One", born, 9, "9N"))).json()
    assert problem in " ".join(report["refused"][0]["problems"])


def test_a_bad_tutor_group_name_is_refused(school_a, signed_in):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    report = post(client, mis_csv((upn(1), "A", "One", dob(9), 9, "<script>"))).json()
    assert "is not a tutor group name" in report["refused"][0]["problems"][0]


def test_existing_upns_are_updated_and_unchanged_rows_counted(school_a, signed_in):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    assert post(client, GOOD).status_code == 201
    changed = GOOD.replace("Okafor", "Okafor-Smith").replace(",10,10N", ",11,11N")
    report = post(client, changed).json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 2)
    assert report["tutor_groups_created"] == ["11N"]
    with schema_context(school_a.schema_name):
        ben = YoungPerson.objects.get(upn=upn(2))
        assert (ben.last_name, ben.year_group, ben.tutor_group.name) == ("Okafor-Smith", 11, "11N")
        assert YoungPerson.objects.count() == 3


def test_an_existing_tutor_group_is_matched_whatever_its_case(school_a, signed_in):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    with schema_context(school_a.schema_name):
        group = TutorGroup.objects.create(name="9N", year_group=9)
    report = post(client, mis_csv((upn(1), "A", "One", dob(9), 9, "9n"))).json()
    assert report["tutor_groups_created"] == []
    with schema_context(school_a.schema_name):
        assert YoungPerson.objects.get(upn=upn(1)).tutor_group_id == group.pk


@pytest.mark.parametrize("header", [
    "UPN,Legal Forename,Legal Surname,DOB,Year,Reg Group",
    "UPN,Forename,Surname,Date of Birth,NC Year,Tutor Group",
    "upn,First name,Surname,date_of_birth,Year Group,Form",
    "Reg Group,Year,DOB,Legal Surname,Legal Forename,UPN,Gender",
])
def test_common_mis_header_spellings_are_understood(school_a, signed_in, header):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    values = {"upn": upn(7), "forename": "Dana", "surname": "Ellis", "dob": born_for_year(8).isoformat(),
              "year": "8", "group": "8E", "gender": "F"}
    order = {"UPN": "upn", "Legal Forename": "forename", "Forename": "forename", "First name": "forename",
             "Legal Surname": "surname", "Surname": "surname", "DOB": "dob", "Date of Birth": "dob",
             "date_of_birth": "dob", "Year": "year", "NC Year": "year", "Year Group": "year", "Reg Group": "group",
             "Tutor Group": "group", "Form": "group", "upn": "upn", "Gender": "gender"}
    row = ",".join(values[order[title]] for title in header.split(","))
    response = post(client, f"{header}\n{row}\n")
    assert response.status_code == 201, response.content
    with schema_context(school_a.schema_name):
        person = YoungPerson.objects.get(upn=upn(7))
        assert (person.first_name, person.last_name, person.tutor_group.name) == ("Dana", "Ellis", "8E")
    if "Gender" in header:
        assert response.json()["columns_ignored"] == ["Gender"]


def test_excel_csv_with_a_byte_order_mark_semicolons_and_windows_text(school_a, signed_in):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    text = f"UPN;Forename;Surname;DOB;Year;Form\r\n{upn(8)};Zoë;Brontë;{dob(12)};12;12Y\r\n"
    content = b"\xef\xbb\xbf" + text.encode("utf-8")
    response = client.post("/api/young-people/import/", {"file": SimpleUploadedFile("pupils.csv", content)})
    assert response.status_code == 201, response.content
    cp1252 = f"UPN,Forename,Surname,DOB,Year,Form\r\n{upn(9)},José,Núñez,{dob(12)},12,12Y\r\n".encode("cp1252")
    response = client.post("/api/young-people/import/", {"file": SimpleUploadedFile("pupils.csv", cp1252)})
    assert response.status_code == 201, response.content
    with schema_context(school_a.schema_name):
        assert YoungPerson.objects.get(upn=upn(8)).first_name == "Zoë"
        assert YoungPerson.objects.get(upn=upn(9)).last_name == "Núñez"


def test_a_dry_run_saves_nothing_and_says_what_would_happen(school_a, signed_in):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = post(client, GOOD, check=True)
    assert response.status_code == 200
    report = response.json()
    assert report["ok"] and report["check_only"] and not report["saved"]
    assert report["created"] == 3 and sorted(report["tutor_groups_created"]) == ["10N", "9N"]
    assert "would be added" in report["summary"]
    assert count(school_a) == 0
    with schema_context(school_a.schema_name):
        assert not TutorGroup.objects.exists()


def test_a_dry_run_of_a_bad_file_reports_and_saves_nothing(school_a, signed_in):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = post(client, mis_csv((upn(1), "A", "One", dob(9), 99, "9N")), check=True)
    assert response.status_code == 400
    assert response.json()["refused"][0]["row"] == 2
    assert count(school_a) == 0


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"", "pupils.csv", "The file is empty."),
    (b"\n\n , ,\n", "pupils.csv", "The file is empty."),
    (b"PK\x03\x04rest-of-a-workbook", "pupils.xlsx", "Excel workbook"),
    (b"UPN,Forename\n", "pupils.pdf", "is not a CSV file"),
    (b"\x00\x01\x02binary", "pupils.csv", "not text"),
    (f"{upn(1)},Amelia,Hart,01/01/2012,9,9N\n".encode(), "pupils.csv", "looks like a young person's details"),
    (b"UPN,Forename,Surname\nK000000000001,A,B\n", "pupils.csv", "no date of birth column"),
    (b"UPN,Forename,Surname,DOB,Year,Form\n", "pupils.csv", "no young people in it"),
    (b"Name,Class\nA,B\n", "pupils.csv", "none of its headings"),
    (b"UPN,Forename,First name,Surname,DOB,Year,Form\n", "pupils.csv", "more than one forename column"),
])
def test_bad_files_are_refused_with_a_clear_error(school_a, signed_in, content, name, message):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = client.post("/api/young-people/import/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in " ".join(response.json()["file"]), response.json()
    assert count(school_a) == 0


def test_a_file_over_2_mb_is_refused(school_a, signed_in):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    text = GOOD + ("," * 100 + "\n") * (MAX_BYTES // 100 + 10)
    response = post(client, text)
    assert response.status_code == 400
    assert "the largest file this import takes is 2 MB" in response.json()["file"][0]


def test_a_file_over_5000_rows_is_refused(school_a, signed_in):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    rows = [(upn(n), "A", "B", dob(9), 9, "9N") for n in range(MAX_ROWS + 1)]
    response = post(client, mis_csv(*rows))
    assert response.status_code == 400
    assert "5,001 rows" in response.json()["file"][0]
    assert count(school_a) == 0


def test_5000_rows_import_in_one_go(school_a, signed_in):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    rows = [(upn(n), "A", f"B{n}", dob(7 + n % 7), 7 + n % 7, f"{7 + n % 7}X") for n in range(MAX_ROWS)]
    response = post(client, mis_csv(*rows))
    assert response.status_code == 201, response.content[:500]
    assert response.json()["created"] == MAX_ROWS
    assert count(school_a) == MAX_ROWS


def test_the_import_is_audited_once_with_counts_and_no_names(school_a, signed_in):
    client, admin = signed_in(Role.SCHOOL_ADMIN, school_a)
    post(client, GOOD)
    with schema_context(school_a.schema_name):
        events = list(AuditEvent.objects.filter(action="young_people.import"))
        assert len(events) == 1
        detail = events[0].detail
        assert events[0].actor_id == admin.pk
        assert (detail["outcome"], detail["rows"], detail["created"], detail["tutor_groups_created"]) == (
            "saved", 3, 3, 2)
        assert "Hart" not in str(detail) and "Amelia" not in str(detail)


def test_a_refused_import_is_audited_as_refused(school_a, signed_in):
    client, _ = signed_in(Role.DCPO, school_a)
    post(client, mis_csv((upn(1), "Amelia", "Hart", dob(9), 99, "9N")))
    with schema_context(school_a.schema_name):
        event = AuditEvent.objects.get(action="young_people.import")
        assert (event.detail["outcome"], event.detail["refused_rows"], event.detail["created"]) == ("refused", 1, 0)
        assert "Hart" not in str(event.detail)


def test_the_import_page_shows_the_per_row_report_and_saves_nothing(school_a, signed_in):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    text = mis_csv((upn(1), "Amelia", "Hart", dob(9), 9, "9N"), ("BAD", "Ben", "Okafor", dob(10), 10, "10N"))
    page = client.post("/young-people/import/", {"file": csv_upload(text), "action": "import"})
    assert page.status_code == 200
    assert b'data-testid="import-report"' in page.content
    assert b'data-row="3"' in page.content and "“BAD” is not a UPN".encode() in page.content
    assert count(school_a) == 0


def test_the_import_page_saves_a_good_file_and_says_what_it_did(school_a, signed_in):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = client.post("/young-people/import/", {"file": csv_upload(GOOD), "action": "import"}, follow=True)
    assert response.redirect_chain[-1][0] == "/young-people/"
    assert b"Imported: 3 young people added" in response.content
    assert count(school_a) == 3


def test_the_import_page_checks_only(school_a, signed_in):
    client, _ = signed_in(Role.DCPO, school_a)
    page = client.post("/young-people/import/", {"file": csv_upload(GOOD), "action": "check"})
    assert page.status_code == 200
    assert b'data-testid="import-checked"' in page.content and b"would be added" in page.content
    assert count(school_a) == 0


def test_the_import_page_names_what_is_wrong_with_a_bad_file(school_a, signed_in):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    page = client.post("/young-people/import/", {"file": csv_upload("UPN,Forename\n", "pupils.csv"),
                                                  "action": "import"})
    assert page.status_code == 200
    assert b"no date of birth column" in page.content
    page = client.post("/young-people/import/", {"action": "import"})
    assert b"Choose the CSV file to import." in page.content
