//! The day arithmetic of the version rules at every boundary: the last day
//! inside each window (day N) and the first day outside (day N+1), releases
//! published the day after the as-of date, and the number of releases behind.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common;

use akspol::base::dates::{add_days, parse_day, Day};
use akspol::catalog::{Catalog, CatalogSource, CatalogView};
use akspol::inventory::{self, LoadOptions};
use akspol::policy::Policy;
use akspol::rules::{self, registry, Context, Outcome, Status};

fn test_catalog() -> Catalog {
    let text = std::fs::read_to_string(common::repo().join("fixtures/catalogs/test.json")).unwrap();
    Catalog::from_text("test.json", &text, CatalogSource::File("test.json".into())).unwrap()
}

fn day(s: &str) -> Day {
    parse_day(s).unwrap()
}

/// The outcome of rule `code` for a deployment on `version`, as of `as_of`.
fn outcome(code: &str, version: &str, as_of: Day) -> Outcome {
    let catalog = test_catalog();
    let view = CatalogView::new(&catalog, as_of);
    let policy = Policy::embedded().unwrap();
    let text =
        format!(r#"{{"schemaVersion": 1, "deployment": {{"name": "d", "version": "{version}"}}}}"#);
    let loaded = inventory::load("inline", &text, LoadOptions::default()).unwrap();
    let ctx = Context::new(&loaded.inventory, &view, &policy);
    let rule = registry::find(code).unwrap();
    rules::evaluate(&ctx, &[rule]).remove(0).outcome
}

// In the test catalog, 1.0.3.10501 (2026-05-01) is the first release newer than 1.0.2.10301.
const INSTALLED: &str = "1.0.2.10301";
const FIRST_NEWER: &str = "2026-05-01";

#[test]
fn windows_hold_on_day_n_and_break_on_day_n_plus_one() {
    for (code, window, worse) in [
        ("V002", 30, Status::Warn),
        ("V003", 60, Status::Fail),
        ("V004", 120, Status::Fail),
    ] {
        let last_inside = add_days(day(FIRST_NEWER), window);
        let first_outside = add_days(last_inside, 1);

        let inside = outcome(code, INSTALLED, last_inside);
        assert_eq!(
            inside.status,
            Status::Pass,
            "{code} on day {window}: {}",
            inside.message
        );
        assert_eq!(inside.evidence.to_value()["daysBehind"], window);
        let deadline = inside.deadline.expect("a passing window has a deadline");
        assert_eq!(
            deadline.date,
            first_outside,
            "{code}: the deadline is day {}",
            window + 1
        );
        assert!(!deadline.estimated, "published dates give exact deadlines");

        let outside = outcome(code, INSTALLED, first_outside);
        assert_eq!(
            outside.status,
            worse,
            "{code} on day {}: {}",
            window + 1,
            outside.message
        );
        assert_eq!(outside.evidence.to_value()["daysBehind"], window + 1);
        assert_eq!(
            outside.deadline, None,
            "{code}: nothing gets worse after {worse:?}"
        );
    }
}

#[test]
fn a_release_published_the_day_after_as_of_does_not_exist_yet() {
    // 1.0.5.10901 comes out 2026-09-01: on 2026-08-31, 1.0.4.10701 is the latest.
    let before = outcome("V003", "1.0.4.10701", day("2026-08-31"));
    assert_eq!(before.status, Status::Pass);
    assert_eq!(before.evidence.to_value()["daysBehind"], 0);
    assert_eq!(before.evidence.to_value()["releasesBehind"], 0);
    assert_eq!(
        before.deadline, None,
        "no newer release, so no known deadline"
    );
    assert_eq!(before.evidence.to_value()["latest"], "1.0.4.10701");

    let on_the_day = outcome("V003", "1.0.4.10701", day("2026-09-01"));
    assert_eq!(on_the_day.evidence.to_value()["daysBehind"], 0);
    assert_eq!(on_the_day.evidence.to_value()["releasesBehind"], 1);
    assert_eq!(
        on_the_day.deadline.unwrap().date,
        day("2026-11-01"),
        "day 61 after 2026-09-01"
    );

    // The installed release itself is unknown before its release day: not
    // yet published then, which is not a stale catalog.
    let v001 = outcome("V001", "1.0.5.10901", day("2026-08-31"));
    assert_eq!(v001.status, Status::Unknown);
    assert!(
        v001.message
            .contains("not yet published as of 2026-08-31: the catalog dates it 2026-09-01"),
        "{}",
        v001.message
    );
    assert!(!v001.message.contains("stale"), "{}", v001.message);
    // A version newer than anything the catalog knows is the stale case.
    let newer = outcome("V001", "1.0.7.10101", day("2026-12-01"));
    assert!(
        newer.message.contains("the catalog is stale"),
        "{}",
        newer.message
    );
}

#[test]
fn upgrade_path_allows_two_releases_behind_not_three() {
    // As of 2026-07-01 the releases are 1.0.1 .. 1.0.4.
    let as_of = day("2026-07-01");
    let two = outcome("V005", "1.0.2.10301", as_of);
    assert_eq!(two.status, Status::Pass, "{}", two.message);
    assert_eq!(two.evidence.to_value()["releasesBehind"], 2);
    let three = outcome("V005", "1.0.1.10101", as_of);
    assert_eq!(three.status, Status::Fail, "{}", three.message);
    assert_eq!(three.evidence.to_value()["releasesBehind"], 3);
    assert_eq!(three.evidence.to_value()["upgradeSteps"], 2);
    assert!(three.message.contains("akspol plan"));
}

#[test]
fn estimated_release_dates_make_estimated_deadlines() {
    // 1.0.6 is dated by its git tag (an estimate); it is the first release newer than 1.0.5.
    let o = outcome("V002", "1.0.5.10901", day("2026-11-10"));
    assert_eq!(o.status, Status::Pass);
    let deadline = o.deadline.unwrap();
    assert_eq!(deadline.date, day("2026-12-02"));
    assert!(deadline.estimated);
    assert_eq!(o.evidence.to_value()["firstNewer"]["dateBasis"], "tag");
}

#[test]
fn a_three_field_catalog_entry_matches_any_build() {
    let o = outcome("V001", "1.0.6.11107", day("2026-11-23"));
    assert_eq!(o.status, Status::Pass);
    assert!(
        o.message.contains("does not record its build number"),
        "{}",
        o.message
    );
    let behind = outcome("V005", "1.0.6.11107", day("2026-11-23"));
    assert_eq!(behind.evidence.to_value()["releasesBehind"], 0);
}

#[test]
fn host_platform_warns_within_90_days_and_fails_after_the_last_day() {
    let platform = |as_of: &str| {
        let catalog = test_catalog();
        let view = CatalogView::new(&catalog, day(as_of));
        let policy = Policy::embedded().unwrap();
        let text = r#"{"schemaVersion": 1, "deployment": {"name": "d", "version": "1.0.4.10701", "platform": {"os": "AzureStackHCI", "version": "23H2"}}}"#;
        let loaded = inventory::load("inline", text, LoadOptions::default()).unwrap();
        let ctx = Context::new(&loaded.inventory, &view, &policy);
        rules::evaluate(&ctx, &[registry::find("V008").unwrap()])
            .remove(0)
            .outcome
    };
    // 23H2: its last supported day is some day of April 2026, so the first
    // unsupported day is from 2026-04-02 to 2026-05-01, and the 90-day
    // warning starts from 2026-01-02 to 2026-01-31. Between, it depends on
    // the day: unknown, naming the days, with the day it surely changes as
    // its deadline.
    let pass = platform("2026-01-01");
    assert_eq!(pass.status, Status::Pass, "{}", pass.message);
    let deadline = pass.deadline.unwrap();
    assert_eq!(
        (deadline.date, deadline.estimated),
        (day("2026-01-02"), true)
    );
    let maybe_warn = platform("2026-01-02");
    assert_eq!(maybe_warn.status, Status::Unknown, "{}", maybe_warn.message);
    assert!(
        maybe_warn
            .message
            .contains("on a day from 2026-01-02 to 2026-01-31"),
        "{}",
        maybe_warn.message
    );
    let deadline = maybe_warn.deadline.unwrap();
    assert_eq!(
        (deadline.date, deadline.estimated),
        (day("2026-01-31"), false)
    );
    assert_eq!(platform("2026-01-30").status, Status::Unknown);
    let warn = platform("2026-01-31");
    assert_eq!(warn.status, Status::Warn, "{}", warn.message);
    assert_eq!(warn.deadline.as_ref().unwrap().date, day("2026-04-02"));
    assert!(warn.deadline.as_ref().unwrap().estimated);
    assert_eq!(platform("2026-04-01").status, Status::Warn);
    let maybe_out = platform("2026-04-02");
    assert_eq!(maybe_out.status, Status::Unknown, "{}", maybe_out.message);
    assert_eq!(maybe_out.deadline.unwrap().date, day("2026-05-01"));
    assert_eq!(platform("2026-04-30").status, Status::Unknown);
    assert_eq!(platform("2026-05-01").status, Status::Fail);
    // The evidence has the month.
    assert_eq!(
        platform("2026-05-01").evidence.to_value()["lastSupportedDay"]["precision"],
        "month"
    );
}

/// The outcome of `code` for an AKS Arc deployment on `version` with one
/// cluster on Kubernetes `kubernetes`, against `catalog`, with
/// `--max-catalog-age`.
fn arc_outcome_in(
    catalog: &Catalog,
    code: &str,
    version: &str,
    kubernetes: &str,
    as_of: Day,
    max_age: Option<u32>,
) -> Outcome {
    let view = CatalogView::new(catalog, as_of);
    let policy = Policy::default_for(akspol::base::product::Product::AksArc)
        .unwrap()
        .with_max_catalog_age(max_age);
    let text = format!(
        r#"{{"schemaVersion": 1, "deployment": {{"name": "d", "product": "aks-arc", "version": "{version}"}}, "clusters": [{{"name": "c", "kubernetesVersion": "{kubernetes}"}}]}}"#
    );
    let loaded = inventory::load("inline", &text, LoadOptions::default()).unwrap();
    let ctx = Context::new(&loaded.inventory, &view, &policy);
    let rule = registry::find(code).unwrap();
    rules::evaluate(&ctx, &[rule]).remove(0).outcome
}

/// [`arc_outcome_in`] the embedded catalog.
fn arc_outcome(code: &str, version: &str, as_of: Day, max_age: Option<u32>) -> Outcome {
    arc_outcome_in(
        &Catalog::embedded().unwrap(),
        code,
        version,
        "1.33.5",
        as_of,
        max_age,
    )
}

#[test]
fn the_azure_local_catalog_vouches_for_45_days_after_the_first_day_of_its_newest_month() {
    // The embedded Azure Local facts reach 2610, dated by its month: the
    // catalog may be as old as 2026-10-01, so day 45 is 2026-11-15. V010's
    // pass (no newer release drops 1.33) rests on the catalog knowing the
    // newer releases.
    let known = day("2026-10-01");
    let on_day_45 = arc_outcome("V010", "2603", add_days(known, 45), None);
    assert_eq!(on_day_45.status, Status::Pass, "{}", on_day_45.message);
    let on_day_46 = arc_outcome("V010", "2603", add_days(known, 46), None);
    assert_eq!(on_day_46.status, Status::Unknown, "{}", on_day_46.message);
    assert!(
        on_day_46
            .message
            .contains("the catalog knows Azure Local releases up to 2026-10 (16 to 46 days before the as-of date, more than the 45-day release cadence"),
        "{}",
        on_day_46.message
    );
    // What the rule found stays in the evidence.
    assert_eq!(
        on_day_46.evidence.to_value()["catalogTooOld"]["wouldBe"],
        "pass"
    );
    assert_eq!(
        on_day_46.evidence.to_value()["catalogTooOld"]["knownThrough"]["precision"],
        "month"
    );
    // --max-catalog-age 0 turns the check off.
    let off = arc_outcome("V010", "2603", add_days(known, 46), Some(0));
    assert_eq!(off.status, Status::Pass);
    // A failing finding stays failing whatever the catalog's age.
    let failing = arc_outcome("V009", "2510", add_days(known, 46), None);
    assert_eq!(failing.status, Status::Fail);
}

/// Issue 26, item 2: a release Azure lists for the instance moves the line's
/// facts forward for that inventory. 2611, listed on 2026-11-20, is dated
/// 2026-11-01 to 2026-11-20: the facts may be as old as 2026-11-01, so day
/// 45 is 2026-12-16, and V010's pass is vouched for until then.
#[test]
fn a_release_azure_lists_makes_the_catalog_vouch_45_days_from_its_month() {
    let catalog = Catalog::embedded().unwrap();
    let outcome = |as_of: Day| {
        let view = CatalogView::new(&catalog, as_of);
        let policy = Policy::default_for(akspol::base::product::Product::AksArc).unwrap();
        let text = r#"{"schemaVersion": 1, "deployment": {"name": "d", "product": "aks-arc", "version": "2603",
            "azure": {"updates": [{"name": "Solution12.2611.1003.4", "version": "12.2611.1003.4", "state": "Ready", "createdAt": "2026-11-20T08:00:00Z"}]}},
            "clusters": [{"name": "c", "kubernetesVersion": "1.33.5"}]}"#;
        let loaded = inventory::load("inline", text, LoadOptions::default()).unwrap();
        let attested = rules::azure::attested_releases(&loaded.inventory, &view);
        let view = view.with_attested(&attested);
        let ctx = Context::new(&loaded.inventory, &view, &policy);
        let rule = registry::find("V010").unwrap();
        rules::evaluate(&ctx, &[rule]).remove(0).outcome
    };
    let known = day("2026-11-01");
    let on_day_45 = outcome(add_days(known, 45));
    assert_eq!(on_day_45.status, Status::Pass, "{}", on_day_45.message);
    let on_day_46 = outcome(add_days(known, 46));
    assert_eq!(on_day_46.status, Status::Unknown, "{}", on_day_46.message);
    assert!(
        on_day_46
            .message
            .contains("the catalog with what Azure lists for the instance knows Azure Local releases up to 2026-11-01..2026-11-20 (27 to 46 days before"),
        "{}",
        on_day_46.message
    );
    // Without Azure's list the embedded facts (2610) were too old already.
    let alone = arc_outcome("V010", "2603", add_days(known, 45), None);
    assert_eq!(alone.status, Status::Unknown, "{}", alone.message);
}

