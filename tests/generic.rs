//! Generic detection end to end: credentials recognised by their name, in the syntaxes people
//! write, committed through the real hook with a real `git commit`. Every value is random,
//! made here at run time.

use crate::util::{TestRepo, code, secrets, stderr, text};

fn blocked(repo: &TestRepo, out: &std::process::Output) -> String {
    let err = stderr(out);
    assert!(!out.status.success(), "commit should be blocked:\n{err}");
    assert_eq!(repo.head(), None, "no commit may be created");
    err
}

/// One file per syntax; each line is found where it is, by the detector that owns its form.
#[test]
fn a_credential_bound_to_its_name_blocks_the_commit_in_every_main_syntax() {
    let repo = TestRepo::new();
    let v = |n: u64| secrets::base62(n, 24);
    let pw = format!("Kx7{}#q", secrets::base62(99, 6));
    let files: Vec<(&str, String, &str)> = vec![
        (
            "app/settings.py",
            format!("DEBUG = True\nclient_secret = \"{}\"\n", v(1)),
            "app/settings.py:2:18",
        ),
        (
            "web/config.js",
            format!("module.exports = {{\n  stripeApiKey: '{}',\n}};\n", v(2)),
            "web/config.js:2:18",
        ),
        (
            "cmd/main.go",
            format!("package main\n\nvar zonkaSECRET string = \"{}\"\n", v(3)),
            "cmd/main.go:3:27",
        ),
        (
            "src/Config.java",
            format!(
                "class Config {{\n  static final String API_TOKEN = \"{}\";\n}}\n",
                v(4)
            ),
            "src/Config.java:2:36",
        ),
        (
            "conf/app.json",
            format!("{{\n  \"auth_token\": \"{}\"\n}}\n", v(5)),
            "conf/app.json:2:18",
        ),
        (
            "src/Boot.kt",
            format!("System.setProperty(\"ACME_TOKEN\", \"{}\")\n", v(6)),
            "src/Boot.kt:1:35",
        ),
        (
            "deploy/values.yaml",
            format!("smtp:\n  password: {pw}  # yearly\n"),
            "deploy/values.yaml:2:13",
        ),
        (
            ".env",
            format!("LOG_LEVEL=info\nLEADFEEDER_KEY={}\n", v(7)),
            ".env:2:16",
        ),
        (
            "settings.xml",
            format!("<server>\n  <password>{pw}</password>\n</server>\n"),
            "settings.xml:2:13",
        ),
        (
            "App.config",
            format!("<add key=\"Smtp.Password\" value=\"{pw}\" />\n"),
            "App.config:1:33",
        ),
        (
            "db.cs",
            format!("var cs = \"Data Source=db;Initial Catalog=hr;User ID=app;Password={pw};\";\n"),
            "db.cs:1:66",
        ),
        (
            "auth.go",
            format!("if creds.Secret != \"{}\" {{\n}}\n", v(8)),
            "auth.go:1:21",
        ),
        (
            "scripts/deploy.sh",
            format!("curl -u deploy:{pw} https://ci.acme-corp.net/api\n"),
            "scripts/deploy.sh:1:16",
        ),
        (
            "scripts/backup.sh",
            format!("mysqldump -u backup -p{pw} orders > o.sql\n"),
            "scripts/backup.sh:1:23",
        ),
        (
            "db/init.sql",
            format!(
                "-- the orders service's account\nCREATE USER 'orders'@'%' IDENTIFIED BY '{pw}';\n"
            ),
            "db/init.sql:2:41",
        ),
        (
            "scripts/cache.sh",
            format!("redis-cli -h cache.acme-corp.net -a {pw} ping\n"),
            "scripts/cache.sh:1:37",
        ),
        (
            "scripts/map-share.bat",
            format!("@echo off\r\nnet use S: \\\\fs01\\builds {pw} /user:CORP\\ci\r\n"),
            "scripts/map-share.bat:2:26",
        ),
        (
            "scripts/release.sh",
            format!("acme-cli publish --api-key {} --yes\n", v(9)),
            "scripts/release.sh:1:28",
        ),
        (
            "scripts/call.sh",
            format!(
                "curl -H \"Authorization: Bearer {}\" https://api.acme-corp.net\n",
                v(10)
            ),
            "scripts/call.sh:1:32",
        ),
        (
            "scripts/key.sh",
            format!("curl -H 'X-API-Key: {}' https://api.acme-corp.net\n", v(11)),
            "scripts/key.sh:1:21",
        ),
        (
            "infra/variables.tf",
            format!(
                "variable \"acme_api_token\" {{\n  type      = string\n  sensitive = true\n  default   = \"{}\"\n}}\n",
                v(12)
            ),
            "infra/variables.tf:4:16",
        ),
        (
            "docker-compose.yml",
            format!("    environment:\n      - BROKER=amqps://orders:{pw}@mq.acme-corp.net:5671\n"),
            "docker-compose.yml:2:31",
        ),
        (
            "k8s/deployment.yaml",
            format!(
                "        env:\n          - name: ACME_API_KEY\n            value: {}\n",
                v(13)
            ),
            "k8s/deployment.yaml:3:20",
        ),
        (
            "ci/client.yaml",
            format!("client:\n  token: Bearer {}\n", v(14)),
            "ci/client.yaml:2:17",
        ),
        (
            "api/auth.py",
            format!(
                "import jwt\n\ntoken = jwt.encode(claims, \"{}\", algorithm=\"HS256\")\n",
                v(15)
            ),
            "api/auth.py:3:29",
        ),
    ];
    let paths: Vec<&str> = files.iter().map(|f| f.0).collect();
    for (path, content, _) in &files {
        repo.write(path, content);
    }
    repo.add(&paths);
    let out = repo.commit("configuration");
    let err = blocked(&repo, &out);
    assert!(
        err.contains(&format!("{} secrets in staged changes", files.len())),
        "{err}"
    );
    for (_, _, at) in &files {
        assert!(err.contains(at), "{at} missing:\n{err}");
    }
    for id in [
        "[generic-secret-assignment, medium]",
        "[generic-secret-assignment-unquoted, medium]",
        "[generic-secret-xml-element, medium]",
        "[generic-secret-cli-flag, medium]",
        "[generic-password-curl, high]",
        "[generic-http-bearer-token, medium]",
        "[generic-api-key-header, medium]",
        "[generic-password-in-url, high]",
    ] {
        assert!(err.contains(id), "{id} missing:\n{err}");
    }
    assert!(!err.contains(&pw), "redacted:\n{err}");
    assert!(!err.contains(&v(1)), "redacted:\n{err}");
}

