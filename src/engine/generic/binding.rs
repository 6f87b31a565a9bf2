//! The binding finder: where a credential-like name is bound to a literal.
//!
//! It starts from each credential word in the window (`word_lists::BINDING`: `secret`, `token`,
//! `pass`, `key`, `auth` … and the call names `jwt`, `hmac`, `getconnection`, `bearer`, `ftp(`,
//! `ldap_bind`, `simple_bind`), widens it
//! to the identifier around it, and
//! asks what follows the identifier. Almost every keyword hit in real code stops there, after a
//! few byte comparisons: `keys()`, `KeyError`, `tokenizer.encode(` are not followed by a binding
//! operator. Only then is the name classified and the value read:
//!
//! - assignments and keys: `=`, `:=`, `::=`, `?=`, `.=`, `||=`, `??=`, `<-`, `=>`, `:` (JSON,
//!   YAML, TOML, HCL, objects, keyword arguments, `let`/`const`/`val` declarations), typed
//!   declarations (`var token string = …`, `const TOKEN: &str = …`, `password: str = …`);
//! - declarations whose value follows the name after a space, the declaring word or character
//!   alone before it on its line: `#define API_KEY "…"`, CMake's `set(API_KEY "…")`, Tcl's
//!   `set api_key "…"`, Clojure's `(def api-key "…")`, Elixir's `@api_key "…"`, Windows'
//!   `setx API_TOKEN …`;
//! - Erlang and Elixir binaries as literals (`ApiKey = <<"…">>`, `api_key => <<"…">>`), an
//!   Erlang tuple's binary (`{api_key, <<"…">>}`) and macro (`-define(API_KEY, "…").`);
//! - a YAML block scalar (`password: |`, `>-` …) whose content is one line: a block of several
//!   lines is a key, a certificate or a script;
//! - a name in a string followed by `,` (`setProperty("SLACK_TOKEN", "…")`, `define('DB_PASS',
//!   '…')`), `value=` (`<add key="Password" value="…"/>`) or `>` (`<entry key="token">…`);
//! - comparisons: `password == "…"`, `creds.Secret != "…"`;
//! - calls: setters (`setPassword("…")`, `.apiKey("…")`), the last literal argument of
//!   credential constructors and logins (`NetworkCredential("u", "…")`, `HTTPBasicAuth(…)`,
//!   `smtp.login(user, "…")`, `getConnection(url, user, "…")`), the password at its documented
//!   position (`FTP(host, user, "…")`, `ldap_bind($l, $dn, "…")`, `simple_bind_s(dn, "…")`),
//!   libcurl's `CURLOPT_USERPWD, "user:…"`, Redis's `config_set('requirepass', "…")`,
//!   `auth=("u", "…")`, the key of
//!   JWT and HMAC calls (`jwt.encode(payload, "…")`, `hmac.New(sha256.New, []byte("…"))`) and
//!   bearer tokens (`.bearer_auth("…")`, `"Bearer …"` as a whole string);
//! - fallbacks and defaults: `process.env.API_KEY || "…"`, GitHub Actions'
//!   `${{ secrets.API_TOKEN || '…' }}`, `${API_TOKEN:-…}`, `${api.key:…}`;
//! - a name that is a field's value: `- name: API_KEY` then `value: …` (Kubernetes, ECS, Helm);
//! - XML elements (`<password>…</password>`, the value possibly on the next lines);
//! - command-line flags (`--password …`, `--token=…`, `-storepass …`);
//! - HTTP headers written as text (`Authorization: Bearer …`, `X-API-Key: …` in a string,
//!   a `curl -H`, or a raw request) or set by nginx (`proxy_set_header Authorization "Basic
//!   …";`, `add_header`), and connection strings (`…;Password=…;`) and query
//!   strings (`?api_key=…`).
//!
//! Quoted literals are taken wherever the operator allows them. An unquoted value is taken only
//! where a configuration file would hold one: a line that starts with the name (`.env`, YAML,
//! INI, `.properties`, `export`, `ENV`, `setx`, systemd's `Environment=`), a YAML block
//! scalar's one line, a `key=value;` or libpq `key=value` connection string, a query string,
//! or a flag; in code the same text is an expression (`token = read_token()`).

use std::ops::Range;

use super::Form;
use super::name::{self, Kind, Name};
use super::value::{self, Accepted, Class, Setting};

/// A credential bound to a credential-like name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub form: Form,
    /// The name as written (for attribution: `SENDGRID_KEY` names SendGrid).
    pub name: Range<usize>,
    /// The credential's bytes.
    pub secret: Range<usize>,
    pub class: Class,
    pub example: bool,
    /// Only a credential if `name` names a catalogue provider (`TaxJar key: …`): prose whose
    /// `key` no credential word qualifies.
    pub needs_provider: bool,
}

/// How far past the window an XML element's value may be looked for (the value on the next
/// lines, then the closing tag).
const ELEMENT_REACH: usize = 512;

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Bounds of the line that contains `pos`.
/// Bytes of a line either side of a credential word that a binding may span. A minified line
/// of megabytes with thousands of hits must cost each hit this much, not the whole line.
const LINE_REACH: usize = 1024;

/// Bounds of the line that contains `pos`, clamped to `LINE_REACH` either side.
fn line_of(hay: &[u8], pos: usize) -> Range<usize> {
    let floor = pos.saturating_sub(LINE_REACH);
    let ceiling = hay.len().min(pos + LINE_REACH);
    let start = memchr::memrchr(b'\n', &hay[floor..pos]).map_or(floor, |i| floor + i + 1);
    let end = memchr::memchr(b'\n', &hay[pos..ceiling]).map_or(ceiling, |i| pos + i);
    let end = if end > start && hay[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    start..end
}

/// A quote as written: `"`, `'` or `` ` ``, possibly backslash-escaped (JSON inside a string).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Quote {
    ch: u8,
    escaped: bool,
}

impl Quote {
    fn len(self) -> usize {
        1 + self.escaped as usize
    }

    fn at(self, hay: &[u8], i: usize) -> bool {
        if self.escaped {
            hay.get(i) == Some(&b'\\') && hay.get(i + 1) == Some(&self.ch)
        } else {
            hay.get(i) == Some(&self.ch)
        }
    }
}

fn is_quote(b: u8) -> bool {
    matches!(b, b'"' | b'\'' | b'`')
}

/// The quote that ends right before `pos`, if any.
fn quote_before(hay: &[u8], pos: usize) -> Option<Quote> {
    let ch = *hay.get(pos.checked_sub(1)?)?;
    if !is_quote(ch) {
        return None;
    }
    let escaped = pos >= 2 && hay[pos - 2] == b'\\';
    Some(Quote { ch, escaped })
}

/// What binds the name to its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// `=`, `:=`, `=>`, `<-` … (and typed declarations).
    Assign,
    /// `:`.
    Colon,
    /// `==`, `!=`, `===`, `!==`.
    Compare,
    /// A quoted name followed by `,`: the next argument is its value.
    Comma,
    /// `<add key="Password" value="…"/>`.
    XmlValue,
    /// `<password>…` or `<entry key="password">…`.
    Element,
    /// `name(`.
    Call,
    /// A flag or a Dockerfile `ENV` followed by whitespace and the value.
    Space,
    /// `${API_TOKEN:-…}` (shell, Compose), `${api.key:…}` (Spring): the placeholder's default,
    /// the value used when nothing is set.
    Default,
    /// Terraform's `variable "api_token" {`: the value is the block's `default = "…"`.
    VariableBlock,
}

/// What makes a prose name a credential's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Qualifier {
    /// The name itself, or with the word before it (`API key`, `page token` is none).
    Name,
    /// The word starting at this offset, if it names a catalogue provider (`TaxJar key`).
    Provider(usize),
}

/// One identifier next to a keyword hit.
struct Site<'h> {
    hay: &'h [u8],
    line: Range<usize>,
    /// The identifier as written, without leading dashes or sigils.
    name: Range<usize>,
    /// `-` or `--` before the name, preceded by whitespace: a command-line flag.
    flag: bool,
    /// The quote the name sits in (`"password": …`, `key="Password"`).
    quote: Option<Quote>,
    /// Whether `line` starts and ends where the line does (a line longer than `LINE_REACH`
    /// either side is clamped: what lies before or after it is unknown).
    whole_start: bool,
    whole_end: bool,
}

/// Finds every binding of a credential-like name to a credential in `window`, from the
/// credential words' occurrences `hits` (relative to the window, in order of start: see
/// `words::InWindow::binding`). Every word lies inside one identifier, which the first of its
/// words opens.
pub fn find(
    hay: &[u8],
    window: Range<usize>,
    hits: impl IntoIterator<Item = Range<usize>>,
    out: &mut Vec<Binding>,
) {
    let mut done = window.start;
    for m in hits {
        let (s, mut e) = (window.start + m.start, window.start + m.end);
        // A call's word (`ftp(`) names the callee without its parenthesis.
        if hay[e - 1] == b'(' {
            e -= 1;
        }
        if s < done {
            continue;
        }
        let line = line_of(hay, s);
        let line_start = line.start;
        let (mut a, mut b) = (s, e);
        while a > line.start && is_name_byte(hay[a - 1]) {
            a -= 1;
        }
        while b < line.end && is_name_byte(hay[b]) {
            b += 1;
        }
        done = b;
        // Dots and dashes at the edges are punctuation (`password.`), except a flag's dashes.
        while b > a && matches!(hay[b - 1], b'.' | b'-') {
            b -= 1;
        }
        let dashes = hay[a..b].iter().take_while(|&&c| c == b'-').count();
        while a < b && hay[a] == b'.' {
            a += 1;
        }
        let flag = (1..=2).contains(&dashes)
            && (a == line.start || is_space(hay[a - 1]) || is_quote(hay[a - 1]));
        let name_start = a + dashes;
        if name_start >= b {
            continue;
        }
        let whole_start = line.start == 0 || hay[line.start - 1] == b'\n';
        let whole_end = line.end == hay.len() || matches!(hay[line.end], b'\n' | b'\r');
        let site = Site {
            hay,
            whole_start,
            whole_end,
            line,
            name: name_start..b,
            flag,
            // Only a quote inside the line: a line cut at `LINE_REACH` may start right at the name.
            quote: if dashes == 0 {
                quote_before(hay, a).filter(|q| a >= line_start + q.len())
            } else {
                None
            },
        };
        site.bind(out);
    }
}

