"""The mail connector, Email.send, user.verify / User.confirm and User.resetPassword.

Over every connector (the ``ds`` fixture: memory, SQLite, PostgreSQL) for the
model methods, and over real HTTP (tests/rest/live.py) for the REST routes,
with the mail connector's stub transport: what was "sent" is read back from
the transport's answer.  One test sends through SMTP to a tiny SMTP sink
started in the test.  LB3 3.28's answers were recorded in Node
(tests/auth/fixtures/mail/record.js -> lb3_mail_answers.json).
"""

import base64
import json
import os
import re
import socket
import threading
from urllib.parse import parse_qs, urlsplit

import pytest

import loopback_compat as lb
from loopback_compat import auth
from loopback_compat.testing import fiber_test

from live import LiveApp

from .conftest import AUTH_MODELS, build_auth_app

LB3 = json.load(open(os.path.join(os.path.dirname(__file__), 'fixtures', 'mail',
                                  'lb3_mail_answers.json'), encoding='utf-8'))


def _raises(promise):
    try:
        lb.await_(promise)
    except Exception as err:    # noqa: BLE001
        return err
    raise AssertionError('no error')


def _with_mail(app, transports=None):
    mail = app.dataSource('mail', {'connector': 'mail',
                                   'transports': transports or [{'type': 'stub'}]})
    app.model(auth.define_builtin(mail, 'Email'), {'dataSource': 'mail'})
    return app


@pytest.fixture
def mail_app(ds):
    app = _with_mail(build_auth_app(ds))
    lb.run(lambda: lb.await_(ds.automigrate(list(AUTH_MODELS))))
    return app


def _headers(raw):
    head = raw.decode('utf-8').split('\r\n\r\n', 1)[0]
    return [line for line in head.split('\r\n') if line and not line[0].isspace()]


def _link(raw):
    """The verify link of a sent message's text part (quoted-printable undone)."""
    import email
    from email import policy
    msg = email.message_from_bytes(raw, policy=policy.default)
    text = msg.get_body(('plain',)).get_content()
    return re.search(r'http\S+', text).group(0)


# -- the mail connector ---------------------------------------------------------------

@fiber_test
def test_stub_transport_answers_as_nodemailers_stub():
    ds = lb.DataSource('mail', {'connector': 'mail', 'transports': [{'type': 'stub'}]})
    Email = auth.define_builtin(ds, 'Email')
    info = lb.await_(Email.send({'to': 'a@b.com', 'from': 'me@b.com', 'subject': 'Hi',
                                 'text': 'hello'}))
    assert sorted(info) == ['envelope', 'messageId', 'response']
    assert info['envelope'] == {'from': 'me@b.com', 'to': ['a@b.com']}
    assert re.fullmatch(r'[0-9a-f-]{36}@b\.com', info['messageId'])
    assert isinstance(info['response'], bytes)
    headers = _headers(info['response'])
    assert 'From: me@b.com' in headers and 'To: a@b.com' in headers
    assert 'Subject: Hi' in headers and 'Message-ID: <%s>' % info['messageId'] in headers
    assert info['response'].rstrip().endswith(b'hello')
    # the instance form and the connector class LB3 exports as loopback.Mail
    ds2 = lb.DataSource({'connector': lb.Mail, 'transport': {'type': 'stub'}})
    Other = auth.define_builtin(ds2, 'Email')
    mail = Other({'to': 'x@y.com', 'from': 'me@y.com', 'subject': 's', 'html': '<b>x</b>'})
    info = lb.await_(mail.send())
    assert info['envelope'] == {'from': 'me@y.com', 'to': ['x@y.com']}
    assert b'Content-Type: text/html' in info['response']


@fiber_test
def test_email_unattached_and_without_transport():
    err = _raises_sync(lambda: lb.Email.send({'to': 'a@b.com'}))
    assert str(err) == 'You must connect the Email Model to a Mail connector'
    ds = lb.DataSource('mail', {'connector': 'mail'})
    Email = auth.define_builtin(ds, 'Email')
    options = {'to': 'a@b.com', 'from': 'me@b.com', 'subject': 's'}
    assert lb.await_(Email.send(options)) == options      # LB3: a warning, cb(null, options)
    assert not hasattr(Email, 'find')                     # the Mailer DAO, not the database's
    with pytest.raises(lb.LoopBackError, match="nodemailer-direct-transport"):
        lb.DataSource('mail', {'connector': 'mail', 'transports': [{'type': 'direct'}]})


