//! The detector catalogue: built-in `detectors.toml` merged with a repository's `.leakguard.toml`.
//!
//! Parsing (`schema`) is kept apart from the checked, merged `Catalogue` the engine consumes.
//! Every structural rule (unique ids, known providers, keywords present, sane entropy bounds) is
//! enforced here with the file, line and column of the offending table, so a broken config is
//! a one-line error rather than a detector that silently never fires.

pub mod schema;
pub mod secret_run;
pub mod shape;
pub mod validate;

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::Arc;

use schema::{AllowSyntax, DetectorSyntax, FileSyntax, PatternSyntax, ProviderRef, ProviderSyntax};
pub use schema::{Checksum, Form, MatcherKind, Severity};
use secret_run::SecretRun;
pub use shape::Shape;

use crate::error::{Error, Result};
use crate::escape::{quote, tame};

/// The built-in catalogue, embedded at build time: the TOML source (with examples, for `check`
/// and the tests) and the static data `build.rs` compiles from it (for everything else).
pub const BUILTIN: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/detectors.toml"));
pub const BUILTIN_LABEL: &str = "detectors.toml";

mod builtin {
    // The generated data names these only when a built-in uses them.
    #[allow(unused_imports)]
    use super::Text;
    #[allow(unused_imports)]
    use super::schema::{
        Checksum, Form, MatcherKind, Severity, StaticDetector, StaticPart, StaticProvider,
    };
    #[allow(unused_imports)]
    use super::secret_run::SecretRun;
    #[allow(unused_imports)]
    use super::shape::Class;
    include!(concat!(env!("OUT_DIR"), "/builtin_detectors.rs"));
}

/// Catalogue text: borrowed from the binary for the built-ins (nothing to allocate at start-up),
/// owned for what a repository config adds.
pub type Text = std::borrow::Cow<'static, str>;

/// A list of catalogue text: the built-ins' borrowed whole from the binary.
pub type TextList = std::borrow::Cow<'static, [Text]>;

/// A position in a configuration file, printed as `file:line:column`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
}

impl Location {
    fn at(file: &Arc<str>, text: &str, offset: usize) -> Self {
        let before = &text.as_bytes()[..offset.min(text.len())];
        let line = memchr::memchr_iter(b'\n', before).count() + 1;
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Location {
            file: file.clone(),
            line,
            column,
        }
    }

