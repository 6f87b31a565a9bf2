"""Source lines that name keys, tokens and passwords without holding one, in several languages,
for the keyword-rich commit benchmarks (bench/run.py). Real code mentions credentials all the
time: reading them from the environment, passing them on, putting them in headers. Every such
line hits a scanner's keywords; none of them is a finding.

Also the neutral lines that seed the files these changes go into, and `planted_secrets`, three
credential-shaped values of documented formats for the commit-with-findings benchmark.
"""
import random
import string
import zlib

SERVICES = ["billing", "search", "payments", "mailer", "storage", "analytics", "reports",
            "gateway", "inventory", "profile", "notify", "export", "ledger", "catalog"]

# {s}: a service name (lower case), {S}: upper case, {C}: capitalised, {i}: a counter.
TEMPLATES = {
    "py": [
        'api_key = os.environ["{S}_API_KEY"]',
        'token = os.getenv("{S}_TOKEN", "")',
        'headers["Authorization"] = f"Bearer {{self.token}}"',
        'password = getpass.getpass(prompt="{s} password: ")',
        'client = {C}Client(api_key=settings.{S}_API_KEY, secret=self._client_secret)',
        'if not self.access_token_{i}: self.access_token_{i} = self._refresh_token()',
        'secret_key = config.get("{s}", "secret_key", fallback=None)',
        'credentials = service_account.Credentials.from_service_account_file(self.key_path)',
        'session.auth = (self.username, keyring.get_password("{s}", self.username))',
        'aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY"),',
        'self._token_{i} = await self._oauth.fetch_token(token_url, client_secret=self.client_secret)',
        'DATABASES["{s}"]["PASSWORD"] = env("{S}_DB_PASSWORD")',
    ],
    "ts": [
        'const token = await getToken();',
        'const apiKey = process.env.{S}_API_KEY;',
        'headers.Authorization = `Bearer ${{token}}`;',
        'const {{ password }} = await prompt.get(["password"]);',
        'this.clientSecret_{i} = options.clientSecret ?? process.env.{S}_CLIENT_SECRET;',
        'const res = await fetch(url, {{ headers: {{ "x-api-key": this.apiKey }} }});',
        'const secret = await secrets.getSecretValue({{ SecretId: "{s}/api-token" }}).promise();',
        'if (!accessToken_{i}) accessToken_{i} = await refreshAccessToken(refreshToken);',
        'export const {s}Token = () => localStorage.getItem("{s}_auth_token");',
        'const stripeKey = config.get<string>("{s}.stripeSecretKey");',
        'axios.defaults.headers.common["Authorization"] = `token ${{this.githubToken}}`;',
        'jwt.verify(token, publicKey, {{ algorithms: ["RS256"] }});',
    ],
    "go": [
        'apiKey := os.Getenv("{S}_API_KEY")',
        'req.Header.Set("Authorization", "Bearer "+token)',
        'token, err := {s}Client.GetToken(ctx, scopes...)',
        'password := cfg.{C}.Password',
        'secret, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{{SecretId: aws.String("{s}")}})',
        'if creds.SecretAccessKey == "" {{ return errMissingSecretKey{i} }}',
        'opts = append(opts, option.WithCredentialsFile(os.Getenv("GOOGLE_APPLICATION_CREDENTIALS")))',
        'clientSecret := viper.GetString("{s}.oauth.client_secret")',
        'auth := smtp.PlainAuth("", cfg.SMTPUser, cfg.SMTPPassword, cfg.SMTPHost)',
        'tok := &oauth2.Token{{AccessToken: accessToken{i}, TokenType: "Bearer"}}',
    ],
    "java": [
        'String apiKey = System.getenv("{S}_API_KEY");',
        'String token = tokenProvider.getAccessToken();',
        'request.setHeader("Authorization", "Bearer " + token);',
        'char[] password = console.readPassword("{s} password: ");',
        'private final String clientSecret{i} = properties.getProperty("{s}.client.secret");',
        'AwsBasicCredentials creds = AwsBasicCredentials.create(accessKeyId, secretAccessKey);',
        'dataSource.setPassword(env.getRequiredProperty("{s}.datasource.password"));',
        'String refreshToken = vault.read("secret/{s}").getData().get("refresh_token");',
        '@Value("${{{s}.api-key}}") private String apiKey{i};',
    ],
    "rb": [
        'api_key = ENV.fetch("{S}_API_KEY")',
        '@token ||= client.fetch_token(scope: :{s})',
        'request["Authorization"] = "Bearer #{{@token}}"',
        'password = Rails.application.credentials.dig(:{s}, :password)',
        'config.secret_key_base = ENV["SECRET_KEY_BASE"]',
        'Stripe.api_key = Rails.application.credentials.stripe[:secret_key]',
    ],
    # YAML, with the Ruby (ERB) and .env-style entries that configuration files hold.
    "yml": [
        '  password: <%= ENV["{S}_DB_PASSWORD"] %>',
        '  api_key: ${{{S}_API_KEY}}',
        '  - {S}_TOKEN=${{{S}_TOKEN}}',
        '  client_secret: !env {S}_CLIENT_SECRET',
        '        secretKeyRef: {{ name: {s}-credentials, key: token }}',
        '  access_token: "{{{{ .Values.{s}.accessToken }}}}"',
        '  secret_access_key: ((aws-secret-access-key))',
        '  auth_token_file: /run/secrets/{s}_token',
    ],
    "env": [
        '{S}_API_KEY=',
        '{S}_TOKEN=${{VAULT_{S}_TOKEN}}',
        '{S}_PASSWORD=<your-password>',
        '{S}_CLIENT_SECRET=changeme',
        'AWS_SECRET_ACCESS_KEY=${{AWS_SECRET_ACCESS_KEY}}',
    ],
}
TEMPLATES["js"] = TEMPLATES["mjs"] = TEMPLATES["cjs"] = TEMPLATES["tsx"] = TEMPLATES["ts"]
TEMPLATES["yaml"] = TEMPLATES["yml"]

