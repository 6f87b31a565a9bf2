//! A staged file may be read from the work tree instead of its blob (no inflation), but only
//! when it is byte for byte what git stored: these tests make the two differ in every way a
//! commit can see, and check that the staged content is what gets scanned.

use std::fs;
use std::time::{Duration, SystemTime};

use crate::util::{TestRepo, code, output_within, secrets, stderr};

/// Big enough for the hook to consider reading the work tree (it only does for ≥ 256 KiB).
fn filler() -> String {
    (0..12_000)
        .map(|i| format!("row {i}: nothing to see here\n"))
        .collect()
}

fn set_mtime(repo: &TestRepo, rel: &str, when: SystemTime) {
    fs::File::options()
        .write(true)
        .open(repo.path(rel))
        .expect("open")
        .set_modified(when)
        .expect("set mtime");
}

/// Sets a file's mtime an hour back, so that `git add` records it as clearly older than the
/// index (an entry modified in the index's own second is racy and never read from disk).
fn backdate(repo: &TestRepo, rel: &str) -> SystemTime {
    let when = SystemTime::now() - Duration::from_secs(3600);
    set_mtime(repo, rel, when);
    when
}

/// Stages `big.txt`, a token on its line 12001 (column 10), written an hour ago; returns its
/// content and the mtime `git add` recorded.
fn stage_big_file_with_a_token(repo: &TestRepo) -> (String, SystemTime) {
    let content = format!("{}token = \"{}\"\n", filler(), secrets::github_pat());
    repo.write("big.txt", &content);
    let recorded = backdate(repo, "big.txt");
    repo.add(&["big.txt"]);
    (content, recorded)
}

/// Where `stage_big_file_with_a_token` puts the token.
const BIG_TOKEN_AT: &str = "big.txt:12001:10";

fn assert_blocked_at(out: &std::process::Output, location: &str) {
    assert_eq!(code(out), 1, "{}", stderr(out));
    assert!(stderr(out).contains(location), "{}", stderr(out));
}

fn mkfifo(repo: &TestRepo, rel: &str) {
    let made = std::process::Command::new("mkfifo")
        .arg(repo.path(rel))
        .status()
        .expect("run mkfifo");
    assert!(made.success());
}

/// The pre-commit hook, failing the test if it has not finished within a minute (an open of a
/// FIFO would wait forever).
fn hook_within_a_minute(repo: &TestRepo) -> std::process::Output {
    output_within(
        &mut repo.leakguard_command(&repo.root, &["hook", "pre-commit"]),
        60,
    )
}

/// Removes the loose object git stored for the staged `rel`.
fn delete_staged_blob(repo: &TestRepo, rel: &str) {
    let id = repo.git_ok(&["rev-parse", &format!(":{rel}")]);
    let id = id.trim();
    fs::remove_file(repo.path(&format!(".git/objects/{}/{}", &id[..2], &id[2..])))
        .expect("the staged blob is a loose object");
}

#[test]
fn an_unchanged_file_is_read_from_the_work_tree_and_a_rewritten_one_from_the_index() {
    let repo = TestRepo::without_hook();
    let (content, _) = stage_big_file_with_a_token(&repo);
    // Without its blob, the file can only have been scanned from the work tree.
    delete_staged_blob(&repo, "big.txt");
    assert_blocked_at(&repo.leakguard(&["hook", "pre-commit"]), BIG_TOKEN_AT);

    // Rewritten with the same bytes and its old mtime: only the ctime says it changed, and
    // that is enough to go to the blob (missing here, hence the error).
    repo.write("big.txt", &content);
    backdate(&repo, "big.txt");
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("big.txt"), "{}", stderr(&out));
}

#[test]
fn a_file_edited_after_staging_is_scanned_as_staged() {
    let repo = TestRepo::without_hook();
    let (staged, recorded) = stage_big_file_with_a_token(&repo);
    // Same size, the secret gone, the mtime `git add` recorded put back.
    let secret = secrets::github_pat();
    repo.write(
        "big.txt",
        staged.replace(&secret, &"x".repeat(secret.len())),
    );
    set_mtime(&repo, "big.txt", recorded);
    assert_blocked_at(&repo.leakguard(&["hook", "pre-commit"]), BIG_TOKEN_AT);
}

/// A clean filter (as git-crypt or LFS use) makes the blob differ from the file: here the
/// work tree holds the token rot13-encoded, and the filter decodes it into the blob.
fn rot13_filtered_repo() -> TestRepo {
    let repo = TestRepo::without_hook();
    let rot13 = "tr A-Za-z N-ZA-Mn-za-m";
    repo.git_ok(&["config", "filter.rot13.clean", rot13]);
    repo.git_ok(&["config", "filter.rot13.smudge", rot13]);
    let encoded: String = secrets::github_pat()
        .chars()
        .map(|c| match c {
            'a'..='z' => (((c as u8 - b'a' + 13) % 26) + b'a') as char,
            'A'..='Z' => (((c as u8 - b'A' + 13) % 26) + b'A') as char,
            _ => c,
        })
        .collect();
    repo.write(
        "conf/app.cfg",
        format!("{}token = \"{encoded}\"\n", filler()),
    );
    backdate(&repo, "conf/app.cfg");
    repo
}