    /// A configuration error here. The message is `escape::tame`d: whatever of the file it
    /// quotes (toml's own messages quote values) comes out escaped and bounded, one line.
    fn error(&self, message: impl Into<String>) -> Error {
        Error::Config {
            location: self.to_string(),
            message: tame(&message.into()),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[derive(Clone, Debug)]
pub struct Provider {
    pub key: Text,
    pub name: Text,
    pub category: Option<Text>,
    pub revoke_url: Option<Text>,
    pub steps: TextList,
    pub cli: TextList,
    pub docs: Option<Text>,
    /// Where a repository config defined it; `None` for the built-ins.
    pub defined_at: Option<Location>,
}

#[derive(Clone, Debug)]
pub struct Detector {
    pub id: Text,
    /// Key into `Catalogue::providers`.
    pub provider: Text,
    pub name: Text,
    pub gitlab_id: Option<Text>,
    pub severity: Severity,
    pub keywords: TextList,
    pub pattern: Pattern,
    /// For a regex detector, what its secret is made of (`secret_run`): the engine skips a
    /// window without such a run before it compiles the regex. `None`: not known.
    pub secret_run: Option<SecretRun>,
    pub min_entropy: Option<f64>,
    pub checksum: Option<Checksum>,
    pub multiline: bool,
    pub looks_random: bool,
    pub public_values: TextList,
    /// Detectors known to find this one's examples too (see `schema::DetectorSyntax`).
    pub more_general: Vec<String>,
    pub description: Option<Text>,
    pub examples: Vec<String>,
    pub negative_examples: Vec<String>,
    pub defined_at: Location,
}

/// What a detector matches with: a regex with a `secret` group, a named value shape, or a
/// built-in matcher.
#[derive(Clone, Debug)]
pub enum Pattern {
    Regex(Text),
    Shape(Shape),
    Matcher(Matcher),
}

/// A built-in matcher that finds a detector's credentials, and the forms of it the detector
/// reports (see `engine::generic`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matcher {
    pub kind: MatcherKind,
    pub forms: std::borrow::Cow<'static, [Form]>,
}

impl Detector {
    /// The regex, for a regex detector.
    pub fn regex(&self) -> Option<&str> {
        match &self.pattern {
            Pattern::Regex(r) => Some(r),
            Pattern::Shape(_) | Pattern::Matcher(_) => None,
        }
    }

    /// The built-in matcher, for a generic detector.
    pub fn matcher(&self) -> Option<&Matcher> {
        match &self.pattern {
            Pattern::Matcher(m) => Some(m),
            _ => None,
        }
    }

    /// Whether the detector is the built-in catalogue's (not defined or redefined by a
    /// repository).
    pub fn is_builtin(&self) -> bool {
        &*self.defined_at.file == BUILTIN_LABEL
    }

    /// A generic detector: it finds credentials by their name, not their format, so a
    /// provider's detector wins where both match.
    pub fn is_generic(&self) -> bool {
        self.id.starts_with("generic-") || self.matcher().is_some()
    }
}

/// A built-in detector (or provider) that a repository config turned off or replaced, kept so
/// `leakguard detectors` can show what a repository weakened.
#[derive(Clone, Debug)]
pub struct Disabled {
    pub id: String,
    pub by: Location,
}

/// A built-in detector or provider replaced by a repository's own definition of the same id.
pub type Overridden = Disabled;

#[derive(Clone, Debug)]
pub struct PathGlob {
    pub glob: String,
    pub defined_at: Location,
}

/// `[[allow]]` in `.leakguard.toml`: findings under `paths` are suppressed, only those of
/// `detectors` when that list is not empty.
#[derive(Clone, Debug)]
pub struct AllowRule {
    pub paths: Vec<PathGlob>,
    /// Detector ids with where each is named; empty means every detector.
    pub detectors: Vec<(String, Location)>,
    pub reason: Option<String>,
    pub defined_at: Location,
}

#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    pub providers: BTreeMap<Text, Provider>,
    pub detectors: Vec<Detector>,
    pub disabled: Vec<Disabled>,
    /// Built-in detector ids replaced by a repository's own definition.
    pub overridden: Vec<Overridden>,
    /// Built-in provider keys replaced by a repository's own definition (rotation steps).
    pub overridden_providers: Vec<Overridden>,
    pub skip_paths: Vec<PathGlob>,
    pub allow: Vec<AllowRule>,
    pub placeholders: Vec<String>,
    /// `verify` from the repository's `[settings]`, with where it was set.
    pub verify: Option<(bool, Location)>,
}

/// The built-in catalogue's keyword lexicon, worked out by `build.rs`
/// (`engine::lexicon_parts::Parts`, borrowed from the binary).
pub struct BuiltinLexicon {
    pub keywords: &'static [Text],
    pub owners: &'static [u32],
    pub owner_ends: &'static [u32],
    pub grams: &'static [u32],
    pub gram_ends: &'static [u32],
}

impl Catalogue {
    /// The built-ins' lexicon, when it is this catalogue's: its detectors have the built-ins'
    /// keyword lists, detector by detector (a repository that adds, removes or redefines a
    /// detector changes them, and the engine computes its own).
    pub fn builtin_lexicon(&self) -> Option<BuiltinLexicon> {
        let same = self.detectors.len() == builtin::DETECTORS.len()
            && self.detectors.iter().zip(builtin::DETECTORS).all(|(d, b)| {
                d.keywords
                    .iter()
                    .map(|k| &**k)
                    .eq(b.keywords.iter().map(|k| &**k))
            });
        same.then_some(BuiltinLexicon {
            keywords: builtin::LEXICON_KEYWORDS,
            owners: builtin::LEXICON_OWNERS,
            owner_ends: builtin::LEXICON_OWNER_ENDS,
            grams: builtin::LEXICON_GRAMS,
            gram_ends: builtin::LEXICON_GRAM_ENDS,
        })
    }

