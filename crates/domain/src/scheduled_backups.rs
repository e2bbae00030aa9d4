//! When `serve` makes its own backups (issue 18, decision 0054), with no IO: the period and how many
//! to keep, read once from the command line; which period a moment falls in (each period gets one
//! backup, made by whichever server claims it first); the backup files' names, which sort by the
//! time they were made; and which older ones to delete.

use jiff::Timestamp;

/// The shortest period allowed: backups more often than this would be made while the last one is
/// still being written.
pub const SHORTEST_MINUTES: i64 = 5;
/// The longest: a centre with a month between backups would lose a month.
pub const LONGEST_DAYS: i64 = 31;
/// How many backups may be kept at most.
pub const MOST_KEPT: usize = 1000;

const PREFIX: &str = "familytime-";
const SUFFIX: &str = ".backup";
/// The time inside a name: `20261207T220000Z`, so names sort as their times do.
const STAMP: &str = "%Y%m%dT%H%M%SZ";

/// How often to make a backup, and how many to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupSchedule {
    every_seconds: i64,
    keep: usize,
}

impl BackupSchedule {
    /// `every` as a number and a unit: `90m`, `24h`, `7d`. Says what is wrong, in words.
    pub fn new(every: &str, keep: usize) -> Result<Self, String> {
        let every = every.trim();
        let split = every.find(|c: char| !c.is_ascii_digit()).unwrap_or(every.len());
        let (number, unit) = every.split_at(split);
        let number: i64 = number
            .parse()
            .map_err(|_| format!("--backup-every must be a number and a unit, such as 24h or 30m (not \"{every}\")"))?;
        let unit_seconds = match unit {
            "m" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => {
                return Err(format!(
                    "--backup-every takes m (minutes), h (hours) or d (days), such as 24h (not \"{every}\")"
                ));
            }
        };
        let every_seconds = number
            .checked_mul(unit_seconds)
            .filter(|s| (SHORTEST_MINUTES * 60..=LONGEST_DAYS * 86_400).contains(s))
            .ok_or_else(|| format!("--backup-every must be from {SHORTEST_MINUTES} minutes to {LONGEST_DAYS} days"))?;
        if keep == 0 || keep > MOST_KEPT {
            return Err(format!("--backup-keep must be from 1 to {MOST_KEPT}"));
        }
        Ok(BackupSchedule { every_seconds, keep })
    }

    pub fn every_seconds(self) -> i64 {
        self.every_seconds
    }

    pub fn keep(self) -> usize {
        self.keep
    }

    /// The period `now` falls in, counted from the Unix epoch: periods of a day start at midnight
    /// UTC. A backup is due when the period `now` is in has none yet.
    pub fn period(self, now: Timestamp) -> i64 {
        now.as_second().div_euclid(self.every_seconds)
    }
}

/// The name of a backup made at `at`.
pub fn file_name(at: Timestamp) -> String {
    format!("{PREFIX}{}{SUFFIX}", at.strftime(STAMP))
}

/// Whether `name` is one of the scheduled backups' names (anything else in the folder is never
/// touched).
pub fn is_scheduled_backup(name: &str) -> bool {
    name.strip_prefix(PREFIX)
        .and_then(|rest| rest.strip_suffix(SUFFIX))
        .is_some_and(|stamp| jiff::fmt::strtime::parse(STAMP, stamp).is_ok_and(|t| t.to_datetime().is_ok()))
}

/// Of the names in the backup folder, the scheduled backups to delete so that the newest `keep`
/// remain, oldest first. Other files are left alone.
pub fn to_delete(names: &[String], keep: usize) -> Vec<String> {
    let mut ours: Vec<&String> = names.iter().filter(|n| is_scheduled_backup(n)).collect();
    ours.sort();
    let surplus = ours.len().saturating_sub(keep);
    ours.into_iter().take(surplus).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn the_period_and_the_number_kept_are_read_with_their_limits() {
        let daily = BackupSchedule::new("24h", 14).unwrap();
        assert_eq!((daily.every_seconds(), daily.keep()), (86_400, 14));
        assert_eq!(BackupSchedule::new("90m", 1).unwrap().every_seconds(), 5400);
        assert_eq!(BackupSchedule::new(" 7d ", 3).unwrap().every_seconds(), 7 * 86_400);
        for wrong in [
            "",
            "h",
            "24",
            "24 h",
            "-1h",
            "1.5h",
            "24x",
            "4m",
            "32d",
            "99999999999999999999d",
        ] {
            assert!(BackupSchedule::new(wrong, 14).is_err(), "{wrong:?} should be refused");
        }
        assert!(BackupSchedule::new("24h", 0).is_err());
        assert!(BackupSchedule::new("24h", MOST_KEPT + 1).is_err());
    }

    #[test]
    fn a_day_long_period_runs_from_midnight_to_midnight_utc() {
        let daily = BackupSchedule::new("24h", 14).unwrap();
        let morning = daily.period(at("2031-03-04T00:00:00Z"));
        assert_eq!(daily.period(at("2031-03-04T23:59:59Z")), morning);
        assert_eq!(daily.period(at("2031-03-05T00:00:00Z")), morning + 1);
        assert_eq!(daily.period(at("2031-03-03T23:59:59Z")), morning - 1);
    }

    #[test]
    fn names_sort_by_time_and_only_ours_are_ever_deleted() {
        let names: Vec<String> = [
            "2031-03-04T02:00:00Z",
            "2031-03-01T02:00:00Z",
            "2031-03-03T02:00:00Z",
            "2031-03-02T02:00:00Z",
        ]
        .into_iter()
        .map(|t| file_name(at(t)))
        .chain(["notes.txt".to_owned(), "familytime-yesterday.backup".to_owned()])
        .collect();
        assert_eq!(
            file_name(at("2031-03-04T02:00:00Z")),
            "familytime-20310304T020000Z.backup"
        );
        assert!(!is_scheduled_backup("familytime-yesterday.backup"));
        assert_eq!(
            to_delete(&names, 2),
            vec![
                file_name(at("2031-03-01T02:00:00Z")),
                file_name(at("2031-03-02T02:00:00Z"))
            ]
        );
        assert!(to_delete(&names, 4).is_empty());
        assert!(to_delete(&names, 10).is_empty());
    }
}
