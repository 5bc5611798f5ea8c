//! Which of the three kinds of data file a text is: an aircraft type, an engagement or a theatre.
//!
//! `airwar check` takes any of them. The kind is read from the text's top-level keys and table
//! names, line by line, so that a file with a syntax error still goes to the loader that can say
//! where the error is.

/// The kind of a data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// One aircraft type (`data/aircraft/*.toml`).
    Aircraft,
    /// One engagement (`data/battles/*.toml`): has `[[sides]]`.
    Engagement,
    /// One theatre (`data/scenarios/*.toml`): has forces, bases, routes or battles.
    Theatre,
}

impl FileKind {
    /// The kind of `text`: an engagement when it has sides; a theatre when it has forces, bases,
    /// routes, deliveries or a battle list; an aircraft type when it has performance figures at
    /// the top level; otherwise an engagement (the loader then says what is missing).
    pub fn detect(text: &str) -> FileKind {
        let names = top_level_names(text);
        let has = |n: &str| names.iter().any(|x| x == n);
        if has("sides") {
            FileKind::Engagement
        } else if ["forces", "bases", "routes", "deliveries", "battles"]
            .iter()
            .any(|n| has(n))
        {
            FileKind::Theatre
        } else if ["max_speed_kmh", "ceiling_m", "bomb_load_kg"]
            .iter()
            .any(|n| has(n))
        {
            FileKind::Aircraft
        } else {
            FileKind::Engagement
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FileKind::Aircraft => "aircraft",
            FileKind::Engagement => "engagement",
            FileKind::Theatre => "theatre",
        }
    }
}

/// A good file of any kind, checked.
#[derive(Debug, Clone)]
pub enum Checked {
    Aircraft(Box<crate::AircraftType>),
    Engagement(Box<crate::Engagement>),
    Theatre(Box<crate::Theatre>),
}

impl crate::Library {
    /// Check a file of any kind (detected from its text) against the library; a good aircraft
    /// type joins it, like the types an engagement or theatre file declares.
    pub fn check_file(
        &mut self,
        name: &str,
        text: &str,
        strict: bool,
    ) -> Result<Checked, crate::DataErrors> {
        Ok(match FileKind::detect(text) {
            FileKind::Theatre => Checked::Theatre(Box::new(self.load_theatre(name, text, strict)?)),
            FileKind::Aircraft => {
                Checked::Aircraft(Box::new(self.add_aircraft(name, text, strict)?.clone()))
            }
            FileKind::Engagement => {
                Checked::Engagement(Box::new(self.load_engagement(name, text, strict)?))
            }
        })
    }
}

/// Keys set before the first table header, and the first segment of every table header.
fn top_level_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_table = false;
    let mut in_multiline = false;
    for line in text.lines() {
        let l = line.trim_start();
        // Skip the inside of multi-line strings, where a line may look like a key.
        if l.matches("\"\"\"").count() % 2 == 1 {
            in_multiline = !in_multiline;
            if !in_multiline {
                continue;
            }
        }
        if in_multiline {
            continue;
        }
        if let Some(header) = l.strip_prefix('[') {
            in_table = true;
            let header = header.trim_start_matches('[').trim_start();
            let first: String = header
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            names.push(first);
        } else if !in_table {
            let key: String = l
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            if !key.is_empty() && l[key.len()..].trim_start().starts_with('=') {
                names.push(key);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::FileKind;
    use crate::builtin::embedded_files;

    #[test]
    fn every_built_in_file_is_recognised() {
        for (path, text) in embedded_files("") {
            let want = if path.starts_with("aircraft/") {
                FileKind::Aircraft
            } else if path.starts_with("battles/") {
                FileKind::Engagement
            } else if path.starts_with("scenarios/") {
                FileKind::Theatre
            } else {
                continue;
            };
            assert_eq!(FileKind::detect(text), want, "{path}");
        }
    }

    #[test]
    fn a_broken_file_still_has_a_kind() {
        assert_eq!(
            FileKind::detect("id = \"x\"\nmax_speed_kmh = { value = 4\n"),
            FileKind::Aircraft
        );
        assert_eq!(
            FileKind::detect("description = \"\"\"\nsides = 3\n\"\"\"\n[[forces]]\n"),
            FileKind::Theatre
        );
    }
}
