//! Render the report of a built-in theatre without the CLI:
//! `cargo run -p airwar-report --example report -- china-1937 20 report.html [FIGURES_DIR]`
//! (theatre, replications, output file, and optionally a folder for every figure as SVG).

use std::error::Error;

use airwar_campaign::{run_campaign, Campaign};
use airwar_engine::RunConfig;
use airwar_report::{campaign_figures, campaign_report, BattleResult, CampaignReportInput};
use airwar_scenario::Library;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let theatre_id = args.first().map_or("china-1937", String::as_str);
    let runs: u64 = args.get(1).map_or(Ok(20), |s| s.parse())?;
    let out = args.get(2).map_or("report.html", String::as_str);
    let library = Library::load().map_err(|e| e.to_string())?;
    let params = airwar_calibration::record::default_parameters()?.0;
    let cparams = airwar_calibration::campaign_fit::default_campaign_parameters()?;
    let theatre = library
        .theatre(theatre_id)
        .ok_or_else(|| format!("no built-in theatre {theatre_id}"))?
        .clone();
    let campaign = Campaign::new(&theatre, &library, &params, &cparams)?;
    let results = run_campaign(&campaign, RunConfig::new(runs, 1, None), false, &|_| {})?;
    let battles = airwar_report::run_battles(&library, &params, &theatre, 2000, 1, None)?;
    let input = CampaignReportInput {
        theatre: &theatre,
        campaign: &campaign,
        results: &results,
        battles: battles
            .iter()
            .map(|(engagement, results)| BattleResult {
                engagement,
                results,
            })
            .collect(),
        validation: None,
        sources: &library.sources,
        provenance: None,
    };
    std::fs::write(out, campaign_report(&input)?)?;
    if let Some(dir) = args.get(3) {
        std::fs::create_dir_all(dir)?;
        for f in campaign_figures(&input)? {
            std::fs::write(format!("{dir}/{}.svg", f.id), f.svg)?;
        }
    }
    Ok(())
}
