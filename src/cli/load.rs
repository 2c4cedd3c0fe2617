//! Which catalog and policy a command judges with.

use std::path::{Path, PathBuf};

use super::args::{CatalogArgs, PolicyArgs};
use super::exit::Failure;
use super::output::Named;
use crate::catalog::{Catalog, CatalogSource};
use crate::input;
use crate::policy::{EditionChoice, Overrides, Policies};

/// `--catalog FILE`, else the cached catalog when it is valid and no older
/// than the embedded one (not with `--offline`), else the embedded catalog.
pub fn load_catalog(args: &CatalogArgs) -> Result<Catalog, Failure> {
    if let Some(path) = &args.catalog {
        let origin = path.display().to_string();
        let text = input::read_text(path, crate::catalog::validate::file_limit())?;
        return Ok(Catalog::from_text(
            &origin,
            &text,
            CatalogSource::File(origin.clone()),
        )?);
    }
    let embedded = Catalog::embedded()?;
    if args.offline {
        return Ok(embedded);
    }
    let dir = crate::catalog::cache::cache_dir(args.cache_dir.as_deref());
    Ok(crate::catalog::cache::prefer_cached(
        embedded,
        dir.as_deref(),
        &mut |warning| eprintln!("warning: {warning}"),
    ))
}

/// The catalog and policy files a command reads, as inputs no output may
/// replace (`output::check_outputs`): `--catalog`, `--policy`, and the cached
/// catalog when it is the one in use.
pub fn catalog_and_policy_files<'a>(
    args: &'a CatalogArgs,
    policy: Option<&'a Path>,
    catalog: &Catalog,
) -> Vec<Named<'a>> {
    let mut files: Vec<Named> = args
        .catalog
        .iter()
        .map(|p| Named::new("--catalog", p))
        .collect();
    files.extend(policy.map(|p| Named::new("--policy", p)));
    if let CatalogSource::Cache(path) = &catalog.source {
        files.push(Named::owned("the cached catalog", PathBuf::from(path)));
    }
    files
}

/// Every edition's numbers, with `--policy FILE` and `--max-catalog-age`
/// over them, and the edition `--policy-edition` chooses.
pub fn load_policies(args: &PolicyArgs) -> Result<Policies, Failure> {
    let choice = match &args.policy_edition {
        Some(name) => EditionChoice::parse(name).map_err(Failure::Usage)?,
        None => EditionChoice::Default,
    };
    let overrides = match &args.policy {
        None => None,
        Some(path) => {
            let text = input::read_text(path, crate::policy::file_limit())?;
            Some(Overrides::from_text(&path.display().to_string(), &text)?)
        }
    };
    Ok(Policies::new(
        choice,
        overrides.as_ref(),
        args.max_catalog_age,
    )?)
}
