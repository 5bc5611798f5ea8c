//! Short text listings and summaries the command prints: the counterfactuals, battles and
//! theatres, a checked file, a fit, and a flat JSON object as aligned lines.

use std::fmt::Write;
use std::path::Path;

use airwar_calibration::campaign_fit::CampaignFit;
use airwar_calibration::fit::FitResult;
use airwar_campaign::counterfactual::Counterfactual;
use airwar_scenario::Library;

/// The named counterfactuals: name, theatre, question and changes.
pub fn counterfactuals(list: &[Counterfactual]) -> String {
    let mut o = String::new();
    for c in list {
        let _ = writeln!(
            o,
            "{} ({})\n  {}\n  changes: {}\n",
            c.name,
            c.scenario,
            c.question,
            c.changes.join(" ")
        );
    }
    o
}

/// The built-in battles: id, date and title.
pub fn battle_list(lib: &Library) -> String {
    let mut t = crate::grid::table(&["battle", "date", "title"], &[]);
    for b in &lib.battles {
        t.add_row(vec![
            b.id.clone(),
            b.date.value.to_string(),
            b.title.clone(),
        ]);
    }
    crate::grid::render(&t)
}

/// The theatres: id, period and title.
pub fn theatre_list(lib: &Library) -> String {
    let mut t = crate::grid::table(&["theatre", "from", "to", "title"], &[]);
    for x in &lib.theatres {
        t.add_row(vec![
            x.id.clone(),
            x.start.value.to_string(),
            x.end.value.to_string(),
            x.title.clone(),
        ]);
    }
    crate::grid::render(&t)
}

/// The theatres as JSON: `[{id, title, start, end, battles}]`.
pub fn theatre_list_json(lib: &Library) -> serde_json::Value {
    lib.theatres
        .iter()
        .map(|t| serde_json::json!({"id": t.id, "title": t.title, "start": t.start.value, "end": t.end.value, "battles": t.battles}))
        .collect()
}

/// What a good file holds, in a few words.
pub fn checked(file: &airwar_scenario::file_kind::Checked) -> String {
    use airwar_scenario::file_kind::Checked;
    match file {
        Checked::Theatre(t) => format!(
            "theatre {}, {} battles, {} observed totals",
            t.id,
            t.battles.len(),
            t.observed.len()
        ),
        Checked::Aircraft(t) => format!(
            "aircraft type {}, {}, in service {}",
            t.id,
            t.role.name(),
            t.year_in_service.value
        ),
        Checked::Engagement(e) => format!(
            "{}, {} aircraft in the air, {} observed figures",
            e.id,
            e.airborne(),
            e.observed.len()
        ),
    }
}

/// The report of `airwar check`: a line for each good file, and every located error of the
/// others.
pub fn check_results(
    files: &[(
        String,
        Result<airwar_scenario::file_kind::Checked, airwar_scenario::DataErrors>,
    )],
) -> (String, String) {
    let (mut good, mut errors) = (String::new(), String::new());
    for (name, result) in files {
        match result {
            Ok(c) => {
                let _ = writeln!(good, "ok: {name} ({})", checked(c));
            }
            Err(e) => {
                let _ = writeln!(errors, "{e}");
            }
        }
    }
    (good, errors)
}

/// A flat JSON object as `key value` lines (the `battle` key left out).
pub fn key_values(value: &serde_json::Value) -> String {
    let mut o = String::new();
    for (k, v) in value.as_object().into_iter().flatten() {
        if k != "battle" {
            let _ = writeln!(o, "{k:<18} {v}");
        }
    }
    o
}

/// A battle fit: its settings, each fitted parameter's range and the file written.
pub fn calibration(fit: &FitResult, file: &Path) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "fitted {} parameters to {} battles ({} particles, {} tempering stages, {} moves each, {:.0}% accepted; {} runs per battle)",
        fit.ranges.len(),
        fit.battle_ids.len(),
        fit.config.particles,
        fit.stages,
        fit.config.moves,
        100.0 * fit.acceptance,
        fit.config.runs
    );
    for (name, r) in &fit.ranges {
        let _ = writeln!(
            o,
            "  {name:<24} {:>9.4}  [{:.4} - {:.4}]",
            r.mean, r.p05, r.p95
        );
    }
    let _ = writeln!(o, "wrote {}", file.display());
    o
}

/// A campaign fit: each fitted parameter's range and each theatre's leave-one-out diagnostic.
pub fn campaign_calibration(fit: &CampaignFit, file: &Path) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "fitted {} campaign parameters to {} theatres (log evidence {:.2}); wrote {}",
        fit.record.ranges.len(),
        fit.record.theatres.len(),
        fit.log_evidence,
        file.display()
    );
    for (name, r) in &fit.record.ranges {
        let _ = writeln!(
            o,
            "  {name:<34} {:>9.4}  [{:.4} - {:.4}]",
            r.mean, r.p05, r.p95
        );
    }
    let _ = writeln!(
        o,
        "\neach theatre predicted from the fit to the others (PSIS reweighting):"
    );
    for t in 0..fit.theatre_ids.len() {
        let fold = fit.fold(t);
        let _ = writeln!(
            o,
            "  {:<12} Pareto k {:.2}, effective draws {:.1}{}",
            fold.theatre,
            fold.pareto_k,
            fold.effective_sample_size,
            if fold.needs_refit {
                " (not to be trusted: `airwar validate --leave-one-out` refits)"
            } else {
                ""
            }
        );
    }
    o
}