/// A YAML block scalar whose one content line is the value blocks at that line; a block of
/// several lines (a key or a certificate) and a template in a block commit.
#[test]
fn a_yaml_block_scalar_holding_one_line_blocks_the_commit() {
    let repo = TestRepo::new();
    let token = secrets::base62(51, 30);
    repo.write(
        "deploy/values.yaml",
        format!(
            "smtp:\n  host: mail.acme-corp.net\n  api_token: |-\n    {token}\n  tls_key: |\n    {}\n    {}\n  password: >\n    {{{{ .Values.smtpPassword }}}}\n",
            secrets::base62(52, 40),
            secrets::base62(53, 40)
        ),
    );
    repo.add(&["deploy/values.yaml"]);
    let out = repo.commit("values");
    let err = blocked(&repo, &out);
    assert!(err.contains("1 secret in staged changes"), "{err}");
    assert!(err.contains("deploy/values.yaml:4:5"), "{err}");
    assert!(
        err.contains("[generic-secret-assignment-unquoted, medium]"),
        "{err}"
    );
    assert!(!err.contains(&token), "redacted:\n{err}");
}

/// Passwords that no name qualifies, found by where the tool or the library takes them: an
/// OpenSSL `pass:` source, ftplib's third argument, `echo … | docker login --password-stdin`
/// and `echo … | sudo -S`; the same commands reading the password from elsewhere commit.
#[test]
fn passwords_in_openssl_sources_ftp_calls_and_stdin_logins_block_the_commit() {
    let repo = TestRepo::new();
    let pw = format!("Rq4{}%z", secrets::base62(77, 7));
    repo.write(
        "scripts/bundle.sh",
        format!(
            "#!/bin/sh\nopenssl pkcs12 -export -in tls.crt -inkey tls.key -passout pass:{pw} -out tls.p12\n\
             echo \"{pw}\" | docker login -u ci --password-stdin registry.acme-corp.net\n\
             echo '{pw}' | sudo -S systemctl restart registry-mirror\n"
        ),
    );
    repo.write(
        "jobs/upload.py",
        format!(
            "from ftplib import FTP\n\nftp = FTP(\"ftp.acme-corp.net\", \"deploy\", \"{pw}\")\n"
        ),
    );
    repo.add(&["scripts/bundle.sh", "jobs/upload.py"]);
    let out = repo.commit("upload job");
    let err = blocked(&repo, &out);
    assert!(err.contains("4 secrets in staged changes"), "{err}");
    for at in [
        "scripts/bundle.sh:2:65",
        "scripts/bundle.sh:3:7",
        "scripts/bundle.sh:4:7",
        "jobs/upload.py:3:43",
    ] {
        assert!(err.contains(at), "{at} missing:\n{err}");
    }
    assert!(err.contains("[generic-secret-cli-flag, medium]"), "{err}");
    assert!(err.contains("[generic-secret-assignment, medium]"), "{err}");
    assert!(!err.contains(&pw), "redacted:\n{err}");

    let clean = TestRepo::new();
    clean.write(
        "scripts/bundle.sh",
        "openssl pkcs12 -export -in tls.crt -passout env:P12_PASSWORD -out tls.p12\n\
         echo \"$REGISTRY_TOKEN\" | docker login -u ci --password-stdin registry.acme-corp.net\n\
         echo \"$SUDO_PASSWORD\" | sudo -S systemctl restart registry-mirror\n",
    );
    clean.write(
        "jobs/upload.py",
        "ftp = FTP(host, user, os.environ[\"FTP_PASSWORD\"])\n",
    );
    clean.add(&["scripts/bundle.sh", "jobs/upload.py"]);
    let out = clean.commit("upload job");
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Real code mentions credentials all the time without holding one.
#[test]
fn code_that_names_credentials_without_holding_one_commits() {
    let repo = TestRepo::new();
    repo.write(
        "app/client.py",
        "import os\n\
         api_key = os.environ[\"API_KEY\"]\n\
         token = get_token()\n\
         headers[\"Authorization\"] = f\"Bearer {self.token}\"\n\
         password = request.form[\"password\"]\n\
         if password == confirm_password:\n    pass\n\
         max_tokens = 4096\n\
         client_id = \"3f2a9c1e7b5d4f8a\"\n\
         tokenizer = AutoTokenizer.from_pretrained(name)\n\
         for key in sorted(keys):\n    print(key)\n\
         DB_PASSWORD = \"${DB_PASSWORD}\"\n\
         secret_name = \"prod/payments/stripe\"\n",
    );
    repo.write(
        "web/api.ts",
        "const token = await getToken();\n\
         const apiKey: string = process.env.API_KEY ?? \"\";\n\
         export const passwordField = \"password\";\n\
         if (user.password !== confirmPassword) throw new Error(\"mismatch\");\n",
    );
    repo.write(
        ".env.example",
        "API_KEY=<your-api-key>\nDB_PASSWORD=changeme\n",
    );
    repo.write(
        "db/init.sql",
        "CREATE USER orders WITH PASSWORD $1;\n\
         ALTER USER 'orders'@'%' IDENTIFIED BY ?;\n\
         CREATE USER orders IDENTIFIED BY '${ORDERS_PASSWORD}';\n",
    );
    repo.write(
        "scripts/cache.sh",
        "redis-cli -a \"$REDIS_PASSWORD\" ping\n\
         ls -a /var/lib/redis\n\
         htpasswd -c /etc/nginx/.htpasswd ops\n\
         kubectl create secret generic db --from-literal=username=orders --from-literal=host=db\n",
    );
    repo.write(
        "redis.conf",
        "# requirepass foobared\nrequirepass ${REDIS_PASSWORD}\n",
    );
    repo.add(&[
        "app/client.py",
        "web/api.ts",
        ".env.example",
        "db/init.sql",
        "scripts/cache.sh",
        "redis.conf",
    ]);
    let out = repo.commit("code");
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A name that names a catalogue provider makes the finding that provider's: the report prints
/// its rotation steps and the JSON report names it.
#[test]
fn a_generic_finding_is_attributed_to_the_provider_its_name_names() {
    let repo = TestRepo::new();
    let key = secrets::base62(21, 32);
    repo.write("config/mail.env", format!("SENDGRID_KEY={key}\n"));
    repo.add(&["config/mail.env"]);
    let out = repo.commit("mail");
    let err = blocked(&repo, &out);
    assert!(err.contains("SendGrid (Twilio)"), "{err}");
    assert!(
        err.contains("https://app.sendgrid.com/settings/api_keys"),
        "{err}"
    );
    assert!(
        err.contains("[generic-secret-assignment-unquoted, medium]"),
        "{err}"
    );

    let json = repo.leakguard(&["scan", "--format", "json", "config/mail.env"]);
    assert_eq!(code(&json), 1, "{}", stderr(&json));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let f = &report["findings"][0];
    assert_eq!(
        f["detector"], "generic-secret-assignment-unquoted",
        "{report}"
    );
    assert_eq!(f["provider"], "sendgrid", "{report}");
    assert_eq!(f["provider_name"], "SendGrid (Twilio)", "{report}");

    // Without a provider's name: the generic steps, which say how to find the issuer.
    repo.write("config/mail.env", format!("MAILER_KEY={key}\n"));
    let json = repo.leakguard(&["scan", "--format", "json", "config/mail.env"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["findings"][0]["provider"], "generic", "{report}");
}

/// In a test or example a generic finding only warns; a token in its provider's own format still
/// blocks there.
#[test]
fn test_context_lowers_generic_findings_but_never_a_providers_format() {
    let repo = TestRepo::new();
    repo.write(
        "tests/test_login.py",
        format!(
            "password = \"{}\"\napi_key = \"{}\"\n",
            "Kx7#q2Lm9",
            secrets::base62(31, 28)
        ),
    );
    repo.write(
        "src/settings.py",
        format!("SAMPLE_API_KEY = \"{}\"\n", secrets::base62(32, 28)),
    );
    repo.add(&["tests/test_login.py", "src/settings.py"]);
    let out = repo.commit("tests");
    assert!(
        out.status.success(),
        "warnings do not block:\n{}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(err.contains("3 low-severity findings"), "{err}");

    repo.write(
        "tests/test_github.py",
        format!("TOKEN = \"{}\"\n", secrets::github_pat()),
    );
    repo.add(&["tests/test_github.py"]);
    let out = repo.commit("a real token in a test");
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("[github-pat-classic, critical]"), "{err}");
}

/// Users' pragmas and ignore files name the generic detectors' ids, which keep their meaning.
#[test]
fn pragmas_naming_the_generic_ids_still_allow() {
    let repo = TestRepo::new();
    repo.write(
        "app/settings.py",
        format!(
            "api_key = \"{}\"  # leakguard:allow generic-secret-assignment\n",
            secrets::base62(41, 30)
        ),
    );
    repo.add(&["app/settings.py"]);
    let out = repo.commit("allowed");
    assert!(out.status.success(), "{}", stderr(&out));
}

/// `leakguard explain` describes the generic detectors: the matcher, the forms, how names and
/// values are judged.
#[test]
fn explain_describes_the_matcher_and_the_classifier() {
    let repo = TestRepo::without_hook();
    let out = repo.leakguard(&["explain", "generic-secret-assignment-unquoted"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = text(&out.stdout);
    for part in [
        "matcher:   credential-binding (this detector reports the forms: unquoted)",
        "names:",
        "rejected: placeholders",
        "accepted: random values",
        "provider:",
        "Find the issuer",
    ] {
        assert!(text.contains(part), "{part} missing:\n{text}");
    }
}
