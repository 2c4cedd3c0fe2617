use super::{
    changes_between, declare_rule, no_release_as_of, not_stated, on_date, release_evidence, Check,
    Context, Deadline, Outcome, RuleScope, Status,
};
use crate::base::dates::{days_between, Side, When};
use crate::catalog::Release;
use crate::policy::SupportReading;

declare_rule! {
    /// The installed Azure Local release must be within its six months of support.
    ///
    /// ## What it checks
    /// How long the installed Azure Local release has been in support. The
    /// page says each release is supported for six months
    /// (`releaseSupportMonths`) but not from when they count; tools read it
    /// four ways (`releaseSupportReading`: `akspol explain V009` lists them). akspol's reading,
    /// `months-from-release`: six calendar months from the day the release's
    /// first build became available, whichever of its builds is installed. It
    /// passes up to and including the day six calendar months after that
    /// availability date, with the next day as its deadline, and fails after.
    /// A release no source dates to the day (known by its `YYMM` name only,
    /// such as 2607) is dated by its month, 1st to last day; one that sources
    /// bound by two days (2604: 2026-03-28 to 2026-05-13), by that window.
    /// The rule then passes only while the release is in support on every
    /// day of that span, with the earliest day it may leave as its deadline
    /// (marked `~`, the span in the evidence), fails once it is out on every
    /// day, and is `unknown` between, naming the days.
    ///
    /// The default reading rests on the installed release's own date, so it
    /// is judged whatever the catalog's age. The `newest-months` and
    /// `newest-releases` readings rest on which releases came after it: on a
    /// catalog whose Azure Local facts are older than the line's monthly
    /// cadence, their pass is `unknown`.
    ///
    /// ## Why
    /// AKS Arc is not supported on an unsupported version of the platform it
    /// runs on, and Azure Local supports each release for six months: updates
    /// must be installed within six months, and a version not updated within
    /// six months is no longer supported. The deployment's AKS Arc support ends
    /// with its Azure Local release's.
    ///
    /// ## How to fix
    /// Install the current Azure Local update (Azure Update Manager or
    /// `Start-SolutionUpdate`), then upgrade the AKS Arc clusters to a
    /// Kubernetes version that release offers (`az aksarc upgrade`). On 23H2,
    /// move from 11.2510 to 12.2510 before updating further. `akspol plan` lists
    /// the steps. An organisation that reads the rule another way names its
    /// reading in a `--policy FILE`, e.g. `{"releaseSupportReading":
    /// "newest-releases"}` for "the six newest releases".
    ///
    /// ## Policy
    /// Supported version policy (AKS on Azure Local, with the Azure Local
    /// release information it links to).
    pub static RULE = {
        code: V009,
        name: "release-support-window",
        scope: RuleScope::Deployment,
        worst: Fail,
        parameters: ["releaseSupportMonths", "releaseSupportReading"],
        needs: ["deployment.version"],
        remedy: Upgrade,
        check: Check::Deployment(check),
    };
}

fn check(ctx: &Context) -> Outcome {
    let Some(months) = ctx.policy.release_support_months else {
        return not_stated(ctx, "releaseSupportMonths");
    };
    let reading = ctx
        .policy
        .release_support_reading
        .unwrap_or(SupportReading::MonthsFromRelease);
    if ctx.standing.is_none() {
        return no_release_as_of(ctx);
    }
    let installed = ctx.inventory.deployment.version;
    let release = match ctx.release_or_unknown("its support window cannot be measured") {
        Ok(release) => release,
        Err(unknown) => return unknown.with("reading", reading.as_str()),
    };
    let outcome = match reading {
        SupportReading::MonthsFromRelease | SupportReading::DaysFromBuild => {
            from_a_date(ctx, release, months, reading)
        }
        SupportReading::NewestMonths | SupportReading::NewestReleases => {
            among_the_newest(ctx, release, months, reading).resting_on_latest()
        }
    };
    outcome
        .with("installed", installed)
        .with("release", release_evidence(release))
        .with("supportMonths", months)
        .with("reading", reading.as_str())
}

