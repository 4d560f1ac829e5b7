//! The catalogue's search and the comparison's glossary as buyers meet them: a search that
//! paused and found a series becomes 热门搜索 for the next buyer, whose chip filters the list;
//! a search left before its pause is not counted and leaves no error behind; a spec name in
//! the comparison, tapped, explains itself in one sentence and folds away on a second tap.

use crate::browser::{
    find, page_errors, record_errors, screenshot, tap, tap_on, wait_count, wait_text, wait_url,
    Driver,
};
use crate::lifetimes::{type_and_tap, wait_in_the_page};
use crate::Site;
use shared::catalog::SeriesList;
use shared::filter::matches_query;

/// What the catalogue recorded, oldest first.
async fn searches(site: &Site) -> Vec<String> {
    sqlx::query_scalar("SELECT query FROM searches ORDER BY at, query")
        .fetch_all(&site.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_paused_search_becomes_the_next_buyers_hot_search_and_a_left_one_does_not() {
    let site = Site::start().await;
    let driver = Driver::start().await;

    // A buyer quicker than the pause: types and taps the first car at once.
    let quick = driver.phone().await;
    quick.goto(&site.url("/demo/models")).await.unwrap();
    find(&quick, "[data-test=series-card]").await;
    record_errors(&quick).await;
    type_and_tap(&quick, "han", "[data-test=series-card]").await;
    wait_url(&quick, |u| u.contains("/demo/models/")).await;
    wait_in_the_page(&quick, 2_500).await;
    let errors = page_errors(&quick).await;
    assert!(errors.is_empty(), "the model page failed: {errors:?}");
    assert!(
        searches(&site).await.is_empty(),
        "a search left before its pause was counted"
    );

    // A buyer who types and reads: counted once the pause is over.
    let reader = driver.phone().await;
    reader.goto(&site.url("/demo/models")).await.unwrap();
    find(&reader, "[data-test=series-card]").await;
    find(&reader, "[data-test=search]")
        .await
        .send_keys("qin")
        .await
        .unwrap();
    wait_url(&reader, |u| u.contains("q=qin")).await;
    let started = std::time::Instant::now();
    while searches(&site).await.is_empty() {
        assert!(
            started.elapsed().as_secs() < 10,
            "the search was never recorded"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(searches(&site).await, vec!["qin".to_string()]);

    // The next buyer sees it as a chip above the filters, and the chip searches.
    let next = driver.phone().await;
    next.goto(&site.url("/demo/models")).await.unwrap();
    let chip = wait_text(&next, "[data-test=hot-search]", |t| t == "qin").await;
    assert_eq!(chip, "qin");
    screenshot(&next, "models-hot-searches").await;
    tap_on(&next, "[data-test=hot-search]").await;
    wait_url(&next, |u| u.contains("q=qin")).await;
    let list: SeriesList = site.api("/api/v1/dealers/demo/series").await;
    let expected = list
        .items
        .iter()
        .filter(|s| matches_query(s, "qin"))
        .count();
    assert!(expected >= 2, "{expected} series match qin");
    wait_count(&next, "[data-test=series-card]", |n| n == expected).await;
    wait_text(&next, "[data-test=series-card]", |t| t.contains('秦')).await;
    // Once something is typed the chips step aside.
    assert_eq!(
        wait_count(&next, "[data-test=hot-searches]", |n| n == 0).await,
        0
    );
}

#[tokio::test]
async fn a_spec_name_tapped_in_the_comparison_explains_itself() {
    let site = Site::start().await;
    let driver = Driver::start().await;
    let buyer = driver.phone().await;
    buyer
        .goto(&site.url("/demo/compare?trims=xiaomi-su7-std,xiaomi-su7-pro"))
        .await
        .unwrap();
    let term = find(
        &buyer,
        "[data-test=compare-row][data-key=range_cltc_km] [data-test=term]",
    )
    .await;
    assert_eq!(
        term.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false")
    );
    tap(&buyer, &term).await;
    let text = wait_text(&buyer, "[data-test=term-explanation]", |t| !t.is_empty()).await;
    assert_eq!(
        Some(text.as_str()),
        shared::glossary::explain("range_cltc_km")
    );
    assert_eq!(
        term.attr("aria-expanded").await.unwrap().as_deref(),
        Some("true")
    );
    screenshot(&buyer, "compare-glossary").await;
    tap(&buyer, &term).await;
    wait_count(&buyer, "[data-test=term-explanation]", |n| n == 0).await;
}
