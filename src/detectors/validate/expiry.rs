//! Expiry dates written next to a credential (an Azure SAS's `se=2025-06-01T00:00:00Z`): a
//! detector's regex captures one as the group `expires`, and a credential past it grants
//! nothing.

/// Whether `text`, an ISO 8601 date or UTC date-time (`2025-06-01`, `2025-06-01T08:00Z`,
/// `2025-06-01T08:00:00Z`, its colons percent-encoded or not) or a count of seconds since the
/// epoch, is before `now` (Unix seconds). Text that is not such a date is not expired: the credential is kept.
pub(crate) fn expired(text: &[u8], now: i64) -> bool {
    unix_time(text).is_some_and(|t| t < now)
}

fn unix_time(text: &[u8]) -> Option<i64> {
    // Seconds since the epoch (a Service Bus SAS's `se=1767225600`).
    if (9..=11).contains(&text.len()) && text.iter().all(u8::is_ascii_digit) {
        return std::str::from_utf8(text).ok()?.parse().ok();
    }
    let text = String::from_utf8_lossy(text)
        .replace("%3A", ":")
        .replace("%3a", ":");
    let text = text.trim_end_matches('Z');
    let (date, time) = text.split_once('T').unwrap_or((text, "00:00:00"));
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (d.next()??, d.next()??, d.next()??);
    if d.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut t = time.split(':').map(|p| p.parse::<i64>().ok());
    let (hour, minute) = (t.next()??, t.next().unwrap_or(Some(0))?);
    let second = t.next().unwrap_or(Some(0))?;
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_date_times_are_read_in_utc() {
        assert_eq!(unix_time(b"1970-01-01"), Some(0));
        assert_eq!(unix_time(b"2000-03-01T00:00:00Z"), Some(951_868_800));
        assert_eq!(unix_time(b"2024-02-29T12:30Z"), Some(1_709_209_800));
        assert_eq!(unix_time(b"2024-02-29T12%3A30%3A00Z"), Some(1_709_209_800));
        assert_eq!(unix_time(b"1709209800"), Some(1_709_209_800));
        for not_a_date in [
            &b"soon"[..],
            b"2024-13-01",
            b"2024-02",
            b"",
            b"2024-02-29Tnoon",
        ] {
            assert_eq!(
                unix_time(not_a_date),
                None,
                "{}",
                String::from_utf8_lossy(not_a_date)
            );
        }
    }

    #[test]
    fn a_credential_is_expired_only_past_a_date_it_states() {
        let now = 1_764_633_600; // 2025-12-02
        assert!(expired(b"2023-12-20T22:54:52Z", now));
        assert!(!expired(b"2026-06-01T00:00:00Z", now));
        assert!(!expired(b"not a date", now));
    }
}