impl Site<'_> {
    fn name_bytes(&self) -> &[u8] {
        &self.hay[self.name.clone()]
    }

    fn bind(&self, out: &mut Vec<Binding>) {
        if let Some(pw) = self.userpwd_option().or_else(|| self.config_set_password()) {
            self.accept(Form::Quoted, pw, &PASSWORD, out);
            return;
        }
        if let Some(token) = self.bearer_literal() {
            self.accept(Form::Bearer, token, &GENERATED, out);
            return;
        }
        if let Some((v, quoted)) = self.sibling_value() {
            if let Some(name) = name::classify(self.name_bytes()) {
                let (form, setting) = if quoted {
                    (Form::Quoted, Setting::default())
                } else {
                    (Form::Unquoted, UNQUOTED)
                };
                self.accept_in(form, v, &name, setting, out);
            }
            return;
        }
        if let Some(v) = self.nginx_header_value() {
            if let Some(name) = name::classify(self.name_bytes())
                && name.kind == Kind::Authorization
            {
                self.accept_header(v, &name, out);
            }
            return;
        }
        let Some((op, at)) = self.operator() else {
            return;
        };
        if op == Op::Call {
            self.call(at, out);
            return;
        }
        let Some(name) = name::classify(self.name_bytes()) else {
            return;
        };
        match op {
            Op::Element => self.element(at, &name, out),
            Op::VariableBlock => self.variable_default(at, &name, out),
            Op::Default => {
                let end = self.line.end;
                let close = memchr::memchr(b'}', &self.hay[at..end]).map(|i| at + i);
                // Not shell's `:?` (an error message), `:+` (used when set) or `:0:8` (an
                // offset and length).
                let default = &self.hay[at..close.unwrap_or(at)];
                let other_operator = matches!(default.first(), Some(b'?' | b'+'))
                    || (default.first().is_some_and(u8::is_ascii_digit)
                        && default.iter().find(|b| !b.is_ascii_digit()) == Some(&b':'));
                if let Some(close) = close
                    && !other_operator
                    && !self.hay[at..close].iter().any(|b| matches!(b, b'$' | b'{'))
                {
                    self.accept_in(Form::Unquoted, at..close, &name, UNQUOTED, out);
                }
            }
            Op::Space => {
                // OpenSSL's `-pass pass:…`, `-password pass:…`: the command finder reads the
                // password after the source's `pass:` (only after its pass-phrase flags).
                if let Some(v) = self
                    .flag_value(at)
                    .filter(|v| !(self.openssl_flag() && self.hay[v.clone()].starts_with(b"pass:")))
                {
                    let (form, prose) = if self.flag {
                        (Form::CliFlag, false)
                    } else {
                        (Form::Unquoted, !self.after_env_keyword())
                    };
                    let setting = Setting {
                        prose,
                        ..Setting::default()
                    };
                    self.accept_in(form, v, &name, setting, out);
                }
            }
            _ => self.value(op, at, &name, out),
        }
    }

    /// nginx's `proxy_set_header <name> "<value>";` (also `add_header`, `grpc_set_header`):
    /// the header's value as the directive's quoted second argument, for a name that is the
    /// directive's first. A bare value is one word, a variable in practice
    /// (`$http_authorization`), so only a quoted one is read.
    fn nginx_header_value(&self) -> Option<Range<usize>> {
        if self.quote.is_some() {
            return None;
        }
        let hay = self.hay;
        let head = trim_spaces(&hay[self.line.start..self.name.start]);
        // The head is the directive alone, so a space lies between it and the name.
        if ![&b"proxy_set_header"[..], b"add_header", b"grpc_set_header"].contains(&head)
            || !hay
                .get(self.name.end)
                .is_some_and(|&b| b == b' ' || b == b'\t')
        {
            return None;
        }
        let v = self.literal(self.skip_spaces(self.name.end))?;
        // The directive ends after the value: `;`, or `always` (add_header's only flag).
        let rest = trim_spaces(&hay[(v.end + 1).min(self.line.end)..self.line.end]);
        (rest.starts_with(b";") || rest.starts_with(b"always")).then_some(v)
    }

    /// The operator after the name and where the value starts.
    fn operator(&self) -> Option<(Op, usize)> {
        let hay = self.hay;
        let end = self.line.end;
        let mut p = self.name.end;
        let mut quoted = false;
        if let Some(q) = self.quote {
            if self.closes_at(q, p) {
                p += q.len();
                quoted = true;
            } else if q.escaped || !self.opens_string_binding() {
                // A name inside a longer string (`"the password is …"`), unless it starts a
                // header written as text (`"Authorization: Bearer …"`) or an embedded
                // configuration line (`"API_TOKEN=…\n…"`).
                return None;
            }
        }
        if quoted && hay.get(p) == Some(&b']') {
            p += 1;
        }
        let after_name = p;
        while p < end && is_space(hay[p]) {
            p += 1;
        }
        let rest = &hay[p..end];
        let starts = |s: &[u8]| rest.starts_with(s);
        if !quoted
            && p == after_name
            && self.name.start >= 2
            && hay[self.name.start - 2..self.name.start] == *b"${"
        {
            // Shell's `:-` `:=` `-` `=` and Spring's `:` before a placeholder's default.
            let at = [&b":-"[..], b":=", b"-", b"=", b":"]
                .iter()
                .find(|op| starts(op))
                .map(|op| op.len());
            return at.map(|n| (Op::Default, p + n));
        }
        if starts(b"===") || starts(b"!==") {
            return Some((Op::Compare, p + 3));
        }
        if starts(b"==") || starts(b"!=") {
            return Some((Op::Compare, p + 2));
        }
        if starts(b"=~") {
            return None;
        }
        // A static call through `::` (PHP's `JWT::encode(…)`): the callee runs to the `(`.
        if !quoted && p == after_name && rest.starts_with(b"::") {
            let ident = rest[2..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            let open = p + 2 + ident;
            return (ident > 0 && hay.get(open) == Some(&b'(')).then_some((Op::Call, open));
        }
        // A lookup's fallback: `process.env.API_KEY || "…"`, `ENV['API_TOKEN'] ?? "…"`.
        if (starts(b"||") && !starts(b"||=")) || (starts(b"??") && !starts(b"??=")) {
            return Some((Op::Assign, p));
        }
        for assign in [
            &b":::="[..],
            b"::=",
            b":=",
            b"?=",
            b".=",
            b"||=",
            b"??=",
            b"<-",
            b"=>",
        ] {
            if starts(assign) {
                return Some((Op::Assign, p + assign.len()));
            }
        }
        match rest.first() {
            Some(b'=') if !matches!(rest.get(1), Some(b'~')) => Some((Op::Assign, p + 1)),
            Some(b':') if rest.get(1) != Some(&b':') && !rest[1..].starts_with(b"//") => {
                Some((Op::Colon, p + 1))
            }
            Some(b',') if quoted && self.first_argument() => Some((Op::Comma, p + 1)),
            // Erlang's `{api_key, <<"…">>}` and `-define(API_KEY, "…").`
            Some(b',') if !quoted && p == after_name && self.erlang_key(p + 1) => {
                Some((Op::Comma, p + 1))
            }
            Some(b'(') if !quoted && p == after_name => Some((Op::Call, p)),
            Some(b'>') if self.opens_element(quoted) => Some((Op::Element, p + 1)),
            Some(b'{') if quoted && self.declares_variable() => Some((Op::VariableBlock, p + 1)),
            Some(_) if quoted && rest.len() > 5 && rest[..5].eq_ignore_ascii_case(b"value") => {
                let mut q = p + 5;
                while q < end && is_space(hay[q]) {
                    q += 1;
                }
                (hay.get(q) == Some(&b'=')).then_some((Op::XmlValue, q + 1))
            }
            // A declaration's quoted value after whitespace: `#define API_KEY "…"`,
            // `set(API_KEY "…")`, `(def api-key "…")`, `@api_key "…"`, `setx API_TOKEN "…"`.
            Some(c)
                if p > after_name
                    && !quoted
                    && !self.flag
                    && (is_quote(*c) || starts(b"<<\""))
                    && self.declares_name() =>
            {
                Some((Op::Assign, p))
            }
            Some(_) if p > after_name && (self.flag || self.after_env_keyword()) => {
                Some((Op::Space, p))
            }
            // `pdfshift SECRET 9f71…`: a name and one value ending a short line.
            Some(c)
                if p > after_name
                    && !quoted
                    && !is_quote(*c)
                    && self.ends_line_at(p)
                    && self.few_words_before() =>
            {
                Some((Op::Space, p))
            }
            // Typed declarations: `var token string = "…"`.
            Some(c) if p > after_name && !quoted && (c.is_ascii_alphabetic() || *c == b'*') => {
                self.after_type(p).map(|v| (Op::Assign, v))
            }
            _ => None,
        }
    }

    /// The password of libcurl's `user:password` option set to a literal: PHP's
    /// `curl_setopt($ch, CURLOPT_USERPWD, "user:pw")` (also `CURLOPT_PROXYUSERPWD`, and `=>` in
    /// `curl_setopt_array`), C's `curl_easy_setopt(curl, CURLOPT_USERPWD, "user:pw")`, pycurl's
    /// `c.setopt(pycurl.USERPWD, "user:pw")`. The password runs from the first colon, as libcurl
    /// splits it; a user alone (`"user:"`, concatenated with a variable) holds none.
    fn userpwd_option(&self) -> Option<Range<usize>> {
        let name = self.name_bytes();
        let head = name.strip_suffix(b"USERPWD")?;
        let head = head.strip_suffix(b"PROXY").unwrap_or(head);
        if self.quote.is_some() || !(head.ends_with(b"CURLOPT_") || head.ends_with(b".")) {
            return None;
        }
        let hay = self.hay;
        let mut p = self.skip_spaces(self.name.end);
        if hay.get(p) == Some(&b',') {
            p += 1;
        } else if hay[p.min(self.line.end)..self.line.end].starts_with(b"=>") {
            p += 2;
        } else {
            return None;
        }
        let v = self.literal(self.skip_spaces(p))?;
        let after = self.skip_spaces((v.end + 1).min(self.line.end));
        if !matches!(hay.get(after), Some(b')' | b',' | b']' | b';')) {
            return None;
        }
        let colon = v.start + memchr::memchr(b':', &hay[v.clone()])?;
        (colon > v.start && colon + 1 < v.end).then_some(colon + 1..v.end)
    }

    /// The password a Redis client sets with `CONFIG SET`: redis-py's
    /// `r.config_set('requirepass', '…')` (also `'masterauth'`) and node-redis's
    /// `client.configSet('requirepass', '…')`, the directive's name quoted as the first argument
    /// and a literal as the second (and last).
    fn config_set_password(&self) -> Option<Range<usize>> {
        let q = self.quote.filter(|q| !q.escaped)?;
        let name = self.name_bytes();
        if !(name.eq_ignore_ascii_case(b"requirepass") || name.eq_ignore_ascii_case(b"masterauth"))
            || !self.closes_at(q, self.name.end)
        {
            return None;
        }
        let hay = self.hay;
        let open = self.name.start - q.len();
        let before = trim_spaces(&hay[self.line.start..open]);
        if !(before.ends_with(b"config_set(") || before.ends_with(b"configSet(")) {
            return None;
        }
        let comma = self.skip_spaces(self.name.end + q.len());
        if hay.get(comma) != Some(&b',') {
            return None;
        }
        let v = self.literal(self.skip_spaces(comma + 1))?;
        let close = self.skip_spaces((v.end + 1).min(self.line.end));
        (hay.get(close) == Some(&b')')).then_some(v)
    }

    /// A string literal that is a whole `Authorization` value, `"Bearer …"`, wherever it is
    /// (Swift's `setValue("Bearer …", forHTTPHeaderField: "Authorization")`, a header map):
    /// the token up to the closing quote.
    fn bearer_literal(&self) -> Option<Range<usize>> {
        let q = self.quote?;
        if !self.name_bytes().eq_ignore_ascii_case(b"bearer")
            || self.hay.get(self.name.end) != Some(&b' ')
        {
            return None;
        }
        let start = self.name.end + 1;
        let len = self.hay[start..self.line.end]
            .iter()
            .position(|&c| !(c.is_ascii_alphanumeric() || b"-._~+/=".contains(&c)))?;
        (len > 0 && q.at(self.hay, start + len)).then_some(start..start + len)
    }

    /// `- name: API_KEY` then `value: …` (a Kubernetes or Compose env list, an ECS task's
    /// environment, Helm's `set { name = … value = … }`), `{"name": "API_KEY", "value": "…"}`:
    /// the credential's name is itself the value of a `name` or `key` field, and the credential
    /// is its sibling `value` field's, on the same line or within the next `SIBLING_LINES`.
    /// Returns the value and whether it was quoted.
    fn sibling_value(&self) -> Option<(Range<usize>, bool)> {
        let hay = self.hay;
        // Before the name: a `name` or `key` label and its `:` or `=`.
        let open = self.quote.map_or(0, Quote::len);
        let head = trim_spaces(&hay[self.line.start..self.name.start - open]);
        let head = trim_spaces(
            head.strip_suffix(b":")
                .or_else(|| head.strip_suffix(b"="))?,
        );
        let head = head
            .strip_suffix(b"\"")
            .or_else(|| head.strip_suffix(b"'"))
            .unwrap_or(head);
        let label_start = head
            .iter()
            .rposition(|b| !b.is_ascii_alphabetic())
            .map_or(0, |i| i + 1);
        if !is_field_label(&head[label_start..], &[b"name", b"key"]) {
            return None;
        }
        // The label's column: a sibling on a later line sits in the same one.
        let label_column =
            head.as_ptr() as usize + label_start - hay[self.line.start..].as_ptr() as usize;
        let before = trim_spaces(&head[..label_start]);
        let before = before
            .strip_suffix(b"\"")
            .or_else(|| before.strip_suffix(b"'"))
            .unwrap_or(before);
        if !matches!(before.last(), None | Some(b'-' | b'{' | b',' | b'[')) {
            return None;
        }
        // After the name: its closing quote, then the end of the line or the next field.
        let mut p = self.name.end;
        if let Some(q) = self.quote {
            if !self.closes_at(q, p) {
                return None;
            }
            p += q.len();
        }
        p = self.skip_spaces(p);
        // A quoted name may be followed by the next field (`{"name": "…", "value": "…"}`); an
        // unquoted one ends its line (YAML, HCL): `key: oldKey, value: oldValue` is code.
        let next_field = self.quote.is_some() && matches!(hay.get(p), Some(b',' | b'}'));
        if p < self.line.end && !next_field {
            return None;
        }
        sibling_value_field(hay, p, self.line.end, label_column)
    }

    /// Whether the name's quote closes at `p` within the line (a line cut at `LINE_REACH` may
    /// end inside the quote).
    fn closes_at(&self, q: Quote, p: usize) -> bool {
        p + q.len() <= self.line.end && q.at(self.hay, p)
    }

    /// Whether the quoted name is a Terraform (HCL) variable's: `variable "api_token" {`.
    fn declares_variable(&self) -> bool {
        let Some(q) = self.quote else { return false };
        let before = &self.hay[self.line.start..self.name.start - q.len()];
        trim_spaces(before) == b"variable"
    }

    /// The literal default of a Terraform variable block opened at `at` (just after its `{`):
    /// `default = "…"` on the same line or on one of the block's next lines, before the line
    /// that closes it. Variables are where secrets land in Terraform code: a default is
    /// committed with the module, while a `.tfvars` file is meant to stay out.
    fn variable_default(&self, at: usize, name: &Name, out: &mut Vec<Binding>) {
        const BLOCK_LINES: usize = 12;
        let hay = self.hay;
        let mut start = at;
        for _ in 0..BLOCK_LINES {
            if start >= hay.len() {
                return;
            }
            let end = memchr::memchr(b'\n', &hay[start..]).map_or(hay.len(), |i| start + i);
            let text = trim_spaces(&hay[start..end]);
            if text.starts_with(b"}") {
                return;
            }
            if let Some(rest) = text.strip_prefix(b"default") {
                let rest = trim_spaces(rest);
                if rest.first() == Some(&b'=') && rest.get(1) != Some(&b'=') {
                    let line = Site {
                        hay,
                        line: start..end,
                        name: self.name.clone(),
                        flag: false,
                        quote: self.quote,
                        whole_start: true,
                        whole_end: true,
                    };
                    // The first `=` of the line is the one after `default`.
                    let eq = memchr::memchr(b'=', &hay[start..end]).map_or(end, |i| start + i);
                    if let Some(v) = line.literal(line.skip_spaces(eq + 1)) {
                        line.accept(Form::Quoted, v, name, out);
                    }
                    return;
                }
            }
            start = end + 1;
        }
    }

    /// Whether the quoted name is a call's first argument (`setProperty("TOKEN", …)`), not an
    /// element of a tuple or list (`("password", "token")`).
    fn first_argument(&self) -> bool {
        let Some(q) = self.quote else { return false };
        let mut p = self.name.start - q.len();
        while p > self.line.start && is_space(self.hay[p - 1]) {
            p -= 1;
        }
        if !(p > self.line.start + 1
            && self.hay[p - 1] == b'('
            && (self.hay[p - 2].is_ascii_alphanumeric() || self.hay[p - 2] == b'_'))
        {
            return false;
        }
        let callee_end = p - 1;
        let mut s = callee_end;
        while s > self.line.start
            && (self.hay[s - 1].is_ascii_alphanumeric() || matches!(self.hay[s - 1], b'_' | b'.'))
        {
            s -= 1;
        }
        !name::is_output_call(&self.hay[s..callee_end])
    }

    /// Whether the quote before the name opens a string that holds `Name: value` (a header
    /// written as text) or `NAME=value` (configuration in a string) rather than the name alone.
    fn opens_string_binding(&self) -> bool {
        let hay = self.hay;
        let p = self.skip_spaces(self.name.end);
        match hay.get(p) {
            Some(b':') => true,
            Some(b'=') if hay.get(p + 1) != Some(&b'=') => {
                p == self.name.end || {
                    // Code kept in a JSON string (a notebook cell's `"api_key = \"…\"\n"`):
                    // its literal's quotes are escaped.
                    let v = self.skip_spaces(p + 1);
                    hay.get(v) == Some(&b'\\') && hay.get(v + 1).is_some_and(|&c| is_quote(c))
                }
            }
            _ => false,
        }
    }

    /// The name starts a string it does not end (`"API_TOKEN=…"`, `"X-Api-Key: …"`).
    fn in_open_string(&self) -> bool {
        self.quote
            .is_some_and(|q| !q.escaped && !q.at(self.hay, self.name.end))
    }

    /// `<password>` (name preceded by `<` or `<ns:`), or `<entry key="password">`.
    fn opens_element(&self, quoted: bool) -> bool {
        let hay = self.hay;
        let mut a = self.name.start;
        if quoted {
            // `key="password">`: the attribute names the element's value.
            let Some(q) = self.quote else { return false };
            a -= q.len();
            if a == 0 || hay[a - 1] != b'=' {
                return false;
            }
            let attr_end = a - 1;
            let mut s = attr_end;
            while s > 0 && hay[s - 1].is_ascii_alphabetic() {
                s -= 1;
            }
            let attr = &hay[s..attr_end];
            return attr.eq_ignore_ascii_case(b"key") || attr.eq_ignore_ascii_case(b"name");
        }
        // Skip a namespace prefix (`<server:password>`).
        if a > 0 && hay[a - 1] == b':' {
            a -= 1;
            while a > 0 && hay[a - 1].is_ascii_alphanumeric() {
                a -= 1;
            }
        }
        a > 0 && hay[a - 1] == b'<'
    }

    /// Whether at most four words precede the name on its line, none of them code or markup
    /// (`Here is my token: …`, `acme SECRET …`; not a sentence of documentation, a `#define`, a
    /// tag's attributes or a declaration).
    fn few_words_before(&self) -> bool {
        if !self.whole_start {
            return false;
        }
        let before = trim_spaces(&self.hay[self.line.start..self.name.start]);
        before
            .split(|&b| is_space(b))
            .filter(|w| !w.is_empty())
            .count()
            <= 4
            && !before.iter().any(|b| b"<>#=;{}()[]\"'`*&|/\\".contains(b))
    }

    /// The name with the word before it (`page token`, `Jira token`), when that still names a
    /// credential: how prose names one (`API key: …` is as strong as `api_key`). A bare `key`
    /// after any other word (`TaxJar key: …`, `Routing key: …`) is returned as a qualified key
    /// that the word must make a provider's (`Qualifier::Provider`, judged by attribution, which
    /// knows the catalogue).
    fn prose_name(&self, name: &Name) -> Option<(Name, Qualifier)> {
        let hay = self.hay;
        let before = trim_spaces(&hay[self.line.start..self.name.start]);
        let word_start = before
            .iter()
            .rposition(|b| !b.is_ascii_alphanumeric())
            .map_or(0, |i| i + 1);
        let word = &before[word_start..];
        if word.is_empty() || !word.iter().all(u8::is_ascii_alphabetic) {
            return Some((*name, Qualifier::Name));
        }
        // A bare `key` in prose is a credential after a word that makes one (`API key`,
        // `Signing key`) or a provider's name (`TaxJar key`); `Routing key`, `Device key` name
        // other things.
        if self.name_bytes().eq_ignore_ascii_case(b"key")
            && !name::is_key_qualifier(&word.to_ascii_lowercase())
        {
            // `before` ends at the last non-space byte before the name, `word` ends `before`.
            let spaces = self.hay[self.line.start..self.name.start]
                .iter()
                .rev()
                .take_while(|&&b| is_space(b))
                .count();
            let start = self.name.start - spaces - word.len();
            return (word.len() >= 3)
                .then(|| name::classify(b"api_key"))
                .flatten()
                .map(|n| (n, Qualifier::Provider(start)));
        }
        let mut joined = word.to_vec();
        joined.push(b'_');
        joined.extend_from_slice(self.name_bytes());
        name::classify(&joined).map(|n| (n, Qualifier::Name))
    }

    /// Whether the name is one of OpenSSL's pass-phrase flags (`-passin`, `-passout`, `-pass`,
    /// `-password`), whose `pass:…` source the command finder reads.
    fn openssl_flag(&self) -> bool {
        self.flag && super::command::is_openssl_pass_flag(self.name_bytes())
    }

    /// Whether one word starting at `p` runs to the end of the line (trailing punctuation
    /// aside).
    fn ends_line_at(&self, p: usize) -> bool {
        let hay = self.hay;
        let mut e = p;
        while e < self.line.end && !hay[e].is_ascii_whitespace() {
            e += 1;
        }
        self.whole_end && e > p && trim_spaces(&hay[e..self.line.end]).is_empty()
    }

    /// Whether a declaring word or character, alone before the name on its line, makes the
    /// quoted literal after the name's whitespace its value: a C preprocessor `#define` (any
    /// spaces after the `#`: `#  define` inside an `#if`), CMake's `set(API_KEY "…")`, Tcl's
    /// `set api_key "…"`, Clojure's `(def api-key "…")` (metadata such as `^:private` between),
    /// an Elixir module attribute `@api_key "…"`, Windows' `setx API_TOKEN "…"`. The same words
    /// inside a sentence (`we set api_key "…"`) declare nothing.
    fn declares_name(&self) -> bool {
        if !self.whole_start {
            return false;
        }
        let before = trim_spaces(&self.hay[self.line.start..self.name.start]);
        if before
            .strip_prefix(b"#")
            .is_some_and(|rest| trim_spaces(rest) == b"define")
        {
            return true;
        }
        if let Some(rest) = before.strip_prefix(b"(def") {
            return (rest.is_empty() || is_space(rest[0]))
                && rest
                    .split(|&b| is_space(b))
                    .filter(|w| !w.is_empty())
                    .all(|w| w.starts_with(b"^"));
        }
        before.eq_ignore_ascii_case(b"set(")
            || matches!(before, b"set" | b"@")
            || Self::after_setx(before)
    }

    /// After Dockerfile's legacy `ENV`, csh's `setenv` or Windows' `setx` at the start of the
    /// line (`ENV API_TOKEN value`).
    fn after_env_keyword(&self) -> bool {
        let before = trim_spaces(&self.hay[self.line.start..self.name.start]);
        matches!(before, b"ENV" | b"setenv") || Self::after_setx(before)
    }

    /// `before` (what precedes the name, trimmed) is Windows' `setx`, possibly for the whole
    /// machine (`setx /M`).
    fn after_setx(before: &[u8]) -> bool {
        let Some(rest) = before
            .get(..4)
            .filter(|w| w.eq_ignore_ascii_case(b"setx"))
            .map(|_| &before[4..])
        else {
            return false;
        };
        let rest = trim_spaces(rest);
        rest.is_empty() || rest.eq_ignore_ascii_case(b"/m")
    }

    /// Whether the unquoted name is an Erlang tuple's key with a binary value (`{api_key,
    /// <<"…">>}`: `value` is where the value starts) or an Erlang macro's name (`-define(API_KEY,
    /// "…").`).
    fn erlang_key(&self, value: usize) -> bool {
        let before = trim_spaces(&self.hay[self.line.start..self.name.start]);
        if before.ends_with(b"{") {
            let v = self.skip_spaces(value);
            return self.hay[v.min(self.line.end)..self.line.end].starts_with(b"<<\"");
        }
        self.whole_start && before == b"-define("
    }

    /// Skips a type after the name (`string`, `*string`, `[]byte`, `&'static str`) and returns
    /// the position after the `=` that follows it.
    fn after_type(&self, mut p: usize) -> Option<usize> {
        let hay = self.hay;
        let end = self.line.end;
        while p < end && matches!(hay[p], b'&' | b'*' | b'[' | b']' | b'\'') {
            p += 1;
        }
        if hay[p..end].starts_with(b"static ") {
            p += 7;
        }
        let type_start = p;
        while p < end
            && (hay[p].is_ascii_alphanumeric()
                || matches!(hay[p], b'_' | b'.' | b'<' | b'>' | b'?'))
        {
            p += 1;
        }
        if p == type_start || p - type_start > 40 {
            return None;
        }
        while p < end && is_space(hay[p]) {
            p += 1;
        }
        // Inside the line: a line cut at `LINE_REACH` may go on with `=` past its end.
        (p < end && hay[p] == b'=' && !matches!(hay.get(p + 1), Some(b'=' | b'~' | b'>')))
            .then_some(p + 1)
    }

    fn skip_spaces(&self, mut p: usize) -> usize {
        while p < self.line.end && is_space(self.hay[p]) {
            p += 1;
        }
        p
    }

    /// The value of an assignment, key, comparison or string-named argument.
    fn value(&self, op: Op, at: usize, name: &Name, out: &mut Vec<Binding>) {
        let hay = self.hay;
        // `key == "…"` compares a dictionary key, not a credential.
        if op == Op::Compare && name.strength == super::name::Strength::Weak {
            return;
        }
        let mut p = self.skip_spaces(at);
        if op == Op::Colon && p < self.line.end && !is_quote(hay[p]) && hay[p] != b'\\' {
            // `password: str = "…"`, `const TOKEN: &str = "…"`.
            if let Some(v) = self.after_type(p) {
                p = self.skip_spaces(v);
            }
            // YAML's string tag says what the value is, not what it holds (`password: !!str
            // Wq4#zr7Lp`, a scalar YAML would otherwise read as another type); other tags
            // (`!Ref DbPassword`, `!vault |`) are the value's source.
            if hay
                .get(p..self.line.end)
                .is_some_and(|rest| rest.starts_with(b"!!str"))
                && hay.get(p + 5).is_some_and(|&b| is_space(b))
            {
                p = self.skip_spaces(p + 5);
            }
        }
        if let Some(v) = self.literal(p) {
            if name.kind == Kind::Authorization {
                self.accept_header(v, name, out);
            } else {
                self.accept(Form::Quoted, v, name, out);
            }
            return;
        }
        // A YAML block scalar holding one line (`password: |`, then the value indented).
        if op == Op::Colon
            && let Some(v) = self.block_scalar(p)
        {
            self.accept_in(Form::Unquoted, v, name, UNQUOTED, out);
            return;
        }
        // A fallback literal: `process.env.API_KEY || "…"`, `os.environ.get("TOKEN") or "…"`.
        if matches!(op, Op::Assign | Op::Colon)
            && let Some(v) = self.fallback_literal(p)
        {
            self.accept(Form::Quoted, v, name, out);
            return;
        }
        // A header written as text: the value runs to the end of the string or line.
        if op == Op::Colon && self.is_text_header(name) {
            let v = self.header_value(p);
            self.accept_header(v, name, out);
            return;
        }
        match op {
            Op::Assign if matches!(hay.get(p), Some(b'(' | b'[')) => {
                // `auth=("user", "password")`: a pair whose second element is the password.
                if let Some(v) = self.pair(p) {
                    let password = Name {
                        kind: Kind::Password,
                        ..*name
                    };
                    self.accept(Form::Quoted, v, &password, out);
                }
            }
            // A quoted name (a JSON or dictionary key) with an unquoted value: an expression.
            Op::Assign | Op::Colon if self.quote.is_some() && !self.in_open_string() => {}
            Op::Assign | Op::Colon => {
                if let Some((v, prose)) = self.unquoted(op, p) {
                    if name.kind == Kind::Authorization && !prose {
                        self.accept_header(v, name, out);
                    } else {
                        let setting = Setting {
                            env_file: self.is_env_assignment(op),
                            prose,
                            unquoted: true,
                        };
                        self.accept_in(Form::Unquoted, v, name, setting, out);
                    }
                }
            }
            _ => {}
        }
    }

    /// A quoted literal starting at `p` (with an optional string prefix: `r"…"`, `b'…'`,
    /// `@"…"`, `f"…"`, or an Erlang or Elixir binary's `<<"…">>`), ending on the same line and
    /// not continued by concatenation or formatting. Returns the range inside the quotes.
    fn literal(&self, mut p: usize) -> Option<Range<usize>> {
        let hay = self.hay;
        let end = self.line.end;
        let mut interpolated = false;
        let mut binary = false;
        for prefix in [
            &b"<<"[..],
            b"rb",
            b"br",
            b"u8",
            b"r",
            b"b",
            b"u",
            b"f",
            b"@",
            b"$",
            b"L",
            b"R",
        ] {
            if hay[p.min(end)..end].starts_with(prefix)
                && hay.get(p + prefix.len()).is_some_and(|&c| is_quote(c))
            {
                interpolated = matches!(prefix, b"f" | b"$");
                binary = prefix == b"<<";
                p += prefix.len();
                break;
            }
        }
        let q = if hay.get(p) == Some(&b'\\') && hay.get(p + 1).is_some_and(|&c| is_quote(c)) {
            Quote {
                ch: hay[p + 1],
                escaped: true,
            }
        } else if hay.get(p).is_some_and(|&c| is_quote(c)) {
            Quote {
                ch: hay[p],
                escaped: false,
            }
        } else {
            return None;
        };
        let mut start = p + q.len();
        // Triple quotes (Python, Kotlin, TOML): the same delimiter closes.
        let triple = !q.escaped && hay[start.min(end)..end].starts_with(&[q.ch, q.ch]);
        if triple {
            start += 2;
        }
        let mut i = start;
        let close = loop {
            if i >= end {
                return None;
            }
            if q.escaped {
                if q.at(hay, i) {
                    break i;
                }
            } else if hay[i] == b'\\' && q.ch != b'`' {
                i += 2;
                continue;
            } else if hay[i] == q.ch {
                break i;
            }
            i += 1;
        };
        let mut after = close + q.len() + if triple { 2 } else { 0 };
        if binary {
            // The binary closes right after its one literal, possibly typed (`<<"…"/utf8>>`):
            // `<<"…", Rest/binary>>` builds a value at run time.
            let tail = &hay[after.min(end)..end];
            let typed = [&b"/utf8"[..], b"/binary"]
                .iter()
                .find(|t| tail.starts_with(t))
                .map_or(0, |t| t.len());
            if !tail[typed..].starts_with(b">>") {
                return None;
            }
            after += typed + 2;
        }
        let value = start..close;
        if interpolated && memchr::memchr(b'{', &hay[value.clone()]).is_some() {
            return None;
        }
        let next = self.skip_spaces(after.min(end));
        let tail = &hay[next..end];
        let continued = tail
            .first()
            .is_some_and(|&c| c == b'+' || (c == b'%' && tail.get(1) != Some(&b'>')))
            || [&b".format"[..], b".join", b".replace", b".concat", b".."]
                .iter()
                .any(|t| tail.starts_with(t));
        (!continued).then_some(value)
    }

    /// The literal after the last `||`, `??` or ` or ` of the expression at `p`, when it ends
    /// the statement: the value used when the lookup before it finds nothing (also inside a
    /// GitHub Actions expression, `${{ secrets.API_TOKEN || '…' }}`).
    fn fallback_literal(&self, p: usize) -> Option<Range<usize>> {
        let hay = self.hay;
        let expr = &hay[p.min(self.line.end)..self.line.end];
        let actions = expr.starts_with(b"${{");
        // One backward pass (a searcher per operator and line cost more than the rest of the
        // binding's reading).
        let at = (1..expr.len())
            .rev()
            .find_map(|i| match (expr[i - 1], expr[i]) {
                (b'|', b'|') | (b'?', b'?') => Some(i + 1),
                (b'o', b'r') if i >= 2 && expr[i - 2] == b' ' && expr.get(i + 1) == Some(&b' ') => {
                    Some(i + 2)
                }
                _ => None,
            })?;
        let v = self.literal(self.skip_spaces(p + at))?;
        let after = v.end + 1;
        let tail = trim_spaces(&hay[after.min(self.line.end)..self.line.end]);
        (matches!(tail, b"" | b";" | b"," | b")" | b");") || (actions && tail == b"}}"))
            .then_some(v)
    }

    /// The one content line of a YAML block scalar whose indicator starts at `p` (`|`, `>`,
    /// with a chomping `-`/`+` and an indentation digit, then nothing or a comment): the line
    /// after the key's, indented deeper than the key, when the line after it (blank lines
    /// aside) is indented no deeper than the key or the text ends there. A block of several
    /// lines is a certificate, a key or a script, not one value; a line with spaces inside is
    /// prose.
    fn block_scalar(&self, p: usize) -> Option<Range<usize>> {
        /// Blank lines read past the content line before giving up.
        const BLANK_LINES: usize = 4;
        let hay = self.hay;
        if !self.whole_start || !self.whole_end {
            return None;
        }
        let (&style, indicators) = hay[p.min(self.line.end)..self.line.end].split_first()?;
        if !matches!(style, b'|' | b'>') {
            return None;
        }
        let n = indicators
            .iter()
            .take(2)
            .take_while(|b| matches!(b, b'+' | b'-' | b'1'..=b'9'))
            .count();
        let tail = &indicators[n..];
        let comment = tail.first().is_some_and(|&b| is_space(b)) && {
            let t = trim_spaces(tail);
            t.is_empty() || t.starts_with(b"#")
        };
        if !(tail.is_empty() || comment) {
            return None;
        }
        // The key starts its line, after indentation or a list's dash.
        let key = self.name.start - self.quote.map_or(0, Quote::len);
        let before = trim_spaces(&hay[self.line.start..key]);
        if !trim_spaces(before.strip_prefix(b"-").unwrap_or(before)).is_empty() {
            return None;
        }
        let column = key - self.line.start;
        let content = next_line(hay, self.line.end)?;
        let indent = leading_spaces(&hay[content.clone()]);
        let body = &hay[content.start + indent..content.end];
        // Tabs after the indentation are spaces around the value, not part of it.
        let lead = body.iter().take_while(|&&b| is_space(b)).count();
        let text = trim_spaces(body);
        if indent <= column
            || text.is_empty()
            || content.len() > LINE_REACH
            || text.iter().any(u8::is_ascii_whitespace)
        {
            return None;
        }
        let value = content.start + indent + lead..content.start + indent + lead + text.len();
        let mut end = content.end;
        for _ in 0..BLANK_LINES {
            let Some(line) = next_line(hay, end) else {
                return Some(value);
            };
            if line.len() > LINE_REACH {
                return None;
            }
            let line_bytes = &hay[line.clone()];
            if !trim_spaces(line_bytes).is_empty() {
                return (leading_spaces(line_bytes) <= column).then_some(value);
            }
            end = line.end;
        }
        None
    }

    /// An unquoted value where a configuration file would hold one (see the module doc), and
    /// whether it is only prose (`the staging token: …` ending a line), which the classifier
    /// judges strictly.
    fn unquoted(&self, op: Op, p: usize) -> Option<(Range<usize>, bool)> {
        let hay = self.hay;
        let end = self.line.end;
        let ends_value = |e: usize| {
            let c = hay[e];
            c.is_ascii_whitespace()
                || matches!(
                    c,
                    b';' | b'&' | b'"' | b'\'' | b'`' | b'<' | b'>' | b')' | b']' | b'}' | b','
                )
                // An escape sequence ends a value inside a string (`"TOKEN=…\nDEBUG=1"`).
                || (c == b'\\' && matches!(hay.get(e + 1), Some(b'n' | b'r' | b't' | b'"')))
        };
        let mut e = p;
        while e < end && !ends_value(e) {
            e += 1;
        }
        // An app password pasted as the issuer shows it (`qmzr twpk hvbn xeyd`): four groups
        // of four letters split by spaces, read whole (the classifier judges it). A space
        // ended the value after the first group; a hyphenated one is read whole already.
        if e == p + 4
            && p + 19 <= end
            && super::value::grouped_app_password_separator(&hay[p..p + 19]) == Some(b' ')
            && (p + 19 == end || ends_value(p + 19))
        {
            e = p + 19;
        }
        // A header's value kept whole (`token: Bearer …`): the scheme word and the credential.
        let scheme = value::HEADER_SCHEMES
            .iter()
            .any(|s| hay[p..e].eq_ignore_ascii_case(s));
        if scheme && e < end && hay[e] == b' ' {
            let mut t = e;
            while t < end && hay[t] == b' ' {
                t += 1;
            }
            let mut u = t;
            while u < end && !ends_value(u) {
                u += 1;
            }
            if u > t {
                e = u;
            }
        }
        // A value of a configuration line ends at the line's end, `&` included
        // (`spring.datasource.password=Tr0ub&dor`): a shell's `&` or `&&` has a space or a
        // second `&` after it.
        if e > p && e + 1 < end && hay[e] == b'&' && hay[e + 1] != b'&' && self.starts_line() {
            // Not a query string's next parameter (`token=…&verifier=…`).
            let rest = &hay[e..end];
            if !rest
                .iter()
                .any(|&c| c.is_ascii_whitespace() || is_quote(c) || matches!(c, b';' | b'='))
            {
                e = end;
            }
        }
        if e == p || hay[p..e].iter().any(|b| matches!(b, b'{' | b'}')) {
            // Interpolation (`{self.token}`): built at run time.
            return None;
        }
        let before_name = self.name.start;
        let prev = hay[self.line.start..before_name]
            .iter()
            .rposition(|&c| !is_space(c))
            .map(|i| hay[self.line.start + i]);
        let terminator = hay.get(e).copied().filter(|_| e < end);
        // `Server=…;Password=…;`: a `key=value` pair before or after this one.
        let pair_before = prev == Some(b';') && {
            let head = &hay[self.line.start..before_name];
            let head = &head[..head.iter().rposition(|&c| c == b';').unwrap_or(0)];
            let last = head.rsplit(|&c| c == b';').next().unwrap_or(head);
            last.contains(&b'=') && !last.contains(&b'(')
        };
        let pair_after = terminator == Some(b';') && {
            let tail = &hay[e + 1..end];
            let key_len = tail
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b' ' | b'_'))
                .count();
            key_len > 0 && tail.get(key_len) == Some(&b'=')
        };
        // libpq's `host=db user=app password=…` (a connection string of space-separated
        // pairs): its password keys only, `key=value` right before, and a connection's key
        // earlier on the line (logfmt's `user=alice token=…` and Ansible's lookup terms are no
        // connection strings).
        let conninfo_before = op == Op::Assign
            && [&b"password"[..], b"sslpassword"]
                .iter()
                .any(|k| self.name_bytes().eq_ignore_ascii_case(k))
            && is_conninfo(&hay[self.line.start..before_name])
            && hay[self.name.end] == b'='
            && prev.is_some_and(|c| c != b'=')
            && before_name > self.line.start
            && is_space(hay[before_name - 1])
            && {
                let head = &hay[self.line.start..before_name - 1];
                let token = &head[head
                    .iter()
                    .rposition(|&c| c.is_ascii_whitespace() || is_quote(c))
                    .map_or(0, |i| i + 1)..];
                token.iter().position(|&c| c == b'=').is_some_and(|eq| {
                    eq > 0
                        && token[..eq]
                            .iter()
                            .all(|c| c.is_ascii_alphanumeric() || *c == b'_')
                        && eq + 1 < token.len()
                })
            };
        let in_pairs = op == Op::Assign
            && (pair_before || pair_after || conninfo_before)
            && !self
                .quote
                .is_some_and(|q| !q.escaped && q.at(hay, self.name.end));
        // `?api_key=…&…`, unless a badge image's public token (`badge.svg?token=…`).
        let in_query = op == Op::Assign && matches!(prev, Some(b'?' | b'&')) && {
            let head = &hay[self.line.start..before_name];
            let url_end = head.iter().rposition(|&c| c == b'?').unwrap_or(0);
            let path = &head[..url_end];
            let url_start = path
                .iter()
                .rposition(|c| c.is_ascii_whitespace() || is_quote(*c) || *c == b'(')
                .map_or(0, |i| i + 1);
            let url = &path[url_start..];
            // A Markdown link's target (`[pdf](https://…?id=…&token=…)`) is published for
            // readers to follow: its query is a page's address, not a credential's binding.
            let link = url_start >= 2 && path[url_start - 1] == b'(' && path[url_start - 2] == b']';
            !link
                && ![&b".svg"[..], b".png", b".gif"]
                    .iter()
                    .any(|x| url.ends_with(x))
                && memchr::memmem::find(url, b"badge").is_none()
                && memchr::memmem::find(url, b"shields.io").is_none()
        };
        if in_pairs || in_query || (self.flag && op == Op::Assign) {
            return Some((p..e, false));
        }
        // Configuration inside a string: `"API_TOKEN=…\n…"`.
        if op == Op::Assign && self.in_open_string() {
            return Some((p..e, false));
        }
        // A scoped key with no spaces before it (`//registry.example/:_authToken=…`).
        let prefix = &hay[self.line.start..before_name];
        let scoped = prefix.ends_with(b":") && !prefix.iter().any(u8::is_ascii_whitespace);
        if !self.starts_line() && !scoped {
            // Prose: `Here is the staging token: …`, the value ending the line.
            let rest = trim_spaces(&hay[e..end]);
            let ends = self.whole_end && (rest.is_empty() || rest == b".");
            return (ends && !self.in_open_string() && self.few_words_before())
                .then_some((p..e, true));
        }
        // The rest of the line: nothing, or a comment. An environment variable's name in
        // UPPER_SNAKE case set with `=` and no spaces may be followed by a command
        // (`PGPASSWORD=… psql …`).
        let rest = trim_spaces(&hay[e..end]);
        let comment = (rest.is_empty() && self.whole_end)
            || rest.starts_with(b"#")
            || rest.starts_with(b"//")
            || rest.starts_with(b"; ");
        let env_prefix = op == Op::Assign
            && !self.name_bytes().iter().any(u8::is_ascii_lowercase)
            && hay[self.name.end] == b'='
            && terminator.is_some_and(is_space);
        (comment || env_prefix).then_some((p..e, false))
    }

    /// `NAME=value` in an environment file or shell: an UPPER_SNAKE name at the start of its
    /// line, `=` right after it.
    fn is_env_assignment(&self, op: Op) -> bool {
        op == Op::Assign
            && self.starts_line()
            && !self.name_bytes().iter().any(u8::is_ascii_lowercase)
            && self.hay.get(self.name.end) == Some(&b'=')
    }

    /// Whether the name starts its line (after indentation, `export`/`set`/`ENV`/`ARG`, a YAML
    /// list dash or a PowerShell `$env:`).
    fn starts_line(&self) -> bool {
        if !self.whole_start {
            return false;
        }
        let mut before = trim_spaces(&self.hay[self.line.start..self.name.start]);
        if before.starts_with(b"#define") || before.starts_with(b"# define") {
            return false;
        }
        // A commented-out line still holds the value (`# DB_PASSWORD=…`, `// token: …`).
        for marker in [&b"#"[..], b"//", b";", b"--", b"<!--", b"REM"] {
            if let Some(rest) = before.strip_prefix(marker) {
                before = trim_spaces(rest);
                break;
            }
        }
        for keyword in [
            &b"export"[..],
            b"set",
            b"setx",
            b"ENV",
            b"ARG",
            b"declare -x",
            b"readonly",
            b"local",
            b"-",
        ] {
            if let Some(rest) = before.strip_prefix(keyword)
                && (rest.is_empty() || is_space(rest[0]))
            {
                before = trim_spaces(rest);
                break;
            }
        }
        // systemd's `Environment=API_TOKEN=…`, also after other assignments on the line
        // (`Environment=LOG_LEVEL=info API_TOKEN=…`).
        let environment = before.strip_prefix(b"Environment=").is_some_and(|rest| {
            rest.split(|&b| b == b' ')
                .filter(|w| !w.is_empty())
                .all(|w| w.contains(&b'=') && !w.iter().any(|&b| is_quote(b)))
        });
        before.is_empty() || before == b"$env:" || before == b"$" || environment
    }

    /// A flag's value after whitespace: a quoted literal or a word.
    fn flag_value(&self, p: usize) -> Option<Range<usize>> {
        if let Some(v) = self.literal(p) {
            return Some(v);
        }
        let hay = self.hay;
        let mut e = p;
        while e < self.line.end
            && !hay[e].is_ascii_whitespace()
            && !matches!(hay[e], b'\'' | b'"' | b';' | b'|' | b'&' | b')' | b',')
        {
            e += 1;
        }
        (e > p && hay[p] != b'-').then_some(p..e)
    }

    /// `("user", "password")` or `['user', 'password']`: the second of exactly two literals.
    fn pair(&self, open: usize) -> Option<Range<usize>> {
        let args = self.arguments(open)?;
        match args.as_slice() {
            [Some(_), Some(second)] => Some(second.clone()),
            _ => None,
        }
    }

    /// The arguments of a call or tuple opening at `open` (on one line): each a literal's
    /// range, or `None` for anything else.
    fn arguments(&self, open: usize) -> Option<Vec<Option<Range<usize>>>> {
        let hay = self.hay;
        let end = self.line.end;
        let close_ch = if hay[open] == b'[' { b']' } else { b')' };
        let mut args = Vec::new();
        let mut p = open + 1;
        loop {
            p = self.skip_spaces(p);
            if p >= end {
                return None;
            }
            if hay[p] == close_ch && args.is_empty() {
                return Some(args);
            }
            let (literal, wrapped) = match self.literal(p) {
                Some(v) => (Some(v), false),
                None => (self.wrapped_literal(p), true),
            };
            // Skip to the argument's end: a `,` or the closing bracket at depth 0.
            let mut depth = 0usize;
            let mut q = p;
            let mut in_quote: Option<u8> = None;
            while q < end {
                let c = hay[q];
                match in_quote {
                    Some(_) if c == b'\\' => q += 1,
                    Some(ch) if c == ch => in_quote = None,
                    Some(_) => {}
                    None if is_quote(c) => in_quote = Some(c),
                    None if matches!(c, b'(' | b'[' | b'{') => depth += 1,
                    None if matches!(c, b')' | b']' | b'}') && depth > 0 => depth -= 1,
                    None if (c == b',' || c == close_ch) && depth == 0 => break,
                    None => {}
                }
                q += 1;
            }
            if q >= end {
                return None;
            }
            // A literal argument, possibly converted (`"…".toCharArray()`, `b"…".decode()`).
            args.push(literal.filter(|v| {
                if wrapped {
                    return true;
                }
                let after = v.end + 1;
                let tail = trim_spaces(&hay[after.min(q)..q]);
                tail.is_empty() || (tail.starts_with(b".") && !tail.contains(&b'+'))
            }));
            if hay[q] == close_ch {
                return Some(args);
            }
            p = q + 1;
            if args.len() > 8 {
                return None;
            }
        }
    }

    /// The token of a call that sends a bearer token: reqwest's `.bearer_auth("…")` (its only
    /// argument), .NET's `new AuthenticationHeaderValue("Bearer", "…")` (after the scheme).
    fn bearer_argument(&self, callee: &[u8], open: usize) -> Option<Range<usize>> {
        if !matches!(callee, b"bearer_auth" | b"AuthenticationHeaderValue") {
            return None;
        }
        match self.arguments(open)?.as_slice() {
            [Some(v)] if callee == b"bearer_auth" => Some(v.clone()),
            [Some(scheme), Some(v)] if self.hay[scheme.clone()].eq_ignore_ascii_case(b"bearer") => {
                Some(v.clone())
            }
            _ => None,
        }
    }

    /// A literal converted or wrapped by a call that closes right after it: Go's
    /// `[]byte("…")`, .NET's `Encoding.UTF8.GetBytes("…")`, Node's `Buffer.from("…")`, Python's
    /// `bytes("…", "utf-8")`, Rust's `Some("…")` (reqwest's `basic_auth(user, Some(password))`).
    fn wrapped_literal(&self, p: usize) -> Option<Range<usize>> {
        let hay = self.hay;
        let rest = &hay[p.min(self.line.end)..self.line.end];
        const WRAPPERS: [&[u8]; 7] = [
            b"Some(",
            b"[]byte(",
            b"Encoding.UTF8.GetBytes(",
            b"Encoding.ASCII.GetBytes(",
            b"Encoding.Default.GetBytes(",
            b"Buffer.from(",
            b"bytes(",
        ];
        let open = WRAPPERS.iter().find(|w| rest.starts_with(w))?;
        let v = self.literal(p + open.len())?;
        let after = self.skip_spaces((v.end + 1).min(self.line.end));
        matches!(hay.get(after), Some(b')' | b',')).then_some(v)
    }

    /// `name(`: a setter or builder method with one literal argument, or a credential
    /// constructor or login whose last literal argument is the password or secret.
    fn call(&self, open: usize, out: &mut Vec<Binding>) {
        // The name, or the name and what `::` adds to it (`JWT::encode`).
        let callee = &self.hay[self.name.start..open];
        // `password_hash('sha512')`: the argument is how to derive, not the credential (HTTP
        // Digest authentication, `HTTPDigestAuth(user, password)`, is no hash).
        if name::classify(callee).is_some_and(|n| n.hash)
            && memchr::memmem::find(&callee.to_ascii_lowercase(), b"digestauth").is_none()
        {
            return;
        }
        if let Some(index) = signing_key_argument(callee) {
            // A literal signing key: judged as a generated secret (a word or a stand-in such as
            // `"secret"` is a test's or a tutorial's).
            if let Some(Some(v)) = self.arguments(open).as_ref().and_then(|a| a.get(index)) {
                self.accept(Form::Quoted, v.clone(), &GENERATED, out);
            }
            return;
        }
        let last = callee.rsplit(|&b| b == b'.').next().unwrap_or(callee);
        if let Some(token) = self.bearer_argument(last, open) {
            self.accept(Form::Bearer, token, &GENERATED, out);
            return;
        }
        if let Some(index) = password_argument(callee) {
            if let Some(Some(v)) = self.arguments(open).as_ref().and_then(|a| a.get(index)) {
                self.accept(Form::Quoted, v.clone(), &PASSWORD, out);
            }
            return;
        }
        let setter = strip_setter(last);
        let lower: Vec<u8> = last.iter().map(u8::to_ascii_lowercase).collect();
        let positional = [
            &b"credential"[..],
            b"basicauth",
            b"login",
            b"logon",
            b"authenticate",
            b"usernamepassword",
            b"passwordauth",
            b"basic_auth",
            b"digestauth",
            b"getconnection",
        ]
        .iter()
        .any(|w| memchr::memmem::find(&lower, w).is_some());
        // A setter or builder names a credential strongly (`t.pass(…)` and `map.key(…)` are
        // other methods).
        if let Some(name) = setter
            .and_then(name::classify)
            .or_else(|| {
                (!positional && name::is_setter_name(last))
                    .then(|| name::classify(last))
                    .flatten()
            })
            .filter(|n| n.strength == name::Strength::Strong)
        {
            let Some(args) = self.arguments(open) else {
                return;
            };
            if let [Some(v)] = args.as_slice() {
                self.accept(Form::Quoted, v.clone(), &name, out);
            }
            return;
        }
        if !positional {
            return;
        }
        let Some(args) = self.arguments(open) else {
            return;
        };
        if args.len() < 2 {
            return;
        }
        let Some((i, v)) = args
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, a)| a.clone().map(|v| (i, v)))
        else {
            return;
        };
        if i == 0 {
            return;
        }
        self.accept(Form::Quoted, v, &PASSWORD, out);
    }

    /// `<password>value</password>`: the text up to the next tag, which must close it.
    fn element(&self, at: usize, name: &Name, out: &mut Vec<Binding>) {
        let hay = self.hay;
        let limit = hay.len().min(at + ELEMENT_REACH);
        let Some(lt) = memchr::memchr(b'<', &hay[at..limit]).map(|i| at + i) else {
            return;
        };
        if hay.get(lt + 1) != Some(&b'/') {
            return;
        }
        let (s, e) = (at, lt);
        let text = &hay[s..e];
        let start = s + text
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(text.len());
        let end = s + text
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        if start >= end || hay[start..end].contains(&b'\n') {
            return;
        }
        self.accept(Form::XmlElement, start..end, name, out);
    }

    /// Whether `Name: value` here is an HTTP header written as text: inside a string that
    /// opened before the name, at the start of a line (a raw request), or after `-H`.
    fn is_text_header(&self, name: &Name) -> bool {
        let n = self.name_bytes();
        // A name that opens a string and is followed by `: ` is a header written as text
        // whatever its style (`"X-Api-Key: …"`, `"apikey: …"`, `"Private-Token: …"`).
        let header_like = name.kind == Kind::Authorization
            || self.in_open_string()
            || (n.len() > 2 && n[..2].eq_ignore_ascii_case(b"x-"))
            || [
                &b"api-key"[..],
                b"private-token",
                b"auth-token",
                b"access-token",
            ]
            .iter()
            .any(|h| n.eq_ignore_ascii_case(h));
        if !header_like {
            return false;
        }
        let hay = self.hay;
        let q_closed = self.quote.is_some_and(|q| q.at(hay, self.name.end));
        if self.quote.is_some() && !q_closed {
            return true;
        }
        self.quote.is_none() && self.starts_line() && !self.name_bytes().contains(&b'_')
    }

    /// The value of a text header: to the closing quote of the string it sits in, or to the
    /// end of the line.
    fn header_value(&self, p: usize) -> Range<usize> {
        let hay = self.hay;
        let end = match self.quote {
            Some(q) => (p..self.line.end)
                .find(|&i| q.at(hay, i))
                .unwrap_or(self.line.end),
            None => self.line.end,
        };
        // Without the escape sequences and punctuation that end a header in code
        // (`…==\r\n" + headers`, `…,`).
        let mut end = end;
        loop {
            let t = &hay[p..end];
            if t.ends_with(b"\\r\\n") || t.ends_with(b"\\n") || t.ends_with(b"\\r") {
                end -= if t.ends_with(b"\\r\\n") { 4 } else { 2 };
            } else if matches!(t.last(), Some(b',' | b';')) {
                end -= 1;
            } else {
                break;
            }
        }
        p..end
    }

    /// An `Authorization` value (`Basic …` → BasicAuth, anything else → Bearer) or another
    /// credential-named header (ApiKeyHeader).
    fn accept_header(&self, v: Range<usize>, name: &Name, out: &mut Vec<Binding>) {
        let form = if name.kind == Kind::Authorization {
            let (scheme, _) = value::split_scheme(&self.hay[v.clone()]);
            if scheme.is_some_and(|s| s.eq_ignore_ascii_case(b"basic")) {
                Form::BasicAuth
            } else {
                Form::Bearer
            }
        } else {
            Form::ApiKeyHeader
        };
        self.accept(form, v, name, out);
    }

    fn accept(&self, form: Form, v: Range<usize>, name: &Name, out: &mut Vec<Binding>) {
        self.accept_in(form, v, name, Setting::default(), out);
    }

    fn accept_in(
        &self,
        form: Form,
        v: Range<usize>,
        name: &Name,
        setting: Setting,
        out: &mut Vec<Binding>,
    ) {
        // `--password=…`, `--token "…"`: a flag whatever the value's quoting.
        let form = if self.flag && matches!(form, Form::Quoted | Form::Unquoted) {
            Form::CliFlag
        } else {
            form
        };
        let value = &self.hay[v.clone()];
        // A value that restates its name (`'bgp_md5_auth_key': 'bgpMd5AuthKey'`) is a name.
        if restates(self.name_bytes(), value) {
            return;
        }
        // In prose the word before the name qualifies it (`Next page token: …`).
        let prose_name;
        let mut name_range = self.name.clone();
        let mut needs_provider = false;
        let name = if setting.prose {
            match self.prose_name(name) {
                Some((n, qualifier)) => {
                    prose_name = n;
                    if let Qualifier::Provider(start) = qualifier {
                        name_range.start = start;
                        needs_provider = true;
                    }
                    &prose_name
                }
                None => return,
            }
        } else {
            name
        };
        // A line longer than the reach either side is minified code or data: only a quoted
        // literal, not JSON escaped inside a string, is taken there.
        if (!self.whole_start || !self.whole_end)
            && (form != Form::Quoted || self.quote.is_some_and(|q| q.escaped))
        {
            return;
        }
        if let Ok(Accepted { class, secret }) = value::judge_in(value, name, setting) {
            out.push(Binding {
                form,
                name: name_range,
                secret: v.start + secret.start..v.start + secret.end,
                class,
                example: name.example,
                needs_provider,
            });
        }
    }
}

