//! Errors and findings as diagnostics: miette's [`Diagnostic`] for [`PolicyError`] and
//! [`ValidationFinding`] (issue code, severity, help, documentation link, labelled spans), so one
//! renderer can show any of them with the offending span underlined in the source.
//!
//! The source text is not here: a parse error or a finding does not own its document. A caller
//! that has it attaches it (the CLI wraps the diagnostic with the document and its name).

use crate::error::PolicyError;
use crate::span::Span;
use crate::validate::{FindingType, ValidationFinding};
use miette::{Diagnostic, LabeledSpan, Severity, SourceSpan};
use std::fmt;

/// A span to point at in a source excerpt, with what to say under it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Label {
    /// The source range.
    pub span: Span,
    /// A few words about it (none: the span is underlined without text).
    pub text: Option<String>,
}

impl Label {
    fn labeled(&self, primary: bool) -> LabeledSpan {
        let span = source_span(self.span);
        if primary {
            LabeledSpan::new_primary_with_span(self.text.clone(), span)
        } else {
            LabeledSpan::new_with_span(self.text.clone(), span)
        }
    }
}

/// The byte range of `span`, as miette counts it.
fn source_span(span: Span) -> SourceSpan {
    let len = span.end.offset.saturating_sub(span.start.offset);
    SourceSpan::new(span.start.offset.into(), len)
}

impl Diagnostic for PolicyError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self.labels();
        Some(Box::new(
            labels
                .into_iter()
                .enumerate()
                .map(|(i, l)| l.labeled(i == 0)),
        ))
    }
}

impl fmt::Display for ValidationFinding {
    /// `TYPE CODE: details`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.finding_type.as_str(),
            self.issue_code,
            self.finding_details
        )
    }
}

impl std::error::Error for ValidationFinding {}

impl Diagnostic for ValidationFinding {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.issue_code))
    }

    /// Errors and security warnings are errors; warnings warnings; suggestions advice.
    fn severity(&self) -> Option<Severity> {
        Some(match self.finding_type {
            FindingType::Error | FindingType::SecurityWarning => Severity::Error,
            FindingType::Warning => Severity::Warning,
            FindingType::Suggestion => Severity::Advice,
        })
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.learn_more_link
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display + 'a>)
    }

    /// Every location, labelled with its JSON path; the first is the primary one.
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.locations.iter().enumerate().map(|(i, l)| {
            Label {
                span: l.span,
                text: Some(l.path.to_string()),
            }
            .labeled(i == 0)
        })))
    }
}
