mod ledger;
mod model;
mod rules;

fn main() {}
