//! Civil-calendar arithmetic on UTC Unix seconds: adding months (clamped to the end of
//! the month), the 13-month cap, ISO 8601 output. The clock is always an argument.

/// Seconds since 1970-01-01T00:00:00Z.
pub type Timestamp = i64;

const DAY: i64 = 86_400;

/// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the dates this calendar computes
/// with. Host input outside them is refused before any arithmetic, and the arithmetic
/// saturates at them, so no value can overflow (a panic with overflow checks, a wrong
/// date without them).
pub const EARLIEST: Timestamp = -62_167_219_200;
/// 9999-12-31T23:59:59Z: the last second this calendar computes with (see [`EARLIEST`]).
pub const LATEST: Timestamp = 253_402_300_799;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Is `y` a leap year of the proleptic Gregorian calendar?
pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// The number of days of month `m` (1 to 12) of year `y`.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// `ts` plus `months` calendar months, same time of day; a day that does not exist
/// in the target month becomes its last day (31 January + 1 month = 28 or 29 February).
/// Saturates at [`LATEST`]; a `ts` outside [`EARLIEST`, `LATEST`] is taken as that bound.
pub fn add_months(ts: Timestamp, months: u32) -> Timestamp {
    let ts = ts.clamp(EARLIEST, LATEST);
    let days = ts.div_euclid(DAY);
    let secs = ts.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    let total = y * 12 + (m as i64 - 1) + months as i64;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    if ny > 9999 {
        return LATEST;
    }
    let nd = d.min(days_in_month(ny, nm));
    days_from_civil(ny, nm, nd) * DAY + secs
}

/// The latest expiry a tracker first deposited at `first_deposit` may have: 13 months.
pub fn thirteen_months_after(first_deposit: Timestamp) -> Timestamp {
    add_months(first_deposit, crate::law::MAX_MONTHS)
}

/// Clamp a requested expiry to 13 months after the first deposit.
pub fn clamp_expiry(first_deposit: Timestamp, requested: Timestamp) -> Timestamp {
    requested.min(thirteen_months_after(first_deposit))
}

/// `2026-11-23T04:43:00Z`.
pub fn to_iso(ts: Timestamp) -> String {
    let ts = ts.clamp(EARLIEST, LATEST);
    let (y, m, d) = civil_from_days(ts.div_euclid(DAY));
    let s = ts.rem_euclid(DAY);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        (s / 60) % 60,
        s % 60
    )
}

/// Reads `2026-11-23T04:43:00Z` (or just the date, at midnight UTC). Years are four
/// digits (0000 to 9999): anything else is refused before any arithmetic.
pub fn parse_iso(s: &str) -> Option<Timestamp> {
    let s = s.trim().trim_end_matches('Z');
    let (date, time) = s.split_once('T').unwrap_or((s, "00:00:00"));
    let d: Vec<i64> = date
        .split('-')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let t: Vec<i64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (&[y, m, day], &[h, mi, sec]) = (d.as_slice(), t.as_slice()) else {
        return None;
    };
    let year_digits = date.split('-').next().unwrap_or("");
    if year_digits.len() != 4 || !year_digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !(1..=12).contains(&m)
        || day < 1
        || day > days_in_month(y, m as u32) as i64
        || h > 23
        || mi > 59
        || sec > 59
        || h < 0
        || mi < 0
        || sec < 0
    {
        return None;
    }
    Some(days_from_civil(y, m as u32, day as u32) * DAY + h * 3600 + mi * 60 + sec)
}