/// Calls whose argument at a fixed position is a signing key, by each library's documented
/// signature: JSON Web Token libraries (PyJWT's and ruby-jwt's `encode`/`decode`, Node's
/// jsonwebtoken `sign`/`verify`: the key second), HMAC constructors (Python's `hmac.new` and
/// `hmac.digest` and PyCryptodome's `HMAC.new`: first; Node's `crypto.createHmac` and Go's
/// `hmac.New`: second; PHP's `hash_hmac`: third; java-jwt's `Algorithm.HMAC256`, Java's
/// `SecretKeySpec`, jjwt's `Keys.hmacShaKeyFor`, .NET's `SymmetricSecurityKey` and `HMACSHA256`:
/// first; Ruby's `OpenSSL::HMAC.hexdigest`/`digest`: second; PHP's `JWT::encode`: second;
/// golang-jwt's `token.SignedString([]byte("…"))`: first), and a Fernet key (Python's
/// `cryptography`).
const SIGNING_CALLS: &[(&[u8], usize)] = &[
    (b"jwt.encode", 1),
    (b"jwt.decode", 1),
    (b"jwt.sign", 1),
    (b"jwt.verify", 1),
    (b"JWT.encode", 1),
    (b"JWT.decode", 1),
    (b"hmac.new", 0),
    (b"hmac.digest", 0),
    (b"HMAC.new", 0),
    (b"createHmac", 1),
    (b"hash_hmac", 2),
    (b"Algorithm.HMAC256", 0),
    (b"Algorithm.HMAC384", 0),
    (b"Algorithm.HMAC512", 0),
    (b"SecretKeySpec", 0),
    (b"hmac.New", 1),
    (b"hmacShaKeyFor", 0),
    (b"SymmetricSecurityKey", 0),
    (b"HMACSHA256", 0),
    (b"HMACSHA512", 0),
    (b"Fernet", 0),
    (b"HMAC.hexdigest", 1),
    (b"HMAC.digest", 1),
    (b"SignedString", 0),
];

