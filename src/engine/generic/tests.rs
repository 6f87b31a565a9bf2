//! Table-driven tests of the whole matcher: every syntax × name style × value class.

use super::*;
use crate::engine::test_values::{B62, random};

/// Every generic match in `text`, as (form, secret). Matches that are credentials only where a
/// catalogue provider is named (`TaxJar key: …`) are left out: the engine, which has the
/// catalogue, decides those (`engine::tests::prose_key_after_a_providers_name…`).
fn scan(text: &str) -> Vec<(Form, String)> {
    let hay = text.as_bytes();
    let mut found = Vec::new();
    let words = words_in(hay);
    for kind in [MatcherKind::CredentialBinding, MatcherKind::CredentialUrl] {
        find(kind, hay, 0..hay.len(), &words, &mut found);
    }
    found
        .into_iter()
        .filter(|f| !f.needs_provider)
        .map(|f| (f.form, String::from_utf8_lossy(&hay[f.secret]).into_owned()))
        .collect()
}

/// Runs every (text, expected (form, secret) list) row through `scan` and fails with every row
/// whose matches differ.
pub(super) fn assert_table(
    cases: &[(String, Vec<(Form, &str)>)],
    scan: impl Fn(&str) -> Vec<(Form, String)>,
) {
    let mut wrong = Vec::new();
    for (line, expected) in cases {
        let got = scan(line);
        let expected: Vec<(Form, String)> =
            expected.iter().map(|(f, s)| (*f, s.to_string())).collect();
        if got != expected {
            wrong.push(format!("{line:?}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// What a name is, as the test expects it (not as the matcher says).
#[derive(Clone, Copy, PartialEq)]
enum N {
    Secret,
    Password,
    Not,
}

/// What a value is accepted as.
#[derive(Clone, Copy, PartialEq)]
enum V {
    /// Random: accepted under secret and password names.
    Random,
    /// Short and human-chosen: accepted under password names only.
    Password,
    /// Rejected under every name.
    Rejected,
}

#[test]
fn every_syntax_name_style_and_value_class() {
    let names: &[(&str, N)] = &[
        ("client_secret", N::Secret),
        ("clientSecret", N::Secret),
        ("CLIENT_SECRET", N::Secret),
        ("client-secret", N::Secret),
        ("zonkaSECRET", N::Secret),
        ("stripeApiKey", N::Secret),
        ("leadfeederKEY", N::Secret),
        ("jwtsecret", N::Secret),
        ("access_token", N::Secret),
        ("AZURE_DEVOPS_PAT", N::Secret),
        ("filepath", N::Not),
        ("db_password", N::Password),
        ("dbPassword", N::Password),
        ("DB_PASSWORD", N::Password),
        ("passwd", N::Password),
        ("client_id", N::Not),
        ("token_type", N::Not),
        ("publishable_key", N::Not),
        ("password_field", N::Not),
        ("cache_key", N::Not),
        ("tokenizer", N::Not),
    ];
    let r32 = random(1, B62, 32);
    let r20 = random(2, B62, 20);
    let values: Vec<(String, V)> = vec![
        (r32.clone(), V::Random),
        (r20.clone(), V::Random),
        ("gH7#kq91".into(), V::Password),
        ("Tq8vW3nY".into(), V::Password),
        ("${DB_PASSWORD}".into(), V::Rejected),
        ("changeme".into(), V::Rejected),
        ("hunter2".into(), V::Rejected),
        ("true".into(), V::Rejected),
        ("1.2.3".into(), V::Rejected),
        ("/run/secrets/db".into(), V::Rejected),
        ("$TOKEN".into(), V::Rejected),
        ("ExclusiveStartKey".into(), V::Rejected),
    ];
    // (template, form): `{n}` is the name, `{v}` the value.
    let syntaxes: &[(&str, Form)] = &[
        // assignments and declarations
        (r#"{n} = "{v}""#, Form::Quoted),
        (r#"{n} = '{v}'"#, Form::Quoted),
        (r#"{n}="{v}""#, Form::Quoted),
        (r#"{n} := "{v}""#, Form::Quoted),
        (r#"{n} ::= "{v}""#, Form::Quoted),
        (r#"{n} <- "{v}""#, Form::Quoted),
        (r#"{n} .= "{v}";"#, Form::Quoted),
        (r#"const {n} = "{v}";"#, Form::Quoted),
        (r#"let {n} = '{v}';"#, Form::Quoted),
        (r#"val {n} = "{v}""#, Form::Quoted),
        (r#"var {n} string = "{v}""#, Form::Quoted),
        (r#"const {n}: &str = "{v}";"#, Form::Quoted),
        (r#"{n}: str = "{v}""#, Form::Quoted),
        (r#"private static final String {n} = "{v}";"#, Form::Quoted),
        (r#"$this->{n} = '{v}';"#, Form::Quoted),
        ("{n} := `{v}`", Form::Quoted),
        (r#"{n} = r"{v}""#, Form::Quoted),
        // keys of JSON, YAML, TOML, hashes, objects
        (r#""{n}": "{v}","#, Form::Quoted),
        (r#"  {n}: "{v}""#, Form::Quoted),
        (r#"{{ {n}: '{v}' }}"#, Form::Quoted),
        (r#"'{n}' => '{v}',"#, Form::Quoted),
        (r#":{n} => "{v}","#, Form::Quoted),
        (r#"body = "{{\"{n}\":\"{v}\"}}""#, Form::Quoted),
        // a name in a string, then its value
        (r#"config["{n}"] = "{v}""#, Form::Quoted),
        (r#"System.setProperty("{n}", "{v}");"#, Form::Quoted),
        (r#"define('{n}', '{v}');"#, Form::Quoted),
        (r#"<add key="{n}" value="{v}" />"#, Form::Quoted),
        (r#"<connection {n}="{v}" host="db"/>"#, Form::Quoted),
        // keyword arguments, comparisons
        (r#"connect(host="db", {n}="{v}")"#, Form::Quoted),
        (r#"if {n} == "{v}":"#, Form::Quoted),
        (r#"if creds.{n} != "{v}" {{"#, Form::Quoted),
        // a header written as text, whatever the name's style
        (
            r#"curl -H "{n}: {v}" https://api.acme.test"#,
            Form::ApiKeyHeader,
        ),
        // configuration files
        ("{n}={v}", Form::Unquoted),
        ("export {n}={v}", Form::Unquoted),
        ("  {n}: {v}", Form::Unquoted),
        ("{n} = {v}", Form::Unquoted),
        ("{n}: {v}   # rotated yearly", Form::Unquoted),
        ("ENV {n}={v}", Form::Unquoted),
        ("- {n}={v}", Form::Unquoted),
        // XML elements
        ("<{n}>{v}</{n}>", Form::XmlElement),
        ("  <{n}>\n    {v}\n  </{n}>", Form::XmlElement),
        // Terraform variables: the block's default
        (
            "variable \"{n}\" {\n  type      = string\n  sensitive = true\n  default   = \"{v}\"\n}",
            Form::Quoted,
        ),
        (r#"variable "{n}" { default = "{v}" }"#, Form::Quoted),
        // flags
        ("tool --{n} {v} --verbose", Form::CliFlag),
        ("tool --{n}={v}", Form::CliFlag),
    ];
    let mut wrong = Vec::new();
    let mut checked = 0;
    for &(template, form) in syntaxes {
        for &(name, n) in names {
            for (value, v) in &values {
                let line = template.replace("{n}", name).replace("{v}", value);
                let expected = !matches!(
                    (n, v),
                    (N::Not, _) | (_, V::Rejected) | (N::Secret, V::Password)
                );
                let got = scan(&line);
                let ok = if expected {
                    got == [(form, value.clone())]
                } else {
                    got.is_empty()
                };
                if !ok {
                    wrong.push(format!(
                        "{line:?}: expected {}, got {got:?}",
                        if expected { "a match" } else { "nothing" }
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 5000, "{checked}");
    assert!(
        wrong.is_empty(),
        "{} of {checked} wrong:\n{}",
        wrong.len(),
        wrong[..wrong.len().min(60)].join("\n")
    );
}

/// Syntaxes whose names are not plain identifiers: calls, headers, commands, connection
/// strings, URLs.
#[test]
fn calls_headers_commands_connection_strings_and_urls() {
    use base64::Engine as _;
    let r32 = random(3, B62, 32);
    let r24 = random(4, B62, 24);
    let pw = "gH7#kq91";
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("deploy:{r24}"));
    const HEX: &[u8] = b"0123456789abcdef";
    let h = random(6, HEX, 30);
    let uuid4 = format!(
        "{}-{}-4{}-a{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..15],
        &h[15..18],
        random(7, HEX, 12)
    );
    let uuid1 = format!("{}-{}-11ec-9d64-0242ac120002", &h[..8], &h[8..12]);
    // A Vault unseal key share: base64 of 33 random bytes.
    let b44 = base64::engine::general_purpose::STANDARD.encode(random(8, B62, 33));
    let session = format!("{r32}{r24}");
    let cases: Vec<(String, Vec<(Form, &str)>)> = vec![
        // an app password pasted unquoted as shown, in YAML and an environment file
        (
            "smtp_password: qmzr twpk hvbn xeyd".into(),
            vec![(Form::Unquoted, "qmzr twpk hvbn xeyd")],
        ),
        (
            "SMTP_PASSWORD=qmzr twpk hvbn xeyd # app password".into(),
            vec![(Form::Unquoted, "qmzr twpk hvbn xeyd")],
        ),
        ("password: open the door now".into(), vec![]),
        // setters, builders, credential constructors and logins
        (
            format!(r#"ds.setPassword("{pw}");"#),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!(r#"builder.apiKey("{r32}").build()"#),
            vec![(Form::Quoted, &r32)],
        ),
        (
            format!(r#"new NetworkCredential("svc", "{pw}")"#),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!(r#"auth = HTTPBasicAuth('svc', '{pw}')"#),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!(r#"server.login(user, "{pw}")"#),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!(r#"requests.get(url, auth=("svc", "{pw}"))"#),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!(r#"new UsernamePasswordCredentials("svc", "{pw}".toCharArray())"#),
            vec![(Form::Quoted, pw)],
        ),
        (r#"server.login(user, password)"#.into(), vec![]),
        (
            r#"ds.setPassword(System.getenv("DB_PASSWORD"));"#.into(),
            vec![],
        ),
        (r#"getPassword()"#.into(), vec![]),
        // headers written as text
        (
            format!("Authorization: Bearer {r32}"),
            vec![(Form::Bearer, &r32)],
        ),
        (
            format!(r#"curl -H "Authorization: token {r32}" https://api.acme.test"#),
            vec![(Form::Bearer, &r32)],
        ),
        (
            format!(r#"headers = {{"Authorization": "Bearer {r32}"}}"#),
            vec![(Form::Bearer, &r32)],
        ),
        (
            format!("Authorization: Basic {basic}"),
            vec![(Form::BasicAuth, &basic)],
        ),
        (
            format!(r#"curl -H 'X-API-Key: {r32}' https://api.acme.test"#),
            vec![(Form::ApiKeyHeader, &r32)],
        ),
        (
            format!("x-auth-token: {r32}"),
            vec![(Form::ApiKeyHeader, &r32)],
        ),
        (
            format!("Authorization: {uuid4}"),
            vec![(Form::Bearer, &uuid4)],
        ),
        // a time-based UUID is an identifier, not a key
        (format!("Authorization: {uuid1}"), vec![]),
        (r#"log.info("apikey: " + apikey)"#.into(), vec![]),
        (r#""Authorization": f"Bearer {token}""#.into(), vec![]),
        ("Authorization: Bearer $TOKEN".into(), vec![]),
        // nginx's header directives: the value is the directive's quoted second argument
        (
            format!(r#"    proxy_set_header Authorization "Basic {basic}";"#),
            vec![(Form::BasicAuth, &basic)],
        ),
        (
            format!(r#"proxy_set_header  Authorization  "Bearer {r32}";"#),
            vec![(Form::Bearer, &r32)],
        ),
        (
            format!(r#"  add_header Authorization "Basic {basic}" always;"#),
            vec![(Form::BasicAuth, &basic)],
        ),
        (
            format!(r#"grpc_set_header Authorization 'Bearer {r32}';"#),
            vec![(Form::Bearer, &r32)],
        ),
        (
            format!("    more_set_headers 'Authorization: Basic {basic}';"),
            vec![(Form::BasicAuth, &basic)],
        ),
        (
            "proxy_set_header Authorization $http_authorization;".into(),
            vec![],
        ),
        (
            r#"proxy_set_header Authorization "Basic $basic_credentials";"#.into(),
            vec![],
        ),
        (
            r#"proxy_set_header Authorization "Bearer {{ upstream_token }}";"#.into(),
            vec![],
        ),
        (
            r#"proxy_set_header Authorization "Basic <base64 user:password>";"#.into(),
            vec![],
        ),
        (r#"proxy_set_header Authorization "";"#.into(), vec![]),
        (format!(r#"proxy_set_header X-Request-Id "{r32}";"#), vec![]),
        // Ansible's connection and privilege-escalation passwords
        (
            format!("ansible_become_pass: {pw}"),
            vec![(Form::Unquoted, pw)],
        ),
        (
            format!("ansible_become_password: \"{pw}\""),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!("ansible_ssh_pass: {pw}"),
            vec![(Form::Unquoted, pw)],
        ),
        (
            "ansible_become_pass: \"{{ vault_become_pass }}\"".into(),
            vec![],
        ),
        ("ansible_become_pass: changeme".into(), vec![]),
        ("ansible_become_method: sudo".into(), vec![]),
        // the AWS CLI's `configure set <name> <value>`: the secret key and the session token,
        // not the key's id
        (
            format!("aws configure set aws_secret_access_key {r32}"),
            vec![(Form::Unquoted, &r32)],
        ),
        (
            format!("aws configure set aws_session_token {r32}{r24}"),
            vec![(Form::Unquoted, &session)],
        ),
        (format!("aws configure set aws_access_key_id {r24}"), vec![]),
        (
            "aws configure set aws_secret_access_key $AWS_SECRET_ACCESS_KEY".into(),
            vec![],
        ),
        (
            "aws configure set aws_session_token \"${AWS_SESSION_TOKEN}\"".into(),
            vec![],
        ),
        (
            "aws configure set aws_secret_access_key <secret-key>".into(),
            vec![],
        ),
        // commands
        (
            format!("curl -u deploy:{pw} https://ci.acme.test/api"),
            vec![(Form::CurlUser, pw)],
        ),
        (
            format!("curl --user 'deploy:{pw}' https://ci.acme.test/api"),
            vec![(Form::CurlUser, pw)],
        ),
        (
            format!("mysql -h db -u root -p{pw} orders"),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!("sshpass -p {pw} ssh deploy@host"),
            vec![(Form::CliFlag, pw)],
        ),
        // SQL statements that set a password: each literal once, as a quoted literal, also
        // where the binding finder reads it too (`PASSWORD = '…'`, `PASSWORD('…')`)
        (
            format!("CREATE USER app WITH PASSWORD '{pw}';"),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!("ALTER USER 'app'@'%' IDENTIFIED BY '{pw}';"),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!("CREATE LOGIN app WITH PASSWORD = '{pw}';"),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!("SET PASSWORD FOR 'app'@'%' = PASSWORD('{pw}');"),
            vec![(Form::Quoted, pw)],
        ),
        ("CREATE USER app WITH PASSWORD $1;".into(), vec![]),
        // tools whose password is a short flag's or a positional argument
        (
            format!("redis-cli -h cache -a {pw} ping"),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!("redis-cli -h cache --pass {pw} ping"),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!("htpasswd -bc /etc/nginx/.htpasswd admin {pw}"),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!("kubectl create secret generic api --from-literal=api-key={r32}"),
            vec![(Form::CliFlag, &r32)],
        ),
        (
            "kubectl create secret generic db --from-literal=host=db".into(),
            vec![],
        ),
        (format!("requirepass {pw}"), vec![(Form::Unquoted, pw)]),
        (
            format!("curl --user deploy:'{pw}' -X PATCH https://ci.acme.test/api"),
            vec![(Form::CurlUser, pw)],
        ),
        (
            format!(r#"curl --user "deploy":"{pw}" https://ci.acme.test/api"#),
            vec![(Form::CurlUser, pw)],
        ),
        (
            format!("kubectl exec vault-0 -- vault operator unseal {b44}"),
            vec![(Form::CliFlag, &b44)],
        ),
        (
            format!(r#"$pw = ConvertTo-SecureString "{pw}" -AsPlainText -Force"#),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!("$pw = convertto-securestring -String '{pw}' -asplaintext -force"),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!(r#"$pw = ConvertTo-Securestring "{pw}" -AsPlainText"#),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!(r#"$pw = convertTo-secureString "{pw}" -asPlainText"#),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!(r"PsExec.exe \\10.0.4.7 -u CORP\deploy -p {pw} -s cmd /c ipconfig"),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!(r"psexec64 \\build01 -u admin -p {pw} -accepteula"),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!(r"net use Z: \\files01\finance {pw} /user:CORP\svc-backup /persistent:no"),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!(r#"NET USE \\files01\ipc$ "{pw}" /USER:admin"#),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!("net user svc-deploy {pw} /add /y"),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!("  @net user administrator {pw}"),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!(r"net use \\files01\finance /user:CORP\bob {pw} /persistent:no"),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!(r"PSEXEC \\build01 -U admin -P {pw} cmd"),
            vec![(Form::CliFlag, pw)],
        ),
        (
            format!(r"paexec \\build01 -u admin -p {pw} cmd"),
            vec![(Form::CliFlag, pw)],
        ),
        (format!("RUN net user svc {pw}"), vec![(Form::CliFlag, pw)]),
        (format!("  - net user svc {pw}"), vec![(Form::CliFlag, pw)]),
        (
            format!(r"C:\> net user svc {pw}"),
            vec![(Form::CliFlag, pw)],
        ),
        // `*` prompts; variables; prose; no UNC path; no password; `-p` with no PsExec
        (
            r"net use Z: \\files01\finance * /user:CORP\bob".into(),
            vec![],
        ),
        (
            r"net use Z: \\files01\finance %SHARE_PASSWORD% /user:bob".into(),
            vec![],
        ),
        (
            r"net use Z: \\files01\finance !SHARE_PW! /user:bob".into(),
            vec![],
        ),
        (r"psexec \\h -u a -p !SHARE_PW! cmd".into(), vec![]),
        (r"net use \\h\s $env:SHARE_PW /user:bob".into(), vec![]),
        (r"net use \\h\s /user:bob".into(), vec![]),
        (r#"net use \\h\s "" /user:"""#.into(), vec![]),
        ("net user bob /delete".into(), vec![]),
        ("net user bob * /add".into(), vec![]),
        (
            format!("Local net user accounts {pw} are listed here"),
            vec![],
        ),
        (format!("Net user accounts {pw} are listed here"), vec![]),
        (format!("net use {pw} /user:bob"), vec![]),
        // `net` must be a word of its own
        (
            format!(r"internet use \\files01\finance {pw} /user:bob"),
            vec![],
        ),
        (format!("dotnet user svc {pw} /add"), vec![]),
        (format!("ASP.NET user alice {pw} /add"), vec![]),
        (r"psexec \\build01 -u admin -p".into(), vec![]),
        (format!("mysql -h db -u root -P 3306 {pw}"), vec![]),
        ("vault operator unseal".into(), vec![]),
        ("vault operator unseal $UNSEAL_KEY_1".into(), vec![]),
        (format!(r#"$s = ConvertTo-SecureString "{pw}""#), vec![]),
        ("mysql -h db -u root -p orders".into(), vec![]),
        (
            r#"curl -u "$USER:$PASS" https://ci.acme.test"#.into(),
            vec![],
        ),
        // connection strings, query strings, .npmrc
        (
            format!("Data Source=db;Initial Catalog=hr;User ID=app;Password={pw};"),
            vec![(Form::Unquoted, pw)],
        ),
        (
            format!(r#"var cs = "Server=db;Uid=app;Pwd={pw};";"#),
            vec![(Form::Unquoted, pw)],
        ),
        (
            format!("https://api.acme.test/v1/items?api_key={r32}&page=2"),
            vec![(Form::Unquoted, &r32)],
        ),
        (
            format!("//registry.acme.test/:_authToken={r32}"),
            vec![(Form::Unquoted, &r32)],
        ),
        (
            "Server=db;User ID=app;Password=${DB_PASSWORD};".into(),
            vec![],
        ),
        // credential URLs, any scheme
        (
            format!("DATABASE_URL=postgres://app:{pw}@db.internal:5432/orders"),
            vec![(Form::Url, pw)],
        ),
        (
            format!("MONGO=mongodb+srv://app:{pw}@cluster0.acme.test/db"),
            vec![(Form::Url, pw)],
        ),
        (
            format!("REDIS_URL=redis://:{pw}@cache:6379/0"),
            vec![(Form::Url, pw)],
        ),
        (
            format!("amqps://orders:{pw}@mq.acme.test:5671"),
            vec![(Form::Url, pw)],
        ),
        (
            format!("smtp://alerts:{pw}@mail.acme.test:587"),
            vec![(Form::Url, pw)],
        ),
        (
            format!("ftp://backup:{pw}@ftp.acme.test/nightly"),
            vec![(Form::Url, pw)],
        ),
        (
            format!("git clone https://{r32}@git.acme.test/org/repo.git"),
            vec![(Form::Url, &r32)],
        ),
        ("postgres://postgres:postgres@localhost/dev".into(), vec![]),
        ("https://user:${PASSWORD}@host.acme.test".into(), vec![]),
        ("https://deploy@git.acme.test/repo.git".into(), vec![]),
        ("https://git.acme.test:8443/repo.git".into(), vec![]),
        // continued commands, prose, loose pairs, configuration inside strings
        (
            format!("curl https://ci.acme.test/token \\\n  --user deploy:{pw} --data x=1"),
            vec![(Form::CurlUser, pw)],
        ),
        (
            format!("Here is the staging token: {r32}"),
            vec![(Form::Unquoted, &r32)],
        ),
        (format!("acme SECRET {r32}"), vec![(Form::Unquoted, &r32)]),
        (format!("acmeSecretKey {r24}"), vec![(Form::Unquoted, &r24)]),
        (
            format!(r#"{{"config.ini": "ACME_TOKEN={r32}\nDEBUG=true"}}"#),
            vec![(Form::Unquoted, &r32)],
        ),
        (
            format!(r#"curl --header "Api-Token: {r24}" https://api.acme.test"#),
            vec![(Form::ApiKeyHeader, &r24)],
        ),
        (format!("# DB_PASSWORD={pw}"), vec![(Form::Unquoted, pw)]),
        (
            "REACT_APP_AUTH_PASSWORD=qzvtwmbkrl".into(),
            vec![(Form::Unquoted, "qzvtwmbkrl")],
        ),
        ("Token string".into(), vec![]),
        ("the password is required".into(), vec![]),
        (format!("Here is the password: {pw}"), vec![]),
        ("password = qzvtwmbkrl".into(), vec![]),
        (r#""password": "qzvtwmbkrl""#.into(), vec![]),
        // a header's whole value kept under a credential's name
        (
            format!("token: Bearer {r32}"),
            vec![(Form::Unquoted, r32.as_str())],
        ),
        (
            format!(r#"API_TOKEN = "Token {r32}""#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        ("token: Bearer {{ .Values.token }}".into(), vec![]),
        ("token: Bearer".into(), vec![]),
        // an unquoted configuration value holding `&`
        (
            "spring.datasource.password=Vq8&mZr2xK".into(),
            vec![(Form::Unquoted, "Vq8&mZr2xK")],
        ),
        ("DB_PASSWORD=$PW & echo started".into(), vec![]),
        // name/value fields: a Kubernetes env list, an ECS task, Helm's set
        (
            format!("- name: STRIPE_API_KEY\n  value: {r32}"),
            vec![(Form::Unquoted, r32.as_str())],
        ),
        (
            format!(r#"{{"name": "SERVICE_TOKEN", "value": "{r32}"}}"#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            format!("  {{\n    \"Name\": \"DB_PASSWORD\",\n    \"Value\": \"{pw}\"\n  }}"),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!("set {{\n  name  = \"auth.password\"\n  value = \"{pw}\"\n}}"),
            vec![(Form::Quoted, pw)],
        ),
        // the value read from a secret, a variable, or the next entry's value: none is a literal
        (
            "- name: API_KEY\n  valueFrom:\n    secretKeyRef:\n      name: app".into(),
            vec![],
        ),
        ("- name: API_KEY\n  value: $(API_KEY)".into(), vec![]),
        (
            format!("- name: API_KEY\n- name: HOST\n  value: {r32}"),
            vec![],
        ),
        (
            format!(r#"{{"name": "username", "value": "{r32}"}}"#),
            vec![],
        ),
        // code whose parameters or fields are called key and value
        (
            "    formatter: FormatterRef,\n    key: FormatterApiKey,\n    value: CFTypeRef,".into(),
            vec![],
        ),
        (
            "return {evicted: true, key: oldKey, value: oldValue};".into(),
            vec![],
        ),
        (
            "cache.set(\n    key=session_token_key,\n    value=new_token,\n)".into(),
            vec![],
        ),
        // a query string's continuation is no configuration value (`&` is kept only at the end)
        (format!("session_token={r24}&verifier=Xk2q9"), vec![]),
        // prose names a credential in two words
        (
            format!("API key: {r32}"),
            vec![(Form::Unquoted, r32.as_str())],
        ),
        (format!("Next page token: {r32}"), vec![]),
        (format!("Routing key: {r32}"), vec![]),
        (format!("Device key: {r32}"), vec![]),
        // signing keys passed to JWT and HMAC calls
        (
            format!(r#"jwt.encode(payload, "{r32}", algorithm="HS256")"#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            format!("const t = jwt.sign(claims, '{r32}', {{ expiresIn: '1h' }});"),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            format!(r#"mac = hmac.new(b"{r32}", body, hashlib.sha256)"#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            format!("crypto.createHmac('sha256', '{r32}').update(body)"),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            format!(r#"Algorithm algorithm = Algorithm.HMAC256("{r32}");"#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            format!("$jwt = JWT::encode($payload, '{r32}', 'HS256');"),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            format!(r#"sig = OpenSSL::HMAC.hexdigest("SHA256", "{r32}", body)"#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            format!(r#"signed, err := token.SignedString([]byte("{r32}"))"#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            format!("Environment=LOG_LEVEL=info API_TOKEN={r32}"),
            vec![(Form::Unquoted, r32.as_str())],
        ),
        (
            "$jwt = JWT::encode($payload, $key, 'HS256');".into(),
            vec![],
        ),
        (
            r#"jwt.encode(payload, "secret", algorithm="HS256")"#.into(),
            vec![],
        ),
        (
            r#"jwt.decode(token, key, algorithms=["HS256"])"#.into(),
            vec![],
        ),
        (
            "crypto.createHmac('sha256', process.env.WEBHOOK_SECRET)".into(),
            vec![],
        ),
        // a fallback literal after a lookup
        (
            format!(r#"const token = process.env.API_TOKEN || "{r32}";"#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            format!(r#"api_key = os.environ.get("API_KEY") or "{r32}""#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            r#"const token = process.env.API_TOKEN || "";"#.into(),
            vec![],
        ),
        (
            format!(r#"const k = process.env.API_KEY || "{r32}";"#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            format!(r#"  apiKey: process.env.ACME_KEY ?? '{r32}',"#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            "const show = process.env.SHOW_TOKEN || false;".into(),
            vec![],
        ),
        (
            format!(r#"const token = lookup(k) || "{r32}" + suffix;"#),
            vec![],
        ),
        // a C macro's value, systemd's Environment=, a notebook cell's code in a JSON string
        (
            format!(r#"#define API_KEY "{r32}""#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (r#"#define API_KEY_LEN "32""#.into(), vec![]),
        (
            format!("Environment=API_TOKEN={r32}"),
            vec![(Form::Unquoted, r32.as_str())],
        ),
        (
            format!(r#"    "api_key = \"{r32}\"\n","#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (r#"    "api_key = \"{{API_KEY}}\"\n","#.into(), vec![]),
        // a placeholder's default: shell and Compose, Spring
        (
            format!(r#"API_TOKEN="${{API_TOKEN:-{r32}}}""#),
            vec![(Form::Unquoted, r32.as_str())],
        ),
        (
            format!("      - DB_PASSWORD=${{DB_PASSWORD:-{pw}}}"),
            vec![(Form::Unquoted, pw)],
        ),
        (
            format!(r#"@Value("${{api.key:{r32}}}")"#),
            vec![(Form::Unquoted, r32.as_str())],
        ),
        (r#"TOKEN="${API_TOKEN:-${FALLBACK_TOKEN}}""#.into(), vec![]),
        ("DB_PASSWORD=${DB_PASSWORD:-}".into(), vec![]),
        ("${API_TOKEN:?API_TOKEN must be set}".into(), vec![]),
        // signing keys converted to bytes
        (
            format!(r#"mac := hmac.New(sha256.New, []byte("{r32}"))"#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            format!(r#"var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("{r32}"));"#),
            vec![(Form::Quoted, r32.as_str())],
        ),
        (
            "mac := hmac.New(sha256.New, []byte(os.Getenv(\"WEBHOOK_SECRET\")))".into(),
            vec![],
        ),
        // libpq's space-separated pairs; Laravel's base64: key; Ruby's basic_auth
        (
            format!(r#"psycopg2.connect("host=db user=app password={pw} dbname=app")"#),
            vec![(Form::Unquoted, pw)],
        ),
        (
            format!("APP_KEY=base64:{b44}"),
            vec![(Form::Unquoted, b44.as_str())],
        ),
        (
            format!("http.basic_auth('app', '{pw}')"),
            vec![(Form::Quoted, pw)],
        ),
        ("echo done && password=$(cat pw.txt) run".into(), vec![]),
        // a short stand-in named after itself; pairs that are no connection string
        (r#".with_basic_auth("h2user", "h2pass");"#.into(), vec![]),
        (format!("- 'key/to recurse=true token={uuid4}'"), vec![]),
        // HTTP clients' own ways to send a credential
        (
            format!(r#"client.get(url).bearer_auth("{r32}").send()"#),
            vec![(Form::Bearer, r32.as_str())],
        ),
        (
            format!(r#"client.get(url).basic_auth("app", Some("{pw}"))"#),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!(r#"auth=HTTPDigestAuth("app", "{pw}")"#),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!(r#"DriverManager.getConnection("jdbc:mysql://db/app", "app", "{pw}");"#),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!(r#"new AuthenticationHeaderValue("Bearer", "{r32}");"#),
            vec![(Form::Bearer, r32.as_str())],
        ),
        (
            format!(r#"request.setValue("Bearer {r32}", forHTTPHeaderField: "Authorization")"#),
            vec![(Form::Bearer, r32.as_str())],
        ),
        (
            format!(r#"headers: {{ Authorization: "Bearer {r32}" }}"#),
            vec![(Form::Bearer, r32.as_str())],
        ),
        (
            r#"request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization")"#.into(),
            vec![],
        ),
        (r#"log("Bearer <token>")"#.into(), vec![]),
        (
            r#"doc = "Bearer authentication sends a token""#.into(),
            vec![],
        ),
        // prose about creating a user, a nested example value, logfmt and shell's other
        // expansions are not credentials
        (
            format!("Feature: create user\n  When I create a user with password \"{pw}\""),
            vec![],
        ),
        (
            format!("- name: api_key\n  in: header\n  examples:\n    value: {r32}"),
            vec![],
        ),
        (
            format!("ts=2024 user=alice action=login token={r32}"),
            vec![],
        ),
        (format!("${{API_TOKEN:?{r32}}}"), vec![]),
        (format!("${{API_TOKEN:+{r32}}}"), vec![]),
        ("${API_TOKEN:0:8}".into(), vec![]),
        (
            "password = \"Bypass#92x\"".into(),
            vec![(Form::Quoted, "Bypass#92x")],
        ),
        (r#"client.get(url).bearer_auth(&token)"#.into(), vec![]),
        // code that mentions credentials without holding one
        (r#"api_key = os.environ["API_KEY"]"#.into(), vec![]),
        ("const token = await getToken();".into(), vec![]),
        (
            r#"headers["Authorization"] = f"Bearer {self.token}""#.into(),
            vec![],
        ),
        ("for key in keys:".into(), vec![]),
        ("if password == confirm_password:".into(), vec![]),
        (r#"log.info("token: %s", token)"#.into(), vec![]),
        ("password = request.form['password']".into(), vec![]),
        ("keyboard.press(Key.ENTER)".into(), vec![]),
        (
            "self.tokenizer = AutoTokenizer.from_pretrained(name)".into(),
            vec![],
        ),
        ("  password: !vault |".into(), vec![]),
        ("token = token or ''".into(), vec![]),
    ];
    assert_table(&cases, scan);
}

/// Passwords at a fixed place in calls and commands that no name qualifies, by each tool's
/// documented syntax, read once each by the whole matcher.
#[test]
fn passwords_by_position_in_calls_and_tool_flags() {
    let pw = "0YV1Z7Ht2i4";
    let q = |s| vec![(Form::Quoted, s)];
    let flag = |s| vec![(Form::CliFlag, s)];
    let cases: Vec<(String, Vec<(Form, &str)>)> = vec![
        // ftplib
        (
            format!("ftp = FTP('ftp.acme-corp.net', 'deploy', '{pw}')"),
            q(pw),
        ),
        (
            format!("with ftplib.FTP_TLS(host, \"deploy\", \"{pw}\") as ftp:"),
            q(pw),
        ),
        (
            format!("FTP('ftp.acme-corp.net', 'deploy', '{pw}', timeout=30)"),
            q(pw),
        ),
        (
            "ftp = FTP(host, user, os.environ['FTP_PASS'])".into(),
            vec![],
        ),
        (
            "ftp = FTP('ftp.acme-corp.net', 'anonymous', 'changeme')".into(),
            vec![],
        ),
        ("ftp = FTP('ftp.acme-corp.net')".into(), vec![]),
        (
            format!("sftp('ftp.acme-corp.net', 'deploy', '{pw}')"),
            vec![],
        ),
        (
            format!("ftp('ftp.acme-corp.net', 'deploy', '{pw}')"),
            vec![],
        ),
        // LDAP binds
        (
            format!("$ok = ldap_bind($conn, 'cn=admin,dc=acme,dc=net', '{pw}');"),
            q(pw),
        ),
        (format!("ldap_bind($ds, $dn, \"{pw}\")"), q(pw)),
        (
            format!("conn.simple_bind_s('cn=admin,dc=acme,dc=net', '{pw}')"),
            q(pw),
        ),
        (format!("l.simple_bind(\"cn=reader\", \"{pw}\")"), q(pw)),
        (
            format!("l.bind_s('cn=admin,dc=acme,dc=net', '{pw}', ldap.AUTH_SIMPLE)"),
            q(pw),
        ),
        ("ldap_bind($conn, $dn, $password);".into(), vec![]),
        ("ldap_bind($conn);".into(), vec![]),
        (format!("ldap_bind($conn, '{pw}');"), vec![]),
        ("conn.simple_bind_s(dn, getpass.getpass())".into(), vec![]),
        (
            "conn.simple_bind_s('cn=admin', '<password>')".into(),
            vec![],
        ),
        (format!("rebind_s('cn=admin', '{pw}')"), vec![]),
        // libcurl's user:password option
        (
            format!("curl_setopt($ch, CURLOPT_USERPWD, 'deploy:{pw}');"),
            q(pw),
        ),
        (
            format!("curl_setopt($ch, CURLOPT_PROXYUSERPWD, \"proxy:{pw}\");"),
            q(pw),
        ),
        (
            format!("curl_easy_setopt(curl, CURLOPT_USERPWD, \"deploy:{pw}\");"),
            q(pw),
        ),
        (format!("c.setopt(pycurl.USERPWD, 'deploy:{pw}')"), q(pw)),
        (format!("    CURLOPT_USERPWD => 'deploy:{pw}',"), q(pw)),
        (
            "curl_setopt($ch, CURLOPT_USERPWD, $user . ':' . $pass);".into(),
            vec![],
        ),
        (
            "curl_setopt($ch, CURLOPT_USERPWD, 'deploy:' . $pass);".into(),
            vec![],
        ),
        (
            "curl_setopt($ch, CURLOPT_USERPWD, \"$user:$pass\");".into(),
            vec![],
        ),
        (
            "curl_setopt($ch, CURLOPT_USERPWD, 'user:password');".into(),
            vec![],
        ),
        (
            "curl_setopt($ch, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);".into(),
            vec![],
        ),
        // Redis CONFIG SET from a client
        (format!("r.config_set('requirepass', '{pw}')"), q(pw)),
        (
            format!("await client.configSet(\"masterauth\", \"{pw}\");"),
            q(pw),
        ),
        ("r.config_set('requirepass', new_password)".into(), vec![]),
        ("r.config_set('requirepass', 'foobared')".into(), vec![]),
        (format!("r.config_set('maxmemory', '{pw}')"), vec![]),
        // keytool's and jarsigner's password flags (the value's name), and a JVM property
        (
            format!(
                "keytool -genkeypair -alias api -keystore app.jks -storepass {pw} -keypass {pw}"
            ),
            vec![(Form::CliFlag, pw), (Form::CliFlag, pw)],
        ),
        (
            format!(
                "keytool -importkeystore -srckeystore a.p12 -srcstorepass {pw} -destkeystore b.jks"
            ),
            flag(pw),
        ),
        (
            format!("keytool -importkeystore -deststorepass {pw}"),
            flag(pw),
        ),
        (
            format!("keytool -importkeystore -srckeypass {pw}"),
            flag(pw),
        ),
        (
            format!("keytool -importkeystore -destkeypass {pw}"),
            flag(pw),
        ),
        (
            format!("jarsigner -keystore app.jks -storepass {pw} app.jar api"),
            flag(pw),
        ),
        (
            format!("keytool -storepasswd -new {pw} -storepass changeit"),
            flag(pw),
        ),
        (
            "keytool -list -keystore cacerts -storepass changeit".into(),
            vec![],
        ),
        (
            "keytool -list -keystore app.jks -storepass:env STORE_PASS".into(),
            vec![],
        ),
        (
            "jarsigner -keystore app.jks -storepass $STORE_PASS app.jar api".into(),
            vec![],
        ),
        (
            format!("java -Djavax.net.ssl.keyStorePassword={pw} -jar app.jar"),
            flag(pw),
        ),
        (
            "java -Djavax.net.ssl.trustStorePassword=changeit -jar app.jar".into(),
            vec![],
        ),
        // OpenSSL's `pass:` source: the password once, not `pass:…` as a flag's value too
        (
            format!("openssl enc -aes-256-cbc -pass pass:{pw} -in a -out b"),
            flag(pw),
        ),
        (
            format!("openssl pkcs12 -in a.p12 -password pass:{pw}"),
            flag(pw),
        ),
        (
            format!("openssl rsa -in k.pem -passin pass:{pw} -out k2.pem"),
            flag(pw),
        ),
        ("openssl enc -pass env:ENC_PASS -in a".into(), vec![]),
        // any other flag's value that starts `pass:` is still that flag's
        (
            "deployctl --api-token pass:Vq3nT8kLm2Xr5Wz9Hb4c".into(),
            flag("pass:Vq3nT8kLm2Xr5Wz9Hb4c"),
        ),
        // `echo … | docker login --password-stdin`
        (
            format!("echo '{pw}' | docker login -u ci --password-stdin registry.acme-corp.net"),
            flag(pw),
        ),
        // `echo … | sudo -S`
        (format!("echo '{pw}' | sudo -S apt-get update"), flag(pw)),
        // Oracle's unquoted password is an unquoted value
        // (an Oracle identifier starts with a letter)
        (
            "CREATE USER app IDENTIFIED BY fZe59U0Dhzl;".into(),
            vec![(Form::Unquoted, "fZe59U0Dhzl")],
        ),
        (format!("CREATE USER app IDENTIFIED BY {pw};"), vec![]),
        (
            format!("CREATE USER app IDENTIFIED BY '{pw}';"),
            vec![(Form::Quoted, pw)],
        ),
    ];
    assert_table(&cases, scan);
}

#[test]
fn example_names_and_hosts_are_marked() {
    let r32 = random(5, B62, 32);
    let hay = format!("SAMPLE_API_KEY = \"{r32}\"\nsmtp://a:gH7#kq91@mail.example.com\n");
    let mut found = Vec::new();
    let words = words_in(hay.as_bytes());
    find(
        MatcherKind::CredentialBinding,
        hay.as_bytes(),
        0..hay.len(),
        &words,
        &mut found,
    );
    find(
        MatcherKind::CredentialUrl,
        hay.as_bytes(),
        0..hay.len(),
        &words,
        &mut found,
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|f| f.example), "{found:?}");
}

#[test]
fn every_form_has_a_matcher_kind() {
    for kind in [MatcherKind::CredentialBinding, MatcherKind::CredentialUrl] {
        assert!(!kind.forms().is_empty());
        assert!(!kind.keywords().is_empty());
    }
    let keywords = MatcherKind::CredentialBinding.keywords();
    let command_words: Vec<String> = super::command::COMMAND_WORDS
        .iter()
        .map(|(w, _)| w.to_ascii_lowercase())
        .collect();
    let words = super::word_lists::BINDING.iter().copied();
    let sql_words = super::word_lists::SQL.iter().copied();
    for w in words
        .chain(command_words.iter().map(String::as_str))
        .chain(sql_words)
    {
        // `pat` is prefiltered in its glued forms only (a name's `_pat` then a binding).
        let glued = format!("_{w}");
        // A word that holds a keyword (`htpasswd` holds `pass`) is on every line it is on.
        let covered = keywords.iter().any(|k| w.contains(k))
            || ["=", " ", ":", "\"", "'"]
                .iter()
                .all(|op| keywords.contains(&format!("{glued}{op}").as_str()));
        assert!(covered, "{w}");
    }
}

/// Classes of values that real code binds to credential-like names without holding a
/// credential, each beside a credential in the same syntax that must still be found.
#[test]
fn code_vocabulary_public_values_and_scopes_are_not_credentials() {
    use base64::Engine as _;
    const HEX: &[u8] = b"0123456789abcdef";
    const LOWER_DIGITS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let r32 = random(21, B62, 32);
    let r43 = random(
        22,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        43,
    );
    let lower24 = random(23, LOWER_DIGITS, 24);
    let hex32 = random(24, HEX, 32);
    let hex24 = random(25, HEX, 24);
    // An uncompressed P-256 point: 0x04, then 64 bytes.
    let point: Vec<u8> = std::iter::once(4u8)
        .chain(
            random(26, HEX, 128)
                .as_bytes()
                .chunks(2)
                .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()),
        )
        .collect();
    let vapid = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&point);
    let hex_point: String = point.iter().map(|b| format!("{b:02x}")).collect();
    let pw = "gH7#kq91";
    let cases: Vec<(String, Vec<(Form, &str)>)> = vec![
        // code, not literals: property chains with optional chaining or non-null assertions
        (
            "    sourceEncryptionKeySha256: options.sourceCustomerKey?.encryptionKeySha256".into(),
            vec![],
        ),
        ("  clientSecret: request.credentials!.clientSecret".into(), vec![]),
        (
            format!("  clientSecret: {r32}"),
            vec![(Form::Unquoted, &r32)],
        ),
        // a credential word glued into a function's name, or a conversion
        (
            r#"enc = SimpleEncoding.from_tiktoken("p40k_editor")"#.into(),
            vec![],
        ),
        (r#"tok = decode_token("k9v7_lower_x")"#.into(), vec![]),
        (
            format!(r#"client = Client().api_key("{r32}")"#),
            vec![(Form::Quoted, &r32)],
        ),
        // a vocabulary's special tokens, dictionary keys and header names under key/token
        (r#"    FRAME_TOKEN = "]<]frame[>[""#.into(), vec![]),
        (r#"BOUNDARY_TOKEN = "<|boundary|>""#.into(), vec![]),
        ("    resources_key = 'v2listeners'".into(), vec![]),
        ("_HEADER_MD5_KEY = 'x-object-md5'".into(), vec![]),
        ("members_key = 'pool-members'".into(), vec![]),
        (
            format!("resources_key = '{lower24}'"),
            vec![(Form::Quoted, &lower24)],
        ),
        (
            format!("ACME_TOKEN = \"{r32}\""),
            vec![(Form::Quoted, &r32)],
        ),
        (
            "api_key = 'l2members9x4k'".into(),
            vec![(Form::Quoted, "l2members9x4k")],
        ),
        // public values: web push application server keys, EC public points
        (format!("const DEFAULT_VAPID_KEY = '{vapid}';"), vec![]),
        (format!("applicationServerKey: \"{vapid}\","), vec![]),
        (format!("signing_key = \"{hex_point}\""), vec![]),
        (
            format!("VAPID_PRIVATE_KEY={r43}"),
            vec![(Form::Unquoted, &r43)],
        ),
        // URLs whose user part is a user name, an id or a DSN's public key: no password
        (
            format!(r#"dsn: "https://{hex32}@o12.ingest.acme.test/4242","#),
            vec![],
        ),
        (format!("ssh://{hex24}@ssh.jobs.acme.test"), vec![]),
        (format!("ssh://{r32}@ssh.jobs.acme.test"), vec![]),
        (
            format!("git clone https://{r32}@git.acme.test/org/repo.git"),
            vec![(Form::Url, &r32)],
        ),
        // a percent-encoded password is judged decoded
        ("'http://a%2F%40:%2F%40@foo/'".into(), vec![]),
        (
            "https://deploy:gH7%23kq91@git.acme.test/".into(),
            vec![(Form::Url, "gH7%23kq91")],
        ),
        // signature scopes and published links
        (
            r#"let scope = "Credential=AKIDEXAMPLE/20240131/eu-west-2/s3/aws4_request";"#.into(),
            vec![],
        ),
        (
            "GET /?X-Amz-Credential=AKIDEXAMPLE%2F20240131%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240131T000000Z".into(),
            vec![],
        ),
        (
            format!("see the ([pdf](https://dl.acm.test/ft.cfm?id=7&CFID=4711&CFTOKEN={hex24}-{hex32}))"),
            vec![],
        ),
        (
            format!("https://api.acme.test/v1/items?api_key={r32}&page=2"),
            vec![(Form::Unquoted, &r32)],
        ),
        // a credential's name among the arguments of a function that writes or translates
        (
            "packet.writeNullTerminatedString('mysql_clear_password', 'utf8mb4');".into(),
            vec![],
        ),
        (r#"label = printf("db_password", "x8Kq2mWp")"#.into(), vec![]),
        (r#"label = t("password", "Passwort1")"#.into(), vec![]),
        (
            format!(r#"System.setProperty("db.password", "{pw}");"#),
            vec![(Form::Quoted, pw)],
        ),
        // a name with a sigil, not a value
        (r#"lastSignificantToken = "?TemplateInJSX";"#.into(), vec![]),
    ];
    assert_table(&cases, scan);
}

/// YAML block scalars holding one line and string tags, declarations whose value follows the
/// name after whitespace, Erlang and Elixir binaries, and GitHub Actions expressions with a
/// literal fallback.
#[test]
fn block_scalars_declarations_binaries_and_expression_fallbacks() {
    let r32 = random(61, B62, 32);
    let r28 = random(62, B62, 28);
    let pw = "Wq4#zr7Lp";
    let cases: Vec<(String, Vec<(Form, &str)>)> = vec![
        // YAML block scalars: the one content line is the value
        (
            format!("password: |\n  {pw}\nhost: db\n"),
            vec![(Form::Unquoted, pw)],
        ),
        (
            format!("  api_key: |-\n    {r32}\n  region: eu\n"),
            vec![(Form::Unquoted, &r32)],
        ),
        (format!("token: >\n  {r32}\n"), vec![(Form::Unquoted, &r32)]),
        (format!("token: >-\n  {r32}"), vec![(Form::Unquoted, &r32)]),
        (
            format!("client_secret: >+\n  {r28}\n\nnext: 1"),
            vec![(Form::Unquoted, &r28)],
        ),
        (
            format!("client_secret: |+\r\n    {r28}\r\nnext: 1\r\n"),
            vec![(Form::Unquoted, &r28)],
        ),
        (
            format!("- db_password: |2 # rotated yearly\n    {pw}\n- host: db\n"),
            vec![(Form::Unquoted, pw)],
        ),
        (
            format!("\"api_token\": |-\n  {r32}\n"),
            vec![(Form::Unquoted, &r32)],
        ),
        // a tab after the indentation is not part of the value, which keeps its last byte
        (
            format!("token: |\n  \t{r32}\n"),
            vec![(Form::Unquoted, &r32)],
        ),
        // several lines are a certificate, key or script; templates and references are not
        // values; content no deeper than the key is no content
        (format!("private_key: |\n  {r32}\n  {r28}\n"), vec![]),
        (format!("token: |\n  {r32}\n    {r28}\n"), vec![]),
        ("password: |\n  ${DB_PASSWORD}\n".into(), vec![]),
        ("api_key: |-\n  {{ .Values.apiKey }}\n".into(), vec![]),
        (format!("password: |\n{pw}\n"), vec![]),
        (format!("  password: >\n  {pw}\n"), vec![]),
        (
            "token: |\n  Paste the token from the dashboard.\n".into(),
            vec![],
        ),
        (format!("password: !vault |\n  {r32}\n"), vec![]),
        // YAML's string tag before the value; a CloudFormation reference is no value
        (
            format!("password: !!str {pw}\n"),
            vec![(Form::Unquoted, pw)],
        ),
        (
            format!("api_token: !!str \"{r32}\"\n"),
            vec![(Form::Quoted, &r32)],
        ),
        ("MasterUserPassword: !Ref DbPassword\n".into(), vec![]),
        (format!("password: !!strict {pw}\n"), vec![]),
        (format!("token: |\n\n  {r32}\n"), vec![]),
        (format!("description: |\n  {r32}\n"), vec![]),
        // declarations: the declaring word or character right before the name
        (
            format!(r#"set(API_KEY "{r32}")"#),
            vec![(Form::Quoted, &r32)],
        ),
        (
            format!(r#"SET(ACME_TOKEN "{r32}" CACHE STRING "token")"#),
            vec![(Form::Quoted, &r32)],
        ),
        (
            format!(r#"set api_key "{r32}""#),
            vec![(Form::Quoted, &r32)],
        ),
        (
            format!(r#"(def api-key "{r32}")"#),
            vec![(Form::Quoted, &r32)],
        ),
        (
            format!(r#"  (def ^:private db-password "{pw}")"#),
            vec![(Form::Quoted, pw)],
        ),
        (format!(r#"  @api_key "{r32}""#), vec![(Form::Quoted, &r32)]),
        (
            format!(r#"setx API_TOKEN "{r32}""#),
            vec![(Form::Quoted, &r32)],
        ),
        (
            format!("setx API_TOKEN {r32}"),
            vec![(Form::Unquoted, &r32)],
        ),
        (format!(r#"we set api_key "{r32}" here"#), vec![]),
        (format!(r#"log(api_key "{r32}")"#), vec![]),
        (format!(r#"x = @api_key "{r32}""#), vec![]),
        (format!(r#"(defn api-key "{r32}")"#), vec![]),
        (r#"set(API_KEY "${ENV_API_KEY}")"#.into(), vec![]),
        (r#"  @api_key "changeme""#.into(), vec![]),
        ("setx API_TOKEN %API_TOKEN%".into(), vec![]),
        (r#"(def api-key (System/getenv "API_KEY"))"#.into(), vec![]),
        // Erlang and Elixir binaries; Erlang macros
        (
            format!(r#"ApiKey = <<"{r32}">>,"#),
            vec![(Form::Quoted, &r32)],
        ),
        (
            format!(r#"    {{api_key, <<"{r32}">>}},"#),
            vec![(Form::Quoted, &r32)],
        ),
        (
            format!(r#"  api_key => <<"{r32}">>,"#),
            vec![(Form::Quoted, &r32)],
        ),
        (
            format!(r#"#{{password => <<"{pw}"/utf8>>}}"#),
            vec![(Form::Quoted, pw)],
        ),
        (
            format!(r#"-define(API_KEY, "{r32}")."#),
            vec![(Form::Quoted, &r32)],
        ),
        (
            format!(r#"-define(DB_PASSWORD, <<"{pw}">>)."#),
            vec![(Form::Quoted, pw)],
        ),
        (r#"ApiKey = <<Prefix/binary, "x9">>,"#.into(), vec![]),
        (r#"{api_key, <<"changeme">>},"#.into(), vec![]),
        (r#"{api_key, os:getenv("API_KEY")},"#.into(), vec![]),
        (r#"-define(API_KEY_HEADER, "x-api-key")."#.into(), vec![]),
        (r#"-define(TOKEN_LEN, 32)."#.into(), vec![]),
        (format!(r#"ApiKey = <<"{r32}", Rest/binary>>,"#), vec![]),
        // GitHub Actions: the literal after `||` inside `${{ … }}`
        (
            format!("      API_TOKEN: ${{{{ secrets.API_TOKEN || '{r32}' }}}}"),
            vec![(Form::Quoted, &r32)],
        ),
        (
            format!("  password: ${{{{ env.DB_PASSWORD || '{pw}' }}}}"),
            vec![(Form::Quoted, pw)],
        ),
        ("      API_TOKEN: ${{ secrets.API_TOKEN }}".into(), vec![]),
        ("      API_TOKEN: ${{ env.API_TOKEN }}".into(), vec![]),
        (
            "      API_TOKEN: ${{ secrets.API_TOKEN || secrets.FALLBACK_TOKEN }}".into(),
            vec![],
        ),
        (
            "      API_TOKEN: ${{ secrets.API_TOKEN || '' }}".into(),
            vec![],
        ),
    ];
    assert_table(&cases, scan);
}

/// The words a window holds, read from the keyword prefilter's hits of the whole input (by
/// either automaton), are what aho-corasick finds searching that window alone: the same binding
/// and command words in the same places, overlapping ones included, and the SQL words a
/// leftmost-first search finds (the SQL finder's semantics).
#[test]
fn window_words_from_the_prefilter_match_a_search_of_the_window() {
    use crate::engine::keywords::{Build, Keywords, Lexicon};
    use aho_corasick::AhoCorasickBuilder;
    let command_words: Vec<&str> = super::command::COMMAND_WORDS
        .iter()
        .map(|(w, _)| *w)
        .collect();
    assert_eq!(command_words, super::word_lists::COMMAND);
    let texts = [
        "api_key = TOKEN; Secret=x curlogin PASSWORD pwdpat _PAT= logon/LOGIN webhook",
        "jwt.encode(payload, k) hmac.new(b) Fernet(key) credentials authorization keykeykey",
        "mysql -p; MariaDB sshpass -p; vault operator unseal; ConvertTo-SecureString; PsExec",
        "NET USE x: redis-cli -a htpasswd -b kubectl --from-literal=a=b requirepass masterauth",
        "CREATE USER app IDENTIFIED BY 'x'; ALTER ROLE r PASSWORD 'y'; passwordidentified",
        "keytool -storepass:x mongo sudo pass:pass: password-stdin rabbitmqctl psexec paexec",
        "",
        "no words here at all, only code: let x = compute(y);",
    ];
    let search = |words: &[&str]| {
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(words)
            .unwrap()
    };
    let binding = search(super::word_lists::BINDING);
    let sql = search(super::word_lists::SQL);
    let command = search(super::word_lists::COMMAND);
    let catalogue = crate::detectors::Catalogue::builtin().unwrap();
    let lexicon = Lexicon::new(&catalogue);
    let automata = [
        Keywords::build(&lexicon, Build::Small),
        Keywords::build(&lexicon, Build::Large),
    ];
    for text in texts {
        let hay = text.as_bytes();
        for keywords in &automata {
            let mut words = Vec::new();
            keywords.for_each_hit(hay, |h| {
                words.extend(Occurrence::of(
                    h.start..h.end,
                    lexicon.word_roles[h.keyword as usize],
                ));
            });
            // The matchers' own search (for callers without a scanner) finds the same words.
            let by_place = |mut w: Vec<Occurrence>| {
                w.sort_by_key(|o| (o.range().end, o.range().start));
                w
            };
            assert_eq!(
                by_place(words_in(hay)),
                by_place(words.clone()),
                "words in {text:?}"
            );
            // Every window of the text, cut anywhere, words straddling its edges included.
            for start in 0..=hay.len() {
                for end in start..=hay.len() {
                    let cut = &hay[start..end];
                    let placed = |m: aho_corasick::Match| {
                        (m.pattern().as_usize(), start + m.start()..start + m.end())
                    };
                    let mut want: Vec<std::ops::Range<usize>> = binding
                        .find_overlapping_iter(cut)
                        .map(|m| m.range())
                        .collect();
                    want.sort_by_key(|r| (r.start, r.end));
                    let hits = super::words::InWindow::new(&words, start..end);
                    let at = format!("{:?}", String::from_utf8_lossy(cut));
                    let got: Vec<_> = hits.binding().collect();
                    assert_eq!(got, want, "binding words in {at}");
                    let want: Vec<_> = sql.find_iter(cut).map(placed).collect();
                    assert_eq!(hits.sql().collect::<Vec<_>>(), want, "SQL words in {at}");
                    let mut want: Vec<_> = command.find_overlapping_iter(cut).map(placed).collect();
                    let mut got: Vec<_> = hits.command().collect();
                    want.sort_by_key(|(w, r)| (r.end, r.start, *w));
                    got.sort_by_key(|(w, r)| (r.end, r.start, *w));
                    assert_eq!(got, want, "command words in {at}");
                }
            }
        }
    }
}

/// What reading a window's words from the prefilter's hits relies on: every word fits an
/// occurrence's length byte; no binding word holds another (so their order of ends is their
/// order of starts); no two SQL words overlap (so all their occurrences are what a
/// leftmost-first search finds).
#[test]
fn the_word_lists_keep_what_window_words_rely_on() {
    use super::word_lists::{BINDING, SQL};
    for w in super::word_lists::watched() {
        assert!(!w.is_empty() && w.len() < 256, "{w:?}");
    }
    for a in BINDING {
        for b in BINDING {
            assert!(a == b || !b.contains(a), "{b:?} holds {a:?}");
        }
    }
    for a in SQL {
        for b in SQL {
            // `b` starting inside `a` (a suffix of `a` that begins `b`), itself included.
            let overlaps = (1..a.len()).any(|i| b.starts_with(&a[i..]) || a[i..].starts_with(b));
            assert!(!overlaps, "{a:?} and {b:?} overlap");
            assert!(a == b || !b.contains(a), "{b:?} holds {a:?}");
        }
    }
}

/// Lines cut at the matcher's reach (1 024 bytes either side of a keyword) may start right at a
/// name's opening quote or end right at its closing one: nothing reads past the cut.
#[test]
fn names_at_the_edges_of_a_cut_line_do_not_panic() {
    let texts = [
        format!("\"{}token\": \"Zq8vK2mXw9LpR4tB7nYc\"", "a".repeat(1024)),
        format!(
            "\\\"{}token\\\": \\\"Zq8vK2mXw9LpR4tB7nYc\\\"",
            "a".repeat(1023)
        ),
        format!("- name: \"ab token{}\"x", "b".repeat(1019)),
        format!("\"ab token{}\"x", "b".repeat(1019)),
        // a block scalar's content line, and the line after it, at the cut
        format!("token: |\n  {}", "b".repeat(1030)),
        format!("token: |-\n  Zq8vK2mXw9LpR4tB7nYc\n{}", " ".repeat(1000)),
        format!(
            "{}r.config_set('requirepass', 'Zq8vK2mXw9')",
            "a".repeat(1000)
        ),
        format!(
            "{}curl_setopt($c, CURLOPT_USERPWD, 'u:Zq8vK2mXw9')",
            "a".repeat(1000)
        ),
        format!("{}ftplib.FTP('h', 'u', 'Zq8vK2mXw9')", "a".repeat(1000)),
        format!(
            "{}echo 'Zq8vK2mXw9' | docker login --password-stdin",
            "a ".repeat(500)
        ),
        format!("{}echo 'Zq8vK2mXw9' | sudo -S ls", "a ".repeat(500)),
        // a type annotation's `=` just past the cut, and a YAML tag there
        format!("password: {}Foo=x", " ".repeat(1011)),
        format!("password: {}S=x", " ".repeat(1013)),
        format!("password: {}!!str x", " ".repeat(1010)),
        format!("{}-passin 'pass:Zq8vK2mXw9'", "a ".repeat(505)),
        format!("keytool {}-new Zq8vK2mXw9", "a ".repeat(505)),
        format!("ALTER USER {} IDENTIFIED BY Zq8vK2mXw9", "a".repeat(1000)),
        format!(
            "{}proxy_set_header Authorization \"Basic Zq8vK2mXw9\";",
            " ".repeat(1000)
        ),
        format!(
            "{}proxy_set_header Authorization \"Bearer Zq8vK2mXw9Zq8vK2mXw9\"",
            " ".repeat(1000)
        ),
        format!("{}ansible_become_pass: Zq8vK2mXw9", "a ".repeat(500)),
        format!(
            "{}aws configure set aws_session_token Zq8vK2mXw9",
            "a ".repeat(500)
        ),
        format!("rabbitmqctl {}add_user ops Zq8vK2mXw9", "-q ".repeat(335)),
        format!(
            "{}rabbitmqctl change_password ops 'Zq8vK2mXw9'",
            "a ".repeat(500)
        ),
        format!("{}mongosh -u admin -p Zq8vK2mXw9", "a ".repeat(505)),
        format!("mongodump \\\n{}-p Zq8vK2mXw9", " ".repeat(1005)),
        format!(
            "{}vault login -method=userpass password=Zq8vK2mXw9",
            "a ".repeat(490)
        ),
        format!("{}vault login -method userpass", "a ".repeat(505)),
        format!("{}vault login 'hvs.Zq8vK2mXw9Zq8vK2mXw9'", "a ".repeat(505)),
    ];
    for text in texts {
        for cut in 1015..1030 {
            let t: String = text.chars().take(cut.min(text.len())).collect();
            let _ = scan(&t);
        }
        let _ = scan(&text);
    }
}
