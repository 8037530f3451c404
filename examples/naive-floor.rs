//! The naive floor for benchmarks: deserialize every row with serde into owned structs, parse the
//! times with chrono, sort all records by time and index them by phone. No rules. The part-two
//! files (RULES-R10: viewings, deals, staff, handovers, cancellations, delistings, queries, grades)
//! are read too when present.
//! `cargo run --release --example naive-floor -- DIR`

use chrono::NaiveDateTime;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

#[allow(dead_code)]
#[derive(Deserialize)]
struct Report {
    id: String,
    at: String,
    channel: String,
    broker: String,
    client: String,
    phone: String,
    note: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Contact {
    id: String,
    at: String,
    kind: String,
    phone: String,
    client: Option<String>,
    consultant: Option<String>,
    channel: Option<String>,
    broker: Option<String>,
    slip: Option<String>,
    confirmed_by: Option<String>,
    note: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Slip {
    slip: String,
    at: String,
    role: String,
    signer: String,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Direct {
    id: String,
    presented_at: String,
    phone: String,
    client: Option<String>,
    unit: Option<String>,
    area: Option<String>,
    list_unit_price: Option<String>,
    unit_price: Option<String>,
    total: Option<String>,
    other: Option<String>,
    request: Option<String>,
    client_signature: Option<String>,
    developer_signer: Option<String>,
    agency_signer: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Booking {
    id: String,
    at: String,
    unit: String,
    buyer: String,
    phone: String,
    area: Option<String>,
    list_price: String,
    price: String,
    payment: Option<String>,
    consultant: Option<String>,
    discount: Option<String>,
    deposit: Option<String>,
    note: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Discount {
    id: String,
    at: String,
    phone: String,
    unit: String,
    client: Option<String>,
    list_unit_price: Option<String>,
    unit_price: Option<String>,
    reason: Option<String>,
    developer_signer: Option<String>,
    agency_signer: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Violation {
    id: String,
    at: String,
    kind: String,
    channel: String,
    broker: Option<String>,
    persons: Option<String>,
    phone: Option<String>,
    damages: Option<String>,
    evidence: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Relation {
    id: String,
    at: String,
    phone: String,
    relation: String,
    other_phone: String,
    note: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Void {
    id: String,
    at: String,
    r#ref: String,
    reason: String,
    by: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Viewing {
    id: String,
    at: String,
    property: String,
    client: String,
    phone: String,
    broker: String,
    client_signature: Option<String>,
    first_viewing: Option<String>,
    no: Option<String>,
    note: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Deal {
    id: String,
    at: String,
    property: String,
    buyer: String,
    phone: String,
    price: String,
    via: String,
    known_at: Option<String>,
    other_agency: Option<String>,
    contract: Option<String>,
    note: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Staff {
    id: String,
    at: String,
    consultant: String,
    event: String,
    note: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Handover {
    id: String,
    at: String,
    phone: String,
    to: String,
    reason: String,
    from: Option<String>,
    by: Option<String>,
    note: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Cancellation {
    id: String,
    at: String,
    booking: String,
    reason: String,
    fees: Option<String>,
    refund: Option<String>,
    by: Option<String>,
    note: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Delisting {
    id: String,
    at: String,
    phone: Option<String>,
    channel: Option<String>,
    votes_for: String,
    leaders: String,
    action: Option<String>,
    reason: Option<String>,
    investigated_at: Option<String>,
    notified_at: Option<String>,
    by: Option<String>,
    note: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Query {
    id: String,
    at: String,
    phone: String,
    client: String,
    first: Option<String>,
    class: Option<String>,
    record: Option<String>,
    client_signature: Option<String>,
    consultant: Option<String>,
    qa: Option<String>,
    agency_manager: Option<String>,
    agency_head: Option<String>,
    developer_manager: Option<String>,
    developer_head: Option<String>,
    note: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
struct Grade {
    id: String,
    at: String,
    channel: String,
    grade: String,
    by: Option<String>,
    notified_at: Option<String>,
    note: Option<String>,
}

fn read<T: for<'de> Deserialize<'de>>(dir: &Path, name: &str) -> Vec<T> {
    let Ok(mut rdr) = csv::Reader::from_path(dir.join(name)) else {
        return vec![];
    };
    rdr.deserialize().map(|r| r.expect("row")).collect()
}

fn time(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")
}

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("DIR"));
    let reports: Vec<Report> = read(&dir, "reports.csv");
    let contacts: Vec<Contact> = read(&dir, "contacts.csv");
    let slips: Vec<Slip> = read(&dir, "slips.csv");
    let directs: Vec<Direct> = read(&dir, "directs.csv");
    let bookings: Vec<Booking> = read(&dir, "bookings.csv");
    let discounts: Vec<Discount> = read(&dir, "discounts.csv");
    let violations: Vec<Violation> = read(&dir, "violations.csv");
    let relations: Vec<Relation> = read(&dir, "relations.csv");
    let voids: Vec<Void> = read(&dir, "voids.csv");
    // part two (RULES-R10): absent files are empty
    let viewings: Vec<Viewing> = read(&dir, "viewings.csv");
    let deals: Vec<Deal> = read(&dir, "deals.csv");
    let staff: Vec<Staff> = read(&dir, "staff.csv");
    let handovers: Vec<Handover> = read(&dir, "handovers.csv");
    let cancellations: Vec<Cancellation> = read(&dir, "cancellations.csv");
    let delistings: Vec<Delisting> = read(&dir, "delistings.csv");
    let queries: Vec<Query> = read(&dir, "queries.csv");
    let grades: Vec<Grade> = read(&dir, "grades.csv");
    // (time, kind, index, phone)
    let mut all: Vec<(NaiveDateTime, u8, usize, &str)> = vec![];
    all.extend(
        reports
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 0, i, r.phone.as_str())),
    );
    all.extend(
        contacts
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 1, i, r.phone.as_str())),
    );
    all.extend(
        slips
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 2, i, "")),
    );
    all.extend(
        directs
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.presented_at), 3, i, r.phone.as_str())),
    );
    all.extend(
        bookings
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 4, i, r.phone.as_str())),
    );
    all.extend(
        discounts
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 5, i, r.phone.as_str())),
    );
    all.extend(
        violations
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 6, i, r.phone.as_deref().unwrap_or(""))),
    );
    all.extend(
        relations
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 7, i, r.phone.as_str())),
    );
    all.extend(
        voids
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 8, i, "")),
    );
    all.extend(
        viewings
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 9, i, r.phone.as_str())),
    );
    all.extend(
        deals
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 10, i, r.phone.as_str())),
    );
    all.extend(
        staff
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 11, i, "")),
    );
    all.extend(
        handovers
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 12, i, r.phone.as_str())),
    );
    all.extend(
        cancellations
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 13, i, "")),
    );
    all.extend(
        delistings
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 14, i, r.phone.as_deref().unwrap_or(""))),
    );
    all.extend(
        queries
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 15, i, r.phone.as_str())),
    );
    all.extend(
        grades
            .iter()
            .enumerate()
            .map(|(i, r)| (time(&r.at), 16, i, "")),
    );
    all.sort_by_key(|(t, k, i, _)| (*t, *k, *i));
    let mut by_phone: HashMap<&str, Vec<usize>> = HashMap::new();
    for (n, (_, _, _, p)) in all.iter().enumerate() {
        if !p.is_empty() {
            by_phone.entry(p).or_default().push(n);
        }
    }
    println!("{} records, {} phones", all.len(), by_phone.len());
}
