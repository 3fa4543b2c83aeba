//! When a webhook attempt counts as delivered and, if not, when to try again
//! (docs/contract-notes.md "Webhooks"): any 2xx is success; 410 Gone stops; everything else (3xx
//! included, redirects are never followed) is retried with exponential backoff and jitter for more than a day, honouring a
//! receiver's `Retry-After` within bounds and waiting at least a minute after a 429 or a timeout.
use std::time::Duration;

/// What one attempt got back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Response {
    Status {
        code: u16,
        retry_after: Option<Duration>,
    },
    /// No answer within the attempt's time limit.
    TimedOut,
    /// No connection: refused, DNS failure, an address the guard forbids.
    Unreachable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Delivered,
    /// The receiver said the endpoint is gone for good (410).
    Gone,
    RetryIn(Duration),
    /// The next attempt would fall outside the retry window: dead-letter it.
    Exhausted,
}

/// Delay after the 1st, 2nd, ... failed attempt; then `LATER` each time.
const BACKOFF: [Duration; 5] = [
    Duration::from_secs(30),
    Duration::from_secs(2 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(60 * 60),
];
const LATER: Duration = Duration::from_secs(3 * 60 * 60);
/// No attempt is scheduled later than this after the first one...
pub const RETRY_WINDOW: Duration = Duration::from_secs(26 * 60 * 60);
/// ...and attempts go on at least this long (the contract's "at least 24 hours").
pub const MIN_SPAN: Duration = Duration::from_secs(24 * 60 * 60);
/// Delays vary by up to this share either way, so retries of many events spread out.
const JITTER: f64 = 0.2;
/// The least wait after a 429 or a timeout.
const THROTTLED_FLOOR: Duration = Duration::from_secs(60);
/// A receiver's `Retry-After` is honoured up to this.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(6 * 60 * 60);

/// The schedule's time scale: 1.0 in production. Tests compress a day of retries into seconds
/// with a small factor; every rule (order of delays, floors, caps, the window) keeps its shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    pub scale: f64,
}

impl Default for Schedule {
    fn default() -> Self {
        Self::STANDARD
    }
}

impl Schedule {
    pub const STANDARD: Schedule = Schedule { scale: 1.0 };

    fn at_scale(&self, d: Duration) -> Duration {
        d.mul_f64(self.scale)
    }

    /// The verdict on attempt number `attempt` (1 for the first), made `since_first` after the
    /// first attempt. `jitter` is a uniform random number in `[0, 1)`.
    pub fn verdict(
        &self,
        attempt: u32,
        since_first: Duration,
        response: Response,
        jitter: f64,
    ) -> Verdict {
        let (throttled, retry_after) = match response {
            Response::Status { code, .. } if (200..300).contains(&code) => {
                return Verdict::Delivered
            }
            Response::Status { code: 410, .. } => return Verdict::Gone,
            Response::Status { code, retry_after } => (code == 429, retry_after),
            Response::TimedOut => (true, None),
            Response::Unreachable => (false, None),
        };
        let index = usize::try_from(attempt.saturating_sub(1)).unwrap_or(usize::MAX);
        let base = self.at_scale(BACKOFF.get(index).copied().unwrap_or(LATER));
        let factor = 1.0 - JITTER + 2.0 * JITTER * jitter.clamp(0.0, 1.0);
        let mut delay = base.mul_f64(factor);
        if throttled {
            delay = delay.max(self.at_scale(THROTTLED_FLOOR));
        }
        if let Some(asked) = retry_after {
            delay = delay.max(self.at_scale(asked.min(MAX_RETRY_AFTER)));
        }
        let (window, min_span) = (self.at_scale(RETRY_WINDOW), self.at_scale(MIN_SPAN));
        if since_first + delay <= window {
            Verdict::RetryIn(delay)
        } else if since_first < min_span {
            // A long jittered delay must not end the promise of a day early: one last try at the end.
            Verdict::RetryIn(window - since_first)
        } else {
            Verdict::Exhausted
        }
    }
}

/// The production schedule's verdict (see `Schedule::verdict`).
pub fn verdict(attempt: u32, since_first: Duration, response: Response, jitter: f64) -> Verdict {
    Schedule::STANDARD.verdict(attempt, since_first, response, jitter)
}