def _raises_sync(fn):
    try:
        fn()
    except Exception as err:    # noqa: BLE001
        return err
    raise AssertionError('no error')


@fiber_test
def test_header_injection_makes_no_header():
    ds = lb.DataSource('mail', {'connector': 'mail', 'transports': [{'type': 'stub'}]})
    Email = auth.define_builtin(ds, 'Email')
    info = lb.await_(Email.send({'to': 'a@b.com', 'from': 'me@b.com',
                                 'subject': 'Hi\r\nBcc: evil@x.com\nX-Evil: 1\r\n\r\nbody',
                                 'text': 'hello',
                                 'headers': {'X-Tag': 'a\r\nX-Evil: 2', 'X-Bad\r\nX-Evil': '3'}}))
    headers = _headers(info['response'])
    assert not [h for h in headers if h.lower().startswith(('bcc', 'x-evil'))]
    assert 'Subject: Hi Bcc: evil@x.com X-Evil: 1  body' in headers   # one line, as nodemailer
    assert 'X-Tag: a X-Evil: 2' in headers
    assert info['envelope']['to'] == ['a@b.com']
    for field in ('to', 'from', 'cc', 'bcc'):
        options = {'to': 'a@b.com', 'from': 'me@b.com', 'subject': 's', 'text': 't'}
        options[field] = 'a@b.com\r\nBcc: evil@x.com'
        err = _raises(Email.send(options))
        assert err.code == 'EMESSAGE' and 'line breaks' in str(err)


class SmtpSink:
    """A tiny SMTP server on 127.0.0.1 that keeps what it receives (no STARTTLS)."""

    def __init__(self, auth_pair=None):
        self.auth_pair = auth_pair
        self.messages = []
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            self._session(conn.makefile('rb'), conn)

    def _session(self, rfile, conn):
        def say(line):
            conn.sendall(line.encode() + b'\r\n')
        say('220 sink ESMTP')
        current = {'from': None, 'to': []}
        authed = self.auth_pair is None
        while True:
            line = rfile.readline().decode().rstrip('\r\n')
            verb = line.split(' ', 1)[0].upper()
            if verb in ('EHLO', 'HELO'):
                say('250-sink' if self.auth_pair else '250 sink')
                if self.auth_pair:
                    say('250 AUTH PLAIN')
            elif verb == 'AUTH':
                user, password = self.auth_pair
                given = base64.b64decode(line.split(' ')[2]).split(b'\0')
                authed = given[1:] == [user.encode(), password.encode()]
                say('235 ok' if authed else '535 bad credentials')
            elif verb == 'MAIL':
                if not authed:
                    say('530 auth required')
                    continue
                current = {'from': line[10:].strip('<>'), 'to': []}
                say('250 ok')
            elif verb == 'RCPT':
                current['to'].append(line[8:].strip('<>'))
                say('250 ok')
            elif verb == 'DATA':
                say('354 go on')
                data = b''
                while not data.endswith(b'\r\n.\r\n'):
                    data += rfile.readline()
                current['data'] = data
                self.messages.append(current)
                say('250 2.0.0 Ok: queued as SINK1')
            elif verb == 'QUIT' or not line:
                say('221 bye')
                return
            else:
                say('502 unknown')

    def close(self):
        self.sock.close()


@fiber_test
def test_smtp_transport_sends_to_a_server():
    sink = SmtpSink(auth_pair=('mailer', 's3cret'))
    try:
        ds = lb.DataSource('mail', {'connector': 'mail', 'transports': [{
            'type': 'SMTP', 'host': '127.0.0.1', 'port': sink.port, 'secure': False,
            'auth': {'user': 'mailer', 'pass': 's3cret'}}]})
        Email = auth.define_builtin(ds, 'Email')
        info = lb.await_(Email.send({'to': 'Ann <ann@x.com>, bob@x.com', 'from': 'me@x.com',
                                     'bcc': 'audit@x.com', 'subject': 'Report',
                                     'text': 'numbers'}))
        assert info['response'] == '250 2.0.0 Ok: queued as SINK1'
        assert info['accepted'] == ['ann@x.com', 'bob@x.com', 'audit@x.com']
        assert info['rejected'] == []
        assert info['envelope'] == {'from': 'me@x.com',
                                    'to': ['ann@x.com', 'bob@x.com', 'audit@x.com']}
        sent = sink.messages[0]
        assert sent['from'] == 'me@x.com' and sent['to'] == info['accepted']
        assert b'Subject: Report' in sent['data'] and b'audit@x.com' not in sent['data']
    finally:
        sink.close()
    # a wrong password, and nobody listening
    sink = SmtpSink(auth_pair=('mailer', 's3cret'))
    try:
        ds = lb.DataSource('mail', {'connector': 'mail', 'transports': [{
            'type': 'smtp', 'host': '127.0.0.1', 'port': sink.port,
            'auth': {'user': 'mailer', 'pass': 'nope'}}]})
        err = _raises(auth.define_builtin(ds, 'Email').send(
            {'to': 'a@x.com', 'from': 'me@x.com', 'subject': 's', 'text': 't'}))
        assert err.code == 'EAUTH'
    finally:
        sink.close()
    ds = lb.DataSource('mail', {'connector': 'mail', 'transports': [{
        'type': 'smtp', 'host': '127.0.0.1', 'port': sink.port, 'connectionTimeout': 2000}]})
    err = _raises(auth.define_builtin(ds, 'Email').send(
        {'to': 'a@x.com', 'from': 'me@x.com', 'subject': 's', 'text': 't'}))
    assert err.code == 'ECONNECTION'


