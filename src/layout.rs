//! The files to write for a result, and where: the one layout the CLI writes into its output
//! folder and the page puts in its zip.
//!
//! Each file is a path relative to the output folder and a `source`: a JSON pointer
//! (RFC 6901) into the result to the string the file holds, or `""` (the whole result) for
//! `result.json`, which holds the result itself as JSON text. A path is checked here once,
//! so that neither the CLI nor the page has to: `/`-separated, relative, without `.` or `..`
//! segments, backslashes, control characters or segments over 255 bytes, and no path equals
//! another or lies inside another (compared ignoring case, as macOS and Windows file systems
//! compare names).
//!
//! The module's own files go where the module call's `source` points when it is a local path
//! (`./` or `../`, as Terraform tells local paths from registry addresses) that stays inside
//! the output folder, and into `modules/iam_metaflow/` for any other source (a registry or
//! Git address: the module is published from there). A local path that cannot be a folder
//! of the output (it climbs out of it, is the folder itself, collides with another file, has
//! a backslash) gets a `module_source_folder` warning, and the module's files are left out:
//! the module call stays valid Terraform, but where its module lives is the user's to say.

use serde::Serialize;
use tsify::Tsify;

use crate::diagnostics::{quoted, At, Code, Diagnostic, Diagnostics};
use crate::hcl::ModuleFiles;
use crate::inputs::Options;
use crate::roles::{Role, RoleKey};

/// One file to write: where, and which string of the result it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct OutputFile {
    /// The file's path relative to the output folder, `/`-separated: `main.tf`,
    /// `shared-modules/wrapped/iam_metaflow/variables.tf`, `policies/batch_job.trust.json`.
    pub path: String,
    /// What the file holds: an RFC 6901 JSON pointer into the result to a string
    /// (`/hcl/module_call`, `/roles/0/assume_role_policy/json`), or `""`, the whole result,
    /// for `result.json`: the result as JSON text with a 2-space indent and a final newline
    /// (`JSON.stringify(result, null, 2) + "\n"`).
    pub source: String,
}

/// Where the module's files go when module_source is not a local path.
const DEFAULT_MODULE_FOLDER: &str = "modules/iam_metaflow";

/// The CLI's record of the files it wrote (bin/write-files.mjs): not a file of the result,
/// but no module folder may take its place.
pub(crate) const CLI_MANIFEST: &str = ".iam-metaflow.json";

/// The longest file or folder name most file systems take, in bytes.
const NAME_MAX: usize = 255;

/// The files of a result for `options` and `roles` (the roles of the result, in its order).
pub(crate) fn files(options: &Options, roles: &[Role]) -> Vec<OutputFile> {
    let roles = roles.iter().map(|r| (r.key, r.inline_policy.is_some()));
    let mut files = fixed_files(roles.enumerate());
    if let Ok(folder) = module_folder(options) {
        files.splice(1..1, module_files(&folder));
    }
    files
}

/// The `module_source_folder` warning when module_source is a local path that cannot be the
/// module's folder in the output.
pub(crate) fn check_module_source(options: &Options, out: &mut Diagnostics) {
    if let Err(reason) = module_folder(options) {
        out.add(Code::ModuleSourceFolder, || {
            Diagnostic::at(
                Code::ModuleSourceFolder,
                &At::ROOT.attr("options").attr("module_source"),
                format!(
                    "module_source {} {reason}, so the module's files are left out of the \
                     files to write (the CLI refuses to write, the page's zip leaves them out)",
                    quoted(&options.module_source)
                ),
            )
            .with_help(
                "use a relative path inside the output folder, such as \
                 \"./modules/iam_metaflow\", or write hcl.module's files where the path \
                 points yourself",
            )
        });
    }
}

/// Every file but the module's: the module call, the resources, the integrations, each
/// policy document, `result.json`. `roles` are (position in the result, key, whether it has
/// an inline policy).
fn fixed_files(roles: impl Iterator<Item = (usize, (RoleKey, bool))>) -> Vec<OutputFile> {
    let file = |path: String, source: String| OutputFile { path, source };
    let mut files = vec![
        file("main.tf".to_owned(), "/hcl/module_call".to_owned()),
        file("resources/main.tf".to_owned(), "/hcl/resources".to_owned()),
        file(
            "integrations.tf.example".to_owned(),
            "/hcl/integrations".to_owned(),
        ),
    ];
    for (i, (key, inline)) in roles {
        let key = key.as_str();
        files.push(file(
            format!("policies/{key}.trust.json"),
            format!("/roles/{i}/assume_role_policy/json"),
        ));
        if inline {
            files.push(file(
                format!("policies/{key}.inline.json"),
                format!("/roles/{i}/inline_policy/json"),
            ));
        }
    }
    files.push(file("result.json".to_owned(), String::new()));
    files
}

/// The module's five files in `folder`.
fn module_files(folder: &str) -> Vec<OutputFile> {
    ModuleFiles::NAMES
        .iter()
        .map(|name| OutputFile {
            path: format!("{folder}/{name}"),
            source: format!("/hcl/module/{name}"),
        })
        .collect()
}