    /// The embedded catalogue without its examples (compiled at build time: nothing to parse).
    pub fn builtin() -> Result<Self> {
        let file: Arc<str> = Arc::from(BUILTIN_LABEL);
        let providers = builtin::PROVIDERS
            .iter()
            .map(|p| {
                let provider = Provider {
                    key: Text::Borrowed(p.key),
                    name: Text::Borrowed(p.name),
                    category: p.category.map(Text::Borrowed),
                    revoke_url: p.revoke_url.map(Text::Borrowed),
                    steps: TextList::Borrowed(p.steps),
                    cli: TextList::Borrowed(p.cli),
                    docs: p.docs.map(Text::Borrowed),
                    defined_at: None,
                };
                (provider.key.clone(), provider)
            })
            .collect();
        let detectors = builtin::DETECTORS
            .iter()
            .map(|d| Detector {
                id: Text::Borrowed(d.id),
                provider: Text::Borrowed(d.provider),
                name: Text::Borrowed(d.name),
                gitlab_id: d.gitlab_id.map(Text::Borrowed),
                severity: d.severity,
                keywords: TextList::Borrowed(d.keywords),
                pattern: match (d.shape, d.matcher) {
                    (_, Some((kind, forms))) => Pattern::Matcher(Matcher {
                        kind,
                        forms: std::borrow::Cow::Borrowed(forms),
                    }),
                    (None, None) => Pattern::Regex(Text::Borrowed(d.regex)),
                    (Some(parts), None) => Pattern::Shape(Shape {
                        parts: parts
                            .iter()
                            .map(|p| shape::Part {
                                literal: p.literal.to_string(),
                                class: p.class,
                                min: p.min,
                                max: p.max,
                            })
                            .collect(),
                    }),
                },
                secret_run: d.secret_run,
                min_entropy: d.min_entropy,
                checksum: d.checksum,
                multiline: d.multiline,
                looks_random: d.looks_random,
                public_values: TextList::Borrowed(d.public_values),
                more_general: Vec::new(),
                description: d.description.map(Text::Borrowed),
                examples: Vec::new(),
                negative_examples: Vec::new(),
                defined_at: Location {
                    file: file.clone(),
                    line: d.line,
                    column: 1,
                },
            })
            .collect();
        Ok(Catalogue {
            providers,
            detectors,
            ..Catalogue::default()
        })
    }

    /// The embedded catalogue with its examples, parsed from the TOML source.
    pub fn builtin_with_examples() -> Result<Self> {
        Self::parse(BUILTIN_LABEL, BUILTIN, false)
    }

    /// Parses one file. `is_repository_config` allows `[settings]` and `[[allow]]` (only
    /// `.leakguard.toml` may disable or skip anything).
    pub fn parse(label: &str, text: &str, is_repository_config: bool) -> Result<Self> {
        let file: Arc<str> = Arc::from(label);
        let syntax: FileSyntax = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            let message = e.message().trim().to_string();
            let hint = syntax_hint(&message);
            let error = Location::at(&file, text, offset).error(message);
            match hint {
                Some(hint) => error.with_hint(hint),
                None => error,
            }
        })?;