# -- verify / confirm over the connectors -------------------------------------------

@fiber_test
def test_verify_sends_the_link_and_confirm_verifies(mail_app):
    User = mail_app.models.User
    user = lb.await_(User.create({'email': 'ann@example.com', 'password': 'secret'}))
    assert User.getVerifyOptions() == LB3['getVerifyOptions']
    result = lb.await_(user.verify(User.getVerifyOptions()))
    assert sorted(result) == LB3['verifyResult']['keys']
    assert len(result['token']) == LB3['verifyResult']['tokenLen']
    assert result['uid'] == user.id
    sent = result['email']
    assert sent['envelope'] == {'from': 'noreply@example.com', 'to': ['ann@example.com']}
    headers = _headers(sent['response'])
    assert 'Subject: Thanks for Registering' in headers
    link = _link(sent['response'])
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ('http', 'localhost:3000',
                                                        '/api/Users/confirm')
    assert parse_qs(parts.query) == {'uid': [str(user.id)], 'redirect': ['/'],
                                     'token': [result['token']]}
    stored = lb.await_(User.findById(user.id))
    assert stored.verificationToken == result['token'] and not stored.emailVerified
    assert 'verificationToken' not in stored.toJSON()
    # a wrong token, another user's, an unknown user
    other = lb.await_(User.create({'email': 'bob@example.com', 'password': 'secret'}))
    other_token = lb.await_(other.verify({'type': 'email', 'from': 'x@example.com'}))['token']
    err = _raises(User.confirm(user.id, other_token, None))
    assert (err.statusCode, err.code, str(err)) == (400, 'INVALID_TOKEN',
                                                    'Invalid token: %s' % other_token)
    err = _raises(User.confirm(user.id, 'ü' * 128, None))
    assert err.code == 'INVALID_TOKEN'
    err = _raises(User.confirm(9999, 'x', None))
    assert (err.statusCode, err.code, str(err)) == (404, 'USER_NOT_FOUND',
                                                    'User not found: 9999')
    lb.await_(User.confirm(user.id, result['token'], None))
    stored = lb.await_(User.findById(user.id))
    assert stored.emailVerified is True and stored.verificationToken is None
    err = _raises(User.confirm(user.id, result['token'], None))   # used once only
    assert err.code == 'INVALID_TOKEN'


@fiber_test
def test_verify_templates(mail_app):
    User = mail_app.models.User
    user = lb.await_(User.create({'email': 'ann@example.com', 'password': 'secret'}))
    sent = lb.await_(user.verify({'type': 'email', 'from': 'x@example.com',
                                  'host': 'example.org', 'port': 80,
                                  'redirect': '/done?a=<b>'}))['email']['response']
    import email
    from email import policy
    msg = email.message_from_bytes(sent, policy=policy.default)
    html_part = msg.get_body(('html',)).get_content()
    href = _link(sent)
    assert href.startswith('http://example.org/api/Users/confirm?')
    escaped = href.replace('&', '&amp;')
    expected = open(os.path.join(os.path.dirname(auth.__file__), 'templates',
                                 'verify.ejs'), encoding='utf-8').read() \
        .replace('<%= verifyHref %>', escaped)
    assert html_part.replace('\r\n', '\n').rstrip('\n') == expected
    # a callable template, a template file, text with {href}
    result = lb.await_(user.verify({'type': 'email', 'from': 'x@example.com',
                                    'text': 'Open {href} now',
                                    'template': lambda o: '<p>%s</p>' % o['verificationToken'],
                                    'mailer': _Recorder()}))
    sent = result['email']
    assert sent['html'] == '<p>%s</p>' % result['token']
    assert sent['text'] == 'Open %s now' % sent['verifyHref']
    assert 'template' not in sent