# Neutral lines of each language, to seed the files the keyword-rich change edits.
NEUTRAL = {
    "py": 'result_{i} = compute(items[{i}], limit={i})',
    "ts": 'const value{i} = compute(items[{i}], {{ limit: {i} }});',
    "go": 'value{i} := compute(items[{i}], {i})',
    "java": 'int value{i} = compute(items[{i}], {i});',
    "rb": 'value_{i} = compute(items[{i}], limit: {i})',
    "yml": '  setting_{i}: {i}',
    "env": 'SETTING_{i}={i}',
}

# The files of the keyword-rich change in the generated repository: one per language.
SEEDED = ["services/api/settings.py", "services/web/src/client.ts", "services/auth/token.go",
          "services/billing/src/main/java/Credentials.java", "services/ops/deploy.yml"]


def lang(path):
    ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if path.endswith(".env") or path.rsplit("/", 1)[-1] == ".env":
        return "env"
    return ext if ext in TEMPLATES else None


def keyword_lines(rng, path, n):
    """n lines naming credentials, in the language of `path` (JavaScript when unknown)."""
    templates = TEMPLATES[lang(path) or "ts"]
    out = []
    for i in range(n):
        s = rng.choice(SERVICES)
        t = templates[i % len(templates)]
        out.append(t.format(s=s, S=s.upper(), C=s.capitalize(), i=rng.randint(0, 999)) + "\n")
    return out


def neutral_file(path, n):
    t = NEUTRAL[lang(path)]
    return "".join(t.format(i=i) + "\n" for i in range(n))


def planted_secrets(rng):
    """Three findings in documented formats, as (line, detector) pairs: a GitHub classic
    personal access token (its CRC32 checksum in base62), an AWS access key id and an AWS
    secret access key. Random values, generated here."""
    b62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
    body = "".join(rng.choice(b62) for _ in range(30))
    crc, digits = zlib.crc32(body.encode()), []
    for _ in range(6):
        crc, d = divmod(crc, 62)
        digits.append(b62[d])
    ghp = "ghp_" + body + "".join(reversed(digits))
    key_id = "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    secret = "".join(rng.choice(string.ascii_letters + string.digits + "/+") for _ in range(40))
    return [
        (f'    let github_token = "{ghp}";\n', "github-pat-classic"),
        (f'    let aws_access_key_id = "{key_id}";\n', "aws-access-key-id"),
        (f'    let aws_secret_access_key = "{secret}";\n', "aws-secret-access-key"),
    ]
