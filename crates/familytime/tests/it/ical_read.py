"""Reads an iCalendar feed from standard input with Python's icalendar (PyPI) and prints, as JSON,
what a calendar program takes from it (used by tests/it/ical.rs).

For each event: its UID, SEQUENCE and STATUS, its start as written (the wall-clock time and the
TZID it names), and that start as an instant worked out from the feed's own VTIMEZONE alone (not
from the system's time zone database), so a wrong VTIMEZONE gives a wrong instant. Fails (exit
status 1) when a property RFC 5545 requires is missing.
"""

import datetime
import json
import sys

import icalendar


def main():
    calendar = icalendar.Calendar.from_ical(sys.stdin.read())
    for required in ("VERSION", "PRODID"):
        if required not in calendar:
            sys.exit(f"the calendar has no {required}")
    zones = {}
    for definition in calendar.walk("VTIMEZONE"):
        for forbidden in ("DTSTAMP", "UID"):
            if forbidden in definition:
                sys.exit(f"a VTIMEZONE has {forbidden}")
        zones[str(definition["TZID"])] = definition.to_tz(lookup_tzid=False)
    events = []
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART"):
            if required not in event:
                sys.exit(f"an event has no {required}")
        start = event["DTSTART"]
        tzid = start.params.get("TZID")
        wall = start.dt.replace(tzinfo=None)
        instant = None
        if tzid in zones:
            instant = (
                wall.replace(tzinfo=zones[tzid])
                .astimezone(datetime.timezone.utc)
                .strftime("%Y-%m-%dT%H:%M:%SZ")
            )
        events.append(
            {
                "uid": str(event["UID"]),
                "sequence": int(event.get("SEQUENCE", 0)),
                "status": str(event.get("STATUS", "")),
                "summary": str(event.get("SUMMARY", "")),
                "tzid": tzid,
                "local_start": wall.strftime("%Y-%m-%dT%H:%M"),
                "utc_start": instant,
            }
        )
    print(json.dumps({"zones": sorted(zones), "events": events}))


if __name__ == "__main__":
    main()