class _Recorder:
    """A mailer as LB3's tests mock one: ``send(verifyOptions, cb)``."""

    def send(self, verify_options, cb):
        cb(None, verify_options)


@fiber_test
def test_reset_password_emits_a_short_lived_token(mail_app):
    User = mail_app.models.User
    user = lb.await_(User.create({'email': 'ann@example.com', 'password': 'secret'}))
    events = []
    User.on('resetPasswordRequest', events.append)
    assert lb.await_(User.resetPassword({'email': 'ann@example.com'})) is None
    info = events[0]
    assert info['email'] == 'ann@example.com' and info['user'].id == user.id
    assert info['accessToken'].ttl == LB3['resetEvent']['ttl'] == 900
    assert info['accessToken'].userId == user.id
    assert info['options'] == {'email': 'ann@example.com'}
    for hostile in ('.*', 'ann@example.com%', "' OR 1=1 --", 'ANN@EXAMPLE.COM', '^ann.*$'):
        err = _raises(User.resetPassword({'email': hostile}))
        assert (err.statusCode, err.code, str(err)) == (404, 'EMAIL_NOT_FOUND', 'Email not found')
    for bad in ({}, {'email': {'neq': 'x'}}, {'email': ['ann@example.com']}, None):
        err = _raises(User.resetPassword(bad))
        assert (err.statusCode, err.code, str(err)) == (400, 'EMAIL_REQUIRED', 'Email is required')
    assert len(events) == 1


# -- over HTTP -------------------------------------------------------------------------

def _live(user_settings=None):
    def setup(app, done):
        ds = app.dataSource('db', {'connector': 'memory'})
        _with_mail(app)
        for name in AUTH_MODELS:
            overrides = {'options': dict(auth.definition(name).get('options') or {},
                                         **(user_settings or {}))} if name == 'User' else None
            app.model(auth.define_builtin(ds, name, overrides),
                      {'dataSource': 'db', 'public': name == 'User'})
        app.enableAuth()
        done()
    return LiveApp(setup).start()


def _create(live, email, password='secret'):
    def make(done):
        live.app.models.User.create({'email': email, 'password': password},
                                    lambda err, user: done(user.id))
    return live.on_loop(make)


def _verify(live, user_id, options=None):
    def run(done):
        User = live.app.models.User
        User.findById(user_id, lambda err, user: user.verify(
            options or User.getVerifyOptions(), lambda err, result: done(err or result)))
    return live.on_loop(run)


def test_verify_link_confirms_over_http():
    live = _live()
    try:
        uid = _create(live, 'ann@example.com')
        result = _verify(live, uid, {'type': 'email', 'from': 'x@example.com',
                                     'redirect': '/done?a=1#x'})
        link = urlsplit(_link(result['email']['response']))
        assert link.netloc == 'localhost:%d' % live.port   # app.listen sets 'port', as LB3
        # someone else's token, a missing token, an unknown user: LB3's answers
        other = _verify(live, _create(live, 'bob@example.com'))['token']
        status, body = live.json('GET', '/api/Users/confirm?uid=%s&token=%s' % (uid, other))
        assert (status, body['error']['code']) == (400, 'INVALID_TOKEN')
        status, body = live.json('GET', '/api/Users/confirm?uid=%s' % uid)
        assert (status, body['error']['message']) == (LB3['confirmMissing']['status'],
                                                       'token is a required argument')
        status, body = live.json('GET', '/api/Users/confirm?uid=999&token=nope')
        assert status == 404 and body == json.loads(LB3['confirmNoUser']['body'])
        status, headers, data = live.request('GET', '%s?%s' % (link.path, link.query))
        assert (status, headers['location'], data) == (302, '/done?a=1#x', b'')
        status, body = live.json('GET', '%s?%s' % (link.path, link.query))
        assert (status, body['error']['code']) == (400, 'INVALID_TOKEN')
        third = _create(live, 'cy@example.com')
        token = _verify(live, third)['token']
        status, _h, data = live.request('GET', '/api/Users/confirm?uid=%s&token=%s'
                                        % (third, token))
        assert (status, data) == (LB3['confirmNoRedirect']['status'], b'')
        # POST /Users/{id}/verify: anyone (LB3's default ACL), 404 for an unknown id
        assert live.request('POST', '/api/Users/%s/verify' % uid)[0] == 204
        status, body = live.json('POST', '/api/Users/999/verify')
        assert (status, body['error']['code']) == (404, 'MODEL_NOT_FOUND')
    finally:
        live.stop()


