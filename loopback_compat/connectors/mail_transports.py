"""The mail connector's transports: building a message, the stub and SMTP.

# LoopBack: nodemailer 6 (Mail.sendMail, mail-composer), nodemailer-stub-transport
#           1.1 and nodemailer's SMTP transport, as loopback 3.28's
#           lib/connectors/mail.js sets them up

:func:`compose(options)` turns LB3's mail options (``from``, ``to``, ``cc``,
``bcc``, ``replyTo``, ``subject``, ``text``, ``html``, ``headers``) into the
message bytes and the SMTP envelope, as nodemailer does:

- a header value never spans lines: CR, LF and CRLF become a space
  (nodemailer's header folding), so ``subject: 'Hi\\r\\nBcc: x'`` is one
  Subject header, never a second header;
- ``to``/``cc``/``bcc`` are a comma-separated string or a list; the envelope
  holds the bare addresses (``bcc`` in the envelope, not in the headers);
  an address field with a CR or LF is refused (EMESSAGE), where nodemailer
  would send to whatever follows the line break;
- text only is text/plain, html only text/html, both multipart/alternative;
- a Message-ID ``<uuid@sender's domain>`` (or ``headers['message-id']``)
  and a Date are added.

Transports (``setting['type']``, case-insensitive, default STUB):

- ``stub``: nothing is sent; the callback gets nodemailer-stub-transport's
  ``{'envelope': {'from', 'to': [...]}, 'messageId', 'response': bytes}``
  (the whole message).  ``error: 'text'`` makes every send fail with it.
- ``smtp``: smtplib on the shared worker pool, with nodemailer's settings:
  ``host`` (localhost), ``port`` (465 when ``secure``, else 587), ``secure``
  (or LB3-era ``secureConnection``: TLS from the start), STARTTLS when the
  server offers it (``ignoreTLS`` skips it, ``requireTLS`` demands it),
  ``auth: {user, pass}``, ``tls: {rejectUnauthorized: False}``,
  ``connectionTimeout`` (ms) and ``name`` (the EHLO name).  The callback gets
  nodemailer's ``{'accepted', 'rejected', 'envelope', 'messageId',
  'response'}`` (``response`` the server's final reply, '250 ...').
  A failure is an error with nodemailer's ``code`` (ECONNECTION, EAUTH,
  EENVELOPE, EMESSAGE).
"""

import email.utils
import re
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.policy import SMTP

from ..errors import LoopBackError
from ..loop import setImmediate
from ..workers import default_pool

__all__ = ['compose', 'StubTransport', 'SmtpTransport', 'transport_for']

_LINE_BREAKS = re.compile(r'\r\n|\r|\n')


def _one_line(value):
    """nodemailer never lets a header value span lines: breaks become spaces."""
    return _LINE_BREAKS.sub(' ', '' if value is None else str(value))


def _address_list(value):
    """(header text, [bare addresses]) of a string, a list or None."""
    if value is None or value == '':
        return None, []
    items = value if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if isinstance(item, str) and ('\r' in item or '\n' in item):
            # nodemailer would read "a@b.com\r\nBcc: x@y" as a group whose
            # member x@y gets the mail: refused here (docs/auth.md)
            raise ValueError('Invalid address %r: line breaks are not allowed' % (item,))
    texts = [_one_line(item) for item in items if item not in (None, '')]
    pairs = email.utils.getaddresses(texts)
    bare = [addr for _, addr in pairs if addr]
    return ', '.join(texts), bare


def _domain(address):
    return address.rsplit('@', 1)[1] if address and '@' in address else 'localhost'


def compose(options):
    """(message bytes, envelope dict, messageId) of LB3's mail ``options``."""
    options = options if isinstance(options, dict) else {}
    msg = EmailMessage(policy=SMTP)
    sender_text, senders = _address_list(options.get('from'))
    if sender_text:
        msg['From'] = sender_text
    recipients = []
    for key, header in (('to', 'To'), ('cc', 'Cc')):
        text, bare = _address_list(options.get(key))
        if text:
            msg[header] = text
        recipients.extend(bare)
    recipients.extend(_address_list(options.get('bcc'))[1])
    reply_text = _address_list(options.get('replyTo'))[0]
    if reply_text:
        msg['Reply-To'] = reply_text
    if options.get('subject') is not None:
        msg['Subject'] = _one_line(options['subject'])
    headers = options.get('headers')
    headers = dict(headers) if isinstance(headers, dict) else {}
    custom_id = next((_one_line(v) for k, v in headers.items()
                      if str(k).lower() == 'message-id'), None)
    if custom_id:       # nodemailer: a Message-ID header of one's own is the messageId
        msg['Message-ID'] = custom_id
        message_id = re.sub(r'[<>\s]', '', custom_id)
    else:
        message_id = '%s@%s' % (uuid.uuid4(), _domain(senders[0] if senders else None))
        msg['Message-ID'] = '<%s>' % message_id
    msg['Date'] = email.utils.formatdate(localtime=False, usegmt=True)
    for name, value in headers.items():
        name = _one_line(name).replace(' ', '').replace(':', '')
        if name and name.lower() not in ('from', 'to', 'cc', 'bcc', 'subject', 'message-id'):
            msg[name] = _one_line(value)
    _set_body(msg, options.get('text'), options.get('html'))
    envelope = {'from': senders[0] if senders else False, 'to': recipients}
    return msg.as_bytes(), envelope, message_id