        let mut catalogue = Catalogue::default();
        if is_repository_config
            && let Some((id, check)) = syntax.verify.iter().chain(&syntax.revoke).next()
        {
            return Err(Location::at(&file, text, check.span().start).error(format!(
                "`{id}`: liveness checks and revocations come only with leakguard's built-in \
                 catalogue (a repository's configuration could send your secrets anywhere)"
            )));
        }
        if let Some(settings) = syntax.settings {
            let at = Location::at(&file, text, settings.span().start);
            if !is_repository_config {
                return Err(
                    at.error("[settings] is only allowed in a repository's .leakguard.toml")
                );
            }
            let settings = settings.into_inner();
            for id in settings.disable {
                catalogue.disabled.push(Disabled {
                    by: Location::at(&file, text, id.span().start),
                    id: id.into_inner(),
                });
            }
            for glob in settings.skip_paths {
                catalogue.skip_paths.push(PathGlob {
                    defined_at: Location::at(&file, text, glob.span().start),
                    glob: glob.into_inner(),
                });
            }
            catalogue.placeholders = settings.placeholders;
            catalogue.verify = settings.verify.map(|v| (v, at.clone()));
        }
        for rule in syntax.allow {
            let at = Location::at(&file, text, rule.span().start);
            if !is_repository_config {
                return Err(at.error("[[allow]] is only allowed in a repository's .leakguard.toml"));
            }
            catalogue
                .allow
                .push(allow_from(rule.into_inner(), at, &file, text)?);
        }
        let syntax_providers: HashSet<String> = syntax.provider.keys().cloned().collect();
        for (key, p) in syntax.provider {
            let at = Location::at(&file, text, p.span().start);
            catalogue
                .providers
                .insert(key.clone().into(), provider_from(key, p.into_inner(), at));
        }
        let mut seen = HashSet::new();
        for d in syntax.detector {
            let at = Location::at(&file, text, d.span().start);
            let d = d.into_inner();
            if !seen.insert(d.id.clone()) {
                return Err(at.error(format!("detector id {} is defined twice", quote(&d.id))));
            }
            let mut resolved = d
                .resolve()
                .map_err(|m| at.error(format!("detector {}: {m}", quote(&d.id))))?;
            if resolved.keywords.is_empty()
                && let PatternSyntax::Regex(regex) = &resolved.pattern
            {
                resolved.keywords = regex_keywords(regex);
            }
            let provider: Text = match &d.provider {
                Some(ProviderRef::Key(key)) => key.clone().into(),
                Some(ProviderRef::Inline(p)) => {
                    // Its own provider, keyed by the detector's id (unique in this file).
                    if syntax_providers.contains(&d.id) {
                        return Err(at.error(format!(
                            "detector {}: its inline provider has the key of [provider.{}]; \
                             name that one (provider = \"{}\") or rename the detector",
                            quote(&d.id),
                            tame(&d.id),
                            tame(&d.id)
                        )));
                    }
                    catalogue.providers.insert(
                        d.id.clone().into(),
                        provider_from(d.id.clone(), (**p).clone(), at.clone()),
                    );
                    d.id.clone().into()
                }
                None if is_repository_config => Text::Borrowed(DEFAULT_PROVIDER),
                None => {
                    return Err(at
                        .error(format!(
                            "detector {}: missing field `provider`",
                            quote(&d.id)
                        ))
                        .with_hint(PROVIDER_HINT));
                }
            };
            catalogue
                .detectors
                .push(detector_from(d, provider, resolved, at));
        }
        Ok(catalogue)
    }

    /// Applies a repository config on top of this (built-in) catalogue: new providers and
    /// detectors are added, a detector with a built-in id replaces it, disabled ids are removed.
    /// An id that is disabled but does not exist is an error, never a silent no-op.
    pub fn merge(&mut self, local: Catalogue) -> Result<()> {
        for (key, p) in local.providers {
            if self.providers.contains_key(&key)
                && let Some(at) = &p.defined_at
            {
                self.overridden_providers.push(Overridden {
                    id: key.to_string(),
                    by: at.clone(),
                });
            }
            self.providers.insert(key, p);
        }
        for d in local.detectors {
            match self.detectors.iter_mut().find(|b| b.id == d.id) {
                Some(builtin) => {
                    self.overridden.push(Overridden {
                        id: d.id.to_string(),
                        by: d.defined_at.clone(),
                    });
                    *builtin = d;
                }
                None => self.detectors.push(d),
            }
        }
        for (i, off) in local.disabled.iter().enumerate() {
            if let Some(first) = local.disabled[..i].iter().find(|o| o.id == off.id) {
                return Err(off.by.error(format!(
                    "{} is already disabled at {}",
                    quote(&off.id),
                    first.by
                )));
            }
            let before = self.detectors.len();
            self.detectors.retain(|d| d.id != off.id);
            if self.detectors.len() == before {
                let error = off.by.error(format!(
                    "cannot disable {}: no detector has that id (see `leakguard detectors`)",
                    quote(&off.id)
                ));
                return Err(match self.closest_id(&off.id) {
                    Some(id) => error.with_hint(format!("did you mean {}?", quote(id))),
                    None => error,
                });
            }
        }
        self.disabled.extend(local.disabled);
        for rule in &local.allow {
            for (id, at) in &rule.detectors {
                let known = self.detectors.iter().any(|d| &d.id == id)
                    || self.disabled.iter().any(|d| &d.id == id);
                if !known {
                    let error = at.error(format!(
                        "[[allow]] names {}: no detector has that id (see `leakguard detectors`)",
                        quote(id)
                    ));
                    return Err(match self.closest_id(id) {
                        Some(id) => error.with_hint(format!("did you mean {}?", quote(id))),
                        None => error,
                    });
                }
            }
        }
        self.allow.extend(local.allow);
        self.skip_paths.extend(local.skip_paths);
        self.placeholders.extend(local.placeholders);
        if local.verify.is_some() {
            self.verify = local.verify;
        }
        Ok(())
    }

    /// Structural rules every detector must meet. Regexes and examples are checked through the
    /// engine (`setup::check`), which is the only place that compiles them.
    pub fn validate(&self) -> Result<()> {
        // Each form of a matcher is one detector's, so that an id keeps one meaning.
        let mut claimed: Vec<(MatcherKind, Form, &Detector)> = Vec::new();
        for d in &self.detectors {
            let Some(m) = d.matcher() else { continue };
            for &form in m.forms.iter() {
                if let Some(&(_, _, other)) =
                    claimed.iter().find(|(k, f, _)| *k == m.kind && *f == form)
                {
                    // Said at the repository's detector when the other one is built in: that
                    // is the definition the user can change (a built-in's line in the embedded
                    // detectors.toml is not).
                    let (this, that) = if d.is_builtin() && !other.is_builtin() {
                        (other, d)
                    } else {
                        (d, other)
                    };
                    return Err(this.defined_at.error(format!(
                        "detector {}: form `{}` is already reported by {}",
                        quote(&this.id),
                        form.as_str(),
                        quote(&that.id)
                    )));
                }
                claimed.push((m.kind, form, d));
            }
        }
        for (key, p) in &self.providers {
            if p.steps.is_empty() {
                let message = format!("provider {} has no rotation `steps`", quote(key));
                return Err(match &p.defined_at {
                    Some(at) => at.error(message),
                    None => Error::Config {
                        location: BUILTIN_LABEL.into(),
                        message,
                    },
                });
            }
        }
        for d in &self.detectors {
            let fail = |m: String| {
                Err(d
                    .defined_at
                    .error(format!("detector {}: {m}", quote(&d.id))))
            };
            if d.id.is_empty()
                || !d
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return fail("ids are kebab-case: lowercase letters, digits and `-`".into());
            }
            if !self.providers.contains_key(&d.provider) {
                return fail(format!("unknown provider {}", quote(&d.provider)));
            }
            if d.keywords.is_empty() || d.keywords.iter().any(|k| k.trim().len() < 3) {
                return fail(
                    "needs at least one keyword, each of 3 or more characters (the prefilter \
                     only verifies lines that contain one); none could be taken from the regex, \
                     which does not start with a literal of 3 or more characters"
                        .into(),
                );
            }
            if !matches!(d.pattern, Pattern::Regex(_)) && d.multiline {
                return fail("a shaped value is on one line: `multiline` goes with `regex`".into());
            }
            if let Some(e) = d.min_entropy
                && !(0.0..=8.0).contains(&e)
            {
                return fail(format!("min_entropy {e} is outside 0..=8 bits per byte"));
            }
            if let Some(g) = &d.gitlab_id {
                let ok = g
                    .strip_prefix("798.")
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
                if !ok {
                    return fail(format!("gitlab_id {} is not of the form 798.N", quote(g)));
                }
            }
        }
        Ok(())
    }

    pub fn provider_of(&self, detector: &Detector) -> Option<&Provider> {
        self.providers.get(detector.provider.as_ref())
    }

    /// The id in use (or disabled) closest to a misspelt `id`, if one is close.
    pub fn closest_id(&self, id: &str) -> Option<&str> {
        let ids = self
            .detectors
            .iter()
            .map(|d| d.id.as_ref())
            .chain(self.disabled.iter().map(|d| d.id.as_str()));
        closest(id, ids)
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo of it:
/// at most 1 edit for short words, up to a third of the word's length for long ones.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, c)| d <= limit && c != word)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, in characters (transposing two neighbours counts as one edit).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Rows i-2, i-1 and i of the table.
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (previous[j] + 1)
                .min(row[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut previous, row);
    }
    previous[b.len()]
}

