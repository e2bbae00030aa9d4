"""A local authority's integration with familytime, written only against the Python client that
openapi-python-client generates from the served API document (scripts/api-client-check generates it
as `familytime_client`, type-checks this file against it with mypy --strict, then runs it).

Against the demo organisation:
- the Cafcass officer signs in, lists the reports released to her and downloads one as a PDF;
- the coordinator signs in with her password, makes herself a personal API token and from then on
  uses only the token: she lists the cases, finds free times for a family and books the first one,
  records who came to a session that has happened, and downloads the report;
- signing out ends the session, and a revoked token stops working.

Every step asserts what it got; the first failure ends the run with a non-zero exit. The server's
address and the two accounts come from the environment (FT_BASE_URL, FT_COORDINATOR_EMAIL and
_PASSWORD, FT_REFERRER_EMAIL and _PASSWORD). Nothing personal is printed: ids and counts only.
"""

import os
import sys
from datetime import datetime, timezone
from http import HTTPStatus
from typing import Any, TypeVar

from familytime_client import AuthenticatedClient, Client
from familytime_client.api.accounts import create_token, get_me, login, logout, revoke_token
from familytime_client.api.records import get_session_record, record_register
from familytime_client.api.referrals import get_case, list_cases
from familytime_client.api.reports import get_my_report_pdf, get_report_pdf, list_case_reports, list_my_reports
from familytime_client.api.schedule import book_sessions, list_case_bookings, find_free_times
from familytime_client.models import (
    BookingBody,
    BookingView,
    CaseFileView,
    CaseReportsView,
    CaseSummaryView,
    ErrorBody,
    FreeTime,
    LoginRequest,
    Me,
    RegisterBody,
    ReportView,
    SessionRecordView,
    TokenCreated,
    TokenRequest,
)
from familytime_client.types import File, Response, Unset

T = TypeVar("T")


class StepFailed(Exception):
    pass


def step(message: str) -> None:
    print(f"  flow: {message}", flush=True)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


def answer(response: Response[Any], status: HTTPStatus, kind: type[T], what: str) -> T:
    """The parsed answer, after checking its status and that it parsed as the document says."""
    parsed = response.parsed
    detail = parsed.error.message if isinstance(parsed, ErrorBody) else response.content[:200].decode(errors="replace")
    check(response.status_code == status, f"{what}: expected {status.value}, got {response.status_code.value}: {detail}")
    check(isinstance(parsed, kind), f"{what}: the answer is {type(parsed).__name__}, not {kind.__name__}")
    assert isinstance(parsed, kind)  # for the type checker; check() said it
    return parsed


def listed(response: Response[Any], kind: type[T], what: str) -> list[T]:
    """A 200 answer that is a list, each item parsed as `kind`."""
    items = answer(response, HTTPStatus.OK, list, what)
    check(all(isinstance(item, kind) for item in items), f"{what}: not every item is a {kind.__name__}")
    return [item for item in items if isinstance(item, kind)]


def pdf(response: Response[Any], what: str) -> bytes:
    file = answer(response, HTTPStatus.OK, File, what)
    body = file.payload.read()
    check(body.startswith(b"%PDF-"), f"{what}: not a PDF (starts {body[:8]!r})")
    check(response.headers.get("content-type", "").startswith("application/pdf"), f"{what}: content type")
    return body


def when(rfc3339: str) -> datetime:
    return datetime.fromisoformat(rfc3339.replace("Z", "+00:00"))


def env(name: str) -> str:
    value = os.environ.get(name, "")
    check(value != "", f"{name} is not set")
    return value


def sign_in(base: str, email: str, password: str) -> tuple[Client, Me]:
    """Signs in with a password: the session cookie stays in the client. With the cookie, every POST
    must say it sends JSON, even one without a body such as logout (the `session` security scheme
    says so), so the client says it on every request."""
    client = Client(
        base_url=base,
        headers={"Content-Type": "application/json"},
        raise_on_unexpected_status=True,
    )
    me = answer(
        login.sync_detailed(client=client, body=LoginRequest(email=email, password=password)),
        HTTPStatus.OK,
        Me,
        "sign in",
    )
    check(me.user.email == email, "sign in: the answer names the account that signed in")
    check("ft_session" in client.get_httpx_client().cookies, "sign in: the session cookie is kept")
    return client, me


