//! A walk through the pages in real Chromium: the find/fill/click/wait steps the journey tests
//! repeat, kept in one place. A `Walk` is one browser, one server and the accessibility problems
//! axe-core found on the pages it looked at; every step waits on the page, never on the clock.

use crate::browser::Browser;
use crate::harness::{PASSWORD, TestApp};
use fantoccini::Locator;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

pub(crate) struct Walk<'a> {
    pub(crate) browser: Browser,
    pub(crate) app: &'a TestApp,
    /// One line per accessibility problem, with the page it was on.
    pub(crate) problems: Vec<String>,
}

impl<'a> Walk<'a> {
    pub(crate) async fn start(app: &'a TestApp) -> Walk<'a> {
        Walk {
            browser: Browser::start().await,
            app,
            problems: Vec::new(),
        }
    }

    /// Closes the browser and fails on any accessibility problem seen on the way.
    pub(crate) async fn finish(self) {
        self.browser.close().await;
        assert!(
            self.problems.is_empty(),
            "accessibility problems:\n{}",
            self.problems.join("\n")
        );
    }

    /// Runs axe-core on the page, naming it `label` in any problem.
    pub(crate) async fn axe(&mut self, label: &str) {
        let found = self.browser.accessibility_problems().await;
        self.problems.extend(found.into_iter().map(|p| format!("{label}: {p}")));
    }

    pub(crate) async fn goto(&self, path: &str) {
        self.browser.client.goto(&self.app.url(path)).await.unwrap();
        self.browser.wait_for("footer").await;
    }

    pub(crate) async fn sign_in(&self, email: &str) {
        self.goto("/login").await;
        self.fill("email", email).await;
        self.fill("password", PASSWORD).await;
        self.submit("main button[type=submit]").await;
        assert_eq!(self.path().await, "/home", "{email} signs in");
    }

    pub(crate) async fn sign_out(&self) {
        self.submit("header button[type=submit]").await;
        assert_eq!(self.path().await, "/login");
    }

    pub(crate) async fn path(&self) -> String {
        self.browser.path().await
    }

    pub(crate) async fn text(&self) -> String {
        self.browser.text().await
    }

    /// Fails unless the page says `text`.
    pub(crate) async fn sees(&self, text: &str) {
        let page = self.text().await;
        assert!(page.contains(text), "the page says {text:?}: {page}");
    }

    /// The text of the first element `css`.
    pub(crate) async fn text_of(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// An attribute of the first element `css`.
    pub(crate) async fn attr_of(&self, css: &str, name: &str) -> String {
        self.find(css)
            .await
            .attr(name)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{css} has {name}"))
    }

    pub(crate) async fn present(&self, css: &str) -> bool {
        !self
            .browser
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap()
            .is_empty()
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.browser
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|_| panic!("{css} is on the page {}", self.app.base))
    }

    /// Types into the field with this id, replacing what was there.
    pub(crate) async fn fill(&self, id: &str, value: &str) {
        crate::browser::fill(&self.browser, id, value).await;
    }

    /// Chooses the option with this value in the select with this id.
    pub(crate) async fn choose(&self, id: &str, value: &str) {
        self.find(&format!("select#{id}"))
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|_| panic!("{id} offers {value}"));
    }

    /// Sets a field's value as a person would leave it (date and time inputs take keystrokes in
    /// the browser's locale order, so they are set directly).
    pub(crate) async fn set(&self, css: &str, value: &str) {
        let found = self
            .browser
            .client
            .execute(
                "const e = document.querySelector(arguments[0]); if (!e) { return false; } e.value = arguments[1]; return true;",
                vec![json!(css), json!(value)],
            )
            .await
            .unwrap();
        assert_eq!(found, json!(true), "{css} is on the page");
    }

    pub(crate) async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|_| panic!("click {css}"));
    }

    /// Clicks a button that sends a form and waits until the next page has loaded.
    pub(crate) async fn submit(&self, css: &str) {
        crate::end_to_end::submit(&self.browser, css).await;
    }

    /// How many elements match the XPath.
    pub(crate) async fn count(&self, xpath: &str) -> usize {
        self.browser.client.find_all(Locator::XPath(xpath)).await.unwrap().len()
    }

    /// Clicks the first element the XPath finds (a link, say by the row it is in) and waits until
    /// the next page has loaded.
    pub(crate) async fn follow_xpath(&self, xpath: &str) {
        let old = self.browser.client.find(Locator::Css("html")).await.unwrap();
        self.browser
            .client
            .find(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|_| panic!("{xpath} is on the page"))
            .click()
            .await
            .unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while old.tag_name().await.is_ok() {
            assert!(std::time::Instant::now() < deadline, "the page after {xpath} loads");
        }
        self.browser.wait_for("footer").await;
    }

    /// Waits until the element `id` says something starting with `start` (a status a script on the
    /// page writes), failing at once if it starts with `failed`.
    pub(crate) async fn wait_until_says(&self, id: &str, start: &str, failed: &str) {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let said = self.text_of(&format!("#{id}")).await;
            if said.starts_with(start) {
                return;
            }
            assert!(!said.starts_with(failed), "#{id} says {said}");
            assert!(std::time::Instant::now() < deadline, "#{id} says {start}");
        }
    }

    /// Sends the POST form whose action is `action` with its (first) button.
    pub(crate) async fn submit_to(&self, action: &str) {
        self.submit(&format!("form[method=post][action='{action}'] button[type=submit]"))
            .await;
    }

    /// Follows the first link `css` and waits for the page.
    pub(crate) async fn follow(&self, css: &str) {
        self.submit(css).await;
    }

    /// Fails unless the page shows a notification banner saying `text`, and no error summary.
    pub(crate) async fn confirmed(&self, text: &str) {
        self.browser
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::XPath(&format!(
                "//*[contains(@class, 'notification')][contains(., \"{text}\")]"
            )))
            .await
            .unwrap_or_else(|_| panic!("a banner says {text}: {}", self.app.base));
        assert!(!self.present(".error-summary").await, "{}", self.text().await);
    }

    /// Fetches what a link on the page points to with the browser's own session (as a download
    /// would): the status, the file name it is offered under and its bytes.
    pub(crate) async fn download(&self, href: &str) -> (StatusCode, String, Vec<u8>) {
        let cookie = self.browser.client.get_named_cookie("ft_session").await.unwrap();
        let answer = reqwest::Client::new()
            .get(self.app.url(href))
            .header("cookie", format!("ft_session={}", cookie.value()))
            .send()
            .await
            .unwrap();
        let status = answer.status();
        let name = answer
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (status, name, answer.bytes().await.unwrap().to_vec())
    }
}
