//! Why a file could not be used: every problem as `file:line:column: path:
//! what was expected`.

use std::fmt;

use super::locate;

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A JSON path such as `clusters[2].nodes[0].powerState`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath(pub Vec<Seg>);

impl JsonPath {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    pub fn key(&self, key: &str) -> Self {
        let mut next = self.clone();
        next.0.push(Seg::Key(key.to_string()));
        next
    }

    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(Seg::Index(index));
        next
    }

    /// Parses the dotted form used in code (`clusters.0.name` or `a.b`): only for
    /// paths written by akspol itself, never for input.
    pub fn parse_dotted(text: &str) -> Self {
        Self(
            text.split('.')
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse()
                        .map(Seg::Index)
                        .unwrap_or_else(|_| Seg::Key(s.to_string()))
                })
                .collect(),
        )
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Index(n) => write!(f, "[{n}]")?,
                Seg::Key(k) if is_plain_key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(&crate::base::sanitize::clean(k))?;
                }
                Seg::Key(k) => write!(
                    f,
                    "[{}]",
                    serde_json::Value::String(crate::base::sanitize::clean(k).into_owned())
                )?,
            }
        }
        Ok(())
    }
}

fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A problem found in a file, before it is given a line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: JsonPath,
    pub message: String,
}

impl Problem {
    /// `path` in dotted form, e.g. `"deployment.version"`.
    pub fn new(path: &str, message: String) -> Self {
        Self {
            path: JsonPath::parse_dotted(path),
            message,
        }
    }

    pub fn at(path: JsonPath, message: impl Into<String>) -> Self {
        Self {
            path,
            message: message.into(),
        }
    }
}

/// A problem with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedProblem {
    pub line: usize,
    pub column: usize,
    pub path: JsonPath,
    pub message: String,
}

/// Why a file could not be used. Each variant renders as lines that start with
/// the file name, so several files' problems can be told apart.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{}: cannot read: {source}", crate::base::sanitize::clean(origin))]
    Read {
        origin: String,
        source: std::io::Error,
    },
    #[error(
        "{}: {}",
        crate::base::sanitize::clean(origin),
        crate::base::sanitize::clean(message)
    )]
    File { origin: String, message: String },
    #[error("{}", render_problems(origin, problems, *omitted))]
    Invalid {
        origin: String,
        /// The first [`MAX_SHOWN_PROBLEMS`] problems, located.
        problems: Vec<LocatedProblem>,
        /// How many more there were.
        omitted: usize,
    },
}

/// Problems of one file shown at most: locating each one scans the text, so
/// 20,000 bad dates would take minutes to report (and nobody reads them all).
pub const MAX_SHOWN_PROBLEMS: usize = 100;

fn render_problems(origin: &str, problems: &[LocatedProblem], omitted: usize) -> String {
    let origin = crate::base::sanitize::clean(origin);
    let mut lines: Vec<String> = problems
        .iter()
        .map(|p| {
            format!(
                "{origin}:{}:{}: {}: {}",
                p.line,
                p.column,
                p.path,
                crate::base::sanitize::clean(&p.message)
            )
        })
        .collect();
    if omitted > 0 {
        lines.push(format!(
            "{origin}: and {omitted} more problems, not shown (the first {} are)",
            problems.len()
        ));
    }
    lines.join("\n")
}

impl InputError {
    /// Locates each problem's path in `text` (the first [`MAX_SHOWN_PROBLEMS`]).
    pub fn invalid(origin: &str, text: &str, problems: Vec<Problem>) -> Self {
        let omitted = problems.len().saturating_sub(MAX_SHOWN_PROBLEMS);
        let problems = problems
            .into_iter()
            .take(MAX_SHOWN_PROBLEMS)
            .map(|p| {
                let (line, column) = locate(text, &p.path.0).unwrap_or((1, 1));
                LocatedProblem {
                    line,
                    column,
                    path: p.path,
                    message: p.message,
                }
            })
            .collect();
        InputError::Invalid {
            origin: origin.to_string(),
            problems,
            omitted,
        }
    }

    pub fn file(origin: &str, message: impl Into<String>) -> Self {
        InputError::File {
            origin: origin.to_string(),
            message: message.into(),
        }
    }

    pub fn origin(&self) -> &str {
        match self {
            InputError::Read { origin, .. }
            | InputError::File { origin, .. }
            | InputError::Invalid { origin, .. } => origin,
        }
    }
}
