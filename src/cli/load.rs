//! Which catalog and policy a command judges with.

use std::path::Path;

use super::args::CatalogArgs;
use super::exit::Failure;
use crate::catalog::{Catalog, CatalogSource};
use crate::input;
use crate::policy::Policy;

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

/// The embedded policy, with `--policy FILE` over it.
pub fn load_policy(path: Option<&Path>) -> Result<Policy, Failure> {
    let embedded = Policy::embedded()?;
    match path {
        None => Ok(embedded),
        Some(path) => {
            let text = input::read_text(path, crate::policy::file_limit())?;
            Ok(Policy::from_text(
                &path.display().to_string(),
                &text,
                Some(&embedded),
            )?)
        }
    }
}