const CATALOGUE_DOCS: &str =
    "docs/catalogue.md in leakguard's source describes every field and its default";

/// Advice for toml's and serde's messages about a file's structure: the field or value meant by
/// an unknown one (`unknown field `provder`, expected one of `id`, `provider`, …`), or what a
/// missing field is for.
fn syntax_hint(message: &str) -> Option<String> {
    let quoted = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    for kind in ["unknown field", "unknown variant"] {
        if let Some(rest) = message.strip_prefix(kind) {
            let words = quoted(rest);
            let (word, expected) = words.split_first()?;
            return match closest(word, expected.iter().map(String::as_str)) {
                Some(meant) => Some(format!("did you mean `{meant}`?")),
                None if kind == "unknown field" => Some(CATALOGUE_DOCS.to_string()),
                None => None,
            };
        }
    }
    let missing = message.strip_prefix("missing field ")?;
    let field = quoted(missing).into_iter().next()?;
    Some(match field.as_str() {
        "id" => {
            "every [[detector]] needs an `id`: kebab-case, unique, as reports and pragmas name it"
                .to_string()
        }
        "provider" => PROVIDER_HINT.to_string(),
        "steps" => {
            "a provider needs `steps`: what to do, in order, when its credential leaks".to_string()
        }
        "name" => "a provider needs the `name` people know it by".to_string(),
        _ => CATALOGUE_DOCS.to_string(),
    })
}