def referrer_reads_released_report(base: str) -> ReportView:
    step("the Cafcass officer signs in and downloads a report released to her")
    client, me = sign_in(base, env("FT_REFERRER_EMAIL"), env("FT_REFERRER_PASSWORD"))
    check(me.user.role == "referrer", f"the officer's role is referrer, not {me.user.role}")
    reports = listed(list_my_reports.sync_detailed(client=client), ReportView, "list my reports")
    check(len(reports) > 0, "the demo released a report to the Cafcass officer")
    report = reports[0]
    check(report.status == "released", f"my report {report.id} is released, not {report.status}")
    pdf(get_my_report_pdf.sync_detailed(report.id, client=client), "my report's PDF")
    check(
        logout.sync_detailed(client=client).status_code == HTTPStatus.NO_CONTENT,
        "the officer signs out",
    )
    return report


def coordinator_token(base: str) -> tuple[Client, TokenCreated]:
    step("the coordinator signs in and makes a personal API token for the integration")
    session, me = sign_in(base, env("FT_COORDINATOR_EMAIL"), env("FT_COORDINATOR_PASSWORD"))
    check(me.user.role == "coordinator", f"the coordinator's role is {me.user.role}")
    token = answer(
        create_token.sync_detailed(client=session, body=TokenRequest(name="local authority integration")),
        HTTPStatus.CREATED,
        TokenCreated,
        "make a token",
    )
    check(len(token.token) >= 32, "the token's secret is long")
    return session, token


def with_token(base: str, token: TokenCreated, email: str) -> AuthenticatedClient:
    client = AuthenticatedClient(base_url=base, token=token.token, raise_on_unexpected_status=True)
    me = answer(get_me.sync_detailed(client=client), HTTPStatus.OK, Me, "who am I, by token")
    check(me.user.email == email, "the token is the coordinator's")
    return client


def list_active_cases(client: AuthenticatedClient, report_case_id: str) -> list[CaseSummaryView]:
    step("list the cases")
    cases = listed(list_cases.sync_detailed(client=client), CaseSummaryView, "list cases")
    check(len(cases) > 0, "the coordinator sees cases")
    check(report_case_id in {c.id for c in cases}, f"the report's case {report_case_id} is in the list")
    active = listed(list_cases.sync_detailed(client=client, status="active"), CaseSummaryView, "active cases")
    check(len(active) > 0, "some cases are active")
    check(all(c.status == "active" for c in active), "?status=active lists only active cases")
    check({c.id for c in active} <= {c.id for c in cases}, "the active cases are among all cases")
    step(f"{len(cases)} cases listed, {len(active)} active")
    return active


def case_file(client: AuthenticatedClient, case_id: str) -> CaseFileView:
    case = answer(get_case.sync_detailed(case_id, client=client), HTTPStatus.OK, CaseFileView, "the case file")
    check(case.case.id == case_id, "the case file is the case asked for")
    return case


def book_free_time(client: AuthenticatedClient, cases: list[CaseSummaryView]) -> BookingView:
    """Books the first free supervised hour for a family that pays for itself (a family funded by
    Cafcass may have all its funded sessions booked already, which the booking would refuse)."""
    step("find free times for a privately paying family and book the first")
    files = (case_file(client, c.id) for c in cases)
    case = next((f for f in files if isinstance(f.funded_hours, Unset | None)), None)
    check(case is not None, "an active case is not funded by Cafcass")
    assert case is not None
    case_id = case.case.id
    times = listed(
        find_free_times.sync_detailed(case_id, client=client, kind="supervised", minutes="60"),
        FreeTime,
        "find free times",
    )
    check(len(times) > 0, "there are free times in the coming fortnight")
    now = datetime.now(timezone.utc)
    for free in times:
        check(when(free.starts_at) > now, f"free time {free.starts_at} is in the future")
        check(when(free.ends_at) > when(free.starts_at), f"free time {free.starts_at} ends after it starts")
    first = times[0]
    date, time = first.local_start.split(" ")
    body = BookingBody(kind="supervised", date=date, time=time, minutes=60, staff=first.staff)
    if isinstance(first.room_id, str):
        body.room_id = first.room_id
    booked = answer(book_sessions.sync_detailed(case_id, client=client, body=body), HTTPStatus.CREATED, list, "book")
    check(len(booked) == 1 and isinstance(booked[0], BookingView), f"one session booked: {booked}")
    booking: BookingView = booked[0]
    check(booking.case_id == case_id, "the booking is the family's")
    check(booking.starts_at == first.starts_at, "the booking starts at the free time")
    check(booking.local_start == first.local_start, "the booking's local start is the free time's")
    check(booking.status in ("provisional", "confirmed"), f"a new booking's status is {booking.status}")
    bookings = listed(list_case_bookings.sync_detailed(case_id, client=client), BookingView, "the case's bookings")
    check(booking.id in {b.id for b in bookings}, "the new booking is among the case's bookings")
    step(f"booked {booking.id} for case {case_id} at {booking.local_start} ({booking.status})")
    return booking


