"""The mail connector: a data source that sends email.

# LoopBack: loopback/lib/connectors/mail.js (MailConnector, Mailer), loopback 3.28

``datasources.json``::

    "mail": {"name": "mail", "connector": "mail",
             "transports": [{"type": "smtp", "host": "smtp.example.com", "port": 465,
                             "secure": true, "auth": {"user": "...", "pass": "..."}}]}

(``transport`` is one entry; no transport at all: every send logs LB3's
warning and calls back with the options).  ``lb.Mail`` is the connector
class (LB3's ``loopback.Mail``): ``lb.DataSource({'connector': lb.Mail,
'transports': [{'type': 'stub'}]})``.  The transports are in
mail_transports.py (``stub`` and ``smtp``).

A model attached to a mail data source gets the connector's data-access
object instead of the database one, as juggler mixes
``connector.DataAccessObject`` in: ``Model.send(options, cb)`` and
``instance.send(cb)`` (no find/create).  ``options['transport']`` picks a
transport by its ``alias`` or ``type``, else the first one.  The data
source's ``debug`` setting logs what is sent (never the transport's auth).
"""

import logging

from ..errors import LoopBackError
from ..loop import nextTick
from ..promise import callback_and_promise
from .mail_transports import transport_for

__all__ = ['MailConnector', 'Mailer', 'send_mail']

_log = logging.getLogger('loopback_compat.mail')


def send_mail(model, options, fn=None):
    """``Model.send(options, [cb])`` of a model attached to a mail data source.

    # LoopBack: Mailer.send(options, fn)
    """
    done, promise = callback_and_promise(fn)
    ds = getattr(model, 'dataSource', None)
    connector = getattr(ds, 'connector', None)
    if connector is None or not hasattr(connector, 'transportForName'):
        raise LoopBackError('Cannot send mail without a connector!', code='ERR_ASSERTION')
    if hasattr(options, 'toObject') and not isinstance(options, dict):
        options = options.toObject(True)
    options = options if isinstance(options, dict) else {}
    transport = connector.transportForName(options.get('transport')) or \
        connector.defaultTransport()
    if (ds.settings or {}).get('debug') or _log.isEnabledFor(logging.DEBUG):
        _log.info('Sending Mail: TO:%s FROM:%s SUBJECT:%s', options.get('to'),
                  options.get('from'), options.get('subject'))
    if transport is None:
        _log.warning('Warning: No email transport specified for sending email. '
                     'Setup a transport to send mail messages.')
        nextTick(done, None, options)
        return promise
    transport.sendMail(_without_template(options), done)
    return promise


def _without_template(options):
    return {k: v for k, v in options.items() if k not in ('transport', 'template', 'mailer')}


def _instance_send(inst, fn=None):
    """# LoopBack: Mailer.prototype.send(fn): the instance's own data is the mail"""
    return send_mail(type(inst), inst, fn)


class _Send:
    """``Model.send(options, cb)`` on the class, ``inst.send(cb)`` on an instance."""

    def __get__(self, inst, owner):
        if inst is None:
            return lambda options, fn=None: send_mail(owner, options, fn)
        return lambda fn=None: _instance_send(inst, fn)


class Mailer:
    """The data-access object of a mail data source (juggler mixes it in)."""

    members = {'send': _Send()}


class MailConnector:
    """# LoopBack: new MailConnector(settings)"""

    name = 'mail'
    DataAccessObject = Mailer

    def __init__(self, settings=None, data_source=None):
        settings = settings if isinstance(settings, dict) else {}
        self.settings = settings
        self.dataSource = data_source
        transports = settings.get('transports')
        if not transports and settings.get('transport'):
            transports = [settings['transport']]
        self.transportsIndex = {}
        self.transports = []
        for setting in transports or []:
            self.setupTransport(setting)

    @classmethod
    def initialize(cls, dataSource, callback=None):
        """# LoopBack: MailConnector.initialize(dataSource, cb)"""
        dataSource.connector = cls(dataSource.settings, dataSource)
        if callback is not None:
            callback()

    def setupTransport(self, setting):
        """Add a transport (``type``: smtp or stub; ``alias`` names it)."""
        transport = transport_for(setting)
        self.transportsIndex[setting.get('alias') or setting.get('type')] = transport
        self.transports.append(transport)

    def transportForName(self, name):
        return self.transportsIndex.get(name) if name is not None else None

    def defaultTransport(self):
        return self.transports[0] if self.transports else None

    def connect(self, cb=None):
        if cb is not None:
            nextTick(cb, None)

    def getTypes(self):
        return ['mail']
