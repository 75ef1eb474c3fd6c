"""Service calendars of the realsys scenario, written independently of kennzahl (stdlib only).

Service seconds between two instants = the overlap of [a, b) with the open windows of the
calendar, computed by interval intersection day by day in local time (Europe/Berlin), each
window converted to UTC on its own day (so the DST switch on 2025-03-30 is handled by zoneinfo).
"""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Berlin")
UTC = timezone.utc


def easter_sunday(year):
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


# Public holidays of North Rhine-Westphalia (NW) in 2025, hard-coded. Easter Sunday 2025 is
# 20 April; the movable feasts follow from it (checked by the assertion below):
#   Karfreitag (Good Friday)        2025-04-18 = Easter - 2
#   Ostermontag (Easter Monday)     2025-04-21 = Easter + 1
#   Tag der Arbeit                  2025-05-01
#   Christi Himmelfahrt (Ascension) 2025-05-29 = Easter + 39
#   Pfingstmontag (Whit Monday)     2025-06-09 = Easter + 50
#   Fronleichnam (Corpus Christi)   2025-06-19 = Easter + 60 (a public holiday in NW)
# plus the fixed ones of the year (Neujahr, Tag der Deutschen Einheit, Allerheiligen, Christmas).
# No school holidays (kennzahl.toml: school_holidays = false), no extra closed days.
HOLIDAYS_NW_2025 = {
    date(2025, 1, 1): "Neujahr",
    date(2025, 4, 18): "Karfreitag",
    date(2025, 4, 21): "Ostermontag",
    date(2025, 5, 1): "Tag der Arbeit",
    date(2025, 5, 29): "Christi Himmelfahrt",
    date(2025, 6, 9): "Pfingstmontag",
    date(2025, 6, 19): "Fronleichnam",
    date(2025, 10, 3): "Tag der Deutschen Einheit",
    date(2025, 11, 1): "Allerheiligen",
    date(2025, 12, 25): "1. Weihnachtstag",
    date(2025, 12, 26): "2. Weihnachtstag",
}
_e = easter_sunday(2025)
assert _e == date(2025, 4, 20)
assert {_e + timedelta(days=o) for o in (-2, 1, 39, 50, 60)} <= set(HOLIDAYS_NW_2025)


class Calendar:
    """Weekly windows (local time) minus holidays. hours: weekday (0 = Monday) -> [(h:m, h:m)]."""

    def __init__(self, name, hours, holidays):
        self.name = name
        self.hours = hours
        self.holidays = holidays
        self._cache = {}

    def windows(self, d):
        """The open windows of local day d as UTC (start, end) pairs."""
        if d in self._cache:
            return self._cache[d]
        out = []
        if d not in self.holidays:
            for s, e in self.hours.get(d.weekday(), []):
                a = datetime.combine(d, time.fromisoformat(s), TZ).astimezone(UTC)
                b = datetime.combine(d, time.fromisoformat(e), TZ).astimezone(UTC)
                out.append((a, b))
        self._cache[d] = out
        return out

    def seconds(self, a, b):
        """Service seconds of [a, b): overlap with the open windows (0 when b <= a)."""
        if b <= a:
            return 0
        total = 0
        d = a.astimezone(TZ).date() - timedelta(days=1)
        last = b.astimezone(TZ).date() + timedelta(days=1)
        while d <= last:
            for ws, we in self.windows(d):
                lo, hi = max(a, ws), min(b, we)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            d += timedelta(days=1)
        return int(total)

    def is_open(self, t):
        return any(ws <= t < we for ws, we in self.windows(t.astimezone(TZ).date()))

    def advance(self, t, minutes):
        """The instant `minutes` service minutes after t (whole minutes; lands in or at the end of a window)."""
        left = minutes * 60
        d = t.astimezone(TZ).date()
        while True:
            for ws, we in self.windows(d):
                if we <= t:
                    continue
                start = max(t, ws)
                room = (we - start).total_seconds()
                if left <= room:
                    return start + timedelta(seconds=left)
                left -= room
                t = we
            d += timedelta(days=1)
            t = max(t, datetime.combine(d, time(0), TZ).astimezone(UTC))


MUNICIPALITY = Calendar(
    "municipality",
    {0: [("08:00", "16:00")], 1: [("08:00", "16:00")], 2: [("08:00", "16:00")],
     3: [("08:00", "16:00")], 4: [("08:00", "13:00")]},
    HOLIDAYS_NW_2025,
)
# The printer vendor's contract calendar ([[vendors]] in kennzahl.toml): Mon-Fri 07:00-18:00,
# the municipality's public holidays (the keys a vendor calendar leaves out are the municipality's).
VENDOR_DRUCK = Calendar(
    "vendor:Druckerservice", {i: [("07:00", "18:00")] for i in range(5)}, HOLIDAYS_NW_2025)


def parse(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(UTC)


def fmt(t):
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
