//! `sweep.parquet`: one row per design point and replication, as flat columns: `point`,
//! `replication` (both INT64), the varied inputs (DOUBLE, named by their `--vary` path), then
//! every total (INT64). Written uncompressed with the low-level `parquet` writer (no Arrow),
//! one row group, so the same rows give the same bytes. The file's key-value metadata holds
//! `airwar.sweep` (the whole sweep's request, as JSON) and `airwar.provenance` (the provenance
//! without the command line, which differs between a sweep and its merged shards).

use std::sync::Arc;

use parquet::basic::{Repetition, Type as PhysicalType};
use parquet::data_type::{DoubleType, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field;
use parquet::schema::types::Type;

use crate::error::{Error, Result};

/// The rows of a sweep, column by column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub point: Vec<i64>,
    pub replication: Vec<i64>,
    /// `(name, values)` of each varied input.
    pub inputs: Vec<(String, Vec<f64>)>,
    /// `(name, values)` of each total.
    pub totals: Vec<(String, Vec<i64>)>,
    /// Key-value metadata, in order.
    pub metadata: Vec<(String, String)>,
}

fn err(e: impl std::fmt::Display) -> Error {
    Error::Output(format!("sweep.parquet: {e}"))
}

impl Table {
    pub fn rows(&self) -> usize {
        self.point.len()
    }

    /// The Parquet file's bytes.
    pub fn to_parquet(&self) -> Result<Vec<u8>> {
        let column = |name: &str, t: PhysicalType| {
            Type::primitive_type_builder(name, t)
                .with_repetition(Repetition::REQUIRED)
                .build()
                .map(Arc::new)
                .map_err(err)
        };
        let mut fields = vec![
            column("point", PhysicalType::INT64)?,
            column("replication", PhysicalType::INT64)?,
        ];
        for (name, _) in &self.inputs {
            fields.push(column(name, PhysicalType::DOUBLE)?);
        }
        for (name, _) in &self.totals {
            fields.push(column(name, PhysicalType::INT64)?);
        }
        let schema = Type::group_type_builder("sweep")
            .with_fields(fields)
            .build()
            .map_err(err)?;
        let props = WriterProperties::builder()
            .set_created_by(format!("airwar {}", crate::provenance::VERSION))
            .set_key_value_metadata(Some(
                self.metadata
                    .iter()
                    .map(|(k, v)| KeyValue::new(k.clone(), v.clone()))
                    .collect(),
            ))
            .build();
        let mut out = Vec::new();
        let mut writer =
            SerializedFileWriter::new(&mut out, Arc::new(schema), Arc::new(props)).map_err(err)?;
        let mut group = writer.next_row_group().map_err(err)?;
        let mut index = 0;
        while let Some(mut col) = group.next_column().map_err(err)? {
            let k = self.inputs.len();
            match index {
                0 | 1 => {
                    let v = if index == 0 {
                        &self.point
                    } else {
                        &self.replication
                    };
                    col.typed::<Int64Type>()
                        .write_batch(v, None, None)
                        .map_err(err)?;
                }
                i if i < 2 + k => {
                    col.typed::<DoubleType>()
                        .write_batch(&self.inputs[i - 2].1, None, None)
                        .map_err(err)?;
                }
                i => {
                    col.typed::<Int64Type>()
                        .write_batch(&self.totals[i - 2 - k].1, None, None)
                        .map_err(err)?;
                }
            }
            col.close().map_err(err)?;
            index += 1;
        }
        group.close().map_err(err)?;
        writer.close().map_err(err)?;
        Ok(out)
    }

    /// Read a file [`Table::to_parquet`] wrote (for tests and tools: the columns named
    /// `point` and `replication`, DOUBLE columns as inputs, INT64 columns as totals).
    pub fn from_parquet(bytes: Vec<u8>) -> Result<Table> {
        let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).map_err(err)?;
        let meta = reader.metadata().file_metadata();
        let mut t = Table {
            metadata: meta
                .key_value_metadata()
                .into_iter()
                .flatten()
                .map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default()))
                .collect(),
            ..Table::default()
        };
        for f in meta.schema().get_fields() {
            match (f.name(), f.get_physical_type()) {
                ("point" | "replication", _) => {}
                (n, PhysicalType::DOUBLE) => t.inputs.push((n.to_string(), Vec::new())),
                (n, _) => t.totals.push((n.to_string(), Vec::new())),
            }
        }
        for row in reader.get_row_iter(None).map_err(err)? {
            let row = row.map_err(err)?;
            let (mut i, mut m) = (0, 0);
            for (name, field) in row.get_column_iter() {
                match (name.as_str(), field) {
                    ("point", Field::Long(v)) => t.point.push(*v),
                    ("replication", Field::Long(v)) => t.replication.push(*v),
                    (_, Field::Double(v)) => {
                        t.inputs[i].1.push(*v);
                        i += 1;
                    }
                    (_, Field::Long(v)) => {
                        t.totals[m].1.push(*v);
                        m += 1;
                    }
                    (n, other) => return Err(err(format!("column {n} holds {other:?}"))),
                }
            }
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_round_trips_through_parquet_and_its_bytes_repeat() {
        let t = Table {
            point: vec![0, 0, 1],
            replication: vec![0, 1, 0],
            inputs: vec![("params.lethality".into(), vec![0.5, 0.5, 0.25])],
            totals: vec![
                ("claims".into(), vec![3, 4, 5]),
                ("losses".into(), vec![0, 1, 2]),
            ],
            metadata: vec![("airwar.sweep".into(), "{}".into())],
        };
        let bytes = t.to_parquet().unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
        assert_eq!(t.to_parquet().unwrap(), bytes);
        assert_eq!(Table::from_parquet(bytes).unwrap(), t);
    }
}