#[test]
fn v010_counts_the_grace_from_every_day_of_a_month_dated_release() {
    // A catalog that also knows 2611 by name only (dated by its month,
    // November 2026) with a list that no longer offers 1.31: 1.31 leaves
    // support 30 days after some day of November, so the first day out is
    // from 2026-12-02 to 2026-12-31.
    let mut file = Catalog::embedded().unwrap().to_file();
    let locals = file.azure_local_releases.as_mut().unwrap();
    let mut r2611: akspol::catalog::LocalReleaseFile = serde_json::from_str(
        r#"{"release": "2611", "released": null, "kubernetesVersions": ["1.32.9", "1.33.5", "1.34.1"], "source": "test"}"#,
    )
    .unwrap();
    r2611.name = Some("test".into());
    locals.push(r2611);
    // knownThrough is derived from the releases: 2611's month.
    file.known_through = None;
    let text = serde_json::to_string(&file).unwrap();
    let catalog = Catalog::from_text("with-2611", &text, CatalogSource::File("t".into())).unwrap();
    let v010 =
        |as_of: &str| arc_outcome_in(&catalog, "V010", "2603", "1.31.13", day(as_of), Some(0));
    let before = v010("2026-10-31");
    assert_eq!(before.status, Status::Pass, "{}", before.message);
    // From its first possible day 2611 may be out: a warning, its deadline
    // the earliest day 1.31 may leave support.
    let warn = v010("2026-11-01");
    assert_eq!(warn.status, Status::Warn, "{}", warn.message);
    let deadline = warn.deadline.unwrap();
    assert_eq!(
        (deadline.date, deadline.estimated),
        (day("2026-12-02"), true)
    );
    assert_eq!(v010("2026-12-01").status, Status::Warn);
    let between = v010("2026-12-02");
    assert_eq!(between.status, Status::Unknown, "{}", between.message);
    assert!(
        between
            .message
            .contains("on a day from 2026-12-02 to 2026-12-31"),
        "{}",
        between.message
    );
    assert_eq!(between.deadline.unwrap().date, day("2026-12-31"));
    assert_eq!(v010("2026-12-30").status, Status::Unknown);
    assert_eq!(v010("2026-12-31").status, Status::Fail);
}