/// The readings that count from a day: N calendar months from the release's
/// first build, or N × 30 days from the installed build's availability. The
/// verdict rests on that day alone, so the catalog's age does not matter.
fn from_a_date(ctx: &Context, release: &Release, months: i64, reading: SupportReading) -> Outcome {
    let described = release.described();
    let (from, counted, counted_from) = match reading {
        SupportReading::DaysFromBuild => {
            let (from, which) = installed_build_date(ctx, release);
            (
                Some(from.add_days(months * 30)),
                format!("{} days from {which}", months * 30),
                Some(from),
            )
        }
        _ => (
            u32::try_from(months)
                .ok()
                .and_then(|m| release.released.add_months(m)),
            format!("{months} months from its first build"),
            None,
        ),
    };
    let Some(last_day) = from else {
        return Outcome::unknown("the support window ends beyond the calendar akspol knows");
    };
    let came_out = format!("{described} came out {}", on_date(release.released));
    let first_unsupported = last_day.add_days(1);
    let what = format!(
        "release {} leaves its {months}-month support",
        release.version
    );
    let outcome = match first_unsupported.side(ctx.as_of) {
        Side::Before => {
            let left = days_between(ctx.as_of, first_unsupported.earliest);
            Outcome::pass(format!(
                "{came_out}: supported for {counted}, through {} ({}{left} {} left)",
                if last_day.is_span() {
                    format!("a day from {} to {}", last_day.earliest, last_day.latest)
                } else {
                    last_day.to_string()
                },
                if last_day.is_span() { "at least " } else { "" },
                if left == 1 { "day" } else { "days" }
            ))
            .deadline(Some(Deadline::new(
                first_unsupported.earliest,
                first_unsupported.approximate(),
                Status::Fail,
                what,
            )))
        }
        Side::Between => changes_between(
            Outcome::unknown(format!(
                "{came_out}: supported for {counted}, so it leaves support on a day from {} to {}; on {} it may be out of support already",
                first_unsupported.earliest, first_unsupported.latest, ctx.as_of
            )),
            first_unsupported,
            Status::Fail,
            what,
        ),
        Side::After => Outcome::fail(format!(
            "{came_out}: supported for {counted}, so its support ended {}; install a newer Azure Local release",
            if last_day.is_span() {
                format!("by {} at the latest", last_day.latest)
            } else {
                format!("on {last_day}")
            }
        )),
    };
    let outcome = outcome.with("lastSupportedDay", last_day);
    match counted_from {
        Some(from) => outcome.with("countedFrom", from),
        None => outcome,
    }
}

/// The availability date of the installed build, and which it is; the
/// release's first build when the inventory names no dated build of it
/// (the earliest it can be, so no window is overstated).
fn installed_build_date(ctx: &Context, release: &Release) -> (When, String) {
    let build = ctx
        .inventory
        .deployment
        .version
        .local()
        .filter(|l| l.build.is_some())
        .and_then(|l| release.build(l))
        .and_then(|b| b.available.map(|d| (b, d)));
    match build {
        Some((build, day)) => (
            When::day(day),
            format!("build {}'s availability", build.version),
        ),
        None => (
            release.released,
            "its first build (the inventory names no dated build of it)".to_string(),
        ),
    }
}