fn assert_filtered_secret_found(repo: &TestRepo) {
    repo.add(&["conf/app.cfg"]);
    let staged = repo.git_ok(&["show", ":conf/app.cfg"]);
    assert!(staged.contains(&secrets::github_pat()), "the filter ran");
    assert_blocked_at(
        &repo.leakguard(&["hook", "pre-commit"]),
        "conf/app.cfg:12001:10",
    );
}

#[test]
fn a_tracked_gitattributes_file_makes_the_blob_the_source() {
    let repo = rot13_filtered_repo();
    repo.write(".gitattributes", "*.cfg filter=rot13\n");
    repo.add(&[".gitattributes"]);
    assert_filtered_secret_found(&repo);
}

#[test]
fn an_untracked_gitattributes_file_makes_the_blob_the_source() {
    let repo = rot13_filtered_repo();
    repo.write("conf/.gitattributes", "*.cfg filter=rot13\n");
    assert_filtered_secret_found(&repo);
}

#[test]
fn attributes_decide_per_directory_which_files_are_read_from_their_blobs() {
    let repo = rot13_filtered_repo();
    repo.write("conf/.gitattributes", "*.cfg filter=rot13\n");
    // A file outside `conf/`, whose blob is gone: only the work tree can show its token, and
    // the attributes file of a directory it is not in must not send it to its blob.
    stage_big_file_with_a_token(&repo);
    delete_staged_blob(&repo, "big.txt");
    repo.add(&["conf/app.cfg"]);
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_blocked_at(&out, BIG_TOKEN_AT);
    // …while the filtered file under it is still read from its blob.
    assert!(
        stderr(&out).contains("conf/app.cfg:12001:10"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn info_attributes_make_the_blob_the_source() {
    let repo = rot13_filtered_repo();
    repo.write(".git/info/attributes", "*.cfg filter=rot13\n");
    assert_filtered_secret_found(&repo);
}

#[test]
fn global_attributes_make_the_blob_the_source() {
    let repo = rot13_filtered_repo();
    // HOME is the test's temporary directory: git's default global attributes file.
    fs::create_dir_all(repo.tmp.path().join(".config/git")).expect("mkdir");
    fs::write(
        repo.tmp.path().join(".config/git/attributes"),
        "*.cfg filter=rot13\n",
    )
    .expect("write attributes");
    assert_filtered_secret_found(&repo);
}

#[test]
fn end_of_line_conversion_makes_the_blob_the_source() {
    let repo = TestRepo::without_hook();
    repo.git_ok(&["config", "core.autocrlf", "input"]);
    repo.write("big.txt", filler());
    backdate(&repo, "big.txt");
    repo.add(&["big.txt"]);
    // The blob is what counts when git may have converted line endings: without it, an error.
    delete_staged_blob(&repo, "big.txt");
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot read the blob"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_fifo_where_the_staged_file_was_neither_blocks_nor_hides_the_secret() {
    let repo = TestRepo::without_hook();
    stage_big_file_with_a_token(&repo);
    fs::remove_file(repo.path("big.txt")).expect("rm");
    // Opening a FIFO for reading waits for a writer: a hook that did would hang the commit.
    mkfifo(&repo, "big.txt");
    assert_blocked_at(&hook_within_a_minute(&repo), BIG_TOKEN_AT);
}

/// A FIFO where leakguard's own files go never hangs the hook (opening it would wait for a
/// writer) and is never skipped either, which would change the verdict silently: the hook stops
/// at once with an error naming the file (issue 14).
#[test]
fn fifos_named_like_leakguard_files_do_not_block_the_hook() {
    let repo = TestRepo::without_hook();
    repo.write("a.env", format!("TOKEN={}\n", secrets::github_pat()));
    repo.add(&["a.env"]);
    for name in [
        ".leakguard.toml",
        ".leakguardignore",
        ".leakguard-baseline.json",
    ] {
        mkfifo(&repo, name);
        let out = hook_within_a_minute(&repo);
        assert_eq!(code(&out), 2, "{name}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(
                "error: {name}: is not a regular file (it is a FIFO)"
            )),
            "{name}: {}",
            stderr(&out)
        );
        fs::remove_file(repo.path(name)).unwrap();
    }
    assert_blocked_at(&hook_within_a_minute(&repo), "a.env:1:7");
}
