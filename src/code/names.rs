//! Collection names as frameworks derive them from model names (Mongoose's
//! pluralisation, Mongoid's through ActiveSupport, MongoEngine's snake case,
//! Spring's lower-cased class name), what counts as a collection accessor, and
//! which two names are likely typos of each other.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::code::NearKind as Closeness;

/// A collection accessor: a function the application writes to hand out a
/// collection, named get…collection in any case style (`get_webhooks_collection`,
/// `getOrdersCollection`, `GetUsersCollection`): lower-cased and without `_`,
/// it starts with `get`, ends with `collection`, and has something between. The
/// drivers' own `get_collection`, `getCollection` and `GetCollection` have nothing
/// between, so they are not accessors; nor are `createCollection`,
/// `selectCollection` and kin, which are the drivers' too. A name that merely
/// ends in `Collection` (`usersCollection()`) is not taken: libraries other than
/// MongoDB's (Firestore, Laravel, Meteor) use such names, and a call of theirs
/// is defined outside the tree, which would fail the run for nothing.
pub fn is_accessor(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(|&c| c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    folded.len() > "getcollection".len()
        && folded.starts_with("get")
        && folded.ends_with("collection")
}

/// Mongoose's rules (lib/helpers/pluralize.js), first match wins, applied to
/// the lower-cased model name. JavaScript's `replace` with the global flag
/// replaces every match, as `replace_all` does.
static MONGOOSE_RULES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"(m)an$", "${1}en"),
        (r"(pe)rson$", "${1}ople"),
        (r"(child)$", "${1}ren"),
        (r"^(ox)$", "${1}en"),
        (r"(ax|test)is$", "${1}es"),
        (r"(octop|vir)us$", "${1}i"),
        (r"(alias|status)$", "${1}es"),
        (r"(bu)s$", "${1}ses"),
        (r"(buffal|tomat|potat)o$", "${1}oes"),
        (r"([ti])um$", "${1}a"),
        (r"sis$", "ses"),
        (r"(?:([^f])fe|([lr])f)$", "${1}${2}ves"),
        (r"(hive)$", "${1}s"),
        (r"([^aeiouy]|qu)y$", "${1}ies"),
        (r"(x|ch|ss|sh)$", "${1}es"),
        (r"(matr|vert|ind)ix|ex$", "${1}ices"),
        (r"([m|l])ouse$", "${1}ice"),
        (r"(kn|w|l)ife$", "${1}ives"),
        (r"(quiz)$", "${1}zes"),
        (r"^goose$", "geese"),
        (r"s$", "s"),
        (r"([^a-z])$", "${1}"),
        (r"$", "s"),
    ]
    .into_iter()
    .map(|(pattern, to)| (Regex::new(pattern).expect("valid rule"), to))
    .collect()
});

/// Words Mongoose leaves as they are.
const MONGOOSE_UNCOUNTABLE: &[&str] = &[
    "advice",
    "energy",
    "excretion",
    "digestion",
    "cooperation",
    "health",
    "justice",
    "labour",
    "machinery",
    "equipment",
    "information",
    "pollution",
    "sewage",
    "paper",
    "money",
    "species",
    "series",
    "rain",
    "rice",
    "fish",
    "sheep",
    "moose",
    "deer",
    "news",
    "expertise",
    "status",
    "media",
];

/// The collection Mongoose gives `model(name, schema)` when neither the schema's
/// `collection` option nor `model`'s third argument names one
/// (`toCollectionName`: `system.profile` and `system.indexes` stay as they are).
pub fn mongoose_collection(model: &str) -> String {
    if model == "system.profile" || model == "system.indexes" {
        return model.to_string();
    }
    let lower = model.to_lowercase();
    if MONGOOSE_UNCOUNTABLE.contains(&lower.as_str()) {
        return lower;
    }
    for (rule, to) in MONGOOSE_RULES.iter() {
        if rule.is_match(&lower) {
            return rule.replace_all(&lower, *to).into_owned();
        }
    }
    lower
}