/// The position of the signing key among the arguments of `callee`, when it is one of
/// `SIGNING_CALLS` (the whole callee or its qualified tail: `crypto.createHmac`, `self.jwt.encode`).
fn signing_key_argument(callee: &[u8]) -> Option<usize> {
    // `JWT::encode` is PHP's spelling of `JWT.encode`.
    let dotted;
    let callee = if memchr::memmem::find(callee, b"::").is_some() {
        dotted = callee
            .split(|&b| b == b':')
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(&b'.');
        &dotted[..]
    } else {
        callee
    };
    SIGNING_CALLS.iter().find_map(|&(call, index)| {
        let qualified = callee.ends_with(call)
            && (callee.len() == call.len() || callee[callee.len() - call.len() - 1] == b'.');
        qualified.then_some(index)
    })
}

/// Calls whose argument at a fixed position is a password, by each library's documented
/// signature: Python's ftplib `FTP(host, user, passwd)` and `FTP_TLS(…)` (third), PHP's
/// `ldap_bind($link, $dn, $password)` and `ldap_bind_ext(…)` (third), python-ldap's
/// `simple_bind_s(who, cred)`, `simple_bind(…)` and `bind_s(who, cred, method)` (second). The
/// callee is matched as written (`FTP`, not `ftp`, which other code calls for other things).
const PASSWORD_CALLS: &[(&[u8], usize)] = &[
    (b"FTP", 2),
    (b"FTP_TLS", 2),
    (b"ldap_bind", 2),
    (b"ldap_bind_ext", 2),
    (b"simple_bind_s", 1),
    (b"simple_bind", 1),
    (b"bind_s", 1),
];

