//! The code's references set against the database's collections: what the code
//! uses and the database lacks (a failure), what the database has and the code
//! never names (information), the likely typos between the two, and the
//! accessors called but defined nowhere in the tree (a failure). Pure: the
//! database's names come in as a list.

use std::collections::{BTreeMap, BTreeSet};

use super::names::closeness;
use crate::model::code::Code;
use crate::model::code::{Findings, Missing, NearMiss, Place};

/// Compares the code's references with the collections of the database.
pub fn compare(code: &Code, collections: &[String]) -> Findings {
    let present: BTreeSet<&str> = collections.iter().map(String::as_str).collect();
    let mut used: BTreeMap<&str, Vec<Place>> = BTreeMap::new();
    for r in &code.references {
        used.entry(r.name.as_str()).or_default().push(Place {
            file: r.file.clone(),
            line: r.line,
        });
    }
    let missing_in_database: Vec<Missing> = used
        .iter()
        .filter(|(name, _)| !present.contains(*name))
        .map(|(name, places)| Missing {
            name: (*name).to_string(),
            places: places.clone(),
        })
        .collect();
    let unused_in_code = present
        .iter()
        .filter(|name| !used.contains_key(*name) && !name.starts_with("system."))
        .map(|name| (*name).to_string())
        .collect();
    let near_misses = missing_in_database
        .iter()
        .flat_map(|m| {
            present.iter().filter_map(move |d| {
                closeness(&m.name, d).map(|kind| NearMiss {
                    code: m.name.clone(),
                    database: (*d).to_string(),
                    kind,
                    places: m.places.clone(),
                })
            })
        })
        .collect();
    let defined: BTreeSet<&str> = code
        .accessor_definitions
        .iter()
        .map(String::as_str)
        .collect();
    let mut undefined: BTreeMap<&str, Vec<Place>> = BTreeMap::new();
    for call in &code.accessor_calls {
        if !defined.contains(call.name.as_str()) {
            undefined
                .entry(call.name.as_str())
                .or_default()
                .push(Place {
                    file: call.file.clone(),
                    line: call.line,
                });
        }
    }
    Findings {
        missing_in_database,
        unused_in_code,
        near_misses,
        accessors_missing: undefined
            .into_iter()
            .map(|(name, places)| Missing {
                name: name.to_string(),
                places,
            })
            .collect(),
    }
}
