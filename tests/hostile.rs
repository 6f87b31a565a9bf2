//! Hostile and unusual repositories, each through the real binary: huge files and indexes, deep
//! trees, links, submodules, sparse and split indexes, locks, SHA-256, shallow and bare
//! repositories, corrupt objects, non-UTF-8 paths and floods of findings. Whatever the
//! repository, the hook either gives the right answer or blocks with a one-line reason and hints.

use std::fs;
use std::path::Path;
use std::process::Output;

use crate::util::{TestRepo, assert_blocking_error, code, secrets, stderr, text};

/// Exit 2 with a one-line reason, hints (the bypass last), and no panic or backtrace.
fn assert_one_line_error(out: &Output, reason: &str) {
    assert_blocking_error(out, reason);
}

/// Paths the report shows at `:line:` (the human report's location column).
fn reported_paths(err: &str) -> Vec<String> {
    let mut paths: Vec<String> = err
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .filter_map(|l| l.split_once("  ").map(|(place, _)| place))
        .filter_map(|place| {
            let mut parts = place.rsplitn(3, ':');
            let (_col, _line) = (parts.next()?, parts.next()?);
            parts.next().map(String::from)
        })
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

#[test]
fn a_200_mb_minified_line_with_a_key_in_it() {
    let repo = TestRepo::new();
    // Minified-JavaScript-like text on one line, full of words that are detector keywords
    // (`apiKey`, `token`, `secret`), so the verification windows of many detectors merge
    // across the whole line; the key sits three quarters of the way in.
    const WORDS: &[&str] = &[
        "var ",
        "function(",
        "return ",
        "apiKey=",
        "token:",
        "this.",
        "null,",
        "e.push(",
        "t&&",
        "secret?",
        "key]",
        "n||",
        "r[",
        "i=0;",
        "o.length;",
        "a}",
        "s{",
    ];
    let size = 200 << 20;
    let mut line = String::with_capacity(size + 64);
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let token = secrets::github_pat();
    let mut column = 0;
    while line.len() < size {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        line.push_str(WORDS[(x % WORDS.len() as u64) as usize]);
        if column == 0 && line.len() >= size / 4 * 3 {
            line.push('"');
            column = line.len() + 1;
            line.push_str(&token);
            line.push('"');
        }
    }
    repo.write("dist/app.min.js", &line);
    drop(line);
    repo.git_ok(&["-c", "core.looseCompression=1", "add", "dist/app.min.js"]);
    let out = repo.commit("minified bundle");
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert_eq!(repo.head(), None, "nothing committed");
    assert!(
        err.contains("1 secret in staged changes (1 file, 1 added line"),
        "{err}"
    );
    assert!(
        err.contains(&format!("dist/app.min.js:1:{column}")),
        "{err}"
    );
    assert!(!err.contains(&token), "{err}");
}

#[test]
fn a_hundred_thousand_files_staged_at_once() {
    let repo = TestRepo::new();
    for d in 0..1000 {
        let dir = repo.path(&format!("src/m{d:03}"));
        fs::create_dir_all(&dir).unwrap();
        for f in 0..100 {
            let body = match (d, f) {
                (17, 3) | (500, 99) | (999, 0) => {
                    format!(
                        "// module {d}\nconst key = '{}';\n",
                        secrets::github_pat_n(d)
                    )
                }
                _ => format!("// module {d} file {f}\nexport const n = {f};\n"),
            };
            fs::write(dir.join(format!("f{f:02}.js")), body).unwrap();
        }
    }
    repo.git_ok(&["-c", "core.looseCompression=1", "add", "-A"]);
    let out = repo.leakguard(&["hook", "pre-commit"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(
        err.contains("3 secrets in staged changes (100000 files, 200000 added lines"),
        "{err}"
    );
    assert_eq!(
        reported_paths(&err),
        ["src/m017/f03.js", "src/m500/f99.js", "src/m999/f00.js"]
    );
}

#[test]
fn deep_directory_nesting() {
    // 300 levels on disk, committed through git and the hook.
    let repo = TestRepo::new();
    let deep = "d/".repeat(300);
    repo.write(&format!("{deep}ok.txt"), "fine\n");
    repo.add(&["."]);
    assert!(repo.commit("deep").status.success());
    repo.write(
        &format!("{deep}key.env"),
        format!("TOKEN={}\n", secrets::github_pat()),
    );
    repo.add(&["."]);
    let err = stderr(&repo.commit("deep secret"));
    assert!(err.contains(&format!("{deep}key.env:1:7")), "{err}");

    // 5 000 levels: more than git itself will check out (core.maxTreeDepth), but a history can
    // hold it; `scan --git` must read it (gix recurses: this needs the large stack).
    let hostile = TestRepo::without_hook();
    let token = secrets::github_pat_2();
    let content = format!("T={token}\n");
    let path = format!("{}f.txt", "d/".repeat(5000));
    let stream = format!(
        "blob\nmark :1\ndata {}\n{content}\ncommit refs/heads/main\ncommitter A <a@example.com> 0 +0000\ndata 5\ndeep\nM 100644 :1 {path}\n\n",
        content.len()
    );
    let mut child = std::process::Command::new("git");
    crate::util::hygienic(&mut child, hostile.tmp.path());
    let mut child = child
        .args(["fast-import", "--quiet"])
        .current_dir(&hostile.root)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    let out = hostile.leakguard(&["scan", "--git", "main"]);
    let report = text(&out.stdout);
    assert_eq!(code(&out), 1, "{report}{}", stderr(&out));
    assert!(report.contains(&format!("{path}:1:3")), "{report}");
}

#[test]
fn symlinks_are_not_followed() {
    let repo = TestRepo::new();
    // A link to a file outside the repository that holds a secret, and a link whose target
    // text looks like a token: git stores only the target path, and neither is scanned.
    let outside = repo.tmp.path().join("outside.env");
    fs::write(&outside, format!("T={}\n", secrets::github_pat())).unwrap();
    std::os::unix::fs::symlink(&outside, repo.path("linked.env")).unwrap();
    std::os::unix::fs::symlink(secrets::github_pat_2(), repo.path("odd-link")).unwrap();
    repo.add(&["linked.env", "odd-link"]);
    let out = repo.commit("links");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("(0 files"), "{}", stderr(&out));

    // A link replaced by a regular file: the file is new content and is scanned whole.
    fs::remove_file(repo.path("linked.env")).unwrap();
    repo.write("linked.env", format!("T={}\n", secrets::aws_key_id()));
    repo.add(&["linked.env"]);
    let head = repo.head();
    let err = stderr(&repo.commit("link to file"));
    assert_eq!(repo.head(), head);
    assert!(err.contains("linked.env:1:3"), "{err}");
}

#[test]
fn submodules() {
    let sub = TestRepo::without_hook();
    sub.write("lib.txt", "library\n");
    sub.add(&["lib.txt"]);
    sub.commit_unchecked("lib");
    let repo = TestRepo::new();
    repo.git_ok(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        sub.root.to_str().unwrap(),
        "vendor/lib",
    ]);
    // The superproject records a gitlink, not the submodule's files.
    let out = repo.commit("add submodule");
    assert!(out.status.success(), "{}", stderr(&out));

    // Inside the submodule (a `.git` file pointing into the superproject's .git/modules), the
    // submodule's own index is what a commit there would take.
    let inside = repo.path("vendor/lib");
    fs::write(
        inside.join("lib.txt"),
        format!("library\nkey={}\n", secrets::github_pat()),
    )
    .unwrap();
    repo.git_in(&inside, &["add", "lib.txt"]);
    let out = repo.leakguard_in(&inside, &["hook", "pre-commit"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("lib.txt:2:5"), "{}", stderr(&out));
    // The superproject's hook sees only the moved gitlink once it is staged.
    repo.git_in(&inside, &["commit", "-q", "--no-verify", "-m", "secret"]);
    repo.add(&["vendor/lib"]);
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

/// A cone-mode sparse checkout with a sparse index: directories outside the cone are single
/// index entries (trees), which the staged walk must compare with HEAD tree to tree.
#[test]
fn sparse_checkout_with_a_sparse_index() {
    let repo = TestRepo::new();
    repo.write("app/main.py", "print('hi')\n");
    for i in 0..300 {
        repo.write(&format!("vendor/pkg/f{i:03}.py"), format!("x = {i}\n"));
    }
    repo.write(
        "vendor/pkg/settings.py",
        format!("OLD = '{}'\n", secrets::github_pat()),
    );
    repo.git_ok(&["add", "-A"]);
    repo.commit_unchecked("base with an old secret");
    let old = fs::read_to_string(repo.path("vendor/pkg/settings.py")).unwrap();
    repo.write(
        "vendor/pkg/settings.py",
        format!("{old}DEBUG = False\nNEW = '{}'\n", secrets::github_pat_2()),
    );
    repo.write("vendor/pkg/added.py", "y = 1\n");
    repo.git_ok(&["add", "-A"]);
    repo.commit_unchecked("change inside vendor");
    repo.git_ok(&["sparse-checkout", "init", "--cone", "--sparse-index"]);
    repo.git_ok(&["sparse-checkout", "set", "app"]);
    // Now HEAD moves back while the index keeps `vendor/` as a sparse directory entry whose
    // tree differs from HEAD's: the new lines must be found, the old secret must not.
    repo.git_ok(&["reset", "-q", "--soft", "HEAD~1"]);
    let listing = repo.git_ok(&["ls-files", "--sparse"]);
    assert!(listing.lines().any(|l| l == "vendor/"), "{listing}");
    let out = repo.leakguard(&["hook", "pre-commit"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(
        err.contains("1 secret in staged changes (2 files, 3 added lines"),
        "{err}"
    );
    assert!(err.contains("vendor/pkg/settings.py:3:8"), "{err}");

    // Inside the cone, a normal staged change is found as usual.
    repo.git_ok(&["commit", "-q", "--no-verify", "-m", "again"]);
    repo.write(
        "app/main.py",
        format!("print('hi')\nk = '{}'\n", secrets::aws_key_id()),
    );
    repo.add(&["app/main.py"]);
    let head = repo.head();
    let out = repo.commit("in the cone");
    assert_eq!(repo.head(), head, "{}", stderr(&out));
    assert!(stderr(&out).contains("app/main.py:2:6"), "{}", stderr(&out));
}

/// `git update-index --split-index`: the index is a small file of changes over a shared index.
#[test]
fn split_index() {
    let repo = TestRepo::new();
    for i in 0..50 {
        repo.write(&format!("f{i:02}.txt"), format!("line {i}\n"));
    }
    repo.git_ok(&["add", "-A"]);
    repo.commit_unchecked("base");
    repo.git_ok(&["update-index", "--split-index"]);
    repo.git_ok(&["config", "core.splitIndex", "true"]);
    let shared = fs::read_dir(repo.path(".git"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("sharedindex.")
        })
        .count();
    assert!(shared > 0, "a shared index was written");
    repo.write("f07.txt", format!("line 7\nT={}\n", secrets::github_pat()));
    repo.write("new.txt", format!("T={}\n", secrets::github_pat_2()));
    repo.git_ok(&["rm", "-q", "f03.txt"]);
    repo.git_ok(&["add", "-A"]);
    let expected = repo.git_ok(&["diff", "--cached", "--name-only", "--diff-filter=AM"]);
    let out = repo.leakguard(&["hook", "pre-commit"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert_eq!(reported_paths(&err), expected.lines().collect::<Vec<_>>());
    assert!(err.contains("f07.txt:2:3"), "{err}");
    assert!(err.contains("2 files, 2 added lines"), "{err}");
}

/// Index version 4 (`feature.manyFiles`, `index.version = 4`) compresses each path against the
/// one before it; the staged walk reads it through gix's decoder instead of in place.
#[test]
fn index_version_4() {
    let repo = TestRepo::new();
    for i in 0..30 {
        repo.write(
            &format!("src/m{}/f{i:02}.txt", i % 4),
            format!("line {i}\n"),
        );
    }
    repo.git_ok(&["add", "-A"]);
    repo.commit_unchecked("base");
    repo.git_ok(&["update-index", "--index-version", "4"]);
    repo.write(
        "src/m2/f06.txt",
        format!("line 6\nT={}\n", secrets::github_pat()),
    );
    repo.write("src/m3/new.txt", format!("T={}\n", secrets::github_pat_2()));
    repo.git_ok(&["add", "-A"]);
    assert_eq!(fs::read(repo.path(".git/index")).unwrap()[7], 4);
    let out = repo.commit("in a version 4 index");
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert_eq!(reported_paths(&err), ["src/m2/f06.txt", "src/m3/new.txt"]);
    assert!(err.contains("2 files, 2 added lines"), "{err}");
}

/// An index entry whose path is 4 095 bytes or longer (it exists only in the index, as
/// `update-index --cacheinfo` can make it): its length field says "long", the path ends at its
/// NUL, and the entries after it are still read in the right places.
#[test]
fn an_index_path_too_long_for_its_length_field() {
    let repo = TestRepo::new();
    repo.write("a.txt", "a\n");
    repo.git_ok(&["add", "-A"]);
    repo.commit_unchecked("base");
    let blob = repo.git_ok(&["hash-object", "-w", "a.txt"]);
    let long = format!("{}/f", vec!["d".repeat(250); 17].join("/"));
    let info = format!("100644,{},{long}", blob.trim());
    repo.git_ok(&["update-index", "--add", "--cacheinfo", &info]);
    repo.write("e.txt", format!("T={}\n", secrets::github_pat()));
    repo.git_ok(&["add", "e.txt"]);
    let out = repo.leakguard(&["hook", "pre-commit"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(err.contains("e.txt:1:3"), "{err}");
    assert!(err.contains("2 files, 2 added lines"), "{err}");
}

#[test]
fn a_stale_index_lock_is_ignored() {
    let repo = TestRepo::new();
    repo.write("a.env", format!("T={}\n", secrets::github_pat()));
    repo.add(&["a.env"]);
    // Left behind by a crashed git: it holds garbage and is not the index.
    fs::write(repo.path(".git/index.lock"), b"not an index").unwrap();
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("a.env:1:3"), "{}", stderr(&out));
    assert_eq!(
        fs::read(repo.path(".git/index.lock")).unwrap(),
        b"not an index"
    );
}

#[test]
fn sha256_repository() {
    let repo = TestRepo::empty();
    repo.git_ok(&[
        "-c",
        "init.defaultBranch=main",
        "init",
        "-q",
        "--object-format=sha256",
    ]);
    repo.install_hook("pre-commit");
    repo.write("a.txt", "a\n");
    repo.add(&["a.txt"]);
    assert!(repo.commit("base").status.success());
    assert_eq!(repo.head().unwrap().len(), 64, "a SHA-256 commit id");
    repo.write("a.txt", format!("a\nT={}\n", secrets::github_pat()));
    repo.add(&["a.txt"]);
    let head = repo.head();
    let err = stderr(&repo.commit("secret"));
    assert_eq!(repo.head(), head);
    assert!(err.contains("a.txt:2:3"), "{err}");
    repo.commit_unchecked("secret anyway");

    let out = repo.leakguard(&["scan", "--git"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        text(&out.stdout).contains("(2 commits, 2 files"),
        "{}",
        text(&out.stdout)
    );

    // A push to a SHA-256 remote: git hands the hook 64-hex-digit ids.
    let remote = repo.tmp.path().join("remote.git");
    repo.git_ok(&[
        "init",
        "-q",
        "--bare",
        "--object-format=sha256",
        remote.to_str().unwrap(),
    ]);
    repo.install_hook("pre-push");
    let out = repo.git(&["push", "-q", remote.to_str().unwrap(), "main"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("push blocked: 1 secret"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn shallow_clone() {
    let origin = TestRepo::without_hook();
    for i in 0..5 {
        origin.write("log.txt", format!("{i}\n").repeat(i + 1));
        origin.add(&["log.txt"]);
        origin.commit_unchecked(&format!("c{i}"));
    }
    let repo = TestRepo::empty();
    let url = format!("file://{}", origin.root.display());
    repo.git_in(
        repo.tmp.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            repo.root.to_str().unwrap(),
        ],
    );
    assert!(repo.path(".git/shallow").exists());
    repo.install_hook("pre-commit");
    repo.write("log.txt", format!("T={}\n", secrets::github_pat()));
    repo.add(&["log.txt"]);
    let head = repo.head();
    let err = stderr(&repo.commit("secret"));
    assert_eq!(repo.head(), head);
    assert!(err.contains("log.txt:1:3"), "{err}");
    repo.commit_unchecked("secret anyway");
    let out = repo.leakguard(&["scan", "--git"]);
    let report = text(&out.stdout);
    assert_eq!(code(&out), 1, "{report}");
    assert!(
        report.contains("(2 commits, 1 file, 1 added line, 1 shallow boundary not diffed"),
        "{report}"
    );
}

/// git never commits in a bare repository, so a pre-commit hook running there is misconfigured:
/// it says so and blocks rather than reporting "no secrets". Pre-push and history scans work.
#[test]
fn bare_repository() {
    let origin = TestRepo::without_hook();
    origin.write("a.env", format!("T={}\n", secrets::github_pat()));
    origin.add(&["a.env"]);
    origin.commit_unchecked("secret");
    let bare = origin.tmp.path().join("bare.git");
    origin.git_ok(&["clone", "-q", "--bare", ".", bare.to_str().unwrap()]);

    let out = origin.leakguard_in(&bare, &["hook", "pre-commit"]);
    assert_one_line_error(
        &out,
        "is a bare repository: there is no index to commit from",
    );
    let out = origin.leakguard_in(&bare, &["scan", "--staged"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));

    let out = origin.leakguard_in(&bare, &["scan", "--git"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        text(&out.stdout).contains("a.env:1:3"),
        "{}",
        text(&out.stdout)
    );

    // Pushing from the bare repository (a mirror) runs pre-push there.
    let target = origin.tmp.path().join("target.git");
    origin.git_ok(&["init", "-q", "--bare", target.to_str().unwrap()]);
    let hooks = bare.join("hooks");
    fs::create_dir_all(&hooks).unwrap();
    fs::copy(
        Path::new(crate::util::MANIFEST_DIR).join("hooks/pre-push"),
        hooks.join("pre-push"),
    )
    .unwrap();
    crate::util::make_executable(&hooks.join("pre-push"));
    let out = origin.git_in(&bare, &["push", "-q", target.to_str().unwrap(), "main"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("push blocked: 1 secret"),
        "{}",
        stderr(&out)
    );
}

fn loose_object_path(repo: &TestRepo, id: &str) -> std::path::PathBuf {
    repo.path(&format!(".git/objects/{}/{}", &id[..2], &id[2..]))
}

fn overwrite(path: &Path, bytes: &[u8]) {
    let mut perm = fs::metadata(path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    fs::set_permissions(path, perm).unwrap();
    fs::write(path, bytes).unwrap();
}

#[test]
fn corrupt_objects_block_with_a_reason() {
    let repo = TestRepo::new();
    repo.write("base.txt", "base\n");
    repo.add(&["base.txt"]);
    assert!(repo.commit("base").status.success());
    repo.write("new.env", format!("T={}\n", secrets::github_pat()));
    repo.add(&["new.env"]);
    let blob = repo.git_ok(&["rev-parse", ":new.env"]).trim().to_string();
    let path = loose_object_path(&repo, &blob);
    let good = fs::read(&path).unwrap();

    // Truncated: the zlib stream ends early.
    overwrite(&path, &good[..good.len() / 2]);
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_one_line_error(&out, &format!("cannot read the blob {blob} of new.env"));
    let out = repo.commit("corrupt");
    assert!(!out.status.success(), "git commit is blocked too");

    // A header that declares fewer bytes than the object holds (this used to panic inside
    // the zlib reader), and one that declares terabytes (this used to try to allocate them).
    for header in ["blob 3\0", "blob 99999999999999\0"] {
        let mut raw = header.as_bytes().to_vec();
        raw.extend((0..4096u32).map(|i| (i * 7 % 251) as u8));
        let mut z = Vec::new();
        deflate_stored(&raw, &mut z);
        overwrite(&path, &z);
        let out = repo.leakguard(&["hook", "pre-commit"]);
        assert_one_line_error(&out, &format!("cannot read the blob {blob} of new.env"));
    }
    overwrite(&path, &good);
    assert_eq!(code(&repo.leakguard(&["hook", "pre-commit"])), 1);

    // HEAD's tree replaced by garbage.
    let tree = repo
        .git_ok(&["rev-parse", "HEAD^{tree}"])
        .trim()
        .to_string();
    let tree_path = loose_object_path(&repo, &tree);
    overwrite(&tree_path, b"this is not zlib");
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_one_line_error(&out, &tree);
}

/// A zlib stream of stored (uncompressed) blocks: a valid encoding of `data` that needs no
/// compression library.
fn deflate_stored(data: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&[0x78, 0x01]);
    let chunks: Vec<&[u8]> = data.chunks(65535).collect();
    for (i, c) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let len = c.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(c);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
}

#[test]
fn a_path_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let repo = TestRepo::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9-\x1b[31m.env");
    fs::write(
        repo.root.join(name),
        format!("T={}\n", secrets::github_pat()),
    )
    .unwrap();
    repo.git_ok(&["add", "-A"]);
    let out = repo.commit("latin-1 name");
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("caf\u{fffd}-\\e[31m.env:1:3"), "{err}");
    assert!(
        !err.contains('\x1b'),
        "no raw escape from a file name: {err:?}"
    );
    let out = repo.leakguard(&["scan", "--staged", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"][0]["path"], "caf\u{fffd}-\u{1b}[31m.env");
}

/// Thousands of findings: the human report shows the first ones in detail and counts the
/// rest, so it stays readable; the JSON report has every one.
#[test]
fn a_flood_of_findings() {
    let repo = TestRepo::new();
    let mut body = String::new();
    for i in 0..3000 {
        body.push_str(&format!("t{i} = '{}'\n", secrets::github_pat_n(i)));
    }
    // A second provider, entirely past the detail limit: counted, not detailed.
    for i in 0..40 {
        body.push_str(&format!("k{i} = {}\n", secrets::aws_key_id_n(i)));
    }
    repo.write("dump.txt", &body);
    repo.add(&["dump.txt"]);
    let out = repo.leakguard(&["hook", "pre-commit"]);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    let lines = err.lines().count();
    assert!(lines < 200, "{lines} lines:\n{err}");
    let detailed = err.lines().filter(|l| l.contains("  fingerprint ")).count();
    assert_eq!(detailed, leakguard::report::human::DETAIL_LIMIT, "{err}");
    let total: usize = err
        .lines()
        .next()
        .and_then(|l| l.split("blocked: ").nth(1))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(total > 2900, "{err}");
    assert!(
        err.contains(&format!(
            "… and {} more not shown in detail, among them Amazon Web Services (IAM access keys) 40 (every finding: --format json)",
            total - leakguard::report::human::DETAIL_LIMIT
        )),
        "{err}"
    );
    assert!(
        !err.contains("aws iam"),
        "no rotation steps for a provider not shown: {err}"
    );
    let json = repo.leakguard(&["hook", "pre-commit", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), total);
}

/// Two 150 000-line versions of a file made of 4 distinct lines: a diff of them is quadratic
/// (git's own takes seconds), so past the budget leakguard takes the new lines whose text the
/// old version lacks. The secret added among reshuffled lines is found at its line.
#[test]
fn a_pathological_diff_still_finds_the_added_secret() {
    let repo = TestRepo::new();
    let lines = 150_000;
    let old: String = (0..lines).map(|i| format!("{}\n", (i * 7) % 4)).collect();
    repo.write("data.txt", &old);
    repo.add(&["data.txt"]);
    assert!(repo.commit("data").status.success());
    let mut new: String = (0..lines).map(|i| format!("{}\n", (i * 5) % 4)).collect();
    new.push_str(&format!("TOKEN={}\n", secrets::github_pat()));
    repo.write("data.txt", &new);
    repo.add(&["data.txt"]);
    let head = repo.head();
    let err = stderr(&repo.commit("more data"));
    assert_eq!(repo.head(), head, "blocked:\n{err}");
    assert!(err.contains(&format!("data.txt:{}:7", lines + 1)), "{err}");
    assert!(err.contains("1 secret in staged changes"), "{err}");
}

/// `.leakguard.toml`, `.leakguardignore` and the baseline are bounded, regular files inside the
/// repository: a link to a huge sparse file or to `/dev/zero`, a FIFO, a directory or a file
/// over the cap is an error naming the file, at once, never a silent skip or an unbounded read.
#[test]
fn repository_files_leakguard_reads_are_bounded() {
    use crate::util::output_within;

    const NAMES: [&str; 3] = [
        ".leakguard.toml",
        ".leakguardignore",
        ".leakguard-baseline.json",
    ];
    let repo = TestRepo::new();
    // A secret is staged, so that the baseline (read on the first finding) is read too.
    repo.write("app.env", format!("T={}\n", secrets::github_pat()));
    repo.add(&["app.env"]);
    // A 3 GiB file outside the repository, and an 8 MiB + 1 file inside it (both sparse).
    let huge = repo.tmp.path().join("huge");
    fs::File::create(&huge).unwrap().set_len(3 << 30).unwrap();
    let big = repo.path("big-untracked");
    fs::File::create(&big)
        .unwrap()
        .set_len((8 << 20) + 1)
        .unwrap();
    let fifo = repo.path("fifo-untracked");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    fs::create_dir(repo.path("dir-untracked")).unwrap();

    let cases: [(&Path, &str); 5] = [
        (&huge, "is a symbolic link to a file outside the repository"),
        (
            Path::new("/dev/zero"),
            "is a symbolic link to a file outside the repository",
        ),
        (
            &big,
            &format!("is {} bytes; leakguard reads at most 8 MiB", (8 << 20) + 1),
        ),
        (&fifo, "is not a regular file (it is a FIFO)"),
        (
            &repo.path("dir-untracked"),
            "is not a regular file (it is a directory)",
        ),
    ];
    for name in NAMES {
        for (target, message) in &cases {
            let at = repo.path(name);
            let _ = fs::remove_file(&at);
            std::os::unix::fs::symlink(target, &at).unwrap();
            let out = output_within(
                &mut repo.leakguard_command(&repo.root, &["hook", "pre-commit"]),
                30,
            );
            let err = stderr(&out);
            assert_eq!(code(&out), 2, "{name} -> {}: {err}", target.display());
            assert!(
                err.starts_with(&format!("leakguard: error: {name}: {message}")),
                "{name} -> {}: {err}",
                target.display()
            );
            // `leakguard check` says the same.
            let out = output_within(&mut repo.leakguard_command(&repo.root, &["check"]), 60);
            assert_eq!(code(&out), 2, "{name}: {}", stderr(&out));
            assert!(
                stderr(&out).contains(&format!("{name}: {message}")),
                "{}",
                stderr(&out)
            );
            fs::remove_file(&at).unwrap();
        }
    }
    // Given on the command line, a file may live anywhere, but is still bounded and regular.
    let out = output_within(
        &mut repo.leakguard_command(&repo.root, &["--config", "/dev/zero", "hook", "pre-commit"]),
        30,
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("/dev/zero: is not a regular file (it is a device)"),
        "{}",
        stderr(&out)
    );
    let out = output_within(
        &mut repo.leakguard_command(
            &repo.root,
            &["--config", huge.to_str().unwrap(), "hook", "pre-commit"],
        ),
        30,
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(&format!("is {} bytes", 3u64 << 30)),
        "{}",
        stderr(&out)
    );

    // A link to a regular file elsewhere in the repository is followed.
    repo.write(
        "config/leakguard.toml",
        "[settings]\nskip_paths = [\"app.env\"]\n",
    );
    std::os::unix::fs::symlink("config/leakguard.toml", repo.path(".leakguard.toml")).unwrap();
    let out = repo.leakguard(&["hook", "pre-commit"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    fs::remove_file(repo.path(".leakguard.toml")).unwrap();

    // Nothing is written through a link that leads out of the repository.
    let outside = repo.tmp.path().join("outside-target");
    fs::write(&outside, "precious\n").unwrap();
    std::os::unix::fs::symlink(&outside, repo.path(".leakguardignore")).unwrap();
    let out = repo.leakguard(&["ignore", "github-pat-classic:0123456789abcdef"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(".leakguardignore: is a symbolic link"),
        "{}",
        stderr(&out)
    );
    fs::remove_file(repo.path(".leakguardignore")).unwrap();
    std::os::unix::fs::symlink(&outside, repo.path(".leakguard-baseline.json")).unwrap();
    let out = repo.leakguard(&["baseline"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(".leakguard-baseline.json: is a symbolic link"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&outside).unwrap(), "precious\n");
}