fn owned(v: Vec<String>) -> Vec<Text> {
    v.into_iter().map(Text::Owned).collect()
}

fn provider_from(key: String, p: ProviderSyntax, defined_at: Location) -> Provider {
    Provider {
        key: key.into(),
        name: p.name.into(),
        category: p.category.map(Text::Owned),
        revoke_url: p.revoke_url.map(Text::Owned),
        steps: owned(p.steps).into(),
        cli: owned(p.cli).into(),
        docs: p.docs.map(Text::Owned),
        defined_at: Some(defined_at),
    }
}

fn allow_from(rule: AllowSyntax, at: Location, file: &Arc<str>, text: &str) -> Result<AllowRule> {
    if rule.paths.is_empty() {
        return Err(at.error("[[allow]] needs at least one glob in `paths`"));
    }
    Ok(AllowRule {
        paths: rule
            .paths
            .into_iter()
            .map(|g| PathGlob {
                defined_at: Location::at(file, text, g.span().start),
                glob: g.into_inner(),
            })
            .collect(),
        detectors: rule
            .detectors
            .into_iter()
            .map(|d| {
                (
                    d.get_ref().clone(),
                    Location::at(file, text, d.span().start),
                )
            })
            .collect(),
        reason: rule.reason,
        defined_at: at,
    })
}

