//! The one part of `wording` learned from data rather than written: a naive
//! Bayes guess of the class, trained on the training corpus of real error texts
//! (`tests/fixtures/explain_corpus.toml`) and on the drivers' mined messages
//! (`data/driver_messages.tsv`). It speaks only when nothing else does
//! (no rule, no driver message, no number) and the text is plainly about
//! MongoDB; its answer is a guess, so the text stays undecidable and the
//! candidates are its classes in order. Because it is learned, its
//! contribution can be cross-validated honestly (tests/explain_corpus.rs
//! trains it on k-1 folds and scores the fold left out).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::reading::{Reading, Tier, compile};
use super::tables::{self, TEMPLATES, Template, Templates};
use crate::model::class::Class;
use crate::model::finding::Finding;

/// The training corpus, embedded: one source of truth for the tests that
/// measure `explain` and for the model.
const CORPUS: &str = include_str!("../../tests/fixtures/explain_corpus.toml");

/// The classes the model chooses among, each with the finding it stands for.
/// `Unknown` is the corpus's texts that are not connection problems at all
/// (application and data errors): when it ranks first, the model keeps quiet
/// (its finding is never shown).
const CLASSES: [(Class, Finding); 10] = [
    (Class::ConfigInvalid, Finding::UriMalformed),
    (Class::Dns, Finding::DnsNoSuchName),
    (Class::TcpRefused, Finding::TcpRefused),
    (Class::NetworkTimeout, Finding::NetworkTimeout),
    (Class::IpAccessList, Finding::IpAccessListSuspected),
    (Class::Tls, Finding::TlsHandshakeFailed),
    (Class::Server, Finding::DriverFailed),
    (Class::AuthFailed, Finding::AuthFailed),
    (Class::Authorization, Finding::Unauthorized),
    (Class::Unknown, Finding::DriverFailed),
];

/// A text the model may guess for: one about MongoDB or its drivers, or about
/// connecting at all (a driver's message need not name MongoDB). Anything else
/// stays `unknown`, and so does an application's or data error (`explain`
/// says which).
static ABOUT_MONGODB: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"mongo|\b27017\b|mongoose|mongoid|moped|\bmgo\b|atlas|replica ?set|connection string|\bsrv\b|\buri\b|server selection|topology|\bprimary\b|\bsecondary\b|\bhandshake\b|\b(?:tls|ssl)\b|certificate|\bsocket\b|\bdns\b|hostname|authenticat|\bconnect(?:ion|ing|ed)?\b",
    )
});

/// How sure the model must be to guess for a text that names nothing of
/// MongoDB.
const SURE: f64 = 0.9;

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z][A-Za-z0-9_]{2,}|\b\d{2,5}\b").expect("valid regex"));

/// The distinct lower-case words (and short numbers) of a text.
fn tokens(text: &str) -> HashSet<String> {
    WORD.find_iter(text)
        .map(|m| m.as_str().to_ascii_lowercase())
        .collect()
}

/// A multinomial naive Bayes model over the distinct words of a text, with
/// Laplace smoothing.
#[derive(Debug, Clone)]
pub struct Model {
    prior: Vec<f64>,
    likely: Vec<HashMap<String, f64>>,
    unseen: Vec<f64>,
    examples: usize,
}

impl Model {
    /// Trains on `(text, class)` pairs; classes outside `CLASSES` are ignored.
    pub fn train<'a>(examples: impl IntoIterator<Item = (&'a str, Class)>) -> Model {
        let mut docs = vec![0usize; CLASSES.len()];
        let mut counts: Vec<HashMap<String, usize>> = vec![HashMap::new(); CLASSES.len()];
        let mut vocabulary: HashSet<String> = HashSet::new();
        let mut examples_seen = 0;
        for (text, class) in examples {
            let Some(i) = CLASSES.iter().position(|(c, _)| *c == class) else {
                continue;
            };
            examples_seen += 1;
            docs[i] += 1;
            for t in tokens(text) {
                *counts[i].entry(t.clone()).or_default() += 1;
                vocabulary.insert(t);
            }
        }
        #[allow(clippy::cast_precision_loss)]
        let v = vocabulary.len() as f64;
        #[allow(clippy::cast_precision_loss)]
        let total_docs = examples_seen.max(1) as f64;
        let mut prior = Vec::new();
        let mut likely = Vec::new();
        let mut unseen = Vec::new();
        for i in 0..CLASSES.len() {
            #[allow(clippy::cast_precision_loss)]
            let words: f64 = counts[i].values().sum::<usize>() as f64;
            #[allow(clippy::cast_precision_loss)]
            prior.push(((docs[i] as f64 + 1.0) / (total_docs + CLASSES.len() as f64)).ln());
            let denominator = words + v + 1.0;
            #[allow(clippy::cast_precision_loss)]
            likely.push(
                counts[i]
                    .iter()
                    .map(|(t, n)| (t.clone(), ((*n as f64 + 1.0) / denominator).ln()))
                    .collect(),
            );
            unseen.push((1.0 / denominator).ln());
        }
        Model {
            prior,
            likely,
            unseen,
            examples: examples_seen,
        }
    }

    /// The classes for `text`, likeliest first, with their posterior probability.
    pub fn rank(&self, text: &str) -> Vec<(Class, Finding, f64)> {
        let words = tokens(text);
        let scores: Vec<f64> = (0..CLASSES.len())
            .map(|i| {
                self.prior[i]
                    + words
                        .iter()
                        .map(|t| *self.likely[i].get(t).unwrap_or(&self.unseen[i]))
                        .sum::<f64>()
            })
            .collect();
        let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = scores.iter().map(|s| (s - top).exp()).collect();
        let sum: f64 = weights.iter().sum();
        let mut ranked: Vec<(Class, Finding, f64)> = CLASSES
            .iter()
            .zip(weights)
            .map(|((c, f), w)| (*c, *f, w / sum))
            .collect();
        ranked.sort_by(|a, b| b.2.total_cmp(&a.2));
        ranked
    }

    /// How many texts it learned from.
    pub fn examples(&self) -> usize {
        self.examples
    }
}