/// The position of the password among the arguments of `callee`, when it is one of
/// `PASSWORD_CALLS` (the whole callee or its qualified tail: `ftplib.FTP`, `conn.simple_bind_s`).
fn password_argument(callee: &[u8]) -> Option<usize> {
    PASSWORD_CALLS.iter().find_map(|&(call, index)| {
        let qualified = callee.ends_with(call)
            && (callee.len() == call.len() || callee[callee.len() - call.len() - 1] == b'.');
        qualified.then_some(index)
    })
}

/// Whether `head` holds a libpq connection key (`host=`, `hostaddr=`, `dbname=`, `user=`,
/// `port=`) at a word's start.
fn is_conninfo(head: &[u8]) -> bool {
    [&b"host="[..], b"hostaddr=", b"dbname=", b"user=", b"port="]
        .iter()
        .any(|key| {
            memchr::memmem::find_iter(head, key)
                .any(|i| i == 0 || !(head[i - 1].is_ascii_alphanumeric() || head[i - 1] == b'_'))
        })
}

/// What a call's or a header's credential is judged as when no name says: a value a service
/// generated (a word or a stand-in such as `"secret"` is a test's or a tutorial's).
const GENERATED: Name = Name {
    kind: Kind::Secret,
    strength: name::Strength::Strong,
    example: false,
    hash: false,
    loose: false,
};