#[test]
fn v009_judges_the_installed_release_s_own_date_whatever_the_catalog_s_age() {
    // A catalog whose Azure Local facts end with 2603 (2026-03-18), as the
    // embedded one did: as of 2026-06-01 it is 75 days old, past the 45-day
    // cadence, yet 2603's six months from 2026-03-18 do not depend on what
    // came after it.
    let mut catalog = Catalog::embedded().unwrap();
    catalog
        .local_releases
        .retain(|r| r.released.latest <= day("2026-03-18"));
    catalog
        .known_through
        .retain(|k| k.product != akspol::base::product::Product::AksArc);
    let text = serde_json::to_string(&catalog.to_file()).unwrap();
    let catalog =
        Catalog::from_text("trimmed", &text, CatalogSource::File("trimmed".into())).unwrap();
    let age = CatalogView::new(&catalog, day("2026-06-01"))
        .age(akspol::base::product::Product::AksArc, Some(45))
        .unwrap();
    assert!(age.stale(), "{age:?}");
    for max_age in [None, Some(1)] {
        let v009 = arc_outcome_in(
            &catalog,
            "V009",
            "2603",
            "1.33.5",
            day("2026-06-01"),
            max_age,
        );
        assert_eq!(v009.status, Status::Pass, "{}", v009.message);
        assert_eq!(v009.deadline.unwrap().date, day("2026-09-19"));
        // V010's pass rests on the newer releases: not vouched for.
        let v010 = arc_outcome_in(
            &catalog,
            "V010",
            "2603",
            "1.33.5",
            day("2026-06-01"),
            max_age,
        );
        assert_eq!(v010.status, Status::Unknown, "{}", v010.message);
    }
}

#[test]
fn the_aks_hybrid_catalog_vouches_for_120_days_after_its_newest_fact() {
    let catalog = test_catalog();
    // The test catalog records no knownThrough: its newest release (1.0.6, 2026-11-01) is it.
    let known = catalog
        .known_through(akspol::base::product::Product::AksHybrid)
        .unwrap()
        .date
        .earliest;
    assert_eq!(known, day("2026-11-01"));
    let day_n = outcome("V003", "1.0.6.11101", add_days(known, 120));
    assert_eq!(day_n.status, Status::Pass);
    let day_after = outcome("V003", "1.0.6.11101", add_days(known, 121));
    assert_eq!(day_after.status, Status::Unknown, "{}", day_after.message);
    assert!(
        day_after.message.contains("up to ~2026-11-01"),
        "{}",
        day_after.message
    );
    // A deployment behind is judged on what the catalog knows: not vouching
    // only turns passes into unknowns.
    let behind = outcome("V003", "1.0.2.10301", add_days(known, 121));
    assert_eq!(behind.status, Status::Fail);
}
