//! Timestamps in the contract's format (RFC 3339, UTC, microseconds, `Z`), the webhook body's
//! (`+00:00`, as the guide shows it), and what partners may send in queries (ISO 8601).
use time::{format_description::well_known::Rfc3339, macros::format_description, OffsetDateTime};

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

pub fn format(t: OffsetDateTime) -> String {
    let fmt =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    in_utc(t).format(&fmt).unwrap_or_else(|_| unformattable(t))
}

/// `t` in UTC. The times we format are ours or `parse`d ones, UTC already; one that has no UTC
/// form keeps its offset rather than panicking in `to_offset`.
fn in_utc(t: OffsetDateTime) -> OffsetDateTime {
    utc(t).unwrap_or(t)
}

/// What a format error would leave: this description formats every UTC date-time `time`
/// represents (its years have four digits, or a sign and four), so it is never reached.
fn unformattable(t: OffsetDateTime) -> String {
    format!("{t}")
}

/// The webhook body's form of a timestamp: UTC with microseconds and a `+00:00` offset, as the
/// guide's event shows it (`2026-03-02T14:30:00.000000+00:00`).
pub fn format_offset(t: OffsetDateTime) -> String {
    let fmt = format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]+00:00"
    );
    in_utc(t).format(&fmt).unwrap_or_else(|_| unformattable(t))
}

pub fn now_string() -> String {
    format(now())
}

/// Parses any RFC 3339 timestamp (any offset) into UTC. One whose UTC time falls outside the
/// years 0000-9999 (`9999-12-31T23:59:59-01:00`) is not a timestamp we can use: `None`.
pub fn parse(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok().and_then(utc)
}

/// The same instant in UTC, or `None` when its UTC year is not one RFC 3339 writes (0000-9999):
/// past 9999 `to_offset` would panic, and before 0000 `format` would write what `parse` refuses.
fn utc(t: OffsetDateTime) -> Option<OffsetDateTime> {
    t.checked_to_offset(time::UtcOffset::UTC)
        .filter(|t| (0..=9999).contains(&t.year()))
}

/// A timestamp a partner writes in a query (`delivered_since`, "ISO 8601" in the guide): RFC 3339,
/// or ISO 8601's other forms (basic format, no offset, a date alone), where a missing offset means
/// UTC and a date means its midnight. A `+` that arrived as a space (an unencoded query) is read
/// back as `+`.
pub fn parse_iso8601(s: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Iso8601;
    let s = s.trim().replace(' ', "+");
    parse(&s)
        .or_else(|| OffsetDateTime::parse(&s, &Iso8601::DEFAULT).ok())
        .or_else(|| {
            time::PrimitiveDateTime::parse(&s, &Iso8601::DEFAULT)
                .ok()
                .map(|t| t.assume_utc())
        })
        .or_else(|| {
            time::Date::parse(&s, &Iso8601::DEFAULT)
                .ok()
                .map(|d| d.midnight().assume_utc())
        })
        .and_then(utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_microseconds_and_z() {
        let t = parse("2026-03-01T10:30:00.5+01:00").unwrap();
        assert_eq!(format(t), "2026-03-01T09:30:00.500000Z");
        assert_eq!(format_offset(t), "2026-03-01T09:30:00.500000+00:00");
        assert_eq!(parse(&format_offset(t)), Some(t));
    }

    #[test]
    fn formatted_strings_sort_like_time() {
        let a = format(parse("2026-03-01T09:00:00Z").unwrap());
        let b = format(parse("2026-03-01T10:00:00.000001Z").unwrap());
        assert!(a < b);
    }

    #[test]
    fn reads_iso_8601_forms_a_partner_may_send() {
        let at = |s: &str| parse_iso8601(s).map(format);
        let want = Some("2026-03-01T10:30:00.000000Z".to_string());
        for s in [
            "2026-03-01T10:30:00Z",
            "2026-03-01T11:30:00+01:00",
            "2026-03-01T11:30:00 01:00", // the `+` of an unencoded query
            "2026-03-01T10:30:00",
            "2026-03-01T10:30:00.000",
            "20260301T103000Z",
        ] {
            assert_eq!(at(s), want, "{s}");
        }
        assert_eq!(at("2026-03-01"), Some("2026-03-01T00:00:00.000000Z".into()));
        for bad in ["yesterday", "2026-13-01", "2026-03-01T25:00:00Z", ""] {
            assert_eq!(at(bad), None, "{bad}");
        }
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse("yesterday").is_none());
        assert!(parse("2026-13-01T00:00:00Z").is_none());
    }

    #[test]
    fn an_instant_past_the_representable_years_is_no_timestamp() {
        // Year 10000 in UTC, or before year -9999: `to_offset` would panic on them.
        for s in ["9999-12-31T23:59:59-01:00", "0000-01-01T00:30:00+01:00"] {
            assert_eq!(parse(s), None, "{s}");
            assert_eq!(parse_iso8601(s), None, "{s}");
        }
        assert_eq!(parse_iso8601("99991231T235959-0100"), None);
        let edge = parse("9999-12-31T23:59:59Z").unwrap();
        assert_eq!(format(edge), "9999-12-31T23:59:59.000000Z");
    }
}