def session_to_record(client: AuthenticatedClient, cases: list[CaseSummaryView]) -> tuple[str, BookingView]:
    """A session that has happened and whose register is still open (the demo has one), with its case."""
    now = datetime.now(timezone.utc)
    for summary in cases:
        bookings = listed(list_case_bookings.sync_detailed(summary.id, client=client), BookingView, "bookings")
        for booking in sorted(bookings, key=lambda b: b.starts_at, reverse=True):
            if when(booking.starts_at) > now or booking.status != "confirmed":
                continue
            record = answer(
                get_session_record.sync_detailed(booking.id, client=client),
                HTTPStatus.OK,
                SessionRecordView,
                f"the record of {booking.id}",
            )
            if record.register_open:
                check(record.register == [], "a session not yet written up has an empty register")
                return summary.id, booking
    raise StepFailed("no active case has a past session whose register is still open")


def record_attendance(client: AuthenticatedClient, cases: list[CaseSummaryView]) -> None:
    """Records that the visiting parent came to a session that has happened and is not yet written
    up, then sends the same line again and sees it refused as stale."""
    step("record who came to a session that has happened")
    case_id, booking = session_to_record(client, cases)
    case = case_file(client, case_id)
    visiting = next((a for a in case.adults if a.role == "visiting"), None)
    check(visiting is not None, "the case has a visiting parent")
    assert visiting is not None
    arrived = booking.local_start.split(" ")[1]
    line = RegisterBody(who=f"party:{visiting.id}", attendance="arrived", arrived=arrived, version=0)
    written = record_register.sync_detailed(booking.id, client=client, body=line)
    check(written.status_code == HTTPStatus.NO_CONTENT, f"the register line is recorded ({written.status_code})")
    after = answer(
        get_session_record.sync_detailed(booking.id, client=client),
        HTTPStatus.OK,
        SessionRecordView,
        "the record after",
    )
    lines = [r for r in after.register if r.party_id == visiting.id]
    check(len(lines) == 1, "the register has one line for the visiting parent")
    check(lines[0].attendance == "arrived", f"the line says arrived, not {lines[0].attendance}")
    check(isinstance(lines[0].arrived_at, str), "the line has the arrival time")
    check(lines[0].version >= 1, "the line has a version to send back")
    stale = answer(
        record_register.sync_detailed(booking.id, client=client, body=line),
        HTTPStatus.CONFLICT,
        ErrorBody,
        "the same line again at version 0",
    )
    check(stale.error.code == "stale", f"it is refused as stale, not {stale.error.code}")
    step(f"register of {booking.id} (case {case_id}): the visiting parent arrived at {arrived}")


def download_report(client: AuthenticatedClient, case_id: str, report_id: str) -> None:
    step("download the case's released report as a PDF")
    reports = answer(
        list_case_reports.sync_detailed(case_id, client=client),
        HTTPStatus.OK,
        CaseReportsView,
        "the case's reports",
    )
    check(report_id in {r.id for r in reports.reports}, "the released report is among the case's reports")
    body = pdf(get_report_pdf.sync_detailed(report_id, client=client), "the report's PDF")
    step(f"report {report_id}: {len(body)} bytes of PDF")


def sign_out(session: Client, token: TokenCreated, client: AuthenticatedClient) -> None:
    step("sign out and revoke the token")
    check(logout.sync_detailed(client=session).status_code == HTTPStatus.NO_CONTENT, "signing out")
    check(get_me.sync_detailed(client=session).status_code == HTTPStatus.UNAUTHORIZED, "the session has ended")
    revoked = revoke_token.sync_detailed(token.id, client=client)
    check(revoked.status_code == HTTPStatus.NO_CONTENT, f"revoking the token ({revoked.status_code})")
    check(get_me.sync_detailed(client=client).status_code == HTTPStatus.UNAUTHORIZED, "the revoked token is refused")


def main() -> int:
    base = env("FT_BASE_URL")
    try:
        report = referrer_reads_released_report(base)
        session, token = coordinator_token(base)
        client = with_token(base, token, env("FT_COORDINATOR_EMAIL"))
        cases = list_active_cases(client, report.case_id)
        book_free_time(client, cases)
        record_attendance(client, cases)
        download_report(client, report.case_id, report.id)
        sign_out(session, token, client)
    except StepFailed as failure:
        print(f"  flow: FAILED: {failure}", flush=True)
        return 1
    step("every step passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