#[derive(Deserialize)]
struct Corpus {
    entry: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    class: String,
    text: String,
}

/// The training corpus's texts with their classes.
pub fn corpus_examples() -> Vec<(String, Class)> {
    let corpus: Corpus = toml::from_str(CORPUS).expect("the embedded corpus parses");
    corpus
        .entry
        .into_iter()
        .filter_map(|e| {
            let class = CLASSES
                .iter()
                .map(|(c, _)| *c)
                .find(|c| c.as_str() == e.class)?;
            Some((e.text, class))
        })
        .collect()
}

/// The mined driver messages for which `keep` holds, as examples: a driver's
/// own wording teaches the model words that real texts of that class use.
pub fn template_examples(keep: impl Fn(&Template) -> bool) -> Vec<(String, Class)> {
    TEMPLATES
        .iter()
        .filter(|t| keep(t))
        .map(|t| (t.message.replace("{}", " "), t.finding.class()))
        .collect()
}

/// The model trained on the whole training corpus and every mined message.
pub static MODEL: LazyLock<Model> = LazyLock::new(|| {
    let mut examples = corpus_examples();
    examples.extend(template_examples(|_| true));
    Model::train(examples.iter().map(|(t, c)| (t.as_str(), *c)))
});

/// The model's guess for a text nothing else read, when it is about MongoDB:
/// a reading of the lowest tier, with the next classes as alternatives.
pub fn reading(model: &Model, text: &str) -> Option<Reading> {
    let ranked = model.rank(text);
    let (class, finding, p) = *ranked.first()?;
    // Words most like those of application and data errors: no guess.
    if class == Class::Unknown {
        return None;
    }
    // A text that names nothing of MongoDB may still be a driver's message the
    // tables lack: the model speaks for it only when its words point to one
    // class clearly.
    let about = match ABOUT_MONGODB.find(text) {
        Some(m) => m.range(),
        None if p >= SURE && WORD.is_match(text) => 0..text.len().min(80),
        None => return None,
    };
    Some(Reading {
        finding,
        rule: "learned",
        tier: Tier::Learned,
        at: about,
        also_at: None,
        also: ranked
            .iter()
            .skip(1)
            .filter(|(c, _, _)| *c != Class::Unknown)
            .take(2)
            .map(|(_, f, _)| *f)
            .collect(),
        note: Some(
            "No known wording, driver message or error number is in this text: the class is a guess from the words it shares with real errors of each class.",
        ),
        fix: None,
        replaces_fixes: false,
        disputed: false,
        evidence: Some(format!(
            "learned guess: naive Bayes over {} real error texts, p={p:.2}",
            model.examples()
        )),
    })
}

/// What readings draw on that comes from data rather than from written rules:
/// the mined driver messages and the learned model. A live run and `explain`
/// use all of both; the accuracy tests build one without a fold of either, to
/// score texts on what was left out.
#[derive(Clone, Copy)]
pub struct Knowledge<'a> {
    pub templates: &'a Templates,
    /// A model trained on part of the data, or `None` for `MODEL`, which is
    /// trained (the embedded corpus parsed, every example counted) only when
    /// a text reaches it: most texts are read by a rule first.
    pub model: Option<&'a Model>,
}

impl<'a> Knowledge<'a> {
    /// The model these readings draw on.
    pub fn model(&self) -> &'a Model {
        self.model.unwrap_or_else(|| &*MODEL)
    }
}

impl Knowledge<'static> {
    /// All the mined templates and the model trained on the whole corpus.
    pub fn full() -> Knowledge<'static> {
        Knowledge {
            templates: &tables::ALL_TEMPLATES,
            model: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_learns_from_the_corpus_and_guesses_only_about_mongodb() {
        assert!(MODEL.examples() >= 250);
        let ranked = MODEL.rank("could not connect to mongodb: connection refused by the server");
        assert_eq!(ranked.len(), CLASSES.len());
        assert!((ranked.iter().map(|r| r.2).sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(reading(&MODEL, "lorem ipsum dolor sit amet").is_none());
        let r = reading(
            &MODEL,
            "mongo: something odd happened while authenticating the user",
        )
        .unwrap();
        assert_eq!(r.tier, Tier::Learned);
        assert!(r.evidence.unwrap().starts_with("learned guess"));
    }

    #[test]
    fn training_on_a_tiny_set_separates_its_classes() {
        let model = Model::train([
            ("mongo refused the connection refused", Class::TcpRefused),
            ("mongo authentication failed for user", Class::AuthFailed),
        ]);
        assert_eq!(model.rank("connection refused")[0].0, Class::TcpRefused);
        assert_eq!(
            model.rank("authentication failed user")[0].0,
            Class::AuthFailed
        );
    }
}
