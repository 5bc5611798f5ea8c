//! Use case: a sweep over inputs, with Sobol sensitivity indices.

pub mod design;
pub mod sensitivity;
pub mod table;
