//! Where git looks for a repository's hooks, read from its configuration with gix.
//!
//! git runs the hooks in `core.hooksPath` when it is set (in any scope; a relative value is
//! relative to the work tree root, or to the git directory of a bare repository), otherwise in
//! the `hooks` directory of the *common* git directory, which linked worktrees share. The
//! installer and `leakguard doctor` both need that answer and where it came from, because a
//! `core.hooksPath` set in the global configuration applies to every repository of the user.

use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;

use super::Repo;
use crate::error::{Error, Result};

/// The configuration scope a value came from, lowest precedence first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigScope {
    /// The git installation's or the system's configuration.
    System,
    /// The user's configuration (`~/.gitconfig`, `$XDG_CONFIG_HOME/git/config` or
    /// `$GIT_CONFIG_GLOBAL`): what `git config --global` writes.
    Global,
    /// The repository's `config` (or `config.worktree`).
    Local,
    /// `git -c`, `GIT_CONFIG_COUNT`/`GIT_CONFIG_PARAMETERS` and other overrides.
    Override,
}

impl ConfigScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigScope::System => "system",
            ConfigScope::Global => "global",
            ConfigScope::Local => "repository",
            ConfigScope::Override => "command-line",
        }
    }
}

/// One `core.hooksPath` value and where it was set.
#[derive(Clone, Debug)]
pub struct HooksPathSetting {
    /// The value as written in the configuration.
    pub value: String,
    pub scope: ConfigScope,
    /// The configuration file, when the value came from one.
    pub file: Option<PathBuf>,
}

/// The directory git runs this repository's hooks from.
#[derive(Clone, Debug)]
pub struct HooksDir {
    /// Absolute (or as absolute as the repository's own paths are).
    pub path: PathBuf,
    /// The `core.hooksPath` setting in effect; `None` means `<common git dir>/hooks`.
    pub configured: Option<HooksPathSetting>,
    /// Every `core.hooksPath` value seen, lowest precedence first (the last one wins).
    pub all_settings: Vec<HooksPathSetting>,
    /// The repository's own hooks directory, `<common git dir>/hooks`, which a
    /// `core.hooksPath` setting makes git ignore.
    pub own: PathBuf,
}

impl Repo {
    /// The directory git runs this repository's hooks from; see the module docs.
    pub fn hooks_dir(&self) -> Result<HooksDir> {
        let own = self.repo.common_dir().join("hooks");
        let all_settings = self.hooks_path_settings();
        let Some(configured) = all_settings.last().cloned() else {
            return Ok(HooksDir {
                path: own.clone(),
                configured: None,
                all_settings,
                own,
            });
        };
        // gix interpolates `~/` and `%(prefix)/` as git does for pathname values.
        let interpolated = self
            .repo
            .config_snapshot()
            .trusted_path("core.hooksPath")
            .map_err(|e| {
                Error::git(
                    format!("cannot interpolate core.hooksPath `{}`", configured.value),
                    e,
                )
            })?
            .unwrap_or_else(|| PathBuf::from(&configured.value));
        let path = if interpolated.is_absolute() {
            interpolated
        } else {
            // Hooks run in the work tree root (the git directory of a bare repository), and a
            // relative hooksPath is relative to where they run.
            self.hook_cwd().join(interpolated)
        };
        Ok(HooksDir {
            path,
            configured: Some(configured),
            all_settings,
            own,
        })
    }

    /// The directory git runs hooks in: the work tree root, or the git directory when bare.
    pub fn hook_cwd(&self) -> PathBuf {
        self.repo
            .workdir()
            .unwrap_or_else(|| self.repo.git_dir())
            .to_path_buf()
    }

    /// The git directory shared by all worktrees (`.git` of the main worktree).
    pub fn common_dir(&self) -> &Path {
        self.repo.common_dir()
    }

    fn hooks_path_settings(&self) -> Vec<HooksPathSetting> {
        let snapshot = self.repo.config_snapshot();
        let Some(sections) = snapshot.plumbing().sections_by_name("core") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for section in sections {
            if section.header().subsection_name().is_some() {
                continue;
            }
            for value in section.values("hooksPath") {
                let meta = section.meta();
                use gix::config::Source as S;
                let scope = match meta.source {
                    S::GitInstallation | S::System => ConfigScope::System,
                    S::Git | S::User => ConfigScope::Global,
                    S::Local | S::Worktree => ConfigScope::Local,
                    S::Env | S::Cli | S::Api | S::EnvOverride => ConfigScope::Override,
                };
                out.push(HooksPathSetting {
                    value: value.to_str_lossy().into_owned(),
                    scope,
                    file: meta.path.clone(),
                });
            }
        }
        out
    }
}
