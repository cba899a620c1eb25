//! Expectation files of the agreement tests: one listed difference per line, tab-separated, the
//! first fields the key and the rest the explanation (`#` comments and blank lines skipped).

use std::collections::BTreeSet;

/// How the differences found compare with the listed ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListComparison {
    /// Found but not listed.
    pub new: Vec<String>,
    /// Listed but not found.
    pub gone: Vec<String>,
}

impl ListComparison {
    /// Whether the found differences are exactly the listed ones.
    pub fn is_exact(&self) -> bool {
        self.new.is_empty() && self.gone.is_empty()
    }

    /// A failure message: the counts, then every new and every gone key (`what` names one
    /// difference, `file` the expectation file to update).
    pub fn describe(&self, what: &str, file: &str) -> String {
        let mut out = format!(
            "{} new {what}s, {} listed ones gone (update {file})",
            self.new.len(),
            self.gone.len()
        );
        for l in &self.new {
            out.push_str(&format!("\nNEW {what}: {l}"));
        }
        for l in &self.gone {
            out.push_str(&format!("\nlisted {what} no longer seen: {l}"));
        }
        out
    }
}

/// The keys of an expectation file: the first `key_fields` tab-separated fields of each line.
pub fn listed_keys(file: &str, key_fields: usize) -> BTreeSet<String> {
    file.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            l.split('\t')
                .take(key_fields)
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect()
}

/// Compares the keys found with those of an expectation file.
pub fn compare_with_list(
    found: &BTreeSet<String>,
    file: &str,
    key_fields: usize,
) -> ListComparison {
    let listed = listed_keys(file, key_fields);
    ListComparison {
        new: found.difference(&listed).cloned().collect(),
        gone: listed.difference(found).cloned().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_leading_fields() {
        let file = "# comment\na\tb\twhy\n\nc\td\twhy not\n";
        let found: BTreeSet<String> = ["a\tb".to_string(), "e\tf".to_string()].into();
        let c = compare_with_list(&found, file, 2);
        assert_eq!(c.new, vec!["e\tf".to_string()]);
        assert_eq!(c.gone, vec!["c\td".to_string()]);
        assert!(!c.is_exact());
        let msg = c.describe("difference", "x.txt");
        assert!(msg.starts_with("1 new differences, 1 listed ones gone (update x.txt)"));
        assert!(msg.contains("\nNEW difference: e\tf") && msg.contains("no longer seen: c\td"));
    }
}
