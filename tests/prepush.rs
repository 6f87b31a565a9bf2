use crate::util::{TestRepo, code, secrets, stderr, text, with_remote};

fn remote_refs(repo: &TestRepo, remote: &std::path::Path) -> String {
    repo.git_ok(&["ls-remote", remote.to_str().unwrap()])
}

fn rev(repo: &TestRepo, spec: &str) -> String {
    repo.git_ok(&["rev-parse", spec]).trim().to_string()
}

/// Pushes main through the hook, which must let it through with `summary` in its report.
fn push_main_passes_with(repo: &TestRepo, summary: &str) {
    let out = repo.git(&["push", "origin", "main"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains(summary), "expected {summary:?}: {err}");
}

#[test]
fn a_new_branch_with_a_secret_in_an_intermediate_commit_is_blocked() {
    let (repo, remote) = with_remote();
    repo.git_ok(&["checkout", "-q", "-b", "feature"]);
    repo.write("a.txt", "one\n");
    repo.add(&["a.txt"]);
    repo.commit_unchecked("clean one");
    repo.write("config.env", format!("TOKEN={}\n", secrets::github_pat()));
    repo.add(&["config.env"]);
    repo.commit_unchecked("add config");
    let parent = rev(&repo, "HEAD~1");
    let added_in = rev(&repo, "HEAD");
    repo.git_ok(&["rm", "-q", "config.env"]);
    repo.commit_unchecked("remove config again");

    let out = repo.git(&["push", "origin", "feature"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        !remote_refs(&repo, &remote).contains("refs/heads/feature"),
        "the remote ref must not be created"
    );
    assert!(
        err.contains("push blocked: 1 secret in commits about to be pushed"),
        "{err}"
    );
    assert!(err.contains("config.env:1:7"), "{err}");
    assert!(
        err.contains(&format!(
            "added in {} add config (Test Author <author@example.com>)",
            &added_in[..10]
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("git rebase -i {}", &parent[..10])),
        "rebase from the parent: {err}"
    );
    assert!(err.contains("git push --no-verify"), "{err}");
    assert!(
        err.contains("(3 commits, 2 files, 2 added lines"),
        "the deletion adds no file: {err}"
    );
}

#[test]
fn commits_already_on_the_remote_are_not_scanned_again() {
    let (repo, remote) = with_remote();
    repo.write("old.env", format!("TOKEN={}\n", secrets::github_pat()));
    repo.add(&["old.env"]);
    repo.commit_unchecked("already public");
    repo.git_ok(&["push", "-q", "--no-verify", "origin", "main"]);
    repo.write("new.txt", "clean\n");
    repo.add(&["new.txt"]);
    repo.commit_unchecked("clean");
    push_main_passes_with(&repo, "no secrets found (1 commit, 1 file, 1 added line");
    assert!(remote_refs(&repo, &remote).contains(&rev(&repo, "HEAD")));
}

#[test]
fn deleting_a_branch_scans_nothing() {
    let (repo, remote) = with_remote();
    repo.git_ok(&["checkout", "-q", "-b", "doomed"]);
    repo.write("s.env", format!("TOKEN={}\n", secrets::github_pat()));
    repo.add(&["s.env"]);
    repo.commit_unchecked("secret");
    repo.git_ok(&["push", "-q", "--no-verify", "origin", "doomed"]);
    let out = repo.git(&["push", "origin", "--delete", "doomed"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!remote_refs(&repo, &remote).contains("refs/heads/doomed"));
}

#[test]
fn pushing_a_tag_scans_the_commits_it_brings() {
    let (repo, remote) = with_remote();
    repo.git_ok(&["checkout", "-q", "-b", "release"]);
    repo.write("key.pem.txt", format!("aws {}\n", secrets::aws_key_id()));
    repo.add(&["key.pem.txt"]);
    repo.commit_unchecked("release prep");
    repo.git_ok(&["tag", "-a", "v1.0", "-m", "version 1.0"]);
    repo.git_ok(&["tag", "light"]);
    for tag in ["v1.0", "light"] {
        let out = repo.git(&["push", "origin", tag]);
        assert!(!out.status.success(), "{tag}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("key.pem.txt:1:5"),
            "{tag}: {}",
            stderr(&out)
        );
        assert!(!remote_refs(&repo, &remote).contains(&format!("refs/tags/{tag}")));
    }
}

#[test]
fn a_force_push_over_commits_we_never_fetched() {
    let (repo, remote) = with_remote();
    // Someone else pushes a commit we do not have.
    let other = TestRepo::empty();
    other.git_ok(&["clone", "-q", remote.to_str().unwrap(), "."]);
    other.write("theirs.txt", "theirs\n");
    other.add(&["theirs.txt"]);
    other.commit_unchecked("their commit");
    other.git_ok(&["push", "-q", "origin", "main"]);
    let theirs = rev(&other, "HEAD");
    assert!(
        !repo.git(&["cat-file", "-e", &theirs]).status.success(),
        "we never fetched it"
    );

    repo.write("mine.env", format!("K={}\n", secrets::github_pat()));
    repo.add(&["mine.env"]);
    repo.commit_unchecked("mine");
    let out = repo.git(&["push", "--force", "origin", "main"]);
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("mine.env:1:3"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("(1 commit, 1 file, 1 added line"),
        "only our commit: {}",
        stderr(&out)
    );
    assert!(
        remote_refs(&repo, &remote).contains(&theirs),
        "the remote keeps their commit"
    );

    repo.write("mine.env", "K=from-vault\n");
    repo.add(&["mine.env"]);
    repo.git_ok(&[
        "commit",
        "-q",
        "--amend",
        "--no-verify",
        "-m",
        "mine, clean",
    ]);
    let out = repo.git(&["push", "--force", "origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A branch `topic` whose one commit adds topic.env holding a secret; returns that commit.
fn topic_with_a_secret(repo: &TestRepo) -> String {
    repo.git_ok(&["checkout", "-q", "-b", "topic"]);
    repo.write("topic.env", format!("T={}\n", secrets::github_pat()));
    repo.add(&["topic.env"]);
    repo.commit_unchecked("topic secret");
    rev(repo, "HEAD")
}

/// One more commit on main (main.txt), then `topic` merged into it (a merge commit).
fn merge_topic_after_main_work(repo: &TestRepo) {
    merge_after_main_work(repo, &["topic"]);
}

/// One more commit on main (main.txt), then `branches` merged into it in one merge commit.
fn merge_after_main_work(repo: &TestRepo, branches: &[&str]) {
    repo.git_ok(&["checkout", "-q", "main"]);
    repo.write("main.txt", "main work\n");
    repo.add(&["main.txt"]);
    repo.commit_unchecked("main work");
    let mut merge = vec!["merge", "-q", "--no-edit", "--no-ff"];
    merge.extend_from_slice(branches);
    repo.git_ok(&merge);
}

/// How many parents HEAD has.
fn head_parents(repo: &TestRepo) -> usize {
    repo.git_ok(&["rev-list", "--parents", "-n1", "HEAD"])
        .split_whitespace()
        .count()
        - 1
}

#[test]
fn a_merge_attributes_the_secret_to_the_commit_that_added_it() {
    let (repo, _remote) = with_remote();
    let base = rev(&repo, "HEAD");
    let topic = topic_with_a_secret(&repo);
    merge_topic_after_main_work(&repo);
    let head = rev(&repo, "HEAD");

    let stdin = format!("refs/heads/main {head} refs/heads/main {base}\n");
    let out = run_pre_push(&repo, &stdin, &["--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = text(&out.stdout);
    assert_eq!(
        report
            .matches("\"detector\": \"github-pat-classic\"")
            .count(),
        1,
        "once: {report}"
    );
    assert!(
        report.contains(&format!("\"id\": \"{topic}\"")),
        "attributed to the topic commit: {report}"
    );
    assert!(
        report.contains("\"commits\": 3"),
        "topic, main work and the merge: {report}"
    );
}

#[test]
fn a_merge_does_not_rescan_a_branch_the_remote_already_has() {
    let (repo, remote) = with_remote();
    topic_with_a_secret(&repo);
    // Already on the remote: pushing it again would not un-leak it.
    repo.git_ok(&["push", "-q", "--no-verify", "origin", "topic"]);
    merge_topic_after_main_work(&repo);
    let head = rev(&repo, "HEAD");

    // The merge holds topic.env exactly as the topic branch does: it added none of its lines.
    // Scanned: main work and the merge, which adds no file of its own.
    push_main_passes_with(&repo, "(2 commits, 1 file, 1 added line");
    assert!(remote_refs(&repo, &remote).contains(&head));
}

/// As above, with the branch's file in a subdirectory: the merge finds it held by that side
/// through the side's trees, path component by path component.
#[test]
fn a_merge_does_not_rescan_a_nested_file_the_remote_already_has() {
    let (repo, _remote) = with_remote();
    repo.git_ok(&["checkout", "-q", "-b", "topic"]);
    repo.write(
        "config/deep/topic.env",
        format!("TOKEN={}\n", secrets::github_pat()),
    );
    repo.add(&["config/deep/topic.env"]);
    repo.commit_unchecked("topic secret, nested");
    repo.git_ok(&["push", "-q", "--no-verify", "origin", "topic"]);
    merge_topic_after_main_work(&repo);

    // Scanned: main work and the merge, which adds no file of its own.
    push_main_passes_with(&repo, "(2 commits, 1 file, 1 added line");
}

#[test]
fn an_octopus_merge_leaves_each_branch_to_its_own_commits() {
    let (repo, _remote) = with_remote();
    let base = rev(&repo, "HEAD");
    let mut tips = Vec::new();
    for (branch, token) in [
        ("one", secrets::github_pat()),
        ("two", secrets::github_pat_2()),
    ] {
        repo.git_ok(&["checkout", "-q", "-b", branch, &base]);
        repo.write(&format!("{branch}.env"), format!("T={token}\n"));
        repo.add(&[&format!("{branch}.env")]);
        repo.commit_unchecked(branch);
        tips.push(rev(&repo, "HEAD"));
    }
    merge_after_main_work(&repo, &["one", "two"]);
    let head = rev(&repo, "HEAD");
    assert_eq!(head_parents(&repo), 3);

    let stdin = format!("refs/heads/main {head} refs/heads/main {base}\n");
    let out = run_pre_push(&repo, &stdin, &["--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = text(&out.stdout);
    for tip in &tips {
        assert!(report.contains(&format!("\"id\": \"{tip}\"")), "{report}");
    }
    assert!(!report.contains(&format!("\"id\": \"{head}\"")), "{report}");
    // one.env and two.env each once, in its branch's commit; the merge reads neither.
    assert!(report.contains("\"files\": 3"), "{report}");
}

#[test]
fn a_range_from_the_merged_branch_holds_nothing_of_it() {
    let (repo, _remote) = with_remote();
    topic_with_a_secret(&repo);
    merge_topic_after_main_work(&repo);

    // What main has that topic lacks: main work and the merge, which took topic.env as the
    // topic had it.
    let out = repo.leakguard(&["scan", "--git", "topic..main", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        text(&out.stdout).contains("\"commits\": 2"),
        "{}",
        text(&out.stdout)
    );
    // The whole history holds it, at the topic's commit.
    let out = repo.leakguard(&["scan", "--git", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(text(&out.stdout).contains("\"path\": \"topic.env\""));
}

#[test]
fn a_shallow_clone_scans_a_merge_whose_sides_are_boundaries() {
    let (repo, remote) = with_remote();
    topic_with_a_secret(&repo);
    merge_topic_after_main_work(&repo);
    repo.git_ok(&["push", "-q", "--no-verify", "origin", "main"]);
    let merge = rev(&repo, "HEAD");

    // How CI checks out a pull request's merge: the merge and its two parents, both boundary
    // commits that are never diffed. The topic's lines are then the merge's to report.
    let shallow = TestRepo::empty();
    let url = format!("file://{}", remote.display());
    shallow.git_ok(&["clone", "-q", "--depth", "2", &url, "."]);
    let out = shallow.leakguard(&["scan", "--git", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = text(&out.stdout);
    assert!(report.contains("\"path\": \"topic.env\""), "{report}");
    assert!(
        report.contains(&format!("\"id\": \"{merge}\"")),
        "at the merge: {report}"
    );
}

#[test]
fn a_merge_is_scanned_for_what_it_added_itself() {
    let (repo, _remote) = with_remote();
    let base = rev(&repo, "HEAD");
    repo.write("conf.txt", "mode = base\n");
    repo.add(&["conf.txt"]);
    repo.commit_unchecked("conf");
    repo.git_ok(&["checkout", "-q", "-b", "topic"]);
    repo.write("conf.txt", "mode = topic\n");
    repo.write("topic.txt", "topic work\n");
    repo.add(&["conf.txt", "topic.txt"]);
    repo.commit_unchecked("topic");
    repo.git_ok(&["checkout", "-q", "main"]);
    repo.write("conf.txt", "mode = main\n");
    repo.add(&["conf.txt"]);
    repo.commit_unchecked("main");
    // Both sides changed conf.txt: the resolution is the merge's own, and so is a file that
    // neither side has.
    let merge = repo.git(&["merge", "-q", "--no-ff", "--no-commit", "topic"]);
    assert!(!merge.status.success(), "a conflict: {}", stderr(&merge));
    repo.write("conf.txt", format!("token = {}\n", secrets::github_pat()));
    repo.write("evil.env", format!("T={}\n", secrets::github_pat_2()));
    repo.add(&["conf.txt", "evil.env"]);
    repo.git_ok(&["commit", "-q", "--no-verify", "--no-edit"]);
    let head = rev(&repo, "HEAD");
    assert_eq!(head_parents(&repo), 2);

    let stdin = format!("refs/heads/main {head} refs/heads/main {base}\n");
    let out = run_pre_push(&repo, &stdin, &["--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = text(&out.stdout);
    assert_eq!(report.matches("\"fingerprint\"").count(), 2, "{report}");
    assert_eq!(
        report.matches(&format!("\"id\": \"{head}\"")).count(),
        2,
        "both at the merge: {report}"
    );
    assert!(report.contains("\"path\": \"conf.txt\""), "{report}");
    assert!(report.contains("\"path\": \"evil.env\""), "{report}");
    // topic.txt came from the topic branch as it stands: scanned in the topic commit only.
    assert!(report.contains("\"commits\": 4"), "{report}");
    assert!(
        report.contains("\"files\": 6"),
        "conf.txt, topic's 2, main's 1, the merge's 2: {report}"
    );
}

#[test]
fn a_secret_touched_again_later_is_reported_once_at_its_first_commit() {
    let (repo, _remote) = with_remote();
    let base = rev(&repo, "HEAD");
    let t = secrets::github_pat();
    repo.write("c.py", format!("TOKEN = '{t}'\n"));
    repo.add(&["c.py"]);
    repo.commit_unchecked("first");
    let first = rev(&repo, "HEAD");
    repo.write("c.py", format!("TOKEN = '{t}'  # used by the importer\n"));
    repo.add(&["c.py"]);
    repo.commit_unchecked("second");
    let head = rev(&repo, "HEAD");
    let out = run_pre_push(
        &repo,
        &format!("refs/heads/main {head} refs/heads/main {base}\n"),
        &["--format", "json"],
    );
    let report = text(&out.stdout);
    assert_eq!(report.matches("\"fingerprint\"").count(), 1, "{report}");
    assert!(report.contains(&format!("\"id\": \"{first}\"")), "{report}");
}

#[test]
fn a_shallow_clone_pushes_without_errors() {
    let (repo, remote) = with_remote();
    for i in 0..3 {
        repo.write(&format!("f{i}.txt"), format!("{i}\n"));
        repo.add(&[&format!("f{i}.txt")]);
        repo.commit_unchecked(&format!("c{i}"));
    }
    repo.git_ok(&["push", "-q", "--no-verify", "origin", "main"]);

    let shallow = TestRepo::empty();
    let url = format!("file://{}", remote.display());
    shallow.git_ok(&["clone", "-q", "--depth", "1", &url, "."]);
    assert_eq!(
        shallow
            .git_ok(&["rev-parse", "--is-shallow-repository"])
            .trim(),
        "true"
    );
    shallow.install_hook("pre-push");
    shallow.write("clean.txt", "clean\n");
    shallow.add(&["clean.txt"]);
    shallow.commit_unchecked("clean");
    let out = shallow.git(&["push", "origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // A new branch from the shallow clone: its walk reaches the shallow boundary.
    shallow.git_ok(&["checkout", "-q", "-b", "from-shallow"]);
    shallow.write("s.env", format!("S={}\n", secrets::github_pat()));
    shallow.add(&["s.env"]);
    shallow.commit_unchecked("secret");
    let out = shallow.git(&["push", "origin", "from-shallow"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("s.env:1:3"), "{err}");
    assert!(!err.contains("leakguard: error"), "{err}");

    // Pushed to a URL, nothing is known to be on the remote: the walk reaches the shallow
    // boundary, which is skipped rather than diffed against nothing.
    let out = shallow.git(&["push", &url, "from-shallow:refs/heads/other"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("s.env:1:3"), "{err}");
    assert!(err.contains("1 shallow boundary not diffed"), "{err}");
    assert!(!err.contains("leakguard: error"), "{err}");
    assert_eq!(
        err.matches("secret ghp_").count(),
        1,
        "only the new secret: {err}"
    );
}

#[test]
fn two_refs_in_one_push() {
    let (repo, remote) = with_remote();
    repo.git_ok(&["checkout", "-q", "-b", "clean-branch"]);
    repo.write("ok.txt", "ok\n");
    repo.add(&["ok.txt"]);
    repo.commit_unchecked("ok");
    repo.git_ok(&["checkout", "-q", "-b", "dirty-branch", "main"]);
    repo.write("bad.env", format!("B={}\n", secrets::github_pat()));
    repo.add(&["bad.env"]);
    repo.commit_unchecked("bad");
    let out = repo.git(&["push", "origin", "clean-branch", "dirty-branch"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.matches("bad.env:1:3").count(), 1, "{err}");
    let refs = remote_refs(&repo, &remote);
    assert!(
        !refs.contains("clean-branch") && !refs.contains("dirty-branch"),
        "git pushes all or nothing: {refs}"
    );
}

#[test]
fn malformed_stdin_is_an_error() {
    let (repo, _remote) = with_remote();
    let out = run_pre_push(&repo, "refs/heads/main not-a-sha\n", &[]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).starts_with("leakguard: error: malformed pre-push input line"),
        "{}",
        stderr(&out)
    );
}

fn run_pre_push(repo: &TestRepo, stdin: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["hook", "pre-push", "origin", "url"];
    args.extend_from_slice(extra);
    repo.leakguard_with_stdin(&args, stdin)
}
