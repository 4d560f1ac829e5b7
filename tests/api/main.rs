//! The API test binary: every test runs against a real server on a fresh database, once on
//! SQLite and once on PostgreSQL (`TEST_DATABASE_URL`), decoding into the `shared` types.

#[macro_use]
mod helpers;

mod activities;
mod attribution;
mod bookings;
mod catalogue;
mod catalogue_cache;
mod catalogue_depth;
mod cli;
mod compare;
mod connections;
mod console;
mod dealers;
mod edge;
mod fake_sms;
mod fake_wechat;
mod faults;
mod hand_over;
mod links;
mod loyalty;
mod new_dealer;
mod offers;
mod openapi;
mod own_catalog;
mod owners;
mod photos;
mod privacy;
mod quote;
mod recommendations;
mod reminders;
mod schema;
mod searches;
mod security;
mod seed;
mod service;
mod settings;
mod shell;
mod showcase;
mod sign_in;
mod spec_fixture;
mod spec_import;
mod staff;
mod wechat;