/// The provider of a repository's detector that names none: the built-in one whose steps say to
/// find the service from the code around the value.
const DEFAULT_PROVIDER: &str = "generic";

const PROVIDER_HINT: &str = "every [[detector]] of a catalogue names its `provider`: a \
     [provider.KEY] table's KEY, or inline: provider = { name = \"…\", steps = [\"…\"] }";

/// Keywords for a regex detector that names none: the literals every match starts with, when
/// each is 3 or more characters (`acme_[a-z0-9]{32}` → `acme_`); none otherwise, which
/// `validate` then reports.
fn regex_keywords(regex: &str) -> Vec<String> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    // As the engine compiles it: ASCII mode on bytes, so `(?i)k` is not also the Kelvin sign.
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(regex)
    else {
        return Vec::new();
    };
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix);
    let seq = extractor.extract(&hir);
    let Some(literals) = seq.literals() else {
        return Vec::new();
    };
    // The prefilter matches keywords ASCII case-insensitively: `(?i)` variants collapse.
    let mut keywords: Vec<String> = Vec::new();
    for lit in literals {
        match std::str::from_utf8(lit.as_bytes()) {
            Ok(s) if s.trim().len() >= 3 => keywords.push(s.to_ascii_lowercase()),
            _ => return Vec::new(),
        }
    }
    keywords.sort();
    keywords.dedup();
    if keywords.is_empty() || keywords.len() > 16 {
        return Vec::new();
    }
    keywords
}