def _set_body(msg, text, html):
    text = None if text is None else str(text)
    html = None if html is None else str(html)
    if text is not None and html is not None:
        msg.set_content(text)
        msg.add_alternative(html, subtype='html')
    elif html is not None:
        msg.set_content(html, subtype='html')
    else:
        msg.set_content(text or '')


def _mail_error(message, code):
    return LoopBackError(message, code=code)


class StubTransport:
    """nodemailer-stub-transport: the message is built, not sent."""

    name = 'Stub'

    def __init__(self, setting=None):
        self.options = dict(setting or {})

    def sendMail(self, options, cb):
        if self.options.get('error'):
            return setImmediate(cb, LoopBackError(str(self.options['error'])))
        try:
            raw, envelope, message_id = compose(options)
        except (ValueError, TypeError) as err:
            return setImmediate(cb, _mail_error(str(err), 'EMESSAGE'))
        setImmediate(cb, None, {'envelope': envelope, 'messageId': message_id,
                                'response': raw})


class SmtpTransport:
    """nodemailer's SMTP transport, over the standard library's smtplib."""

    name = 'SMTP'

    def __init__(self, setting=None):
        self.options = dict(setting or {})

    def _settings(self):
        opts = self.options
        secure = bool(opts.get('secure') or opts.get('secureConnection'))
        port = int(opts.get('port') or (465 if secure else 587))
        timeout = opts.get('connectionTimeout')
        timeout = float(timeout) / 1000 if timeout else 120.0
        return opts.get('host') or 'localhost', port, secure, timeout

    def _tls_context(self):
        context = ssl.create_default_context()
        tls = self.options.get('tls')
        if isinstance(tls, dict) and tls.get('rejectUnauthorized') is False:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _deliver(self, raw, envelope):
        """Runs on a worker thread: connect, maybe STARTTLS and AUTH, send."""
        host, port, secure, timeout = self._settings()
        local = self.options.get('name')
        try:
            if secure:
                conn = smtplib.SMTP_SSL(host, port, local_hostname=local, timeout=timeout,
                                        context=self._tls_context())
            else:
                conn = smtplib.SMTP(host, port, local_hostname=local, timeout=timeout)
        except (OSError, smtplib.SMTPException) as err:
            raise _mail_error(str(err), 'ECONNECTION')
        try:
            return self._session(conn, secure, raw, envelope)
        finally:
            try:
                conn.quit()
            except (OSError, smtplib.SMTPException):
                conn.close()

    def _session(self, conn, secure, raw, envelope):
        conn.ehlo_or_helo_if_needed()
        if not secure and not self.options.get('ignoreTLS'):
            if conn.has_extn('starttls'):
                conn.starttls(context=self._tls_context())
                conn.ehlo()
            elif self.options.get('requireTLS'):
                raise _mail_error('Server does not support STARTTLS', 'ETLS')
        auth = self.options.get('auth')
        if isinstance(auth, dict) and auth.get('user'):
            try:
                conn.login(str(auth['user']), str(auth.get('pass') or ''))
            except smtplib.SMTPException as err:
                raise _mail_error('Invalid login: %s' % (err,), 'EAUTH')
        if not envelope['to']:
            raise _mail_error('No recipients defined', 'EENVELOPE')
        code, reply = conn.mail(envelope['from'] or '')
        if code != 250:
            raise _mail_error('Mail command failed: %d %s' % (code, _text(reply)), 'EENVELOPE')
        accepted, rejected = [], []
        for addr in envelope['to']:
            code, _ = conn.rcpt(addr)
            (accepted if code in (250, 251) else rejected).append(addr)
        if not accepted:
            conn.rset()
            raise _mail_error("Can't send mail - all recipients were rejected", 'EENVELOPE')
        code, reply = conn.data(raw)
        if code != 250:
            raise _mail_error('Message failed: %d %s' % (code, _text(reply)), 'EMESSAGE')
        return accepted, rejected, '%d %s' % (code, _text(reply))

    def sendMail(self, options, cb):
        try:
            raw, envelope, message_id = compose(options)
        except (ValueError, TypeError) as err:
            return setImmediate(cb, _mail_error(str(err), 'EMESSAGE'))

        def sent(err=None, result=None):
            if err is not None:
                if not isinstance(err, LoopBackError):
                    err = _mail_error(str(err), 'ECONNECTION')
                return cb(err)
            accepted, rejected, response = result
            cb(None, {'accepted': accepted, 'rejected': rejected, 'envelope': envelope,
                      'messageId': '<%s>' % message_id, 'response': response})
        default_pool().submit(self._deliver, (raw, envelope), sent)


def _text(reply):
    return reply.decode('utf-8', 'replace') if isinstance(reply, bytes) else str(reply)


_TRANSPORTS = {'stub': StubTransport, 'smtp': SmtpTransport}


def transport_for(setting):
    """The transport of one ``transports`` entry (LB3's setupTransport)."""
    kind = str(setting.get('type') or 'STUB').lower()
    factory = _TRANSPORTS.get(kind)
    if factory is None:
        # LB3 require()s nodemailer-<type>-transport and fails the same way
        raise LoopBackError("Cannot find module 'nodemailer-%s-transport'" % kind,
                            code='MODULE_NOT_FOUND')
    return factory(setting)