def test_email_verification_required_login_and_email_change():
    live = _live({'emailVerificationRequired': True})
    try:
        uid = _create(live, 'ann@example.com')
        status, body = live.json('POST', '/api/Users/login',
                                 {'email': 'ann@example.com', 'password': 'secret'})
        assert (status, body['error']['code']) == (401, 'LOGIN_FAILED_EMAIL_NOT_VERIFIED')
        status, body = live.json('POST', '/api/Users/reset', {'email': 'ann@example.com'})
        assert (status, body['error']['code']) == (401, 'RESET_FAILED_EMAIL_NOT_VERIFIED')
        token = _verify(live, uid)['token']
        assert live.request('GET', '/api/Users/confirm?uid=%s&token=%s' % (uid, token))[0] == 204
        status, body = live.json('POST', '/api/Users/login',
                                 {'email': 'ann@example.com', 'password': 'secret'})
        assert status == 200
        headers = {'Authorization': body['id']}
        status, _b = live.json('PATCH', '/api/Users/%s' % uid, {'email': 'new@example.com'},
                               headers)
        assert status == 200
        assert live.rows('User')[0]['emailVerified'] is False
    finally:
        live.stop()


def test_reset_password_over_http():
    live = _live()
    try:
        uid = _create(live, 'ann@example.com')
        events = []
        live.on_loop(lambda done: done(live.app.models.User.on(
            'resetPasswordRequest', events.append)))
        for email_value, answer in (('nobody@example.com', 'resetUnknown'),
                                    ('.*', 'resetMeta'), ({'neq': 'x'}, 'resetObj')):
            status, body = live.json('POST', '/api/Users/reset', {'email': email_value})
            assert (status, body) == (LB3[answer]['status'], json.loads(LB3[answer]['body']))
        status, body = live.json('POST', '/api/Users/reset', {})
        assert (status, body) == (400, json.loads(LB3['resetNoEmail']['body']))
        status, _h, data = live.request('POST', '/api/Users/reset', {'email': 'ann@example.com'})
        assert (status, data) == (204, b'')
        token = events[0]['accessToken'].id
        assert events[0]['options']['email'] == 'ann@example.com'
        headers = {'Authorization': token}
        status, _h, data = live.request('POST', '/api/Users/reset-password',
                                        {'newPassword': 'n3w-pass'}, headers)
        assert status == 204
        status, body = live.json('POST', '/api/Users/login',
                                 {'email': 'ann@example.com', 'password': 'n3w-pass'})
        assert status == 200 and body['userId'] == uid
        # LB3 3.28 without restrictResetPasswordTokenScope: the token works elsewhere too
        assert live.request('GET', '/api/Users/%s' % uid, None, headers)[0] == 200
    finally:
        live.stop()


def test_reset_token_scope_restricted():
    live = _live({'restrictResetPasswordTokenScope': True})
    try:
        uid = _create(live, 'ann@example.com')
        events = []
        live.on_loop(lambda done: done(live.app.models.User.on(
            'resetPasswordRequest', events.append)))
        assert live.request('POST', '/api/Users/reset', {'email': 'ann@example.com'})[0] == 204
        token = events[0]['accessToken']
        assert token.scopes == ['reset-password'] and token.ttl == 900
        headers = {'Authorization': token.id}
        # the reset token is refused for a normal route, accepted for reset-password
        status, body = live.json('GET', '/api/Users/%s' % uid, None, headers)
        assert (status, body['error']['code']) == (401, 'AUTHORIZATION_REQUIRED')
        status, body = live.json('PATCH', '/api/Users/%s' % uid, {'username': 'x'}, headers)
        assert status == 401
        assert live.request('POST', '/api/Users/reset-password', {'newPassword': 'n3w'},
                            headers)[0] == 204
        # a regular login token is refused reset-password (its scope is DEFAULT)
        status, body = live.json('POST', '/api/Users/login',
                                 {'email': 'ann@example.com', 'password': 'n3w'})
        assert live.request('POST', '/api/Users/reset-password', {'newPassword': 'x2'},
                            {'Authorization': body['id']})[0] == 401
    finally:
        live.stop()
