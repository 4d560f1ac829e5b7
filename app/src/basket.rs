//! The compare basket (对比篮): up to four trim ids per dealer, kept in localStorage so it
//! survives page changes and reloads, shared through context as one signal.

use leptos::prelude::*;
use shared::compare::{parse_trim_ids, MAX_COMPARE};

#[derive(Clone, Copy)]
pub struct Basket {
    dealer: Memo<String>,
    ids: RwSignal<Vec<String>>,
}

fn key(dealer: &str) -> String {
    format!("chelink.compare.{dealer}")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn load(dealer: &str) -> Vec<String> {
    if dealer.is_empty() {
        return Vec::new();
    }
    let stored = storage()
        .and_then(|s| s.get_item(&key(dealer)).ok().flatten())
        .unwrap_or_default();
    let mut ids = parse_trim_ids(&stored);
    ids.truncate(MAX_COMPARE);
    ids
}

impl Basket {
    /// The basket of the dealer in `dealer`, reloaded whenever the dealer changes.
    pub fn new(dealer: Memo<String>) -> Self {
        let ids = RwSignal::new(load(&dealer.get_untracked()));
        Effect::new(move |previous: Option<String>| {
            let current = dealer.get();
            if previous.as_ref().is_some_and(|p| *p != current) {
                ids.set(load(&current));
            }
            current
        });
        Self { dealer, ids }
    }

    pub fn ids(&self) -> Vec<String> {
        self.ids.get()
    }

    pub fn count(&self) -> usize {
        self.ids.with(Vec::len)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.with(|ids| ids.iter().any(|i| i == id))
    }

    /// Adds a trim; `Err` with the message to show when the basket is full.
    pub fn add(&self, id: &str) -> Result<(), String> {
        if self.contains(id) {
            return Ok(());
        }
        if self.count() >= MAX_COMPARE {
            return Err(format!("最多同时对比{MAX_COMPARE}款车型"));
        }
        self.ids.update(|ids| ids.push(id.to_string()));
        self.save();
        Ok(())
    }

    pub fn remove(&self, id: &str) {
        self.ids.update(|ids| ids.retain(|i| i != id));
        self.save();
    }

    /// Replaces the basket (the compare page makes it match what it shows).
    pub fn set(&self, mut ids: Vec<String>) {
        ids.truncate(MAX_COMPARE);
        if self.ids.with_untracked(|current| *current != ids) {
            self.ids.set(ids);
            self.save();
        }
    }

    fn save(&self) {
        let dealer = self.dealer.get_untracked();
        if let Some(storage) = storage() {
            let value = self.ids.with_untracked(|ids| ids.join(","));
            // A full or disabled storage only loses persistence, never the basket itself.
            let _ = storage.set_item(&key(&dealer), &value);
        }
    }
}