/// The readings that count releases: supported while the installed release
/// is among the N newest published ones, or within the newest one's month
/// and the N - 1 months before it. They rest on which releases are out: a
/// release dated by its month may or may not be out within that month, and
/// the verdict is given only when it holds either way.
fn among_the_newest(
    ctx: &Context,
    release: &Release,
    months: i64,
    reading: SupportReading,
) -> Outcome {
    let described = release.described();
    let newer: Vec<&Release> = ctx
        .catalog
        .line(release.version.product())
        .iter()
        .filter(|r| r.version.release_cmp(&release.version).is_gt())
        .copied()
        .collect();
    // Surely out: its last possible day has come. Possibly out: its first.
    let surely: Vec<&Release> = newer
        .iter()
        .copied()
        .filter(|r| r.released.latest <= ctx.as_of)
        .collect();
    let number = |r: &Release| r.version.local().map_or(0, |l| i64::from(l.release));
    let month_index = |yymm: i64| (yymm / 100) * 12 + yymm % 100;
    let installed_month = month_index(number(release));
    // Whether a set of newer releases puts the installed one out of support.
    let out_with = |newer: &[&Release]| -> bool {
        match reading {
            SupportReading::NewestReleases => newer.len() as i64 >= months,
            _ => newer
                .iter()
                .map(|r| month_index(number(r)))
                .max()
                .is_some_and(|newest| newest - installed_month >= months),
        }
    };
    let rule = match reading {
        SupportReading::NewestReleases => {
            format!("supported while among the {months} newest releases")
        }
        _ => format!(
            "supported while its month is the newest release's or one of the {} before it",
            months - 1
        ),
    };
    let names = |list: &[&Release]| {
        list.iter()
            .map(|r| r.version.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let outcome = if out_with(&surely) {
        Outcome::fail(format!(
            "{described} is {rule}; newer releases out by {}: {}; install a newer Azure Local release",
            ctx.as_of,
            names(&surely)
        ))
    } else if out_with(&newer) {
        let maybe: Vec<&Release> = newer
            .iter()
            .copied()
            .filter(|r| r.released.latest > ctx.as_of)
            .collect();
        Outcome::unknown(format!(
            "{described} is {rule}; it is out of support once {} {} out, and no source gives {} day ({})",
            names(&maybe),
            if maybe.len() == 1 { "is" } else { "are" },
            if maybe.len() == 1 { "its" } else { "their" },
            maybe
                .iter()
                .map(|r| format!("{} {}", r.version, on_date(r.released)))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    } else {
        Outcome::pass(format!(
            "{described} is {rule}; newer releases in the catalog on {}: {}",
            ctx.as_of,
            if newer.is_empty() {
                "none".to_string()
            } else {
                names(&newer)
            }
        ))
    };
    outcome.with(
        "newerReleases",
        newer.iter().map(|r| r.version).collect::<Vec<_>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::{arc_inventory, one, one_with_policy, status_and_deadline};
    use super::*;

    fn at(version: &str, as_of: &str) -> (&'static str, Option<String>) {
        let outcome = one(&RULE, &arc_inventory(version, "", "[]"), as_of);
        let (status, deadline) = status_and_deadline(&outcome);
        (status, deadline)
    }

    fn reading(reading: &str, version: &str, as_of: &str) -> Outcome {
        one_with_policy(
            &RULE,
            &arc_inventory(version, "", "[]"),
            as_of,
            &format!(r#"{{"releaseSupportReading": "{reading}"}}"#),
            None,
        )
    }

    #[test]
    fn six_calendar_months_from_the_first_build_whatever_the_build() {
        // 2510 came out on 2025-10-24: supported through 2026-04-24.
        assert_eq!(
            at("2510", "2026-04-24"),
            ("pass", Some("2026-04-25".into()))
        );
        assert_eq!(at("2510", "2026-04-25"), ("fail", None));
        // A later build of 2510 (2026-02-17) does not extend its window.
        assert_eq!(at("12.2510.1002.531", "2026-04-25"), ("fail", None));
    }

    #[test]
    fn the_installed_release_s_own_date_is_judged_whatever_the_catalog_s_age() {
        // 2603 came out on 2026-03-18; a one-day catalog age limit changes nothing.
        for max_age in [None, Some(1)] {
            let outcome = one_with_policy(
                &RULE,
                &arc_inventory("2603", "", "[]"),
                "2026-06-01",
                "{}",
                max_age,
            );
            assert_eq!(
                status_and_deadline(&outcome),
                ("pass", Some("2026-09-19".into())),
                "{}",
                outcome.message
            );
            assert!(!outcome.deadline.unwrap().estimated);
        }
    }

    #[test]
    fn a_release_known_by_name_is_dated_by_its_month() {
        // 2607: some day of July 2026, so its support ends on a day from
        // 2027-01-01 to 2027-01-31: the first day out is 2027-01-02 at the
        // earliest, 2027-02-01 at the latest.
        let before = one(&RULE, &arc_inventory("2607", "", "[]"), "2026-12-07");
        assert_eq!(
            status_and_deadline(&before),
            ("pass", Some("2027-01-02".into())),
            "{}",
            before.message
        );
        assert!(before.deadline.as_ref().unwrap().estimated);
        assert!(
            before.message.contains("known by name only"),
            "{}",
            before.message
        );
        assert_eq!(
            before.evidence.to_value()["release"]["released"],
            serde_json::json!({"notBefore": "2026-07-01", "notAfter": "2026-07-31", "precision": "month"})
        );
        assert_eq!(
            at("2607", "2027-01-01"),
            ("pass", Some("2027-01-02".into()))
        );
        for day in ["2027-01-02", "2027-01-15", "2027-01-31"] {
            let between = one(&RULE, &arc_inventory("2607", "", "[]"), day);
            assert_eq!(
                status_and_deadline(&between),
                ("unknown", Some("2027-02-01".into())),
                "{day}"
            );
            assert!(
                between
                    .message
                    .contains("on a day from 2027-01-02 to 2027-02-01"),
                "{}",
                between.message
            );
            assert!(!between.deadline.unwrap().estimated);
        }
        assert_eq!(at("2607", "2027-02-01"), ("fail", None));
        assert_eq!(at("2607", "2027-02-02"), ("fail", None));
        // A build of it, in a third party's words only, is the same release.
        assert_eq!(at("12.2607.1003.73", "2027-02-01"), ("fail", None));
    }

    #[test]
    fn a_release_two_sources_bound_is_dated_by_their_window() {
        // 2604 came out between 2026-03-28 and 2026-05-13.
        assert_eq!(
            at("2604", "2026-09-28"),
            ("pass", Some("2026-09-29".into()))
        );
        assert_eq!(
            at("2604", "2026-09-29"),
            ("unknown", Some("2026-11-14".into()))
        );
        assert_eq!(
            at("2604", "2026-11-13"),
            ("unknown", Some("2026-11-14".into()))
        );
        assert_eq!(at("2604", "2026-11-14"), ("fail", None));
    }

    #[test]
    fn a_release_the_catalog_does_not_know_is_unknown_in_v001_s_words() {
        let outcome = one(&RULE, &arc_inventory("2612", "", "[]"), "2026-12-20");
        assert_eq!(outcome.status.as_str(), "unknown");
        assert!(
            outcome
                .message
                .starts_with("2612 is newer than the catalog's latest release 2610"),
            "{}",
            outcome.message
        );
        let early = one(&RULE, &arc_inventory("2607", "", "[]"), "2026-06-20");
        assert!(
            early
                .message
                .starts_with("2607 was not yet published as of 2026-06-20"),
            "{}",
            early.message
        );
    }

    #[test]
    fn the_reading_is_named_in_the_evidence_and_can_be_another() {
        let default = one(&RULE, &arc_inventory("2603", "", "[]"), "2026-06-01");
        assert_eq!(
            default.evidence.to_value()["reading"],
            "months-from-release"
        );
        // 180 days from the installed build: 12.2602.1002.501 came out on
        // 2026-03-02, so its last day is 2026-08-29 (2602's own six months
        // end on 2026-08-17).
        let build = |day| reading("days-from-build", "12.2602.1002.501", day);
        assert_eq!(
            status_and_deadline(&build("2026-08-29")),
            ("pass", Some("2026-08-30".into()))
        );
        assert_eq!(build("2026-08-30").status.as_str(), "fail");
        // Without a dated build, from the release's first build.
        assert_eq!(
            status_and_deadline(&reading("days-from-build", "2602", "2026-08-15")),
            ("pass", Some("2026-08-17".into()))
        );
    }

    #[test]
    fn the_six_newest_releases() {
        // As of 2026-10-15, 2610 (some day of October) may not be out yet.
        let newest = |version, day| reading("newest-releases", version, day);
        let in_six = newest("2605", "2026-10-15");
        assert_eq!(in_six.status.as_str(), "pass", "{}", in_six.message);
        assert_eq!(in_six.evidence.to_value()["reading"], "newest-releases");
        let maybe = newest("2604", "2026-10-15");
        assert_eq!(maybe.status.as_str(), "unknown", "{}", maybe.message);
        assert!(
            maybe.message.contains("once 2610 is out"),
            "{}",
            maybe.message
        );
        // By its month's last day 2610 is out.
        assert_eq!(newest("2604", "2026-10-30").status.as_str(), "unknown");
        assert_eq!(newest("2604", "2026-10-31").status.as_str(), "fail");
        // It rests on the newest releases: a catalog too old cannot vouch for a pass.
        let stale = newest("2605", "2026-12-07");
        assert_eq!(stale.status.as_str(), "unknown", "{}", stale.message);
        assert!(
            stale
                .message
                .contains("the catalog knows Azure Local releases up to 2026-10"),
            "{}",
            stale.message
        );
    }

    #[test]
    fn the_newest_release_s_month_and_the_five_before() {
        let months = |version, day| reading("newest-months", version, day).status.as_str();
        assert_eq!(months("2604", "2026-10-30"), "unknown");
        assert_eq!(months("2604", "2026-10-31"), "fail");
        assert_eq!(months("2605", "2026-10-31"), "pass");
    }
}