/// The HTTP date form used in `Expires=` (`Mon, 23 Nov 2026 04:43:00 GMT`).
pub fn to_http_date(ts: Timestamp) -> String {
    const WD: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MO: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let ts = ts.clamp(EARLIEST, LATEST);
    let days = ts.div_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    let s = ts.rem_euclid(DAY);
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        WD[days.rem_euclid(7) as usize],
        MO[m as usize - 1],
        s / 3600,
        (s / 60) % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(y: i64, m: u32, d: u32, h: i64) -> Timestamp {
        days_from_civil(y, m, d) * DAY + h * 3600
    }

    #[test]
    fn civil_round_trip() {
        for z in [-800_000, -1, 0, 1, 19_000, 20_415, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn add_months_table() {
        // (from, months, expected): month ends clamp, leap years, year boundaries.
        let rows = [
            (ts(2026, 1, 31, 10), 1, ts(2026, 2, 28, 10)), // no 31 Feb: last day
            (ts(2028, 1, 31, 10), 1, ts(2028, 2, 29, 10)), // leap year
            (ts(2100, 1, 31, 0), 1, ts(2100, 2, 28, 0)),   // 2100 is not leap
            (ts(2000, 1, 31, 0), 1, ts(2000, 2, 29, 0)),   // 2000 is
            (ts(2026, 11, 23, 4), 6, ts(2027, 5, 23, 4)),  // across the year
            (ts(2026, 8, 31, 23), 6, ts(2027, 2, 28, 23)),
            (ts(2027, 2, 28, 0), 13, ts(2028, 3, 28, 0)),
            (ts(2028, 2, 29, 12), 12, ts(2029, 2, 28, 12)), // 29 Feb + 1 year
            (ts(2026, 12, 31, 0), 13, ts(2028, 1, 31, 0)),
            (ts(2026, 3, 15, 0), 0, ts(2026, 3, 15, 0)),
        ];
        for (from, n, want) in rows {
            assert_eq!(add_months(from, n), want, "{} + {n} months", to_iso(from));
        }
    }

    #[test]
    fn thirteen_month_cap() {
        let first = ts(2026, 1, 31, 8);
        assert_eq!(thirteen_months_after(first), ts(2027, 2, 28, 8));
        // A 2-year cookie rewritten later still dies 13 months after the first deposit.
        let rewritten = ts(2026, 9, 1, 0);
        assert_eq!(
            clamp_expiry(first, rewritten + 730 * DAY),
            ts(2027, 2, 28, 8)
        );
        // A shorter request is kept.
        assert_eq!(clamp_expiry(first, first + 30 * DAY), first + 30 * DAY);
    }

    #[test]
    fn iso_round_trip() {
        let t = ts(2026, 11, 23, 4) + 43 * 60;
        assert_eq!(parse_iso(&to_iso(t)), Some(t));
        assert_eq!(parse_iso("2027-06-01"), Some(ts(2027, 6, 1, 0)));
        for bad in [
            "",
            "2027-13-01",
            "2027-02-30",
            "2027-06-01T25:00:00Z",
            "soon",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    /// Found by fuzzing: out-of-range input overflowed (a panic with overflow checks,
    /// a wrong date in release, so `accordctl verify` accepted a receipt dated
    /// `-001-12-31`).
    #[test]
    fn no_overflow_at_the_edges() {
        for bad in [
            "292277026597-01-01",
            "99999999999999999-01-01T00:00:00Z",
            "10000-01-01",
            "-001-12-31",
            "+2026-01-01",
            "26-01-01",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
        assert_eq!(parse_iso("9999-12-31T23:59:59Z"), Some(LATEST));
        assert_eq!(parse_iso("0000-01-01"), Some(EARLIEST));
        for ts in [i64::MIN, EARLIEST - 1, 0, LATEST - 1, LATEST, i64::MAX] {
            for months in [0, 1, 13, u32::MAX] {
                let r = add_months(ts, months);
                assert!((EARLIEST..=LATEST).contains(&r), "{ts} + {months}: {r}");
            }
        }
        assert_eq!(add_months(LATEST, 13), LATEST);
        assert_eq!(add_months(i64::MAX, 0), LATEST);
        assert_eq!(thirteen_months_after(i64::MAX), LATEST);
        assert_eq!(add_months(i64::MIN, 0), EARLIEST);
    }

    #[test]
    fn formats() {
        assert_eq!(to_iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            to_iso(ts(2026, 11, 23, 4) + 43 * 60),
            "2026-11-23T04:43:00Z"
        );
        assert_eq!(
            to_http_date(ts(2026, 11, 23, 4)),
            "Mon, 23 Nov 2026 04:00:00 GMT"
        );
        assert_eq!(to_http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }
}