/// `Retry-After` as seconds or an HTTP date, relative to `now` (unix seconds).
pub fn parse_retry_after(value: &str, now: i64) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822)
        .ok()?
        .unix_timestamp();
    Some(Duration::from_secs(u64::try_from(at - now).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(code: u16) -> Response {
        Response::Status {
            code,
            retry_after: None,
        }
    }

    /// The whole life of an event whose receiver always fails: delays and the last attempt.
    fn life(jitter: f64) -> (Vec<Duration>, Duration) {
        let (mut since, mut delays) = (Duration::ZERO, Vec::new());
        for attempt in 1.. {
            match verdict(attempt, since, failed(500), jitter) {
                Verdict::RetryIn(d) => {
                    delays.push(d);
                    since += d;
                }
                Verdict::Exhausted => return (delays, since),
                other => panic!("{other:?}"),
            }
        }
        unreachable!()
    }

    #[test]
    fn success_gone_and_failures() {
        assert_eq!(
            verdict(1, Duration::ZERO, failed(204), 0.5),
            Verdict::Delivered
        );
        assert_eq!(verdict(1, Duration::ZERO, failed(410), 0.5), Verdict::Gone);
        for code in [301, 302, 400, 404, 500, 503] {
            assert!(
                matches!(
                    verdict(1, Duration::ZERO, failed(code), 0.5),
                    Verdict::RetryIn(_)
                ),
                "{code}"
            );
        }
    }

    #[test]
    fn retries_back_off_for_more_than_a_day_and_stop_within_the_window() {
        for jitter in [0.0, 0.5, 0.999] {
            let (delays, last) = life(jitter);
            assert!(last >= Duration::from_secs(24 * 3600), "{last:?}");
            assert!(last <= RETRY_WINDOW);
            // Non-decreasing, but for a last try that may be sooner to end at the window.
            let regular = &delays[..delays.len() - 1];
            assert!(regular.windows(2).all(|w| w[0] <= w[1]), "{delays:?}");
        }
        let (delays, _) = life(0.5);
        assert_eq!(delays[0], Duration::from_secs(30));
        assert_eq!(delays[4], Duration::from_secs(3600));
        assert_eq!(delays[5], Duration::from_secs(3 * 3600));
    }

    #[test]
    fn jitter_spreads_delays_within_twenty_percent() {
        let low = verdict(3, Duration::ZERO, failed(500), 0.0);
        let high = verdict(3, Duration::ZERO, failed(500), 0.999);
        assert_eq!(low, Verdict::RetryIn(Duration::from_secs(480)));
        assert!(
            matches!(high, Verdict::RetryIn(d) if d > Duration::from_secs(719) && d <= Duration::from_secs(720))
        );
    }

    #[test]
    fn throttling_and_timeouts_wait_at_least_a_minute_and_retry_after_is_bounded() {
        let throttled = Response::Status {
            code: 429,
            retry_after: None,
        };
        assert_eq!(
            verdict(1, Duration::ZERO, throttled, 0.5),
            Verdict::RetryIn(Duration::from_secs(60))
        );
        assert_eq!(
            verdict(1, Duration::ZERO, Response::TimedOut, 0.5),
            Verdict::RetryIn(Duration::from_secs(60))
        );
        assert_eq!(
            verdict(1, Duration::ZERO, Response::Unreachable, 0.5),
            Verdict::RetryIn(Duration::from_secs(30))
        );
        let asked = |secs| Response::Status {
            code: 503,
            retry_after: Some(Duration::from_secs(secs)),
        };
        assert_eq!(
            verdict(1, Duration::ZERO, asked(900), 0.5),
            Verdict::RetryIn(Duration::from_secs(900))
        );
        assert_eq!(
            verdict(1, Duration::ZERO, asked(5), 0.5),
            Verdict::RetryIn(Duration::from_secs(30)),
            "never sooner than the schedule"
        );
        assert_eq!(
            verdict(1, Duration::ZERO, asked(86_400), 0.5),
            Verdict::RetryIn(MAX_RETRY_AFTER)
        );
        assert_eq!(
            verdict(9, Duration::from_secs(25 * 3600), asked(7200), 0.5),
            Verdict::Exhausted
        );
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(
            parse_retry_after(" 120 ", 0),
            Some(Duration::from_secs(120))
        );
        // Fri, 26 Feb 2021 15:02:10 GMT is 1614351730.
        assert_eq!(
            parse_retry_after("Fri, 26 Feb 2021 15:02:10 GMT", 1614351730 - 90),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            parse_retry_after("Fri, 26 Feb 2021 15:02:10 GMT", 1614351730 + 5),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", 0), None);
    }

    #[test]
    fn a_compressed_schedule_keeps_its_shape() {
        let fast = Schedule {
            scale: 1.0 / 3600.0,
        };
        assert_eq!(
            fast.verdict(1, Duration::ZERO, failed(500), 0.5),
            Verdict::RetryIn(Duration::from_secs(30).mul_f64(1.0 / 3600.0))
        );
        // Before the (scaled) 24 h: one last try at the end of the 26 h window.
        let late = Duration::from_millis(23_500);
        assert!(matches!(
            fast.verdict(20, late, failed(500), 0.5),
            Verdict::RetryIn(d) if late + d <= Duration::from_secs(26)
        ));
        assert_eq!(
            fast.verdict(20, Duration::from_secs(26), failed(500), 0.5),
            Verdict::Exhausted
        );
    }
}
