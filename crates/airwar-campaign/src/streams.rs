//! The campaign's random streams, named in one place.
//!
//! Every draw a replication makes comes from one of these streams, each derived from the run's
//! seed, the replication and a [`StreamKey`] (with the day, and for an engagement its place in
//! the day). So a replication does not depend on which thread runs it, and the two arms of a
//! comparison meet the same luck on the same day (common random numbers): a change that makes
//! one arm fight an extra engagement does not shift the draws of the day's supply, nor of the
//! next day's anything.

use airwar_model::rng::{stream, ModelRng};
use rand_core::RngCore;

/// What a stream is for. Each key's salt is fixed: changing one changes every result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKey {
    /// The replication's draw of the fitted campaign parameters (one per replication).
    Parameters,
    /// The day's supply, events, people and the drawing of engagements and their shares.
    Day,
    /// One engagement's fight, by day and its place among the day's engagements.
    Engagement,
    /// Whether the day's exposure events make proof public.
    Exposure,
}

impl StreamKey {
    fn salt(self) -> u64 {
        match self {
            StreamKey::Parameters => 0,
            StreamKey::Day => 0,
            StreamKey::Engagement => 0x00E1_6A6E,
            StreamKey::Exposure => 0x0E49_050E,
        }
    }
}

/// The streams of one replication.
#[derive(Debug, Clone, Copy)]
pub struct Streams {
    replication_seed: u64,
}

impl Streams {
    /// The streams of replication `replication` of a run seeded with `seed`.
    pub fn new(seed: u64, replication: u64) -> Streams {
        Streams {
            replication_seed: stream(seed, replication).next_u64(),
        }
    }

    /// The stream for the fitted parameters' draw.
    pub fn parameters(&self) -> ModelRng {
        self.keyed(StreamKey::Parameters, u64::MAX)
    }

    /// Day `day`'s stream.
    pub fn day(&self, day: u32) -> ModelRng {
        self.keyed(StreamKey::Day, day as u64)
    }

    /// The stream of the `k`-th engagement of day `day`.
    pub fn engagement(&self, day: u32, k: usize) -> ModelRng {
        self.keyed(StreamKey::Engagement, ((day as u64) << 16) | k as u64)
    }

    /// Day `day`'s exposure stream.
    pub fn exposure(&self, day: u32) -> ModelRng {
        self.keyed(StreamKey::Exposure, day as u64)
    }

    fn keyed(&self, key: StreamKey, index: u64) -> ModelRng {
        stream(self.replication_seed ^ key.salt(), index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_give_distinct_streams() {
        let s = Streams::new(7, 3);
        let first = |mut r: ModelRng| r.next_u64();
        let draws = [
            first(s.day(5)),
            first(s.engagement(5, 0)),
            first(s.exposure(5)),
            first(s.parameters()),
            first(Streams::new(7, 4).day(5)),
        ];
        for (i, a) in draws.iter().enumerate() {
            for b in &draws[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(first(s.day(5)), first(Streams::new(7, 3).day(5)));
    }
}