fn detector_from(
    d: DetectorSyntax,
    provider: Text,
    r: schema::Resolved,
    defined_at: Location,
) -> Detector {
    let secret_run = match &r.pattern {
        PatternSyntax::Regex(regex) => {
            let keywords: Vec<&str> = r.keywords.iter().map(String::as_str).collect();
            SecretRun::of_regex(regex, &keywords)
        }
        PatternSyntax::Shape(_) | PatternSyntax::Matcher(_) => None,
    };
    Detector {
        id: d.id.into(),
        provider,
        name: r.name.into(),
        gitlab_id: d.gitlab_id.map(Text::Owned),
        severity: d.severity,
        keywords: owned(r.keywords).into(),
        pattern: match r.pattern {
            PatternSyntax::Regex(regex) => Pattern::Regex(regex.into()),
            PatternSyntax::Shape(shape) => Pattern::Shape(shape),
            PatternSyntax::Matcher(m) => Pattern::Matcher(Matcher {
                kind: m.kind,
                forms: std::borrow::Cow::Owned(m.forms),
            }),
        },
        secret_run,
        min_entropy: r.min_entropy,
        checksum: d.checksum,
        multiline: d.multiline,
        looks_random: r.looks_random,
        public_values: owned(d.public_values).into(),
        more_general: d.more_general,
        description: d.description.map(Text::Owned),
        examples: d.examples,
        negative_examples: d.negative_examples,
        defined_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
[provider.acme]
name = "Acme"
steps = ["Regenerate the key on the Acme console"]

[[detector]]
id = "acme-key"
provider = "acme"
name = "Acme key"
severity = "high"
keywords = ["acme_"]
regex = 'acme_[a-z0-9]{20}'
"#;

    #[test]
    fn parse_errors_name_file_line_and_column() {
        let bad = SMALL.replace("provider = \"acme\"", "provder = \"acme\"");
        let err = Catalogue::parse("x.toml", &bad, true)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("x.toml:8:1: unknown field `provder`"),
            "{err}"
        );
    }

    #[test]
    fn settings_are_rejected_outside_repository_config() {
        let text = format!("[settings]\ndisable = []\n{SMALL}");
        let err = Catalogue::parse("d.toml", &text, false)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("d.toml:1:1: [settings]"), "{err}");
    }

    /// A repository detector that claims a form a built-in matcher detector already reports is
    /// an error at the repository's line, the one the user can change — whichever of the two
    /// comes first in the catalogue (here the repository redefines an earlier built-in id).
    #[test]
    fn a_form_claimed_twice_is_reported_at_the_repository_detector() {
        let mut base = Catalogue::builtin().unwrap();
        let first = base.detectors[0].id.to_string();
        let local = Catalogue::parse(
            ".leakguard.toml",
            &format!(
                "[[detector]]\nid = \"{first}\"\nmatcher = {{ kind = \"credential-binding\", forms = [\"cli-flag\"] }}\nexamples = [\"x\"]\n"
            ),
            true,
        )
        .unwrap();
        base.merge(local).unwrap();
        let err = base.validate().unwrap_err().to_string();
        assert!(
            err.starts_with(&format!(
                ".leakguard.toml:1:1: detector `{first}`: form `cli-flag` is already reported by `generic-secret-cli-flag`"
            )),
            "{err}"
        );
    }

    /// A matcher detector that names keywords of its own keeps them and gets the matcher's:
    /// a configuration written before the matcher learned a word (`psexec`) still loads.
    #[test]
    fn a_matcher_detector_with_its_own_keywords_gets_the_matchers_too() {
        let text = "[[detector]]\nid = \"acme-binding\"\nkeywords = [\"acme\", \"SECRET\"]\n\
                    matcher = { kind = \"credential-binding\", forms = [\"quoted\"] }\n\
                    examples = [\"x\"]\n";
        let catalogue = Catalogue::parse(".leakguard.toml", text, true).unwrap();
        let keywords: Vec<String> = catalogue.detectors[0]
            .keywords
            .iter()
            .map(|k| k.to_ascii_lowercase())
            .collect();
        for k in ["acme", "secret", "token", "psexec", "net use"] {
            assert_eq!(
                keywords.iter().filter(|w| *w == k).count(),
                1,
                "{k}: {keywords:?}"
            );
        }
    }

    #[test]
    fn disabling_an_unknown_id_is_an_error() {
        let mut base = Catalogue::parse("b.toml", SMALL, false).unwrap();
        let local = Catalogue::parse(
            ".leakguard.toml",
            "[settings]\ndisable = [\"nope\"]\n",
            true,
        )
        .unwrap();
        let err = base.merge(local).unwrap_err().to_string();
        assert!(
            err.starts_with(".leakguard.toml:2:12: cannot disable `nope`"),
            "{err}"
        );
    }

    #[test]
    fn typos_get_the_closest_name() {
        let fields = ["id", "provider", "name", "severity", "keywords", "regex"];
        assert_eq!(closest("provder", fields), Some("provider"));
        assert_eq!(closest("sevrity", fields), Some("severity"));
        assert_eq!(closest("nmae", fields), Some("name"));
        assert_eq!(closest("colour", fields), None);
        assert_eq!(closest("id", fields), None, "not itself");
        assert_eq!(
            syntax_hint("unknown field `regx`, expected one of `regex`, `shape`").as_deref(),
            Some("did you mean `regex`?")
        );
        assert_eq!(
            syntax_hint("unknown variant `hgh`, expected one of `low`, `high`").as_deref(),
            Some("did you mean `high`?")
        );
        assert!(syntax_hint("missing field `provider`").is_some_and(|h| h.contains("inline")));
        assert_eq!(
            syntax_hint("invalid type: integer `3`, expected a string"),
            None
        );
    }

    #[test]
    fn the_builtin_catalogue_is_valid() {
        // The hook skips this check for the built-ins alone, on every run.
        Catalogue::builtin().unwrap().validate().unwrap();
    }

    #[test]
    fn duplicate_ids_and_unknown_providers_are_rejected() {
        let twice = format!("{SMALL}\n{}", &SMALL[SMALL.find("[[detector]]").unwrap()..]);
        let err = Catalogue::parse("t.toml", &twice, false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("defined twice"), "{err}");
        let unknown = SMALL.replace("provider = \"acme\"", "provider = \"nobody\"");
        let err = Catalogue::parse("u.toml", &unknown, false)
            .unwrap()
            .validate()
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("u.toml:6:1: detector `acme-key`: unknown provider"),
            "{err}"
        );
    }
}