/// ActiveSupport's plural rules (inflections.rb), the last defined first, as
/// ActiveSupport tries them; the irregulars come last in that file, so first here.
static RAILS_RULES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"(?i)(c)ow$", "${1}ine"),
        (r"(?i)(m)ove$", "${1}oves"),
        (r"(?i)(s)ex$", "${1}exes"),
        (r"(?i)(c)hild$", "${1}hildren"),
        (r"(?i)(m)an$", "${1}en"),
        (r"(?i)(p)erson$", "${1}eople"),
        (r"(?i)(quiz)$", "${1}zes"),
        (r"(?i)^(ox)$", "${1}en"),
        (r"(?i)([m|l])ouse$", "${1}ice"),
        (r"(?i)(matr|vert|ind)(?:ix|ex)$", "${1}ices"),
        (r"(?i)(x|ch|ss|sh)$", "${1}es"),
        (r"(?i)([^aeiouy]|qu)y$", "${1}ies"),
        (r"(?i)(hive)$", "${1}s"),
        (r"(?i)(?:([^f])fe|([lr])f)$", "${1}${2}ves"),
        (r"(?i)sis$", "ses"),
        (r"(?i)([ti])um$", "${1}a"),
        (r"(?i)(buffal|tomat)o$", "${1}oes"),
        (r"(?i)(bu)s$", "${1}ses"),
        (r"(?i)(alias|status)$", "${1}es"),
        (r"(?i)(octop|vir)us$", "${1}i"),
        (r"(?i)(ax|test)is$", "${1}es"),
        (r"(?i)s$", "s"),
        (r"$", "s"),
    ]
    .into_iter()
    .map(|(pattern, to)| (Regex::new(pattern).expect("valid rule"), to))
    .collect()
});

/// Words ActiveSupport leaves as they are: the whole word, or after a non-word
/// character (its `\b`), so `office_equipment` is pluralised (`_` is a word
/// character) while `shop/equipment` is not.
const RAILS_UNCOUNTABLE: &[&str] = &[
    "equipment",
    "information",
    "rice",
    "money",
    "species",
    "series",
    "fish",
    "sheep",
];

/// ActiveSupport's `pluralize` of an underscored word.
fn rails_pluralize(word: &str) -> String {
    let last = word.rsplit('/').next().unwrap_or(word);
    if RAILS_UNCOUNTABLE.contains(&last.to_lowercase().as_str()) {
        return word.to_string();
    }
    for (rule, to) in RAILS_RULES.iter() {
        if rule.is_match(word) {
            return rule.replace(word, *to).into_owned();
        }
    }
    word.to_string()
}

/// ActiveSupport's `underscore` of one constant name: `WebhookSubscription` ->
/// `webhook_subscription`, `HTTPLog` -> `http_log`.
fn rails_underscore(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out.replace('-', "_")
}

/// Mongoid's default collection: `name.collectionize`, that is ActiveSupport's
/// `tableize` with `/` turned into `__` (`Shop::Invoice` -> `shop__invoices`).
pub fn mongoid_collection(qualified: &str) -> String {
    let path: Vec<String> = qualified.split("::").map(rails_underscore).collect();
    rails_pluralize(&path.join("/")).replace('/', "__")
}

/// MongoEngine's default collection (`_get_collection_name`): an underscore
/// before each capital, trimmed, lower-cased: `LineItem` -> `line_item`.
pub fn mongoengine_collection(class: &str) -> String {
    let mut out = String::new();
    for c in class.chars() {
        if c.is_uppercase() {
            out.push('_');
        }
        out.push(c);
    }
    out.trim_matches('_').to_lowercase()
}

