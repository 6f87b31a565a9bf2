//! The words the generic matchers start from. The keyword prefilter finds every occurrence of
//! each (they are keywords of its lexicon, `watched`), and `words.rs` hands a window's to the
//! finders.

/// The binding finder's credential words, found in a window in any case (ASCII).
/// Each is also a keyword of the detectors that use this matcher, so the prefilter never skips
/// a line the matcher would read; a word ending in `(` names a call (the finder reads the
/// callee before it); `pat` only in its glued forms (`_pat=`, `_pat:` …), which
/// are the names it makes (`ADO_PAT`, `gitlab_pat`: a bare `pat`, `PAT`, is not one).
pub const BINDING: &[&str] = &[
    "secret",
    "token",
    "pass",
    "pwd",
    "key",
    "cred",
    "auth",
    "webhook",
    "login",
    "logon",
    "pat",
    "jwt",
    "hmac",
    "fernet",
    "getconnection",
    "bearer",
    // Calls whose argument at a fixed position is a password (`binding::PASSWORD_CALLS`);
    // `ftp(` with its parenthesis, as `ftp` alone is in every FTP URL and path.
    "ftp(",
    "ftp_tls(",
    "ldap_bind",
    "simple_bind",
    "bind_s(",
];

/// The SQL finder's keywords (`sql.rs`): the index says which clause (0: `IDENTIFIED`).
pub const SQL: &[&str] = &["identified", "password"];

/// The command finder's words, in the order of `command::COMMAND_WORDS` (a test checks it).
pub const COMMAND: &[&str] = &[
    "curl",
    "mysql",
    "mariadb",
    "sshpass",
    "login",
    "unseal",
    "securestring",
    "psexec",
    "paexec",
    "net use",
    "redis-cli",
    "htpasswd",
    "from-literal",
    "requirepass",
    "masterauth",
    "pass:",
    "keytool",
    "password-stdin",
    "rabbitmqctl",
    "mongo",
    "vault",
    "sudo",
];

/// The three lists' words, which the keyword prefilter reports wherever they occur, whether or
/// not a detector lists them (the lexicon's watched words): the generic matchers read them from
/// its hits (`words::InWindow`) rather than search each window for them again.
pub fn watched() -> Vec<&'static str> {
    [BINDING, SQL, COMMAND].concat()
}