/// The folder of the module's files for `options`; why module_source cannot be one when it
/// is a local path that cannot.
///
/// The files it must not collide with are those of the largest role set (every role, with
/// the inline policy): whether a folder is refused does not depend on the inputs, so
/// `validate` and `generate` agree, and the same options always give the same layout.
fn module_folder(options: &Options) -> Result<String, &'static str> {
    let source = options.module_source.as_str();
    if !(source.starts_with("./") || source.starts_with("../")) {
        return Ok(DEFAULT_MODULE_FOLDER.to_owned());
    }
    let folder = local_folder(source)?;
    let every_role = RoleKey::ALL.into_iter().map(|key| (key, true));
    let mut others = fixed_files(every_role.enumerate());
    others.push(OutputFile {
        path: CLI_MANIFEST.to_owned(),
        source: String::new(),
    });
    if collide(others.iter().chain(&module_files(&folder))) {
        return Err("names a folder that is, holds or lies inside another file of the output");
    }
    Ok(folder)
}

/// The folder a local path (`./a/../b/`) names inside the output folder, normalized (`b`).
fn local_folder(source: &str) -> Result<String, &'static str> {
    if source.contains('\\') {
        return Err("has a backslash, which is a separator on Windows and a name elsewhere");
    }
    if source.chars().any(char::is_control) {
        return Err("has a control character");
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in source.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Err("leads out of the output folder");
                }
            }
            name if name.len() > NAME_MAX => {
                return Err("has a name over 255 bytes, more than file systems take");
            }
            name => segments.push(name),
        }
    }
    if segments.is_empty() {
        return Err("is the output folder itself, where the module call's main.tf goes");
    }
    Ok(segments.join("/"))
}

/// Whether two of `files` have the same path, or one's path is a folder of another's,
/// ignoring case. Every pair is compared: there are about twenty files.
fn collide<'a>(files: impl Iterator<Item = &'a OutputFile>) -> bool {
    let paths: Vec<String> = files.map(|f| crate::validate::lowercase(&f.path)).collect();
    paths.iter().enumerate().any(|(i, a)| {
        paths.iter().skip(i + 1).any(|b| {
            let inside = |outer: &str, inner: &str| {
                inner
                    .strip_prefix(outer)
                    .is_some_and(|rest| rest.starts_with('/'))
            };
            a == b || inside(a, b) || inside(b, a)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(module_source: &str) -> Options {
        Options {
            module_source: module_source.to_owned(),
            ..Options::default()
        }
    }

    fn folder(module_source: &str) -> Result<String, &'static str> {
        module_folder(&options(module_source))
    }

    #[test]
    fn local_sources_inside_the_output_are_the_module_folder() {
        assert_eq!(
            folder("./shared-modules/wrapped/iam_metaflow").as_deref(),
            Ok("shared-modules/wrapped/iam_metaflow")
        );
        assert_eq!(folder("./a/./b/../c/").as_deref(), Ok("a/c"));
        assert_eq!(folder("./policies").as_deref(), Ok("policies"));
        assert_eq!(folder("./resources/iam").as_deref(), Ok("resources/iam"));
        // Registry and Git addresses, and anything not local: the default folder.
        for source in [
            "terraform-aws-modules/iam/aws",
            "git::https://example.com/iam.git//modules/x?ref=v1",
            "/abs/path",
            "..\\evil",
        ] {
            assert_eq!(folder(source).as_deref(), Ok("modules/iam_metaflow"));
        }
    }

    #[test]
    fn local_sources_that_cannot_be_a_folder_of_the_output_are_refused() {
        for source in [
            "./",
            "./.",
            "./a/..",
            "../x",
            "./a/../../x",
            "./..\\..\\evil",
            "./a\\b",
            "./a\u{0}b",
            "./a\nb",
            "./resources",
            "./Resources",
            "./main.tf",
            "./RESULT.JSON",
            "./integrations.tf.example",
            "./policies/batch_job.trust.json",
            "./policies/SPOT_FLEET.TRUST.JSON",
            "./.iam-metaflow.json",
        ] {
            assert!(folder(source).is_err(), "{source:?}");
        }
        assert!(folder(&format!("./{}", "a".repeat(256))).is_err());
        assert!(folder(&format!("./{}", "a".repeat(255))).is_ok());
    }

    #[test]
    fn paths_collide_when_equal_or_nested_ignoring_case() {
        let file = |path: &str| OutputFile {
            path: path.to_owned(),
            source: String::new(),
        };
        let check = |paths: &[&str]| {
            let files: Vec<OutputFile> = paths.iter().map(|p| file(p)).collect();
            collide(files.iter())
        };
        assert!(check(&["a/b", "A/B"]));
        assert!(check(&["a", "a/b"]));
        assert!(check(&["a", "a-x", "a.y", "a/b"]));
        assert!(!check(&["a", "ab/c", "a-b"]));
        assert!(!check(&["main.tf", "resources/main.tf", "x/main.tf"]));
    }
}