/// Spring Data MongoDB's default collection: the class's simple name with its
/// first letter lower-cased (`ShippingLabel` -> `shippingLabel`).
pub fn spring_collection(class: &str) -> String {
    let mut chars = class.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether `a` and `b` are likely the same collection spelt two ways.
pub fn closeness(a: &str, b: &str) -> Option<Closeness> {
    if a == b {
        return None;
    }
    if a.to_lowercase() == b.to_lowercase() {
        return Some(Closeness::Case);
    }
    let (fa, fb) = (fold(a), fold(b));
    if fa == fb {
        return Some(Closeness::Separator);
    }
    let stems_b = stems(&fb);
    stems(&fa)
        .iter()
        .any(|s| stems_b.contains(s))
        .then_some(Closeness::Plural)
}

/// Lower case without separators.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The word itself and what it is once a plural ending is taken off.
fn stems(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    if let Some(s) = word.strip_suffix("ies") {
        out.push(format!("{s}y"));
    }
    if let Some(s) = word.strip_suffix("es") {
        out.push(s.to_string());
    }
    if let Some(s) = word.strip_suffix('s') {
        out.push(s.to_string());
    }
    out.retain(|s| s.len() >= 2);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("get_webhooks_collection", true)]
    #[test_case("getOrdersCollection", true)]
    #[test_case("GetUsersCollection", true)]
    #[test_case("get_collection", false; "the driver's own python")]
    #[test_case("getCollection", false; "the driver's own java")]
    #[test_case("GetCollection", false; "the driver's own csharp")]
    #[test_case("selectCollection", false)]
    #[test_case("usersCollection", false)]
    #[test_case("get_collections", false)]
    fn accessors(name: &str, is: bool) {
        assert_eq!(is_accessor(name), is);
    }

    /// Mongoose's own examples and the cases its alternations make odd.
    #[test_case("Invoice", "invoices")]
    #[test_case("Person", "people")]
    #[test_case("Box", "boxes")]
    #[test_case("Category", "categories")]
    #[test_case("Status", "status"; "uncountable")]
    #[test_case("Index", "indexes"; "the x rule comes before the ix rule")]
    #[test_case("Matrix", "matrixes")]
    #[test_case("Knife", "knives")]
    #[test_case("Wolf", "wolves")]
    #[test_case("Mouse", "mice")]
    #[test_case("Goose", "geese")]
    #[test_case("Child", "children")]
    #[test_case("Salesman", "salesmen")]
    #[test_case("News", "news")]
    #[test_case("Users", "users")]
    #[test_case("Quiz", "quizzes")]
    #[test_case("v2", "v2"; "ends in a non-letter")]
    #[test_case("system.profile", "system.profile")]
    fn mongoose(model: &str, collection: &str) {
        assert_eq!(mongoose_collection(model), collection);
    }

    #[test_case("Invoice", "invoices")]
    #[test_case("Person", "people")]
    #[test_case("WebhookSubscription", "webhook_subscriptions")]
    #[test_case("Category", "categories")]
    #[test_case("Shop::Invoice", "shop__invoices")]
    #[test_case("HTTPLog", "http_logs")]
    #[test_case("OfficeEquipment", "office_equipments")]
    #[test_case("Equipment", "equipment")]
    #[test_case("Address", "addresses")]
    #[test_case("Salesperson", "salespeople")]
    fn mongoid(class: &str, collection: &str) {
        assert_eq!(mongoid_collection(class), collection);
    }

    #[test]
    fn mongoengine_and_spring() {
        assert_eq!(mongoengine_collection("LineItem"), "line_item");
        assert_eq!(mongoengine_collection("HTTPLog"), "h_t_t_p_log");
        assert_eq!(spring_collection("ShippingLabel"), "shippingLabel");
    }

    #[test_case("Orders", "orders", Some(Closeness::Case))]
    #[test_case(
        "webhook_subscriptions",
        "webhookSubscriptions",
        Some(Closeness::Separator)
    )]
    #[test_case("cart", "carts", Some(Closeness::Plural))]
    #[test_case("category", "categories", Some(Closeness::Plural))]
    #[test_case("box", "boxes", Some(Closeness::Plural))]
    #[test_case(
        "WebhookSubscription",
        "webhook_subscriptions",
        Some(Closeness::Plural)
    )]
    #[test_case("users", "orders", None)]
    #[test_case("s", "ss", None)]
    fn near(a: &str, b: &str, expected: Option<Closeness>) {
        assert_eq!(closeness(a, b), expected);
        assert_eq!(closeness(b, a), expected);
    }
}
