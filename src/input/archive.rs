//! Reading the members of a zip archive a customer sent (the saved outputs
//! of `collect`, zipped by Compress-Archive or Windows Explorer). Nothing is
//! extracted to disk: each wanted member is read into memory within the same
//! per-file limit as any input, and all of them within one budget, so a zip
//! bomb costs at most that budget; the archive itself must fit the limit
//! before its directory is read.

use std::io::Read;
use std::path::Path;

use super::read::{decode, open_as, Budget, Opening};
use super::InputError;
use crate::base::sanitize::clean;

/// More members than a bundle of saved outputs ever has (a few dozen).
pub const MAX_MEMBERS: usize = 10_000;

/// One member of an archive, as [`read_members`] found it.
#[derive(Debug)]
pub struct Member {
    /// Its path in the archive, made inert (`dir/Get-AksHciVersion.txt`).
    pub name: String,
    /// The last part of its path: the name a saved output is known by.
    pub file_name: String,
    /// `archive.zip!dir/Get-AksHciVersion.txt`, for messages.
    pub origin: String,
    /// Its text; `None` for a member not wanted (not read at all).
    pub text: Option<Result<String, InputError>>,
}

/// Every file member of the zip archive at `path`, sorted by name; those
/// `wanted` (by file name) are read and decoded like an input file, each
/// within `limit` and all within `limit` together.
pub fn read_members(
    path: &Path,
    limit: u64,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<Vec<Member>, InputError> {
    read_members_ranked(path, limit, &|name| wanted(name).then_some(0))
}

/// [`read_members`], reading the members a lower `rank` gives first (each
/// rank in name order), so that what is left of the budget goes to the
/// others; those `rank` gives `None` are not read. Members come back in
/// name order.
pub fn read_members_ranked(
    path: &Path,
    limit: u64,
    rank: &dyn Fn(&str) -> Option<u8>,
) -> Result<Vec<Member>, InputError> {
    let origin = path.display().to_string();
    let file = open_as(path, Opening::Archive)?;
    if file.metadata().is_ok_and(|m| m.len() > limit) {
        return Err(InputError::file(
            &origin,
            format!("larger than the {limit}-byte limit (raise it with --max-input-bytes)"),
        ));
    }
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| {
        InputError::file(&origin, format!("not a zip archive akspol can read ({e})"))
    })?;
    if archive.len() > MAX_MEMBERS {
        return Err(InputError::file(
            &origin,
            format!(
                "{} members, more than the {MAX_MEMBERS} a bundle of saved outputs can have",
                archive.len()
            ),
        ));
    }
    // The zip library keeps the last of two members with one path; which
    // one the sender meant cannot be known, so neither is read.
    if archive.has_duplicate_names() {
        return Err(InputError::file(
            &origin,
            "two members have the same path (an archive added to after it was made?): akspol cannot tell which one was meant, so reads neither; make the archive again",
        ));
    }
    let names: Vec<(String, usize)> = (0..archive.len())
        .filter_map(|index| {
            let name = archive.name_for_index(index)?.ok()?;
            (!name.ends_with('/')).then(|| (clean(&name).into_owned(), index))
        })
        .collect();
    let mut ranked: Vec<(Option<u8>, String, usize)> = names
        .into_iter()
        .map(|(name, index)| {
            let file_name = name.rsplit(['/', '\\']).next().unwrap_or(&name);
            (rank(file_name), name, index)
        })
        .collect();
    // Those read first, then those read later, then those not read at all.
    ranked.sort_by(|a, b| (a.0.is_none(), a.0, &a.1).cmp(&(b.0.is_none(), b.0, &b.1)));
    let mut budget = Budget::new(limit, "the archive");
    let mut members = Vec::with_capacity(ranked.len());
    for (rank, name, index) in ranked {
        let file_name = name.rsplit(['/', '\\']).next().unwrap_or(&name).to_string();
        let member_origin = format!("{origin}!{name}");
        let text = rank.map(|_| read_member(&mut archive, index, &member_origin, &mut budget));
        members.push(Member {
            name,
            file_name,
            origin: member_origin,
            text,
        });
    }
    members.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(members)
}