/// What a password argument is judged as: a password (a person's choice, not only a random
/// value), named as strongly as a `password` parameter.
const PASSWORD: Name = Name {
    kind: Kind::Password,
    strength: name::Strength::Strong,
    example: false,
    hash: false,
    loose: false,
};

/// An unquoted value outside an environment file and outside prose (a YAML `value:`, a
/// placeholder's default).
const UNQUOTED: Setting = Setting {
    env_file: false,
    prose: false,
    unquoted: true,
};

/// How many lines after a `name:` field its sibling `value:` field may be.
const SIBLING_LINES: usize = 3;

/// Whether `word` is one of `labels` (ASCII case-insensitive): `name`, `Name`, `NAME`.
fn is_field_label(word: &[u8], labels: &[&[u8]]) -> bool {
    labels.iter().any(|l| word.eq_ignore_ascii_case(l))
}

/// The `value` field after `from` (the end of a `name` field whose line ends at `line_end`):
/// on the rest of that line or on one of the next `SIBLING_LINES` lines, before any other
/// `name` or `key` field (another entry). A quoted value must close on its line; an unquoted
/// one is a YAML or HCL scalar that ends its line.
fn sibling_value_field(
    hay: &[u8],
    from: usize,
    line_end: usize,
    column: usize,
) -> Option<(Range<usize>, bool)> {
    let mut start = from;
    let mut end = line_end;
    for line in 0..=SIBLING_LINES {
        let segment = &hay[start..end];
        // Indentation up to a label: YAML's list dash and JSON's quote are part of it.
        let indent = segment
            .iter()
            .take_while(|&&b| is_space(b) || matches!(b, b'-' | b'"' | b'\''))
            .count();
        if line > 0 && indent < segment.len() && indent < column {
            // Less indented than the `name` label: past its entry.
            return None;
        }
        let mut i = 0;
        while i < segment.len() {
            if !segment[i].is_ascii_alphabetic()
                || (i > 0 && (segment[i - 1].is_ascii_alphanumeric() || segment[i - 1] == b'_'))
            {
                i += 1;
                continue;
            }
            let word_len = segment[i..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            let word = &segment[i..i + word_len];
            i += word_len;
            let is_value = is_field_label(word, &[b"value"]);
            if !is_value && !is_field_label(word, &[b"name", b"key"]) {
                continue;
            }
            // On a later line, a label nested deeper (an OpenAPI example's `value:`) is another
            // object's.
            if line > 0 && i - word_len != column {
                continue;
            }
            // A label: an optional closing quote, then `:` or `=` (not `==`).
            let mut q = i;
            if q < segment.len() && matches!(segment[q], b'"' | b'\'') {
                q += 1;
            }
            while q < segment.len() && is_space(segment[q]) {
                q += 1;
            }
            if q >= segment.len()
                || !matches!(segment[q], b':' | b'=')
                || segment.get(q + 1) == Some(&b'=')
            {
                continue;
            }
            if !is_value {
                return None;
            }
            q += 1;
            while q < segment.len() && is_space(segment[q]) {
                q += 1;
            }
            let at = start + q;
            return match hay.get(at) {
                Some(&c) if matches!(c, b'"' | b'\'') => {
                    let close = memchr::memchr(c, &hay[at + 1..end])? + at + 1;
                    (close > at + 1 && hay[at + 1..close].iter().all(|&b| b != b'\\'))
                        .then_some((at + 1..close, true))
                }
                // Unquoted: a YAML scalar, on a line that the `value` label starts.
                Some(_) => {
                    let label = trim_spaces(&segment[..i - word_len]);
                    let label = trim_spaces(label.strip_prefix(b"-").unwrap_or(label));
                    let v = trim_spaces(&hay[at..end]);
                    let scalar = !v.is_empty()
                        && !v
                            .iter()
                            .any(|b| b.is_ascii_whitespace() || matches!(b, b',' | b';'));
                    (label.is_empty() && scalar).then_some((at..at + v.len(), false))
                }
                None => None,
            };
        }
        // The next line.
        if end >= hay.len() {
            return None;
        }
        start = end + 1 + usize::from(hay[end] == b'\r');
        if start > hay.len() {
            return None;
        }
        end = memchr::memchr(b'\n', &hay[start..]).map_or(hay.len(), |i| start + i);
        if end > start && hay[end - 1] == b'\r' {
            end -= 1;
        }
        if end - start > LINE_REACH {
            return None;
        }
    }
    None
}

/// Whether `value` spells `name` (or the other way round), ignoring case and separators.
fn restates(name: &[u8], value: &[u8]) -> bool {
    let norm = |s: &[u8]| -> Vec<u8> {
        s.iter()
            .filter(|b| b.is_ascii_alphanumeric())
            .map(u8::to_ascii_lowercase)
            .collect()
    };
    let (n, v) = (norm(name), norm(value));
    v.len() >= 6
        && n.len() >= 6
        && (memchr::memmem::find(&n, &v).is_some() || memchr::memmem::find(&v, &n).is_some())
}

/// `setPassword` → `Password`, `with_api_key` → `api_key`; `None` when not a setter's name.
fn strip_setter(callee: &[u8]) -> Option<&[u8]> {
    for prefix in [&b"set"[..], b"with", b"Set", b"With"] {
        if let Some(rest) = callee.strip_prefix(prefix)
            && rest
                .first()
                .is_some_and(|&c| c.is_ascii_uppercase() || c == b'_')
        {
            return Some(rest);
        }
    }
    None
}

/// The line after the one ending at `end` (at its `\r\n`, its `\n` or the text's end), without
/// its `\r`: `None` at the text's end. Read up to one byte past `LINE_REACH`, so that a caller
/// can tell a longer line by its length.
fn next_line(hay: &[u8], end: usize) -> Option<Range<usize>> {
    let mut start = end;
    if hay.get(start) == Some(&b'\r') {
        start += 1;
    }
    if hay.get(start) != Some(&b'\n') {
        return None;
    }
    start += 1;
    let limit = hay.len().min(start + LINE_REACH + 1);
    let mut e = memchr::memchr(b'\n', &hay[start..limit]).map_or(limit, |i| start + i);
    if e > start && hay[e - 1] == b'\r' {
        e -= 1;
    }
    Some(start..e)
}

/// How many spaces (not tabs: YAML indents with spaces) start `line`.
fn leading_spaces(line: &[u8]) -> usize {
    line.iter().take_while(|&&b| b == b' ').count()
}

fn trim_spaces(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&c| !is_space(c)).unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|&c| !is_space(c))
        .map_or(start, |i| i + 1);
    &s[start..end]
}
