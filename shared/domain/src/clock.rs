//! Timestamps in the contract's format: RFC 3339, UTC, microseconds, `Z`.
use time::{format_description::well_known::Rfc3339, macros::format_description, OffsetDateTime};

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

pub fn format(t: OffsetDateTime) -> String {
    let fmt =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(&fmt)
        .expect("a UTC timestamp always formats")
}

pub fn now_string() -> String {
    format(now())
}

/// Parses any RFC 3339 timestamp (any offset) into UTC.
pub fn parse(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339)
        .ok()
        .map(|t| t.to_offset(time::UtcOffset::UTC))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_microseconds_and_z() {
        let t = parse("2026-03-01T10:30:00.5+01:00").unwrap();
        assert_eq!(format(t), "2026-03-01T09:30:00.500000Z");
    }

    #[test]
    fn formatted_strings_sort_like_time() {
        let a = format(parse("2026-03-01T09:00:00Z").unwrap());
        let b = format(parse("2026-03-01T10:00:00.000001Z").unwrap());
        assert!(a < b);
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse("yesterday").is_none());
        assert!(parse("2026-13-01T00:00:00Z").is_none());
    }
}
