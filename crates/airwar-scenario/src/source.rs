//! Sources: the documents every figure cites.
//!
//! The built-in registry (`data/sources.toml`) holds the project's two founding articles; an
//! engagement file may declare more under `[[sources]]`. A figure may also cite a public address
//! directly, which needs no declaration.

use serde::{Deserialize, Serialize};

use crate::error::{DataErrors, SourceText};

/// One source as declared in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default)]
    pub doubtful: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSources {
    sources: Vec<Source>,
}

/// The sources known before any engagement file is read.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceRegistry {
    pub sources: Vec<Source>,
}

impl SourceRegistry {
    pub fn parse(name: &str, text: &str) -> Result<Self, DataErrors> {
        let st = SourceText::new(name, text);
        let raw: RawSources = toml::from_str(text).map_err(|e| st.from_toml(&e))?;
        Ok(SourceRegistry {
            sources: raw.sources,
        })
    }

    pub fn ids(&self) -> impl Iterator<Item = String> + '_ {
        self.sources.iter().map(|s| s.id.clone())
    }

    pub fn get(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
}
