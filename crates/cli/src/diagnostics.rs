//! The one renderer of errors and findings: the message line (`error: file:line:col: …`) and,
//! when the offending span is known, miette's excerpt of the source with the span underlined,
//! its label, and the help. Every command prints its errors through [`write_error`]; validate-
//! policy's text output adds [`excerpt`] under each finding.
//!
//! The first line is kept as it always was (compiler-style `file:line:col:`, what editors and
//! `grep` read); the excerpt follows it, so nothing is lost when only the first line is read.

use crate::error::CliError;
use iamproof_templates::TemplateError;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
    SourceCode, SourceSpan,
};
use std::fmt;
use std::io::Write;

/// The excerpt's width: fixed, so output does not depend on the terminal.
const WIDTH: usize = 100;

/// An excerpt with a longer line is left out: a minified document is one long line, and
/// printing it whole says less than the `line:column` already printed.
const MAX_LINE_CHARS: usize = 240;

/// Writes `error: {e}` and, when `e` points into a source, the excerpt under it.
pub fn write_error(out: &mut dyn Write, e: &CliError, color: bool) {
    let _ = writeln!(out, "error: {e}");
    let excerpt = match e {
        CliError::Policy(p) => excerpt(&p.doc.origin.to_string(), &p.doc.text, &p.error, color),
        CliError::Template(t) => template_excerpt(t, color),
        _ => None,
    };
    if let Some(x) = excerpt {
        let _ = out.write_all(x.as_bytes());
    }
    let _ = out.flush();
}

/// The source excerpt of `diagnostic` (its labelled spans) in `text`, named `name`, with its
/// help: miette's graphical report without its first line (the message, which the caller has
/// printed already in its own form). `None` when there is no span to show.
pub fn excerpt(name: &str, text: &str, diagnostic: &dyn Diagnostic, color: bool) -> Option<String> {
    let labels: Vec<LabeledSpan> = diagnostic.labels()?.collect();
    // A span past the end of the text cannot be shown (miette would print a complaint instead).
    if labels.is_empty() || labels.iter().any(|l| l.offset() + l.len() > text.len()) {
        return None;
    }
    let wrapper = Excerpt {
        source: NamedSource::new(name, text.to_string()),
        labels,
        help: diagnostic.help().map(|h| h.to_string()),
        severity: diagnostic.severity(),
    };
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_wrap_lines(false)
        .with_links(false)
        .with_urls(false);
    let mut rendered = String::new();
    handler.render_report(&mut rendered, &wrapper).ok()?;
    // The first line is the (empty) message: `  × `.
    let (_, rest) = rendered.split_once('\n')?;
    if rest.lines().any(|l| l.chars().count() > MAX_LINE_CHARS) {
        return None;
    }
    Some(rest.to_string())
}

/// The excerpt of a template error that has a position: the file is read again (the reader's
/// error keeps its name and line:column, not its text).
fn template_excerpt(e: &TemplateError, color: bool) -> Option<String> {
    let (file, at) = e.location()?;
    let text = std::fs::read_to_string(file).ok()?;
    let start_offset = offset_of(&text, at.start.line, at.start.column)?;
    let end_offset = offset_of(&text, at.end.line, at.end.column)
        .filter(|&o| o >= start_offset)
        .unwrap_or(start_offset);
    let located = Located {
        span: SourceSpan::new(start_offset.into(), end_offset - start_offset),
    };
    excerpt(file, &text, &located, color)
}

/// The byte offset of a 1-based line and 1-based column (in characters).
fn offset_of(text: &str, line: u32, column: u32) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        let skip = usize::try_from(line - 2).ok()?;
        text.match_indices('\n').nth(skip)?.0 + 1
    };
    let rest = text.get(line_start..)?;
    let col = usize::try_from(column.saturating_sub(1)).ok()?;
    let within = rest
        .char_indices()
        .take_while(|(_, c)| *c != '\n')
        .map(|(i, _)| i)
        .chain(std::iter::once(rest.find('\n').unwrap_or(rest.len())))
        .nth(col)?;
    Some(line_start + within)
}

/// A span with no text of its own (template errors).
#[derive(Debug)]
struct Located {
    span: SourceSpan,
}

impl fmt::Display for Located {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl std::error::Error for Located {}

impl Diagnostic for Located {
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, self.span),
        )))
    }
}

/// What miette renders: the labels and help of a diagnostic, over its named source, with an
/// empty message (see [`excerpt`]).
#[derive(Debug)]
struct Excerpt {
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    severity: Option<Severity>,
}

impl fmt::Display for Excerpt {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

impl std::error::Error for Excerpt {}

impl Diagnostic for Excerpt {
    fn severity(&self) -> Option<Severity> {
        self.severity
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}
