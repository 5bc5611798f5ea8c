//! What a run reads: the built-in library, the user's files, the model's parameters; and the
//! fingerprints of all of it for the provenance block.
//!
//! Every user file goes through [`Inputs::read`], which reads it once and records its hash, so
//! that `data_sha256` covers exactly the data a run used (the built-in files and the user's).

use std::path::{Path, PathBuf};

use airwar_calibration::record::CalibrationRecord;
use airwar_campaign::CampaignParameters;
use airwar_engine::Replications;
use airwar_model::ModelParameters;
use airwar_scenario::error::SourceText;
use airwar_scenario::Library;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::provenance::{Provenance, VERSION};

/// The library a run draws on, with the user's files it has read.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub library: Library,
    /// (name, SHA-256) of each user file read, in order.
    user_files: Vec<(String, String)>,
}

/// What every request names besides what it runs: the seed, a model parameter file over the
/// calibrated set (a fit's base: its unfitted parameters are kept) and the user's aircraft
/// files. Requests flatten it, so their JSON (`shard.json`) keeps `seed`, `params` and
/// `aircraft` as fields of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInputs {
    pub seed: u64,
    pub params: Option<PathBuf>,
    pub aircraft: Vec<PathBuf>,
}

impl Default for RunInputs {
    /// The default seed, the calibrated parameters and no aircraft files.
    fn default() -> Self {
        RunInputs {
            seed: crate::DEFAULT_SEED,
            params: None,
            aircraft: Vec::new(),
        }
    }
}

impl RunInputs {
    pub fn new(seed: u64, params: Option<PathBuf>, aircraft: Vec<PathBuf>) -> Self {
        RunInputs {
            seed,
            params,
            aircraft,
        }
    }

    /// The built-in library with the user's aircraft files ([`Inputs::load`]).
    pub fn load(&self) -> Result<Inputs> {
        Inputs::load(&self.aircraft)
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Inputs {
    /// The built-in library with the user's aircraft files added (each id and alias new).
    pub fn load(aircraft_files: &[PathBuf]) -> Result<Inputs> {
        let library = Library::load().map_err(|errors| Error::Data {
            what: "the built-in data".into(),
            errors,
        })?;
        let mut inputs = Inputs {
            library,
            user_files: Vec::new(),
        };
        for path in aircraft_files {
            let text = inputs.read(path)?;
            let name = path.display().to_string();
            inputs
                .library
                .add_aircraft(&name, &text, false)
                .map_err(|errors| Error::Data {
                    what: format!("the aircraft file {name}"),
                    errors,
                })?;
        }
        Ok(inputs)
    }

    /// Read a user's file once, recording its fingerprint.
    pub fn read(&mut self, path: &Path) -> Result<String> {
        let text = read_capped(path)?;
        self.user_files
            .push((path.display().to_string(), sha256_hex(text.as_bytes())));
        Ok(text)
    }

    /// SHA-256 over every built-in data file (path and bytes) and every user file read (name
    /// and hash), in order: the same data gives the same hash on any machine.
    pub fn data_sha256(&self) -> String {
        // The built-in part never changes within a process, so it is hashed once (a sweep
        // asks for every design point's provenance).
        static BUILT_IN: std::sync::OnceLock<Sha256> = std::sync::OnceLock::new();
        let mut h = BUILT_IN
            .get_or_init(|| {
                let mut h = Sha256::new();
                for (path, text) in airwar_scenario::builtin::embedded_files("") {
                    h.update(path.as_bytes());
                    h.update([0]);
                    h.update(text.as_bytes());
                    h.update([0]);
                }
                h
            })
            .clone();
        for (name, hash) in &self.user_files {
            h.update(name.as_bytes());
            h.update([0]);
            h.update(hash.as_bytes());
            h.update([0]);
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The model parameters: the calibrated set, with a file's values over it when one is
    /// given (a file with a few values keeps the calibrated rest).
    pub fn model_parameters(&mut self, file: Option<&Path>) -> Result<ModelParameters> {
        match file {
            None => model_parameters(None),
            Some(path) => {
                let text = self.read(path)?;
                model_parameters(Some((&path.display().to_string(), &text)))
            }
        }
    }

    /// [`Inputs::model_parameters`], with the calibration record of the file (or of the
    /// embedded set) when it has one: which battles the parameters were fitted to.
    pub fn model_parameters_with_record(
        &mut self,
        file: Option<&Path>,
    ) -> Result<(ModelParameters, Option<CalibrationRecord>)> {
        match file {
            None => {
                let record = airwar_calibration::record::default_parameters()
                    .map_err(|e| Error::Parameters(e.to_string()))?
                    .1;
                Ok((model_parameters(None)?, record))
            }
            Some(path) => {
                let text = self.read(path)?;
                let params = model_parameters(Some((&path.display().to_string(), &text)))?;
                let record = airwar_calibration::record::parse(&text)
                    .ok()
                    .and_then(|(_, r)| r);
                Ok((params, record))
            }
        }
    }

    /// The provenance of an output made from these inputs.
    pub fn provenance(
        &self,
        command: &str,
        seed: u64,
        changes: Vec<String>,
        params_sha256: String,
        replications: Option<Replications>,
    ) -> Provenance {
        Provenance {
            version: VERSION.to_string(),
            data_sha256: self.data_sha256(),
            command: command.to_string(),
            seed,
            changes,
            params_sha256,
            replications,
        }
    }

    /// The campaign parameters as calibrated (data/campaign-parameters.toml).
    pub fn campaign_parameters(&self) -> Result<CampaignParameters> {
        airwar_calibration::campaign_fit::default_campaign_parameters()
            .map_err(|e| Error::Parameters(e.to_string()))
    }
}

/// The built-in theatre `id`, or an error with the closest id.
pub fn find_theatre<'l>(lib: &'l Library, id: &str) -> Result<&'l airwar_scenario::Theatre> {
    lib.theatre(id).ok_or_else(|| Error::UnknownScenario {
        id: id.to_string(),
        suggestion: airwar_scenario::error::closest(id, lib.theatres.iter().map(|t| t.id.as_str()))
            .map(str::to_string),
    })
}

/// The aircraft type `name` (an id or alias), or an error with the closest name.
pub fn find_type<'l>(lib: &'l Library, name: &str) -> Result<&'l airwar_scenario::AircraftType> {
    lib.aircraft.get(name).ok_or_else(|| Error::UnknownType {
        name: name.to_string(),
        suggestion: lib.aircraft.suggest(name).map(str::to_string),
    })
}