/// One member's text, read within what is left of the archive's budget:
/// every byte it inflates counts, whether it decodes or not.
fn read_member<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    index: usize,
    origin: &str,
    budget: &mut Budget,
) -> Result<String, InputError> {
    let member = archive
        .by_index(index)
        .map_err(|e| InputError::file(origin, format!("cannot be read from the archive ({e})")))?;
    let size = member.size();
    match budget.read(member, size, false) {
        Ok(Some(bytes)) => decode(origin, bytes),
        Ok(None) => Err(budget.too_large(origin)),
        Err(e) => Err(InputError::file(
            origin,
            format!("cannot be read from the archive ({e})"),
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use std::io::Write;

    fn archive(dir: &Path, members: &[(&str, &[u8])]) -> std::path::PathBuf {
        let path = dir.join("bundle.zip");
        let mut writer = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        for (name, bytes) in members {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap();
        path
    }

    #[test]
    fn wanted_members_are_read_in_name_order_within_the_budget() {
        let dir = tempfile::tempdir().unwrap();
        let path = archive(
            dir.path(),
            &[
                ("b/two.txt", b"2"),
                ("a/one.txt", b"\xef\xbb\xbfone"),
                ("skip.bin", b"\x00\x01"),
            ],
        );
        let members = read_members(&path, 10_000, &|name| name.ends_with(".txt")).unwrap();
        let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["a/one.txt", "b/two.txt", "skip.bin"]);
        assert_eq!(members[0].file_name, "one.txt");
        assert_eq!(members[0].text.as_ref().unwrap().as_ref().unwrap(), "one");
        assert!(members[2].text.is_none(), "not wanted, not read");
        assert!(members[0].origin.ends_with("bundle.zip!a/one.txt"));
    }

    #[test]
    fn a_member_larger_than_what_is_left_is_refused_not_read() {
        let dir = tempfile::tempdir().unwrap();
        // 200 KB of zeros deflate to a few hundred bytes: the archive fits
        // the limit, its member does not.
        let zeros = vec![b'0'; 200_000];
        let path = archive(dir.path(), &[("big.txt", &zeros), ("small.txt", b"ok")]);
        let members = read_members(&path, 10_000, &|_| true).unwrap();
        let big = members[0].text.as_ref().unwrap().as_ref().unwrap_err();
        assert!(big.to_string().contains("larger than"), "{big}");
        assert_eq!(members[1].text.as_ref().unwrap().as_ref().unwrap(), "ok");
    }

    /// Issue 22, item 8: a member that fails to decode counted nothing
    /// against the budget, so many of them (or one inflated many times by
    /// overlapping members) inflated without end. Every byte counts.
    #[test]
    fn every_inflated_byte_counts_against_the_budget() {
        let dir = tempfile::tempdir().unwrap();
        // 40 members of 1,000 bytes of invalid UTF-8: each fails to decode.
        let bad = vec![0xFFu8; 1000];
        let names: Vec<String> = (0..40).map(|i| format!("m{i:02}.txt")).collect();
        let members: Vec<(&str, &[u8])> =
            names.iter().map(|n| (n.as_str(), bad.as_slice())).collect();
        let path = archive(dir.path(), &members);
        let read = read_members(&path, 10_500, &|_| true).unwrap();
        let errors: Vec<String> = read
            .iter()
            .map(|m| m.text.as_ref().unwrap().as_ref().unwrap_err().to_string())
            .collect();
        assert!(
            errors[..10].iter().all(|e| e.contains("invalid UTF-8")),
            "{errors:?}"
        );
        assert!(
            errors[10..]
                .iter()
                .all(|e| e.contains("bytes left of the archive's budget")),
            "{errors:?}"
        );
    }

    /// Issue 22, item 15: of two members with one path, the zip library
    /// keeps the later; the archive is refused rather than read either way.
    #[test]
    fn two_members_with_one_path_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = archive(
            dir.path(),
            &[
                ("Get-AksHciVersion.txt", b"1.0.24.11029"),
                ("Get-AksHciVersion.tx_", b"1.0.23.10605"),
            ],
        );
        // Names are not covered by any checksum: give the second the first's.
        let bytes = std::fs::read(&path).unwrap();
        let (from, to) = (b"Get-AksHciVersion.tx_", b"Get-AksHciVersion.txt");
        let mut patched = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i..].starts_with(from) {
                patched.extend_from_slice(to);
                i += from.len();
            } else {
                patched.push(bytes[i]);
                i += 1;
            }
        }
        std::fs::write(&path, patched).unwrap();
        let error = read_members(&path, 10_000, &|_| true).unwrap_err();
        assert!(
            error.to_string().contains("two members have the same path"),
            "{error}"
        );
    }

    #[test]
    fn not_a_zip_and_too_large_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.zip");
        std::fs::write(&path, b"{\"not\": \"a zip\"}").unwrap();
        let error = read_members(&path, 100, &|_| true).unwrap_err();
        assert!(error.to_string().contains("not a zip archive"), "{error}");
        let error = read_members(&path, 4, &|_| true).unwrap_err();
        assert!(
            error.to_string().contains("larger than the 4-byte limit"),
            "{error}"
        );
    }
}
