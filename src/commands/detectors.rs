//! `leakguard detectors`: every detector in use and what the repository config changed.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{DetectorsArgs, GlobalArgs};
use crate::error::{Error, Result};
use crate::report::catalogue;
use crate::setup::{self, Need, Suppressions};

use super::EXIT_CLEAN;

pub fn run(global: &GlobalArgs, args: &DetectorsArgs) -> Result<ExitCode> {
    let setup = setup::setup(&super::options(global, Need::IfAny, Suppressions::None))?;
    // The repository config, named relative to the work tree.
    let config = setup.config_source.as_deref().map(|p| {
        setup
            .root
            .as_deref()
            .and_then(|r| p.strip_prefix(r).ok())
            .unwrap_or(p)
    });
    let c = setup.catalogue();
    let mut out = std::io::stdout().lock();
    let wanted: Vec<String> = args.category.iter().map(|k| k.trim().to_string()).collect();
    if wanted.iter().any(|k| k == "list") {
        catalogue::categories(&mut out, c).map_err(Error::Output)?;
    } else if !wanted.is_empty() {
        let known = catalogue::category_counts(c);
        if let Some(unknown) = wanted.iter().find(|k| !known.contains_key(k.as_str())) {
            let names: Vec<&str> = known.keys().copied().collect();
            return Err(Error::Usage(format!(
                "no category {}; the categories are: {} (`leakguard detectors --category list` counts them)",
                crate::escape::quote(unknown),
                names.join(", ")
            )));
        }
        catalogue::list_in(&mut out, c, &wanted).map_err(Error::Output)?;
    } else {
        catalogue::list(&mut out, c, config).map_err(Error::Output)?;
    }
    out.flush().map_err(Error::Output)?;
    Ok(ExitCode::from(EXIT_CLEAN))
}