/// Check files of any kind against the library with the user's aircraft: each file's name
/// and what it holds, or its located errors.
pub fn check_files(
    aircraft: &[PathBuf],
    files: &[PathBuf],
    strict: bool,
) -> Result<
    Vec<(
        String,
        Result<airwar_scenario::file_kind::Checked, airwar_scenario::DataErrors>,
    )>,
> {
    let mut library = Inputs::load(aircraft)?.library;
    files
        .iter()
        .map(|path| {
            // Read once: pipes and /dev/stdin can be checked too.
            let text = read_capped(path)?;
            let name = path.display().to_string();
            let checked = library.check_file(&name, &text, strict);
            Ok((name, checked))
        })
        .collect()
}

/// The calibrated model parameters, with the values of a parameter file `(name, text)` over
/// them when one is given; a located error when the file does not parse or a value is out of
/// range.
pub fn model_parameters(file: Option<(&str, &str)>) -> Result<ModelParameters> {
    let calibrated = airwar_calibration::record::default_parameters()
        .map_err(|e| Error::Parameters(e.to_string()))?
        .0;
    let Some((name, text)) = file else {
        return Ok(calibrated);
    };
    let (p, _) = airwar_calibration::record::parse_over(text, &calibrated)
        .map_err(|e| Error::Parameters(SourceText::new(name, text).from_toml(&e).to_string()))?;
    p.validate()
        .map_err(|e| Error::Parameters(format!("{name}: {e}")))?;
    Ok(p)
}

/// SHA-256 of the parameters a run used (model and campaign), as their JSON.
pub fn params_sha256(model: &ModelParameters, campaign: Option<&CampaignParameters>) -> String {
    let json = serde_json::json!({ "model": model, "campaign": campaign });
    sha256_hex(json.to_string().as_bytes())
}

/// Read a text file once, in one pass, refusing it past
/// [`airwar_scenario::limits::MAX_FILE_BYTES`]: pipes, FIFOs and `/dev/stdin` work, and an
/// endless stream such as `/dev/urandom` is refused instead of read forever.
pub fn read_capped(path: &Path) -> Result<String> {
    use std::io::Read;
    let cap = airwar_scenario::limits::MAX_FILE_BYTES;
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > cap {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            limit: cap,
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        read_error(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (the first bad byte is at offset {})",
                e.utf8_error().valid_up_to()
            ),
        ))
    })
}
